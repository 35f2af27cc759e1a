"""For admins: the e-mails not sent yet, those given up first, with the last error and a retry."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import Blueprint, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from certify.accounts.models import Role
from certify.extensions import db
from certify.outbox.models import MessageStatus, OutboxMessage
from certify.outbox.services import being_sent, retry, unsent_messages
from certify.timeutil import utcnow
from certify.web.access import roles_required
from certify.web.actions import carry_out

bp = Blueprint("outbox", __name__, url_prefix="/admin/mail")
PAGE_SIZE = 50

#: how each unsent status is shown: its label and the colour of its badge
STATUS_DISPLAY = {
    MessageStatus.QUEUED.value: (_l("waiting"), "warning"),
    MessageStatus.FAILED.value: (_l("given up"), "danger"),
}


@dataclass(frozen=True)
class Row:
    """One message as the page shows it; the decisions are taken here, not in the template."""

    message: OutboxMessage
    status: object
    badge: str
    #: None once given up: only a retry brings the message back
    next_attempt_at: datetime | None
    can_retry: bool


def _row(message: OutboxMessage, now: datetime) -> Row:
    label, badge = STATUS_DISPLAY[message.status]
    waiting = message.status == MessageStatus.QUEUED.value
    return Row(
        message, label, badge, message.next_attempt_at if waiting else None, not being_sent(message, now)
    )


@bp.get("/")
@roles_required(Role.ADMIN)
def index():
    """The queued and the failed e-mails: recipient, subject, tries, next try, last error."""
    page = db.paginate(unsent_messages(), per_page=PAGE_SIZE, error_out=False)
    now = utcnow()
    return render_template("outbox/index.html", page=page, rows=[_row(m, now) for m in page.items])


@bp.post("/<int:message_id>/retry")
@roles_required(Role.ADMIN)
def retry_message(message_id: int):
    """Try a message again now (a failed one with fresh tries); it stays queued if it fails again."""
    message = db.get_or_404(OutboxMessage, message_id)
    return carry_out(
        lambda: retry(db.session, message, actor=current_user),
        back_to=url_for("outbox.index"),
        done=_("The message was tried again; if it is still listed, it could not be sent."),
    )
