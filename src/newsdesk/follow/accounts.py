"""Users, passwords, web sessions and API tokens.

Passwords are hashed with argon2id (argon2-cffi's defaults, rehashed on login
when those defaults grow). Session and API tokens are random 256-bit strings
shown once; only their SHA-256 is stored, which is enough for secrets that
cannot be guessed and lets a lookup be one indexed equality. The first user
becomes the admin; after that, accounts are made by the admin (``newsdesk
users add``) unless ``signup_open`` is set. The rows are read and written by
``newsdesk.store.accounts``; the rules are here.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection

from newsdesk.errors import AuthError, InputError, NotFoundError
from newsdesk.safe_text import clean_line
from newsdesk.store import accounts as store
from newsdesk.store.accounts import ApiToken, User

__all__ = [
    "ApiToken",
    "User",
    "authenticate",
    "create_api_token",
    "create_session",
    "create_user",
    "end_session",
    "get_user",
    "get_user_by_email",
    "list_api_tokens",
    "list_users",
    "revoke_api_token",
    "set_email",
    "set_password",
    "set_time_zone",
    "user_for_api_token",
    "user_for_session",
]

MIN_PASSWORD_CHARS = 8
TOKEN_PREFIX = "nd_"


def _hasher() -> Any:
    from argon2 import PasswordHasher

    return PasswordHasher()


MAX_PASSWORD_CHARS = 1024
MIN_PASSWORD_SCORE = 2  # zxcvbn's scale: 0 and 1 are the passwords guessed first
#: zxcvbn judges only this many characters: its matching grows faster than the length,
#: and a password this long is not among the common ones anyway.
_STRENGTH_CHARS = 64


def check_password(password: str) -> None:
    """Refuse passwords an attacker tries first: short, all blank, or among the most common.

    The common ones are judged by zxcvbn (its shipped frequency lists of
    passwords, names and words, and keyboard and sequence patterns): a score
    under 2 means under about a million guesses ("iloveyou1", "letmein123").
    """
    if len(password) < MIN_PASSWORD_CHARS:
        raise InputError(
            f"password is {len(password)} characters long",
            hint=f"use at least {MIN_PASSWORD_CHARS} characters",
        )
    if len(password) > MAX_PASSWORD_CHARS:
        raise InputError(
            f"password is {len(password)} characters long",
            hint=f"use at most {MAX_PASSWORD_CHARS} characters",
        )
    if not password.strip():
        raise InputError("the password is all blank", hint="use words or characters you can type")
    from zxcvbn import zxcvbn

    if zxcvbn(password[:_STRENGTH_CHARS])["score"] < MIN_PASSWORD_SCORE:
        raise InputError(
            "this password is among the first an attacker would try",
            hint="use a longer phrase of unrelated words",
        )


def hash_password(password: str) -> str:
    check_password(password)
    return str(_hasher().hash(password))


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def normalise_email(email: str) -> str:
    """The address in its normal form (domain in lower case), checked by email-validator.

    Syntax only: no DNS lookup (sign-up must not wait on, or leak to, a resolver).
    """
    from email_validator import EmailNotValidError, validate_email

    value = email.strip()
    try:
        checked = validate_email(value, check_deliverability=False)
    except EmailNotValidError as exc:
        shown = clean_line(value, 200)
        raise InputError(
            f"{shown!r} is not an email address: {exc}", hint="write it as name@example.org"
        ) from None
    return str(checked.normalized).lower()


def check_time_zone(name: str) -> str:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise InputError(
            f"unknown time zone {name!r}", hint="use an IANA name such as Europe/Paris or UTC"
        ) from None
    return name


def create_user(
    conn: Connection,
    email: str,
    *,
    now: datetime,
    display_name: str | None = None,
    time_zone: str = "UTC",
    password: str | None = None,
    self_signup: bool = False,
    signup_open: bool = False,
) -> User:
    """Add a user; the very first one is the admin.

    ``self_signup`` marks a request from the sign-up page rather than the
    admin: it is refused while sign-up is closed, except for the first user.
    """
    address = normalise_email(email)
    count = store.count_users(conn)
    if self_signup and count and not signup_open:
        raise AuthError("sign-up is closed", hint="ask the admin to run `newsdesk users add`")
    if store.email_taken(conn, address):
        raise InputError(f"a user with email {address} already exists")
    user_id = store.insert_user(
        conn,
        email=address,
        display_name=clean_line(display_name or "", 200).strip() or address.split("@")[0],
        time_zone=check_time_zone(time_zone),
        password_hash=hash_password(password) if password is not None else None,
        is_admin=count == 0,
        now=now,
    )
    return get_user(conn, user_id)


def get_user(conn: Connection, user_id: int) -> User:
    user = store.get_user(conn, user_id)
    if user is None:
        raise NotFoundError(f"no user with id {user_id}")
    return user


def get_user_by_email(conn: Connection, email: str) -> User:
    user = store.get_user_by_email(conn, email.strip().lower())
    if user is None:
        raise NotFoundError(f"no user with email {email}", hint="add one with `newsdesk users add`")
    return user


def list_users(conn: Connection) -> list[User]:
    return store.list_users(conn)


def set_password(conn: Connection, user_id: int, password: str) -> None:
    store.set_password_hash(conn, user_id, hash_password(password))


def set_time_zone(conn: Connection, user_id: int, time_zone: str) -> None:
    """Change the user's time zone (an IANA name, checked)."""
    store.set_time_zone(conn, user_id, check_time_zone(time_zone))


def set_email(conn: Connection, user_id: int, email: str) -> None:
    """Change the user's email address; another account's address is refused."""
    address = normalise_email(email)
    if not store.set_email(conn, user_id, address):
        raise InputError(f"a user with email {address} already exists")


def count_users(conn: Connection) -> int:
    return store.count_users(conn)


def delete_user(conn: Connection, user_id: int, *, acting_admin_id: int) -> None:
    """Remove a user and everything they own; an admin cannot remove themselves."""
    if user_id == acting_admin_id:
        raise InputError("you cannot remove your own account", hint="ask another admin")
    if not store.delete_user(conn, user_id):
        raise NotFoundError(f"no user with id {user_id}")


def verify_password(conn: Connection, user_id: int, password: str) -> bool:
    """Whether ``password`` is this user's current password."""
    from argon2.exceptions import InvalidHashError, VerificationError

    found = store.password_hash(conn, user_id)
    if found is None:
        return False
    try:
        return bool(_hasher().verify(found, password))
    except (VerificationError, InvalidHashError):
        return False


def end_user_sessions(conn: Connection, user_id: int, *, keep: str | None = None) -> None:
    """End every session of the user (after a password change), except ``keep``."""
    store.delete_sessions(conn, user_id, keep_hash=hash_token(keep) if keep else None)


def token_owner(conn: Connection, token: str, *, now: datetime) -> tuple[User, str] | None:
    """The user and the token's name for a live API token, or None (unknown or revoked)."""
    return store.api_token_owner(conn, hash_token(token), now=now)


def authenticate(conn: Connection, email: str, password: str) -> User:
    """The user with this email and password; one vague error for every failure."""
    from argon2.exceptions import InvalidHashError, VerificationError

    failure = AuthError("wrong email or password")
    found = store.credentials(conn, email.strip().lower())
    if found is None or found.password_hash is None:
        _hasher().hash("spend-the-same-time")  # no timing hint that the email is unknown
        raise failure
    hasher = _hasher()
    try:
        hasher.verify(found.password_hash, password)
    except (VerificationError, InvalidHashError):
        raise failure from None
    if hasher.check_needs_rehash(found.password_hash):
        store.set_password_hash(conn, found.user.id, hasher.hash(password))
    return found.user


# --- web sessions -------------------------------------------------------------


def create_session(conn: Connection, user_id: int, *, now: datetime, lifetime: timedelta) -> str:
    """A new session token for the user (returned once; only its hash is kept)."""
    token = secrets.token_urlsafe(32)
    store.insert_session(conn, user_id, hash_token(token), now=now, expires_at=now + lifetime)
    return token


def user_for_session(conn: Connection, token: str, *, now: datetime) -> User | None:
    """The user a live session token belongs to, or None (unknown or expired)."""
    return store.session_user(conn, hash_token(token), now=now)


def end_session(conn: Connection, token: str) -> None:
    store.delete_session(conn, hash_token(token))


# --- API tokens ---------------------------------------------------------------


def create_api_token(conn: Connection, user_id: int, name: str, *, now: datetime) -> str:
    """A new API token (``nd_...``), returned once; the store keeps its hash and a short prefix."""
    label = name.strip()
    if not label:
        raise InputError("an API token needs a name", hint="e.g. 'phone' or 'reader app'")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    store.insert_api_token(
        conn, user_id, name=label[:100], token_hash=hash_token(token), prefix=token[:10], now=now
    )
    return token


def user_for_api_token(conn: Connection, token: str, *, now: datetime) -> User | None:
    return store.api_token_user(conn, hash_token(token), now=now)


def list_api_tokens(conn: Connection, user_id: int) -> list[ApiToken]:
    """This user's tokens (never anyone else's, never the secret)."""
    return store.list_api_tokens(conn, user_id)


def revoke_api_token(conn: Connection, user_id: int, token_id: int, *, now: datetime) -> bool:
    """Revoke one of the user's tokens: True if it was live, False if revoked before.

    Another user's token id is simply "not found".
    """
    state = store.revoke_api_token(conn, user_id, token_id, now=now)
    if state == "missing":
        raise NotFoundError(f"you have no API token with id {token_id}")
    return state == "revoked"
