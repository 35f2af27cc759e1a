"""Password hashing (Argon2id) and the password policy (OWASP ASVS 2.1)."""

from __future__ import annotations

import re

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask_babel import lazy_gettext as _l
from zxcvbn import zxcvbn

MIN_LENGTH = 12
MAX_LENGTH = 128
#: zxcvbn scores 0-4; below 3 the password is among common or easily guessed ones
MIN_STRENGTH = 3

_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


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
