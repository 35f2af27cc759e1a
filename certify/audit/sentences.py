"""What an audit entry records, as a sentence in the reader's language (pure: no Flask, no ORM).

Every action the code records has a `Kind` here: a short title (the audit page's filter lists it, and a
sentence falls back to it) and, for most, a sentence that names what the entry's values say ("Certificate
revoked. Reason: …"). Messages are English, marked with `N_`; the web layer passes its `gettext` to
`Sentence.text`. Values typed by people (reasons, names, e-mails) are never translated, only our labels.
An action recorded without a kind here reads as a generic sentence naming its code, and a test that
reads every `record(` call site keeps this table complete.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from certify.textmarks import N_

#: domain (the action's prefix) -> its label, in the order the filter lists them
DOMAINS: dict[str, str] = {
    "application": N_("Applications"),
    "evidence": N_("Evidence"),
    "review": N_("Review"),
    "certificate": N_("Certificates"),
    "monitoring": N_("Monitoring"),
    "cpd": N_("Continuing professional development"),
    "account": N_("Accounts"),
    "user": N_("Users"),
    "standard": N_("Standards"),
    "exam_bank": N_("Exam item banks"),
    "exam": N_("Exams"),
    "exam_item": N_("Exam items"),
    "mail": N_("Mail"),
    "insight": N_("Reports and exports"),
}
#: account roles, as sentences name them
ACCOUNT_ROLES: dict[str, str] = {
    "manager": N_("manager"),
    "assessor": N_("assessor"),
    "coordinator": N_("coordinator"),
    "admin": N_("administrator"),
    "candidate": N_("candidate"),
}
LOGIN_REFUSALS: dict[str, str] = {
    "unknown_email": N_("no account with this address"),
    "wrong_password": N_("wrong password"),
    "deactivated": N_("account deactivated"),
    "unconfirmed": N_("e-mail address not confirmed"),
}
#: the body's exports (certify.insight.exports), as an export's entry names them
EXPORTS: dict[str, str] = {
    "applications": N_("applications with their scores"),
    "certificates": N_("the certificates register"),
    "calibration": N_("assessors' workload and calibration"),
    "audit": N_("an application's audit extract"),
}
GENERIC = N_("Recorded: %(action)s")
NOTHING = "—"


class Label(str):
    """One of our marked labels inside a sentence: translated with it (typed values are not)."""


@dataclass(frozen=True)
class Sentence:
    """A marked message and its params: `text(gettext)` is the sentence in the reader's language."""

    message: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def text(self, translate: Callable[[str], str] = str, day: Callable[[date], str] = date.isoformat) -> str:
        """The sentence with `translate` applied to it and its labels, and dates written by `day`."""

        def shown(value: Any) -> Any:
            if isinstance(value, Label):
                return translate(value)
            if isinstance(value, date):
                return day(value)
            if isinstance(value, list | tuple):
                return ", ".join(str(shown(item)) for item in value)
            return NOTHING if value is None or value == "" else value

        return translate(self.message) % {key: shown(value) for key, value in self.params.items()}


@dataclass(frozen=True)
class Facts:
    """What a sentence is made of: the entry's subject and its before/after values (dicts, or anything)."""

    subject_id: str
    before: Mapping[str, Any]
    after: Mapping[str, Any]


#: given an entry's facts, the sentence that describes it, or None for the kind's title alone
Describe = Callable[[Facts], Sentence | None]


@dataclass(frozen=True)
class Kind:
    title: str
    describe: Describe | None = None


def _with(message: str, **names: Callable[[Facts], Any]) -> Describe:
    """A sentence whose params are read from the facts (a missing value leaves the title alone)."""

    def describe(facts: Facts) -> Sentence | None:
        params = {name: read(facts) for name, read in names.items()}
        return None if any(value is None for value in params.values()) else Sentence(message, params)

    return describe


def after(key: str) -> Callable[[Facts], Any]:
    return lambda facts: facts.after.get(key)


def before(key: str) -> Callable[[Facts], Any]:
    return lambda facts: facts.before.get(key)


def subject(facts: Facts) -> str:
    return facts.subject_id


def _labels(table: Mapping[str, str], values: Any) -> list[Any] | None:
    if not isinstance(values, list):
        return None
    # an entry may hold anything (older shapes, hand edits): only text can be a key of the table
    return [Label(table[value]) if isinstance(value, str) and value in table else value for value in values]


def _day(value: Any) -> date | None:
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        return None


def _team(facts: Facts) -> Sentence | None:
    team = facts.after.get("team")
    if not isinstance(team, list) or not all(isinstance(member, dict) for member in team):
        return None
    emails = [member.get("assessor") for member in team]
    leads = [member.get("assessor") for member in team if member.get("lead")]
    if leads:
        return Sentence(N_("Review team assigned: %(team)s (lead %(lead)s)"), {"team": emails, "lead": leads})
    return Sentence(N_("Review team assigned: %(team)s"), {"team": emails})


def _decided(facts: Facts) -> Sentence | None:
    if facts.after.get("state") == "certified" and facts.after.get("level"):
        return Sentence(N_("Decision: certified at level %(level)s"), {"level": facts.after["level"]})
    if facts.after.get("state") == "not_certified":
        return Sentence(N_("Decision: not certified"))
    return None


def _appeal_decided(facts: Facts) -> Sentence | None:
    if facts.after.get("outcome") == "upheld":
        return Sentence(N_("Appeal decided: the decision is upheld"))
    if facts.after.get("outcome") == "changed":
        return Sentence(
            N_("Appeal decided: the level is changed from %(old)s to %(new)s"),
            {"old": facts.before.get("level"), "new": facts.after.get("level")},
        )
    return None


def _link_request(sent: str, unknown: str, not_sent: str) -> Describe:
    """A mailed link asked for: sent, asked for an address without an account, or not sent."""

    def describe(facts: Facts) -> Sentence | None:
        if facts.after.get("link_sent") is True:
            return Sentence(sent)
        if facts.after.get("email"):
            return Sentence(unknown, {"email": facts.after["email"]})
        return Sentence(not_sent)

    return describe


def _login_failed(facts: Facts) -> Sentence | None:
    reason = facts.after.get("reason")
    label = Label(LOGIN_REFUSALS[reason]) if isinstance(reason, str) and reason in LOGIN_REFUSALS else reason
    if facts.after.get("email"):
        return Sentence(
            N_("Login refused for %(email)s: %(reason)s"), {"email": facts.after["email"], "reason": label}
        )
    return _with(N_("Login refused: %(reason)s"), reason=lambda _: label)(facts)


def _user_updated(facts: Facts) -> Sentence | None:
    was, now = facts.before.get("active"), facts.after.get("active")
    if was is True and now is False:
        return Sentence(N_("Account deactivated"))
    if was is False and now is True:
        return Sentence(N_("Account activated again"))
    return None


def _exported(facts: Facts) -> Sentence | None:
    """Which export was taken, how many rows it held, and with which filters (those set)."""
    export, rows, filters = facts.after.get("export"), facts.after.get("rows"), facts.after.get("filters")
    if not isinstance(export, str) or not isinstance(rows, int) or isinstance(rows, bool):
        return None
    params: dict[str, Any] = {"export": Label(EXPORTS[export]) if export in EXPORTS else export, "rows": rows}
    if isinstance(filters, dict):
        chosen = [
            f"{name}: {value}" for name, value in sorted(filters.items()) if value not in (None, "", False)
        ]
        if chosen:
            return Sentence(
                N_("Exported %(export)s, rows: %(rows)s; filters: %(filters)s"), params | {"filters": chosen}
            )
    return Sentence(N_("Exported %(export)s, rows: %(rows)s"), params)


def _status_change(title: str, sentence: str) -> Kind:
    return Kind(title, _with(sentence, reason=after("reason")))


def _standard(title: str, sentence: str) -> Kind:
    return Kind(title, _with(sentence, label=subject))


def _returned(facts: Facts) -> Sentence | None:
    """A person's application returned for completion: each requirement with the coordinator's reason."""
    reasons = facts.after.get("reasons")
    if not isinstance(reasons, dict) or not reasons:
        return None
    listed = [f"{requirement}: {reason}" for requirement, reason in sorted(reasons.items(), key=str)]
    return Sentence(N_("Application returned for completion: %(reasons)s"), {"reasons": listed})


KINDS: dict[str, Kind] = {
    "application.started": Kind(
        N_("Application started"),
        _with(N_("Application started on %(standard)s"), standard=after("standard")),
    ),
    "application.submitted": Kind(N_("Application submitted")),
    "application.answers_clarified": Kind(
        N_("Answers changed after clarification"),
        _with(
            N_("Answers changed after clarification: %(questions)s"),
            questions=lambda f: sorted(f.after) or None,
        ),
    ),
    "application.consent_accepted": Kind(
        N_("Consent to processing personal data given"),
        _with(N_("Consent to processing personal data given on %(scheme)s"), scheme=after("scheme")),
    ),
    "application.admitted": Kind(N_("Candidate admitted to the theory exam")),
    "application.returned": Kind(N_("Application returned for completion"), _returned),
    "application.theory_result": Kind(
        N_("Theory exam result"),
        _with(N_("Theory exam attempt scored: %(percent)s%%"), percent=after("percent")),
    ),
    "application.retake_registered": Kind(N_("Retake of the theory exam registered")),
    "application.practical_submitted": Kind(N_("Practical part submitted")),
    "application.theory_failed": Kind(
        N_("Not attested: theory exam not passed"),
        _with(N_("Not attested: %(reasons)s"), reasons=after("reasons")),
    ),
    "application.renewal_started": Kind(N_("Renewal of the attestation started")),
    "cpd.recorded": Kind(N_("CPD entry recorded")),
    "cpd.changed": Kind(N_("CPD entry changed")),
    "cpd.deleted": Kind(N_("CPD entry deleted")),
    "evidence.added": Kind(N_("Evidence added"), _with(N_("Evidence added: %(name)s"), name=after("name"))),
    "evidence.removed": Kind(
        N_("Evidence removed"), _with(N_("Evidence removed: %(name)s"), name=before("name"))
    ),
    "review.assigned": Kind(N_("Review team assigned"), _team),
    "review.assessor_removed": Kind(
        N_("Assessor removed from the team"),
        _with(N_("Assessor removed from the team: %(assessor)s"), assessor=after("assessor")),
    ),
    "review.independence_confirmed": Kind(N_("Independence confirmed")),
    "review.assignment_declined": Kind(
        N_("Assignment declined"),
        _with(N_("Assignment declined. Reason: %(reason)s"), reason=after("reason")),
    ),
    "review.conflict_declared": Kind(
        N_("Conflict of interest declared"),
        _with(N_("Conflict of interest declared: %(note)s"), note=lambda f: f.after.get("note") or None),
    ),
    "review.started": Kind(N_("Review started")),
    "review.clarification_requested": Kind(
        N_("Clarification requested"),
        _with(N_("Clarification requested: %(question)s"), question=after("question")),
    ),
    "review.clarification_answered": Kind(
        N_("Clarification answered"), _with(N_("Clarification answered: %(answer)s"), answer=after("answer"))
    ),
    "review.scores_submitted": Kind(N_("Scores submitted")),
    "review.third_assessor_requested": Kind(N_("Third assessor requested")),
    "review.consensus_recorded": Kind(
        N_("Consensus recorded"),
        _with(
            N_("Consensus recorded: total %(total)s, level %(level)s"),
            total=after("total"),
            level=after("level"),
        ),
    ),
    "review.appeal_consensus_recorded": Kind(
        N_("Appeal panel's consensus recorded"),
        _with(
            N_("Appeal panel's consensus recorded: total %(total)s, level %(level)s"),
            total=after("total"),
            level=after("level"),
        ),
    ),
    "review.decided": Kind(N_("Decision made"), _decided),
    "review.appealed": Kind(
        N_("Decision appealed"),
        _with(N_("Decision appealed. Grounds: %(grounds)s"), grounds=after("grounds")),
    ),
    "review.appeal_assessor_assigned": Kind(
        N_("Appeal assessor assigned"),
        _with(N_("Appeal assessor assigned: %(assessor)s"), assessor=after("assessor")),
    ),
    "review.appeal_decided": Kind(N_("Appeal decided"), _appeal_decided),
    "certificate.issued": Kind(
        N_("Certificate issued"),
        _with(
            N_("Certificate issued at level %(level)s, valid until %(until)s"),
            level=after("level"),
            until=lambda f: _day(f.after.get("expires_on")),
        ),
    ),
    "certificate.suspended": _status_change(
        N_("Certificate suspended"), N_("Certificate suspended. Reason: %(reason)s")
    ),
    "certificate.valid": _status_change(
        N_("Certificate reinstated"), N_("Certificate reinstated. Reason: %(reason)s")
    ),
    "certificate.revoked": _status_change(
        N_("Certificate revoked"), N_("Certificate revoked. Reason: %(reason)s")
    ),
    "certificate.corrected": Kind(
        N_("Certificate corrected"),
        _with(
            N_("Certificate %(old)s corrected by a new certificate %(new)s. Reason: %(reason)s"),
            old=before("number"),
            new=after("number"),
            reason=after("reason"),
        ),
    ),
    "certificate.expiry_reminder": Kind(
        N_("Expiry reminder sent"),
        _with(
            N_("Expiry reminder sent (days before expiry: %(days)s; recipients: %(recipients)s)"),
            days=after("days_before"),
            recipients=after("recipients"),
        ),
    ),
    "monitoring.scheduled": Kind(
        N_("Yearly reports scheduled"),
        _with(
            N_(
                "Yearly reports scheduled (due: %(due)s; taken over from the corrected certificate:"
                " %(carried)s)"
            ),
            due=lambda f: ", ".join(str(day) for day in f.after.get("due", ())) or NOTHING,
            carried=after("carried_over"),
        ),
    ),
    "monitoring.reminded": Kind(
        N_("Yearly report reminder sent"),
        _with(
            N_(
                "Reminder of yearly report %(period)s due on %(due)s sent (days before: %(days)s;"
                " recipients: %(recipients)s)"
            ),
            period=after("period"),
            due=after("due_on"),
            days=after("days_before"),
            recipients=after("recipients"),
        ),
    ),
    "monitoring.overdue_alert": Kind(
        N_("Overdue yearly report alerted"),
        _with(
            N_(
                "Coordinators alerted: yearly report %(period)s due on %(due)s is %(days)s days overdue"
                " (recipients: %(recipients)s)"
            ),
            period=after("period"),
            due=after("due_on"),
            days=after("days_overdue"),
            recipients=after("recipients"),
        ),
    ),
    "monitoring.suspension_proposed": Kind(
        N_("Suspension proposed"),
        _with(
            N_(
                "Suspension proposed: yearly report %(period)s due on %(due)s is %(days)s days overdue"
                " (recipients: %(recipients)s)"
            ),
            period=after("period"),
            due=after("due_on"),
            days=after("days_overdue"),
            recipients=after("recipients"),
        ),
    ),
    "monitoring.report_accepted": Kind(
        N_("Yearly report accepted"),
        _with(
            N_("Yearly report %(period)s accepted (flags: %(flags)s)"),
            period=after("period"),
            flags=lambda f: "; ".join(f.after.get("flags", ())) or NOTHING,
        ),
    ),
    "account.created": Kind(
        N_("Account created"),
        _with(
            N_("Account created: %(email)s, roles: %(roles)s"),
            email=after("email"),
            roles=lambda f: _labels(ACCOUNT_ROLES, f.after.get("roles")),
        ),
    ),
    "account.registration_attempted": Kind(N_("Registration attempted with this account's address")),
    "account.confirmation_requested": Kind(
        N_("Confirmation link requested"),
        _link_request(
            N_("Confirmation link sent"),
            N_("Confirmation link requested for %(email)s, which has no account: nothing sent"),
            N_("Confirmation link requested: nothing sent"),
        ),
    ),
    "account.email_confirmed": Kind(N_("E-mail address confirmed")),
    "account.login_succeeded": Kind(N_("Logged in")),
    "account.login_failed": Kind(N_("Login refused"), _login_failed),
    "account.logged_out": Kind(N_("Logged out")),
    "account.password_reset_requested": Kind(
        N_("Password reset requested"),
        _link_request(
            N_("Password reset link sent"),
            N_("Password reset requested for %(email)s, which has no account: nothing sent"),
            N_("Password reset requested: nothing sent"),
        ),
    ),
    "account.password_reset": Kind(N_("Password reset by link")),
    "account.password_changed": Kind(N_("Password changed")),
    "account.roles_changed": Kind(
        N_("Roles changed"),
        _with(
            N_("Roles changed from %(old)s to %(new)s"),
            old=lambda f: _labels(ACCOUNT_ROLES, f.before.get("roles")) or [NOTHING],
            new=lambda f: _labels(ACCOUNT_ROLES, f.after.get("roles")) or [NOTHING],
        ),
    ),
    # personal API tokens (certify.accounts.api_tokens); a use is recorded at most once a minute per token
    "account.api_token_created": Kind(
        N_("API token created"),
        _with(
            N_("API token %(name)s (%(prefix)s…) created, scopes: %(scopes)s"),
            name=after("name"),
            prefix=after("prefix"),
            scopes=lambda f: f.after.get("scopes") if isinstance(f.after.get("scopes"), list) else None,
        ),
    ),
    "account.api_token_revoked": Kind(
        N_("API token revoked"),
        _with(N_("API token %(name)s (%(prefix)s…) revoked"), name=after("name"), prefix=after("prefix")),
    ),
    "account.api_token_used": Kind(
        N_("API token used"),
        _with(
            N_("API token %(name)s (%(prefix)s…) used: %(path)s"),
            name=after("name"),
            prefix=after("prefix"),
            path=after("path"),
        ),
    ),
    "user.updated": Kind(N_("Account details changed"), _user_updated),
    "standard.imported": _standard(
        N_("Standard version imported"), N_("Standard version %(label)s imported")
    ),
    "standard.published": _standard(
        N_("Standard version published"), N_("Standard version %(label)s published")
    ),
    "standard.retired": _standard(N_("Standard version retired"), N_("Standard version %(label)s retired")),
    "exam_bank.imported": Kind(
        N_("Item bank imported"),
        _with(
            N_("Item bank %(label)s imported: %(new)s new item versions, %(updated)s drafts updated"),
            label=subject,
            new=after("new_items"),
            updated=after("updated_drafts"),
        ),
    ),
    "exam.opened": Kind(
        N_("Exam opened"),
        _with(
            N_("Exam %(exam)s opened on %(bank)s, blueprint %(blueprint)s, pass mark %(mark)s %%"),
            exam=subject,
            bank=after("bank"),
            blueprint=after("blueprint"),
            mark=after("pass_mark"),
        ),
    ),
    "exam.closed": Kind(N_("Exam closed"), _with(N_("Exam %(exam)s closed"), exam=subject)),
    "exam.pass_mark_adopted": Kind(
        N_("Angoff pass mark adopted"),
        _with(
            N_("Exam %(exam)s: pass mark %(mark)s %% adopted from its Angoff panel"),
            exam=subject,
            mark=after("pass_mark"),
        ),
    ),
    "exam_item.suspended": Kind(
        N_("Item suspended by its statistics"),
        _with(
            N_("Item %(item)s suspended from drawing: discrimination %(r)s after %(exposure)s attempts"),
            item=subject,
            r=after("discrimination"),
            exposure=after("exposure"),
        ),
    ),
    "exam_item.kept_suspended": Kind(
        N_("Item kept suspended"),
        _with(N_("Item %(item)s kept suspended. Reason: %(reason)s"), item=subject, reason=after("reason")),
    ),
    "exam_item.reinstated": Kind(
        N_("Item reinstated"),
        _with(
            N_("Item %(item)s reinstated for drawing. Reason: %(reason)s"),
            item=subject,
            reason=after("reason"),
        ),
    ),
    "mail.retried": Kind(N_("Message queued again"), _with(N_("Message %(id)s queued again"), id=subject)),
    "insight.exported": Kind(N_("Export downloaded"), _exported),
}


def sentence(
    action: str, subject_id: Any = "", before: Any = None, after: Any = None, *, detailed: bool = True
) -> Sentence:
    """What the entry says: its kind's sentence, its title when not `detailed` (or values are missing).

    An unknown action reads as a generic sentence with its code.
    """
    kind = KINDS.get(action)
    if kind is None:
        return Sentence(GENERIC, {"action": action})
    if detailed and kind.describe is not None:
        facts = Facts(str(subject_id), _mapping(before), _mapping(after))
        if (described := kind.describe(facts)) is not None:
            return described
    return Sentence(kind.title)


def _mapping(values: Any) -> Mapping[str, Any]:
    return values if isinstance(values, Mapping) else {}


def kinds_by_domain() -> Iterator[tuple[str, str, list[tuple[str, str]]]]:
    """(domain, its label, [(action, title)…]) in the order of DOMAINS, for the audit page's filter."""
    for domain, label in DOMAINS.items():
        actions = [(action, kind.title) for action, kind in KINDS.items() if action.split(".")[0] == domain]
        if actions:
            yield domain, label, actions
