"""The examiners of a candidate's practical part (issue 16): what the database knows of their ties.

The rules are pure (`certify.review.conflicts.person_conflicts`); this reads their inputs: the examiner's
organisation, their declared ties to candidates and training records (`ConflictDeclaration` with a
candidate), and the candidate's other applications under appeal that the examiner examined.
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from certify.accounts.models import User
from certify.questionnaire.models import Application
from certify.review.conflicts import Conflict, Examiner, PersonApplicant, person_conflicts
from certify.review.errors import ReviewError
from certify.review.models import ENDED, Assignment, ConflictDeclaration
from certify.workflow import State


def examiner_from_db(session, examiner: User, *, checking: Application) -> Examiner:
    """The examiner's declared ties to candidates, training records, and examinations under appeal."""
    declared = list(
        session.scalars(
            sa.select(ConflictDeclaration).where(
                ConflictDeclaration.assessor_id == examiner.id, ConflictDeclaration.candidate_id.is_not(None)
            )
        )
    )
    under_appeal = session.scalars(
        sa.select(Application.candidate_id)
        .join(Assignment, Assignment.application_id == Application.id)
        .where(
            Assignment.assessor_id == examiner.id,
            Assignment.status.not_in(ENDED),
            Application.id != checking.id,
            Application.state == State.APPEALED.value,
            Application.candidate_id.is_not(None),
        )
    )
    return Examiner(
        organisation_id=examiner.organisation_id,
        declared_candidates=frozenset(d.candidate_id for d in declared if d.trained_on is None),
        trained=tuple((d.candidate_id, d.trained_on) for d in declared if d.trained_on is not None),
        examined_under_appeal=frozenset(under_appeal),
    )


def person_conflicts_of(session, examiner: User, application: Application) -> list[Conflict]:
    person = PersonApplicant(application.candidate_id, application.organisation_id)
    found = person_conflicts(
        examiner_from_db(session, examiner, checking=application), person, today=date.today()
    )
    return found


def candidate_id_by_email(session, email: str) -> int | None:
    """The account a declared tie names by e-mail; None when none is named, refused when unknown."""
    if not email.strip():
        return None
    user = session.scalar(sa.select(User).where(sa.func.lower(User.email) == email.strip().lower()))
    if user is None:
        raise ReviewError(_l("There is no account with the e-mail %(email)s.", email=email.strip()), 422)
    return user.id
