"""Import, publish and retire versions of a standard; find the current one; parse once per process."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from certify.audit import services as audit
from certify.errors import DomainError
from certify.parsed import ParsedBySource
from certify.questionnaire.models import Application
from certify.standards.attestation import StandardKind
from certify.standards.definition import Standard
from certify.standards.exam_link import exam_problem
from certify.standards.format import LIBRARY, load_standard
from certify.standards.models import StandardStatus, StandardVersion
from certify.timeutil import utcnow
from certify.workflow.states import DECIDED, State

#: An application in these states is done with its version. An appeal may reopen a decided one, which
#: a retired version does not hinder: retiring only stops new applications.
CLOSED_STATES = DECIDED | {State.WITHDRAWN, State.ACCEPTED}


class StandardRefused(DomainError):
    """An operation on a standard that is not allowed; `message` is shown to the user."""


def import_standard(session, source: str | bytes, *, source_name: str, user=None) -> StandardVersion:
    """Validate `source` and store it as a draft; raises StandardInvalid (every problem) or StandardRefused.

    Importing the same code and version again replaces a draft, is a no-op for an identical
    published file, and is refused for a changed published one: published versions never change. A
    personal scheme whose exam names an item bank or blueprint that neither the exam library nor the
    database has is refused: its candidates could never be examined.
    """
    standard = _load(source, source_name)
    text = source.decode("utf-8") if isinstance(source, bytes) else source
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    row = find_version(session, standard.code, standard.version)
    if row is not None and row.status != StandardStatus.DRAFT:
        if row.source_sha256 == digest:
            return row
        raise StandardRefused(
            _l(
                "Version %(version)s of %(code)s is published and cannot change. "
                "Give the changed file a new version number.",
                version=standard.version,
                code=standard.code,
            )
        )
    if standard.attestation is not None:
        problem = exam_problem(session, standard.attestation.exam)
        if problem is not None:
            raise StandardRefused(problem)
    row = row or StandardVersion(code=standard.code, version=standard.version)
    row.kind = standard.kind.value
    row.title_ru, row.title_en = standard.title.ru, standard.title.en
    row.source, row.source_sha256 = text, digest
    row.imported_at, row.imported_by_id = utcnow(), getattr(user, "id", None)
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor=user,
        action="standard.imported",
        subject_type="standard",
        subject_id=row.label,
        after={"sha256": digest},
    )
    return row


def publish_version(session, row: StandardVersion, user=None) -> None:
    """Make a draft the current version of its standard; from now on it never changes."""
    if row.status != StandardStatus.DRAFT:
        raise StandardRefused(_l("Only a draft can be published; %(label)s is not one.", label=row.label))
    row.status, row.published_at = StandardStatus.PUBLISHED.value, utcnow()
    session.flush()
    audit.record(
        session,
        actor=user,
        action="standard.published",
        subject_type="standard",
        subject_id=row.label,
        before={"status": "draft"},
        after={"status": row.status, "sha256": row.source_sha256},
    )
    retire_superseded(session, row.code, user=user)


def retire_version(
    session, row: StandardVersion, user=None, *, superseded_by: StandardVersion | None = None
) -> None:
    """Stop new applications on a published version; applications already on it keep it.

    `superseded_by` names the newer version that made it retire itself (see `retire_superseded`).
    """
    if row.status != StandardStatus.PUBLISHED:
        raise StandardRefused(_l("Only a published version can be retired."))
    row.status, row.retired_at = StandardStatus.RETIRED.value, utcnow()
    session.flush()
    after = {"status": row.status} | ({"superseded_by": superseded_by.label} if superseded_by else {})
    audit.record(
        session,
        actor=user,
        action="standard.retired",
        subject_type="standard",
        subject_id=row.label,
        before={"status": "published"},
        after=after,
    )


def retire_superseded(
    session, code: str | None = None, *, closing: Application | None = None, user=None
) -> list[StandardVersion]:
    """Retire every published version (of `code`) that a later one replaced and no open application uses.

    A superseded version stays published only for the applications pinned to it; once none of them is
    open it has done its work and retires, audited as an administrator's retirement would be. Run when
    a version is published, when an application is about to close (`closing`: not yet in its final
    state, so it does not count as open), and by `flask certify standard retire-superseded` (cron, and
    existing databases). Two last applications closing at once may each see the other still open; the
    command retires what that leaves.
    """
    statement = sa.select(StandardVersion).where(StandardVersion.status == StandardStatus.PUBLISHED.value)
    if code:
        statement = statement.where(StandardVersion.code == code)
    retired = []
    for row in session.scalars(statement.order_by(StandardVersion.id)).all():
        current = current_version(session, row.code, kind=row.kind)
        if current.id != row.id and not _has_open_applications(session, row, closing):
            retire_version(session, row, user, superseded_by=current)
            retired.append(row)
    return retired


def _has_open_applications(session, row: StandardVersion, closing: Application | None) -> bool:
    statement = sa.select(Application.id).where(
        Application.standard_version_id == row.id, Application.state.not_in(CLOSED_STATES)
    )
    if closing is not None:
        statement = statement.where(Application.id != closing.id)
    return session.scalar(statement.limit(1)) is not None


#: the one step an administrator may take next on a version in each status (a retired version stays so)
NEXT_OPERATION = {StandardStatus.DRAFT: "publish", StandardStatus.PUBLISHED: "retire"}


def next_operation(row: StandardVersion) -> str | None:
    """The next step on `row`: "publish" a draft, "retire" a published version, None once retired."""
    return NEXT_OPERATION.get(StandardStatus(row.status))


def find_version(session, code: str, version: str) -> StandardVersion | None:
    return session.scalar(
        sa.select(StandardVersion).where(StandardVersion.code == code, StandardVersion.version == version)
    )


def current_version(
    session, code: str | None = None, kind: str | None = StandardKind.ORGANISATION
) -> StandardVersion | None:
    """The most recently published, not retired version (of `code`, or of any standard) of `kind`.

    An organisation's standard unless asked otherwise, so that a manager's application never starts on
    a personal scheme; `kind=None` looks at every kind.
    """
    statement = sa.select(StandardVersion).where(StandardVersion.status == StandardStatus.PUBLISHED.value)
    if code:
        statement = statement.where(StandardVersion.code == code)
    if kind is not None:
        statement = statement.where(StandardVersion.kind == str(kind))
    return session.scalar(statement.order_by(StandardVersion.published_at.desc()).limit(1))


def current_version_ids(session) -> set[int]:
    """The versions new applications start on: the current organisation standard and personal scheme."""
    rows = (current_version(session, kind=kind) for kind in StandardKind)
    return {row.id for row in rows if row is not None}


_parsed = ParsedBySource[Standard]()


def definition_of(row: StandardVersion) -> Standard:
    """The parsed standard of a stored version, shared; its source (deferred on the model) is read from the
    database only when this process first parses it (`certify.parsed`)."""
    return _parsed.get(
        row.source_sha256, lambda: load_standard(row.source, source_name=f"{row.code}-{row.version}.yaml")
    )


@lru_cache(maxsize=32)
def _load(source: str | bytes, source_name: str) -> Standard:
    """load_standard once per source: the same library file is installed again and again (tests, demo)."""
    return load_standard(source, source_name=source_name)


def install_library(session, names: Iterable[str] | None = None) -> list[StandardVersion]:
    """Import and publish every standard shipped in the library (or the files `names`) not installed yet.

    In file order, so that a newer version is published after the one it supersedes; organisations'
    standards before personal schemes, so that the first installed is still an organisation's (the
    benchmarks and the demo start from it).
    """
    installed = []
    paths = sorted(Path(LIBRARY).glob("*.yaml")) if names is None else [Path(LIBRARY) / n for n in names]
    sources = {path: path.read_bytes() for path in paths}
    for path in sorted(
        paths, key=lambda path: (_load(sources[path], path.name).is_person, paths.index(path))
    ):
        row = import_standard(session, sources[path], source_name=path.name)
        if row.status == StandardStatus.DRAFT:
            publish_version(session, row)
        installed.append(row)
    return installed
