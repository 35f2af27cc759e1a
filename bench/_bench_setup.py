"""For the benches that drive the app over HTTP: people with work in progress, and pages' forms as sent.

Each function makes one kind of person in the state their requests need, the way certify/demo and
tests/factories.py take applications through the workflow: managers each with a draft, assessors on the
review teams of submitted applications (independence confirmed, review started), certificates issued
after a full review and decision, and candidates registered for an exam (each form drawn at
registration, as `flask certify exam register` does). Every account shares one password hash, made
once: hashing is set-up here, and the app under test must be given the same Argon2 cost, or it would
rehash each password at its first login. The functions flush; the caller commits.

`Form` reads a form out of a page as a browser would send it, for a simulated person to edit and post.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

from certify.accounts.models import Organisation, Role, User
from certify.accounts.services import add_user
from certify.certificates.issuance import latest_for_decision
from certify.demo.applications import submitted_application
from certify.demo.review import decide_after_review
from certify.exams import registrations
from certify.exams import services as exams
from certify.exams.bank import LIBRARY
from certify.questionnaire import services as questionnaire
from certify.review import staffing
from certify.transitions import active_assignments

DOMAIN = "certify-bench.example.org"
EXAM_BANK = LIBRARY / "cm-1.0.yaml"
EXAM_BLUEPRINT = "cm_theory"


@dataclass
class Assessor:
    email: str
    #: their assignments open for scoring, each on another application
    assignment_ids: list[int] = field(default_factory=list)


def organisation(session, n: int) -> Organisation:
    """The n-th organisation, with a registration number (OGRN) whose check digit is right."""
    ogrn = f"11678000{n:04d}"
    row = Organisation(
        registration_number=ogrn + str(int(ogrn) % 11 % 10),
        name_ru=f"Управляющая компания кластера № {n}",
        name_en=f"Cluster management company No. {n}",
        country="RU",
        region="Республика Татарстан",
        cluster_name_ru=f"Кластер чистых технологий № {n}",
        cluster_name_en=f"Cleantech cluster No. {n}",
        specialisation="",
        priority_fields=["water"],
    )
    session.add(row)
    return row


def person(session, email: str, role: Role, password_hash: str, organisation: Organisation | None = None):
    """A confirmed account in `role`."""
    return add_user(
        session,
        email=email,
        password_hash=password_hash,
        full_name_ru=f"Участник нагрузочного теста {email.split('@')[0]}",
        full_name_en=f"Load test participant {email.split('@')[0]}",
        roles=[role],
        organisation=organisation,
        confirmed=True,
    )


def managers_with_drafts(session, count: int, password_hash: str, first: int = 0) -> dict[str, int]:
    """`count` managers, each of their own organisation with a draft on the current standard (none
    answered yet): e-mail -> application id. `first` numbers the organisations after earlier ones."""
    drafts = {}
    for n in range(first, first + count):
        company = organisation(session, n)
        manager = person(session, f"manager{n}@{DOMAIN}", Role.MANAGER, password_hash, company)
        session.flush()
        drafts[manager.email] = questionnaire.start_application(session, company, manager).id
    return drafts


def applicants(session, count: int, password_hash: str, first: int) -> list:
    """`count` applications submitted complete with their evidence (as the demo's), by their managers;
    the n-th answered as the demo's seed n does, whatever `first` numbers the organisations from."""
    submitted = []
    for seed in range(count):
        company = organisation(session, first + seed)
        email = f"applicant{first + seed}@{DOMAIN}"
        manager = person(session, email, Role.MANAGER, password_hash, company)
        session.flush()
        submitted.append(submitted_application(session, manager, seed=seed, strength=0.8))
    return submitted


def review_teams(session, applications: list, count: int, password_hash: str, coordinator: User):
    """`count` assessors, two on each application's team (the first leads), the teams overlapping in a
    ring; each confirms independence and the coordinator starts each review. The assessors."""
    people = [person(session, f"assessor{n}@{DOMAIN}", Role.ASSESSOR, password_hash) for n in range(count)]
    session.flush()
    by_email = {p.email: Assessor(p.email) for p in people}
    for n, application in enumerate(applications):
        team = [people[n % count], people[(n + 1) % count]]
        staffing.assign_assessors(session, application, team, team[0], coordinator)
        for assignment in active_assignments(session, application):
            staffing.confirm_independence(session, assignment, assignment.assessor)
            by_email[assignment.assessor.email].assignment_ids.append(assignment.id)
        staffing.start_review(session, application, coordinator)
    return list(by_email.values())


def certificates(session, applications: list, coordinator: User, lead: User, second: User) -> list[str]:
    """Each application reviewed by `lead` and `second`, agreed and certified: the certificates' numbers."""
    numbers = []
    for n, application in enumerate(applications):
        decision = decide_after_review(session, application, coordinator, lead, second, seed=n)
        certificate = latest_for_decision(session, decision.id)
        if certificate is None:
            raise RuntimeError(f"application {application.id} was not certified: choose other scores")
        numbers.append(certificate.number)
    return numbers


def exam_candidates(session, count: int, password_hash: str) -> tuple[int, list[str]]:
    """An exam opened now on the default bank, and `count` candidates registered for it: its id, their
    e-mails."""
    bank = exams.import_bank(session, EXAM_BANK.read_bytes(), source_name=EXAM_BANK.name).row
    exam = exams.open_exam(session, bank, EXAM_BLUEPRINT)
    emails = []
    for n in range(count):
        candidate = person(session, f"candidate{n}@{DOMAIN}", Role.CANDIDATE, password_hash)
        registrations.register_candidate(session, exam, candidate)
        emails.append(candidate.email)
    return exam.id, emails


class FormControls(HTMLParser):
    """What `new FormData(form)` sends for the form `form_id` of a page, and the form's controls.

    Disabled controls (themselves or inside a disabled fieldset) send nothing, nor, where
    `hidden_disables`, controls inside a `hidden` element: questionnaire.js disables those.
    """

    VOID = frozenset(
        {  # elements without an end tag
            "area",
            "base",
            "br",
            "col",
            "embed",
            "hr",
            "img",
            "input",
            "link",
            "meta",
            "source",
            "track",
            "wbr",
        }
    )

    def __init__(self, html: str, form_id: str, *, hidden_disables: bool = False):
        super().__init__(convert_charrefs=True)
        self.form_id, self.hidden_disables = form_id, hidden_disables
        self.controls: list[dict] = []
        self._open: list[tuple[str, bool]] = []  # elements open inside the form, each: disables its content
        self._inside, self._reading = False, None
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._inside = attrs.get("id") == self.form_id
            return
        owner = attrs.get("form")
        if not (self._inside if owner is None else owner == self.form_id):
            return
        disabled = "disabled" in attrs or any(off for _, off in self._open)
        if tag in ("input", "textarea", "select") and attrs.get("name"):
            control = {"tag": tag, **attrs, "disabled": disabled, "options": []}
            control.setdefault("type", tag)
            self.controls.append(control)
            if tag != "input":
                self._reading = control
            if tag == "textarea":
                control["value"] = ""
        elif tag == "option" and self._reading is not None and self._reading["tag"] == "select":
            self._reading["options"].append([attrs.get("value"), "selected" in attrs, ""])
        if tag not in self.VOID and tag != "option":
            hidden = self.hidden_disables and "hidden" in attrs
            self._open.append((tag, hidden or (tag == "fieldset" and "disabled" in attrs)))

    def handle_data(self, data):
        if self._reading is not None and self._reading["tag"] == "textarea":
            self._reading["value"] += data
        elif self._reading is not None and self._reading["options"]:
            self._reading["options"][-1][2] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._inside = False
        elif tag in ("textarea", "select") and self._reading is not None:
            if tag == "textarea":  # a newline right after the start tag is not content (HTML's parsing rule)
                text = self._reading["value"]
                self._reading["value"] = text[2:] if text.startswith("\r\n") else text.removeprefix("\n")
            self._reading = None
        if any(name == tag for name, _ in self._open):
            while self._open.pop()[0] != tag:
                pass  # elements left open inside it close with it

    def pairs(self) -> list[tuple[str, str]]:
        """The (name, value) pairs the browser posts, in the page's order."""
        sent = []
        for c in self.controls:
            if c["disabled"] or c["type"] in ("file", "submit", "button", "image", "reset"):
                continue
            if c["tag"] == "select":
                options = [(v if v is not None else text.strip(), chosen) for v, chosen, text in c["options"]]
                chosen = [v for v, selected in options if selected]
                if not chosen and "multiple" not in c and options:
                    chosen = [options[0][0]]  # a single select shows, and sends, its first option
                sent += [(c["name"], v) for v in chosen]
            elif c["type"] in ("checkbox", "radio"):
                if "checked" in c:
                    sent.append((c["name"], c.get("value", "on")))
            else:
                sent.append((c["name"], c.get("value") or ""))
        return sent


class Form:
    """A page's form as its user edits it: the pairs to post, one field set to a value at a time."""

    def __init__(self, html: str, form_id: str, **reading):
        self.controls = FormControls(html, form_id, **reading)
        self.pairs = self.controls.pairs()

    def set(self, name: str, *values: str) -> None:
        self.pairs = [(n, v) for n, v in self.pairs if n != name] + [(name, v) for v in values]

    def names(self) -> set[str]:
        return {c["name"] for c in self.controls.controls if not c["disabled"]}
