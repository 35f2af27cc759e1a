"""Versions of standards as stored: the YAML source is the record; the parsed form is derived from it."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Mapped, mapped_column

from certify.extensions import db
from certify.standards.attestation import StandardKind
from certify.timeutil import utcnow


class StandardStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    #: no new applications; existing ones stay pinned to it
    RETIRED = "retired"


class PublishedVersionChanged(Exception):
    """Raised by the database layer itself when something tries to rewrite a published version."""


class StandardVersion(db.Model):
    __tablename__ = "standard_versions"
    __table_args__ = (sa.UniqueConstraint("code", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(40))
    version: Mapped[str] = mapped_column(sa.String(20))
    status: Mapped[str] = mapped_column(sa.String(12), default=StandardStatus.DRAFT.value)
    #: who the version certifies: an organisation, or a person (a personal attestation scheme); a
    #: manager's application is only ever started on an organisation's standard
    kind: Mapped[str] = mapped_column(
        sa.String(12),
        default=StandardKind.ORGANISATION.value,
        server_default=StandardKind.ORGANISATION.value,
    )
    title_ru: Mapped[str] = mapped_column(sa.String(300))
    title_en: Mapped[str] = mapped_column(sa.String(300))
    #: the YAML file exactly as imported; everything else about the version is derived from it
    #: deferred: read once per process, when the version is first parsed (`services.definition_of`)
    source: Mapped[str] = mapped_column(sa.Text, deferred=True)
    source_sha256: Mapped[str] = mapped_column(sa.String(64))
    imported_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    imported_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    published_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    retired_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))

    @property
    def label(self) -> str:
        return f"{self.code} {self.version}"

    def title(self, locale: str) -> str:
        return self.title_en if locale.startswith("en") else self.title_ru

    @property
    def is_person(self) -> bool:
        return self.kind == StandardKind.PERSON


@event.listens_for(StandardVersion, "before_update")
def _refuse_rewriting_published_versions(mapper, connection, target: StandardVersion) -> None:
    """Published versions are immutable: whatever path a change takes, it stops here."""
    history = sa.inspect(target).attrs
    frozen = ("code", "version", "kind", "source", "source_sha256", "title_ru", "title_en")
    old_status = history.status.history.deleted
    was_draft = old_status and old_status[0] == StandardStatus.DRAFT.value
    if target.status != StandardStatus.DRAFT.value and not was_draft:
        changed = [name for name in frozen if history[name].history.has_changes()]
        if changed:
            raise PublishedVersionChanged(f"{target.label}: {', '.join(changed)} of a published version")
