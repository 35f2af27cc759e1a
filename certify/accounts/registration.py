"""Self-registration of a cluster manager with their organisation.

The answer must not tell whether the address already has an account (issue 12, finding 10): a known
address gets the same page, after the same work, as a new one. Nothing of the account changes; its
owner is told by e-mail that someone tried, with the ways in that they may need.
"""

from __future__ import annotations

from certify.accounts import services
from certify.accounts.models import Role, User
from certify.accounts.organisations import check_registration_number_free, register_organisation
from certify.accounts.passwords import hash_password
from certify.audit import services as audit
from certify.outbox.services import queue_mail
from certify.web.urls import external_url


def register_manager(
    session,
    *,
    organisation: dict,
    email: str,
    password: str,
    full_name_ru: str,
    full_name_en: str,
    locale: str,
) -> User | None:
    """A new manager of a new organisation, unconfirmed until the e-mail link; None for a known address.

    What is refused whatever the address (a registered organisation, a weak password) is refused
    first, so a refusal says nothing of the address either. The password is hashed on both paths.
    """
    email = services.normalise_email(email)
    check_registration_number_free(session, organisation["registration_number"])
    services.check_password_policy(password, email, full_name_ru, full_name_en)
    password_hash = hash_password(password)  # for a known address too: the answer takes as long
    owner = services.find_user(session, email)
    if owner is not None:
        warn_owner(session, owner)
        return None
    user = services.add_user(
        session,
        email=email,
        password_hash=password_hash,
        full_name_ru=full_name_ru,
        full_name_en=full_name_en,
        roles=[Role.MANAGER],
        organisation=register_organisation(session, **organisation),
        locale=locale,
    )
    services.record_created(session, user, actor=user)
    services.send_confirmation(session, user)
    return user


def warn_owner(session, owner: User) -> None:
    """Tell the owner of an address that someone tried to register with it, in the owner's language.

    Recorded in the audit trail too, as the new account would have been.
    """
    queue_mail(
        session,
        owner.email,
        "registration_attempt",
        locale=owner.locale,
        user=owner,
        login_link=external_url("accounts.login"),
        reset_link=external_url("accounts.forgot_password"),
    )
    audit.record(
        session,
        actor="anonymous",
        action="account.registration_attempted",
        subject_type="user",
        subject_id=owner.id,
    )
