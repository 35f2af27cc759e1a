"""A candidate's attestation in a real browser, in Russian and in English: the application, admission,
the theory exam, the practical part answered and submitted, two examiners and their consensus, the
commission's decision, the personal certificate downloaded and verified by upload.

Set-up only through services (the scheme, its open theory exam, the people's accounts); every step a
person takes is taken in the browser, each person in their own browser context, signed in once.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask_babel import force_locale, gettext

from certify.accounts.models import Role
from certify.attestation import stages
from certify.certificates.models import Certificate
from certify.demo.applications import DEMO_PDF
from certify.exams.models import ExamAttempt
from certify.exams.records import form_from_data
from certify.exams.services import bank_of
from certify.questionnaire.models import Application
from certify.questionnaire.pages import Part, has_evidence_question, pages_of
from certify.questionnaire.services import standard_of
from certify.transitions import active_assignments
from certify.workflow import State
from tests.attestation import steps
from tests.browser.conftest import log_in, mark_every_file_relevant
from tests.factories import make_user
from tests.pdfs import pdf_text

pytestmark = pytest.mark.browser

NAME_RU, NAME_EN = "Дарья Романовна Лаптева", "Daria Lapteva"
DOCUMENT = {"ru": "Аттестат кластерного менеджера", "en": "Cluster Manager Attestation"}
CASE_ANSWER = "по данным кейса — 42 участника, два разрыва цепочки, цели с показателями и сроками."
#: every indicator of the practical part at 4: the level "attested" (the documents' caps included)
SCORE = 4


@pytest.fixture
def people(db, request):
    """The scheme cma 1.0 with its theory exam open, and the candidate, coordinator and two examiners,
    all speaking `request.param`."""
    lang = request.param
    scheme = steps.install_scheme(db)
    people = {
        "candidate": steps.candidate(db, locale=lang, full_name_ru=NAME_RU, full_name_en=NAME_EN),
        "coordinator": make_user(db, Role.COORDINATOR, locale=lang),
        "lead": make_user(db, Role.ASSESSOR, locale=lang, full_name_ru="Андрей Ведущий"),
        "second": make_user(db, Role.ASSESSOR, locale=lang, full_name_ru="Ольга Вторая"),
    }
    db.commit()
    return lang, scheme, people


def words(app, lang: str, msgid: str) -> str:
    """A message of the product as the reader of `lang` sees it."""
    with app.test_request_context(), force_locale(lang):
        return gettext(msgid)


def browsers(page, live_server, lang: str, people: dict) -> dict:
    """A browser context per person, each signed in."""
    locale = {"ru": "ru-RU", "en": "en-GB"}[lang]
    tabs = {}
    for who, user in people.items():
        context = page.context.browser.new_context(locale=locale, accept_downloads=True)
        tabs[who] = context.new_page()
        tabs[who].set_default_timeout(15_000)
        log_in(tabs[who], live_server, user)
    return tabs


def application_of(db, candidate) -> Application:
    db.expire_all()
    return db.scalar(sa.select(Application).where(Application.candidate_id == candidate.id))


@pytest.mark.parametrize("people", ["ru", "en"], indirect=True)
def test_a_candidate_is_attested_and_verifies_the_downloaded_attestation(
    app, live_server, page, people, db, tmp_path
):
    lang, scheme, persons = people
    tabs = browsers(page, live_server, lang, persons)
    say = lambda msgid: words(app, lang, msgid)  # noqa: E731

    # the candidate opens the scheme, accepts the consent, fills the prerequisites and submits
    candidate = tabs["candidate"]
    candidate.goto(f"{live_server}/attestation/")
    candidate.locator(f"a[href$='/attestation/schemes/{scheme.id}/apply']").first.click()
    candidate.check("[name=consent]")
    candidate.locator("form[action$='/apply'] button[type=submit]").click()
    candidate.wait_for_url("**/pages/eligibility")
    candidate.check(
        f"input[name=elig_education_level][value='{steps.PREREQUISITES['elig_education_level']}']"
    )
    for question, value in steps.PREREQUISITES.items():
        if question != "elig_education_level":
            candidate.fill(f"[name={question}]", value)
    candidate.locator("button[name=go][value=eligibility]").click()
    candidate.get_by_text(say("Saved.")).first.wait_for()
    evidence = tmp_path / "Диплом и удостоверения.pdf"
    evidence.write_bytes(DEMO_PDF)
    for target in steps.FILES:
        candidate.set_input_files(f"#file-{target}", str(evidence))
        candidate.locator(f"button[form=upload-{target}]").click()
        candidate.wait_for_load_state()
    application = application_of(db, persons["candidate"])
    candidate.goto(f"{live_server}/applications/{application.id}/summary")
    candidate.check("[name=confirm]")
    candidate.locator("form:has([name=confirm]) button[type=submit]").click()
    candidate.wait_for_url(f"**/applications/{application.id}/receipt")

    # the coordinator admits the candidate to the theory exam
    coordinator = tabs["coordinator"]
    coordinator.goto(f"{live_server}/attestation/applications/{application.id}/admission")
    coordinator.locator("form[action$='/admit'] button[type=submit]").click()
    coordinator.get_by_text(
        say("The candidate is admitted to the theory exam and told by e-mail.")
    ).wait_for()

    # the candidate takes the theory exam and answers every item by its key, read from the bank here
    candidate.goto(f"{live_server}/attestation/applications/{application.id}")
    candidate.get_by_role("link", name=say("Go to the exam")).click()
    (registered,) = db.scalars(sa.select(ExamAttempt).where(ExamAttempt.application_id == application.id))
    candidate.locator(f"form[action$='/exams/{registered.exam_id}/start'] button").click()
    candidate.wait_for_url(f"**/exams/attempts/{registered.id}")
    db.expire_all()
    attempt = db.get(ExamAttempt, registered.id)
    keys = {item.id: item.key for item in bank_of(attempt.exam.bank_version).items}
    for slot in form_from_data(attempt.form).slots:
        for option in keys[slot.item_id]:
            candidate.check(f"input[name='answer-{slot.item_id}'][value='{option}']")
    candidate.locator("button[data-submit]").click()
    candidate.wait_for_url(f"**/exams/attempts/{registered.id}/result")
    candidate.goto(f"{live_server}/attestation/applications/{application.id}")
    assert candidate.locator("#stage").inner_text().strip() == say(stages.STAGE_LABELS["practical_open"])

    # the practical part opens: the candidate answers the task page by page, attaches the files it
    # asks for, and submits it from the summary
    candidate.locator("#practical-task").click()
    for practical in pages_of(standard_of(application), Part.PRACTICAL):
        candidate.goto(f"{live_server}/applications/{application.id}/pages/{practical.key}")
        for question in practical.questions:
            if question.type == "long_text":
                candidate.fill(f"[name={question.id}]", f"{practical.title.get(lang)}: {CASE_ANSWER}")
        candidate.locator(f"button[name=go][value={practical.key}]").click()
        candidate.get_by_text(say("Saved.")).first.wait_for()
        for target, _title, questions in practical.sections:
            if has_evidence_question(questions):
                candidate.set_input_files(f"#file-{target}", str(evidence))
                candidate.locator(f"button[form=upload-{target}]").click()
                candidate.wait_for_load_state()
    candidate.goto(f"{live_server}/applications/{application.id}/summary")
    candidate.check("[name=confirm]")
    candidate.get_by_role("button", name=say("Submit the practical part")).click()
    candidate.wait_for_url(f"**/attestation/applications/{application.id}")
    assert candidate.locator("#stage").inner_text().strip() == say(stages.STAGE_LABELS["practical"])

    # the coordinator names two examiners; each confirms independence; the review starts
    coordinator.goto(f"{live_server}/review/applications/{application.id}/team")
    for who in ("lead", "second"):
        coordinator.check(f"input[name=assessors][value='{persons[who].id}']")
    coordinator.select_option("#lead", str(persons["lead"].id))
    coordinator.locator("#team-form button[type=submit]").click()
    coordinator.get_by_text(
        say("The team is saved. Each assessor is asked to confirm independence.")
    ).wait_for()
    for who in ("lead", "second"):
        tabs[who].goto(f"{live_server}/review/assignments")
        tabs[who].locator("form[action$='/confirm'] button").click()
        tabs[who].wait_for_load_state()
    coordinator.reload()
    coordinator.locator("form[action$='/start'] button").click()
    coordinator.get_by_text(say("The review has started.")).wait_for()

    # both examiners score the practical part blind; the lead records their consensus
    application = application_of(db, persons["candidate"])
    for who in ("lead", "second"):
        assignment = next(a for a in active_assignments(db, application) if a.assessor_id == persons[who].id)
        examiner = tabs[who]
        examiner.goto(f"{live_server}/review/assignments/{assignment.id}/scores")
        for indicator in standard_of(application).indicators():
            examiner.check(f"#score-{indicator.id}-{SCORE}")
        mark_every_file_relevant(examiner, db, application)
        examiner.locator("button[name=submit][value=final]").click()
        examiner.wait_for_load_state()
    lead = tabs["lead"]
    lead.goto(f"{live_server}/review/applications/{application.id}/consensus")
    lead.locator("button[name=step][value=check]").click()
    lead.locator("button[name=step][value=record]").click()
    lead.get_by_text(say("The consensus is recorded.")).wait_for()

    # the commission decides "attested"
    coordinator.goto(f"{live_server}/review/applications/{application.id}/consensus")
    coordinator.select_option("#level", "attested")
    coordinator.fill(
        "#reasons", "Теория сдана, кейс оценён выше порога." if lang == "ru" else "Passed both stages."
    )
    coordinator.locator("#decision-form button[type=submit]").click()
    coordinator.get_by_text(say("The decision is recorded.")).wait_for()
    assert application_of(db, persons["candidate"]).state == State.CERTIFIED
    certificate = db.scalar(sa.select(Certificate).where(Certificate.application_id == application.id))

    # the candidate downloads the personal certificate and verifies the file by upload
    candidate.goto(f"{live_server}/attestation/applications/{application.id}")
    candidate.get_by_role("link", name=say("Your certificate")).click()
    with candidate.expect_download() as download_info:
        candidate.get_by_role("link", name=say("Download the certificate (PDF)")).click()
    download = download_info.value
    assert download.suggested_filename == f"{certificate.number}.pdf"
    pdf = tmp_path / download.suggested_filename
    download.save_as(pdf)
    text = pdf_text(pdf)
    assert certificate.number in text and NAME_RU in text and DOCUMENT["ru"] in text

    candidate.goto(f"{live_server}/verify")
    candidate.set_input_files("input[type=file]", str(pdf))
    candidate.locator("form:has(input[type=file]) button[type=submit]").click()
    kind = candidate.locator(".certificate-kind")
    kind.wait_for()
    assert kind.inner_text().strip() == DOCUMENT[lang]
    verdict = candidate.locator(".verdict")
    assert verdict.get_by_text(say("VALID"), exact=True).is_visible()
    genuine = "The file is a genuine, unmodified certificate issued by the certification body."
    assert verdict.get_by_text(say(genuine)).is_visible()
    person = candidate.locator("main").get_by_text(NAME_RU if lang == "ru" else NAME_EN).first
    assert person.is_visible()
