"""Password hashing (Argon2id) and the password policy (OWASP ASVS 2.1)."""

from __future__ import annotations

import re
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app, has_app_context
from flask_babel import lazy_gettext as _l
from zxcvbn import zxcvbn

MIN_LENGTH = 12
MAX_LENGTH = 128
#: zxcvbn scores 0-4; below 3 the password is among common or easily guessed ones
MIN_STRENGTH = 3


def hash_password(password: str) -> str:
    """An Argon2id hash of `password` at the configured cost."""
    return _hasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """Whether `password` matches; the hash carries its own parameters, so any cost verifies."""
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """Whether the hash was made with other parameters than the configured ones (rehash it at login)."""
    return _hasher().check_needs_rehash(password_hash)


def verify_against_dummy(password: str) -> None:
    """Spend the time a real check takes, for an unknown e-mail: a failed login then takes as long either way.

    The dummy hash is made at the configured cost, so the two paths stay equal whatever the settings.
    """
    verify_password(_dummy_hash(*_parameters()), password)


def _parameters() -> tuple[int, int, int]:
    """(time cost, memory cost in KiB, parallelism) from the app's settings.

    Outside an app (a script, a test without one) argon2-cffi's own defaults: never weaker than production.
    """
    if not has_app_context():
        default = PasswordHasher()
        return default.time_cost, default.memory_cost, default.parallelism
    config = current_app.config
    return (
        config["CERTIFY_ARGON2_TIME_COST"],
        config["CERTIFY_ARGON2_MEMORY_COST"],
        config["CERTIFY_ARGON2_PARALLELISM"],
    )


def _hasher() -> PasswordHasher:
    return _hasher_for(*_parameters())


@cache
def _hasher_for(time_cost: int, memory_cost: int, parallelism: int) -> PasswordHasher:
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_cost, parallelism=parallelism)


@cache
def _dummy_hash(time_cost: int, memory_cost: int, parallelism: int) -> str:
    return _hasher_for(time_cost, memory_cost, parallelism).hash("certify-timing-equaliser")


def password_problem(password: str, *, personal: tuple[str, ...] = ()) -> str | None:
    """Why `password` is refused, in the user's language, or None when it is acceptable.

    `personal` holds the user's own e-mail and names: a password built from them is easy to guess.
    """
    if len(password) < MIN_LENGTH:
        return _l("The password must have at least %(n)d characters.", n=MIN_LENGTH)
    if len(password) > MAX_LENGTH:
        return _l("The password may have at most %(n)d characters.", n=MAX_LENGTH)
    if zxcvbn(password, user_inputs=_personal_words(personal))["score"] < MIN_STRENGTH:
        return _l(
            "This password is too common or too easy to guess. "
            "Try a longer phrase of several unrelated words."
        )
    return None


def _personal_words(personal: tuple[str, ...]) -> list[str]:
    """The user's e-mail and names, whole and in parts (`olga.vorontsova@x.org` -> `olga.vorontsova`, …)."""
    words = set()
    for text in filter(None, personal):
        local_part = text.lower().split("@")[0]
        words.update({text.lower(), local_part, *re.split(r"[\W_]+", local_part)})
    return [w for w in words if len(w) >= 3]
