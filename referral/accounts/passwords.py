"""Password hashing (argon2id) and the password rules of OWASP ASVS 4.0, V2.1.

Rules: at least 12 characters, up to 128 accepted (at least 64 must be), any
characters including spaces and Unicode, not on the list of common passwords, and
no composition rules (no "must contain a digit"). The common-password list ships
with the package (data/README.md says where it comes from).
"""

from __future__ import annotations

import gzip
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

MIN_LENGTH = 12
# ASVS 2.1.2 asks that at least 64 characters are allowed; longer passphrases are
# fine too, but a cap keeps a megabyte "password" from tying up the hasher.
MAX_LENGTH = 128
COMMON_PASSWORDS_FILE = Path(__file__).parent / "data" / "common-passwords.txt.gz"

# argon2-cffi's defaults follow RFC 9106's second recommended option (argon2id,
# 64 MiB, 3 passes); they hash in tens of milliseconds here.
_hasher = PasswordHasher()


@dataclass(frozen=True)
class PasswordProblem:
    code: str
    message: str


def normalize(password: str) -> str:
    """NFKC, so the same passphrase typed on different keyboards matches (ASVS 2.1.1)."""
    return unicodedata.normalize("NFKC", password)


@cache
def common_passwords() -> frozenset[str]:
    with gzip.open(COMMON_PASSWORDS_FILE, "rt", encoding="utf-8") as handle:
        return frozenset(line.strip().lower() for line in handle if line.strip())


def problems(password: str, *, email: str | None = None) -> list[PasswordProblem]:
    """What is wrong with ``password`` as a new password; empty when it is acceptable."""
    password = normalize(password)
    found = []
    if len(password) < MIN_LENGTH:
        found.append(PasswordProblem("too_short", f"Use at least {MIN_LENGTH} characters."))
    if len(password) > MAX_LENGTH:
        found.append(PasswordProblem("too_long", f"Use at most {MAX_LENGTH} characters."))
    lowered = password.lower()
    if lowered in common_passwords() or _is_repeated_common(lowered):
        found.append(PasswordProblem("common", "This password is too common; choose another."))
    if email and lowered in {email.lower(), email.split("@")[0].lower()}:
        found.append(PasswordProblem("email", "Do not use your email address as password."))
    return found


def _is_repeated_common(lowered: str) -> bool:
    """'passwordpassword' is as guessable as 'password'."""
    for size in range(1, len(lowered) // 2 + 1):
        if len(lowered) % size == 0 and lowered[:size] * (len(lowered) // size) == lowered:
            return lowered[:size] in common_passwords() or size == 1
    return False


def hash_password(password: str) -> str:
    return _hasher.hash(normalize(password))


def verify_password(password_hash: str, password: str) -> bool:
    if len(password) > MAX_LENGTH * 4:
        return False
    try:
        return _hasher.verify(password_hash, normalize(password))
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


# Verified against when the email is unknown, so that a failed login takes as long
# whether or not the account exists (ASVS 2.2 / 3.x account enumeration).
@cache
def dummy_hash() -> str:
    return _hasher.hash("not a real password, only for timing")
