"""E-mails at the review steps, in each recipient's language, and reminders for overdue reviews."""

from __future__ import annotations

from datetime import timedelta

from freezegun import freeze_time

from certify.accounts.models import Role
from tests import factories
from tests.factories import make_user


def subjects(mailbox, email: str) -> list[str]:
    return [m["Subject"] for m in mailbox() if m["To"] == email]


def test_assessors_hear_of_their_assignment_in_their_language(db, login, mailbox):
    application = factories.submitted(db).application
    english = make_user(db, Role.ASSESSOR, locale="en")
    russian = make_user(db, Role.ASSESSOR)
    db.commit()
    coordinator, _ = login(Role.COORDINATOR)
    coordinator.post(
        f"/review/applications/{application.id}/team",
        data={"assessors": [str(english.id), str(russian.id)], "lead": str(english.id)},
    )
    assert subjects(mailbox, english.email) == [f"You are asked to assess application No. {application.id}"]
    assert subjects(mailbox, russian.email) == [f"Вас просят оценить заявку № {application.id}"]


def test_the_manager_hears_of_the_clarification_and_the_decision(db, in_review, login, mailbox):
    application, (lead_client, _, lead_assignment), _ = in_review
    manager = application.organisation.members[0]
    lead_client.post(
        f"/review/assignments/{lead_assignment.id}/clarification",
        data={"indicators": ["fin_plan"], "question": "Где финансовый план?"},
    )
    assert any("уточн" in s for s in subjects(mailbox, manager.email))
    client = login(Role.MANAGER, organisation=application.organisation)[0]
    client.post(f"/applications/{application.id}/clarification", data={"answer": "Приложен."})
    db.expire_all()  # the clients moved the application on in their own sessions
    decided = factories.agree(db, application, value=1)  # no level earned: "level": "" departs from none
    db.commit()
    coordinator, _ = login(Role.COORDINATOR)
    coordinator.post(
        f"/review/applications/{decided.id}/decision", data={"level": "", "reasons": "Недостаточно"}
    )
    assert any(str(application.id) in s and "Решение" in s for s in subjects(mailbox, manager.email))


def test_reminders_for_overdue_reviews(db, in_review, runner, mailbox):
    application, (_, lead, _), (_, second, _) = in_review
    assert "reminders sent: 0" in runner.invoke(args=["certify", "review", "reminders"]).output
    with freeze_time(timedelta(days=30)):
        result = runner.invoke(args=["certify", "review", "reminders", "--days", "21"])
    assert "reminders sent: 2" in result.output
    assert any("Напоминание" in s for s in subjects(mailbox, lead.email))
