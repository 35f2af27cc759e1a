"""Users, their roles, and the organisations (cluster management companies) managers belong to."""

from __future__ import annotations

import secrets
from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from certify.extensions import db
from certify.timeutil import utcnow


class Role(StrEnum):
    MANAGER = "manager"
    ASSESSOR = "assessor"
    COORDINATOR = "coordinator"
    ADMIN = "admin"
    CANDIDATE = "candidate"


class PriorityField(StrEnum):
    """The four priority fields of the 2016 recommendation."""

    URBAN_ENERGY_EFFICIENCY = "urban_energy_efficiency"
    WATER = "water"
    SUSTAINABLE_CONSTRUCTION = "sustainable_construction"
    ENVIRONMENT_AND_WASTE = "environment_and_waste"


def new_session_token() -> str:
    return secrets.token_urlsafe(24)


class Organisation(db.Model):
    """The specialised organisation (management company) that runs a cluster."""

    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name_ru: Mapped[str] = mapped_column(sa.String(300))
    name_en: Mapped[str] = mapped_column(sa.String(300))
    #: state registration number (OGRN in Russia, the company code elsewhere)
    registration_number: Mapped[str] = mapped_column(sa.String(64), unique=True)
    #: ISO 3166-1 alpha-2
    country: Mapped[str] = mapped_column(sa.String(2))
    region: Mapped[str] = mapped_column(sa.String(200))
    cluster_name_ru: Mapped[str] = mapped_column(sa.String(300))
    cluster_name_en: Mapped[str] = mapped_column(sa.String(300))
    #: free-text description of the cluster's specialisation
    specialisation: Mapped[str] = mapped_column(sa.Text, default="")
    #: values of PriorityField the cluster works in
    priority_fields: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    members: Mapped[list[User]] = relationship(back_populates="organisation")

    def name(self, locale: str) -> str:
        return self.name_en if locale.startswith("en") else self.name_ru


class UserRole(db.Model):
    __tablename__ = "user_roles"

    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    role: Mapped[str] = mapped_column(sa.String(20), primary_key=True)


class User(db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: stored lower-cased, so that look-ups and uniqueness ignore case
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    full_name_ru: Mapped[str] = mapped_column(sa.String(200))
    full_name_en: Mapped[str] = mapped_column(sa.String(200), default="")
    #: preferred language for the UI and e-mails
    locale: Mapped[str] = mapped_column(sa.String(5), default="ru")
    active: Mapped[bool] = mapped_column(default=True)
    email_confirmed_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    #: part of every session cookie; replacing it ends all of the user's sessions at once
    session_token: Mapped[str] = mapped_column(sa.String(64), default=new_session_token)
    organisation_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisations.id"))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))

    organisation: Mapped[Organisation | None] = relationship(back_populates="members")
    role_rows: Mapped[list[UserRole]] = relationship(cascade="all, delete-orphan", lazy="selectin")

    # Flask-Login protocol
    is_authenticated = True
    is_anonymous = False

    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"

    @property
    def roles(self) -> frozenset[Role]:
        return frozenset(Role(row.role) for row in self.role_rows)

    def has_role(self, *roles: Role) -> bool:
        return bool(self.roles.intersection(roles))

    def full_name(self, locale: str) -> str:
        return self.full_name_en if locale.startswith("en") and self.full_name_en else self.full_name_ru


class ApiToken(db.Model):
    """A personal API token: its owner reads the API with it, within its scopes (certify.accounts.api_tokens).

    Only a hash of the secret is stored; the secret is shown once, when the token is made.
    """

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    #: what the owner calls it ("ministry report script")
    name: Mapped[str] = mapped_column(sa.String(100))
    #: the secret's first characters, shown so the owner can tell their tokens apart; not enough to use one
    prefix: Mapped[str] = mapped_column(sa.String(16))
    #: SHA-256 (hex) of the whole secret: a high-entropy secret needs no slow hash, and look-up is by it
    secret_sha256: Mapped[str] = mapped_column(sa.String(64), unique=True)
    #: values of certify.accounts.api_tokens.Scope
    scopes: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    #: None: valid until revoked
    expires_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    #: to the minute: the use is written (and audited) at most once a minute per token
    last_used_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))

    user: Mapped[User] = relationship()
