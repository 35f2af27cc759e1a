"""The admins' page of unsent e-mails: what failed and why, and trying again."""

from __future__ import annotations

import sqlalchemy as sa

from certify.accounts.models import Role
from certify.audit.models import AuditEntry
from certify.outbox.models import OutboxMessage


def unsent(db, **fields) -> OutboxMessage:
    values = {"recipient": "anna@example.org", "subject": "Решение по заявке № 7", "body": "Текст"}
    message = OutboxMessage(template="review_decided", locale="ru", **{**values, **fields})
    db.add(message)
    db.commit()
    return message


def test_admins_see_failed_and_waiting_mail_with_the_last_error(db, admin_client):
    unsent(
        db, status="failed", attempts=10, last_error="ConnectionRefusedError: [Errno 111] Connection refused"
    )
    unsent(db, recipient="boris@example.org", attempts=1, last_error="TimeoutError: timed out")
    unsent(db, recipient="sent@example.org", status="sent")
    page = admin_client.get("/admin/mail/").get_data(as_text=True)
    assert "anna@example.org" in page and "Connection refused" in page
    assert "boris@example.org" in page and "timed out" in page
    assert "sent@example.org" not in page
    assert page.index("anna@example.org") < page.index("boris@example.org")  # given up first
    assert "Текст" not in page  # bodies hold one-time links: not shown
    assert 'href="/admin/mail/"' in page  # the navigation item


def test_only_admins_see_the_page_or_its_navigation_item(db, login):
    for role in (Role.COORDINATOR, Role.MANAGER, Role.ASSESSOR):
        client, _ = login(role)
        assert client.get("/admin/mail/").status_code == 403
        assert "/admin/mail/" not in client.get("/").get_data(as_text=True)


def test_trying_a_failed_message_again_sends_it_and_is_audited(db, admin_client, mailbox):
    message = unsent(db, status="failed", attempts=10, last_error="ConnectionRefusedError")
    response = admin_client.post(f"/admin/mail/{message.id}/retry")
    assert response.status_code == 302
    db.expire_all()
    assert (message.status, message.attempts) == ("sent", 1)
    assert [m["To"] for m in mailbox()] == ["anna@example.org"]
    entry = db.scalar(sa.select(AuditEntry).where(AuditEntry.action == "mail.retried"))
    assert entry.before == {"status": "failed", "attempts": 10}
    assert "anna@example.org" not in admin_client.get("/admin/mail/").get_data(as_text=True)


def test_a_sent_message_is_not_sent_again(db, admin_client, mailbox):
    message = unsent(db, status="sent")
    assert admin_client.post(f"/admin/mail/{message.id}/retry").status_code == 303
    assert mailbox() == []
