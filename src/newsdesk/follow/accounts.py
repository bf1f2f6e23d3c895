"""Users, passwords, web sessions and API tokens.

Passwords are hashed with argon2id (argon2-cffi's defaults, rehashed on login
when those defaults grow). Session and API tokens are random 256-bit strings
shown once; only their SHA-256 is stored, which is enough for secrets that
cannot be guessed and lets a lookup be one indexed equality. The first user
becomes the admin; after that, accounts are made by the admin (``newsdesk
users add``) unless ``signup_open`` is set.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, func, select

from newsdesk.errors import AuthError, InputError, NotFoundError
from newsdesk.store.tables.accounts import api_tokens, sessions, users

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MIN_PASSWORD_CHARS = 8
TOKEN_PREFIX = "nd_"
#: How stale a session's last_seen_at may get before a request refreshes it.
SEEN_EVERY = timedelta(minutes=5)


@dataclass(frozen=True, slots=True)
class User:
    id: int
    email: str
    display_name: str
    time_zone: str
    is_admin: bool
    created_at: datetime

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "email": self.email,
            "display_name": self.display_name,
            "time_zone": self.time_zone,
            "is_admin": self.is_admin,
            "created_at": self.created_at.isoformat(),
        }


@dataclass(frozen=True, slots=True)
class ApiToken:
    id: int
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    revoked: bool


def _hasher() -> Any:
    from argon2 import PasswordHasher

    return PasswordHasher()


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_CHARS:
        raise InputError(
            f"password is {len(password)} characters long",
            hint=f"use at least {MIN_PASSWORD_CHARS} characters",
        )
    return str(_hasher().hash(password))


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def normalise_email(email: str) -> str:
    value = email.strip().lower()
    if not _EMAIL.match(value):
        raise InputError(f"{email!r} is not an email address", hint="write it as name@example.org")
    return value


def check_time_zone(name: str) -> str:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise InputError(
            f"unknown time zone {name!r}", hint="use an IANA name such as Europe/Paris or UTC"
        ) from None
    return name


def _user(row: Any) -> User:
    return User(
        int(row.id), row.email, row.display_name, row.time_zone, bool(row.is_admin), row.created_at
    )


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
    count = int(conn.execute(select(func.count()).select_from(users)).scalar_one())
    if self_signup and count and not signup_open:
        raise AuthError("sign-up is closed", hint="ask the admin to run `newsdesk users add`")
    if conn.execute(select(users.c.id).where(users.c.email == address)).first() is not None:
        raise InputError(f"a user with email {address} already exists")
    values = {
        "email": address,
        "display_name": (display_name or address.split("@")[0]).strip()[:200],
        "time_zone": check_time_zone(time_zone),
        "password_hash": hash_password(password) if password is not None else None,
        "is_admin": count == 0,
        "created_at": now,
    }
    key = conn.execute(users.insert().values(**values)).inserted_primary_key
    assert key is not None
    user_id = int(key[0])
    return get_user(conn, user_id)


def get_user(conn: Connection, user_id: int) -> User:
    row = conn.execute(select(users).where(users.c.id == user_id)).first()
    if row is None:
        raise NotFoundError(f"no user with id {user_id}")
    return _user(row)


def get_user_by_email(conn: Connection, email: str) -> User:
    row = conn.execute(select(users).where(users.c.email == email.strip().lower())).first()
    if row is None:
        raise NotFoundError(f"no user with email {email}", hint="add one with `newsdesk users add`")
    return _user(row)


def list_users(conn: Connection) -> list[User]:
    return [_user(r) for r in conn.execute(select(users).order_by(users.c.id))]


def set_password(conn: Connection, user_id: int, password: str) -> None:
    conn.execute(
        users.update().where(users.c.id == user_id).values(password_hash=hash_password(password))
    )


def set_time_zone(conn: Connection, user_id: int, time_zone: str) -> None:
    """Change the user's time zone (an IANA name, checked)."""
    conn.execute(
        users.update().where(users.c.id == user_id).values(time_zone=check_time_zone(time_zone))
    )


def set_email(conn: Connection, user_id: int, email: str) -> None:
    """Change the user's email address; another account's address is refused."""
    address = normalise_email(email)
    taken = conn.execute(
        select(users.c.id).where(users.c.email == address, users.c.id != user_id)
    ).first()
    if taken is not None:
        raise InputError(f"a user with email {address} already exists")
    conn.execute(users.update().where(users.c.id == user_id).values(email=address))


def count_users(conn: Connection) -> int:
    return int(conn.execute(select(func.count()).select_from(users)).scalar_one())


def delete_user(conn: Connection, user_id: int, *, acting_admin_id: int) -> None:
    """Remove a user and everything they own; an admin cannot remove themselves."""
    if user_id == acting_admin_id:
        raise InputError("you cannot remove your own account", hint="ask another admin")
    result = conn.execute(users.delete().where(users.c.id == user_id))
    if result.rowcount == 0:
        raise NotFoundError(f"no user with id {user_id}")


def verify_password(conn: Connection, user_id: int, password: str) -> bool:
    """Whether ``password`` is this user's current password."""
    from argon2.exceptions import InvalidHashError, VerificationError

    row = conn.execute(select(users.c.password_hash).where(users.c.id == user_id)).first()
    if row is None or row.password_hash is None:
        return False
    try:
        return bool(_hasher().verify(row.password_hash, password))
    except (VerificationError, InvalidHashError):
        return False


def end_user_sessions(conn: Connection, user_id: int, *, keep: str | None = None) -> None:
    """End every session of the user (after a password change), except ``keep``."""
    query = sessions.delete().where(sessions.c.user_id == user_id)
    if keep is not None:
        query = query.where(sessions.c.token_hash != hash_token(keep))
    conn.execute(query)


def authenticate(conn: Connection, email: str, password: str) -> User:
    """The user with this email and password; one vague error for every failure."""
    from argon2.exceptions import InvalidHashError, VerificationError

    failure = AuthError("wrong email or password")
    row = conn.execute(select(users).where(users.c.email == email.strip().lower())).first()
    if row is None or row.password_hash is None:
        _hasher().hash("spend-the-same-time")  # no timing hint that the email is unknown
        raise failure
    hasher = _hasher()
    try:
        hasher.verify(row.password_hash, password)
    except (VerificationError, InvalidHashError):
        raise failure from None
    if hasher.check_needs_rehash(row.password_hash):
        conn.execute(
            users.update().where(users.c.id == row.id).values(password_hash=hasher.hash(password))
        )
    return _user(row)


# --- web sessions -------------------------------------------------------------


def create_session(conn: Connection, user_id: int, *, now: datetime, lifetime: timedelta) -> str:
    """A new session token for the user (returned once; only its hash is kept)."""
    token = secrets.token_urlsafe(32)
    conn.execute(
        sessions.insert().values(
            user_id=user_id,
            token_hash=hash_token(token),
            created_at=now,
            expires_at=now + lifetime,
            last_seen_at=now,
        )
    )
    return token


def user_for_session(conn: Connection, token: str, *, now: datetime) -> User | None:
    """The user a live session token belongs to, or None (unknown or expired)."""
    row = conn.execute(
        select(
            users,
            sessions.c.id.label("session_id"),
            sessions.c.expires_at,
            sessions.c.last_seen_at,
        )
        .join(sessions, sessions.c.user_id == users.c.id)
        .where(sessions.c.token_hash == hash_token(token))
    ).first()
    if row is None or row.expires_at <= now:
        return None
    # At most one write per session every few minutes: a page view is a read, and on
    # SQLite every write takes the database's one write lock.
    if row.last_seen_at is None or now - row.last_seen_at >= SEEN_EVERY:
        conn.execute(
            sessions.update().where(sessions.c.id == row.session_id).values(last_seen_at=now)
        )
    return _user(row)


def end_session(conn: Connection, token: str) -> None:
    conn.execute(sessions.delete().where(sessions.c.token_hash == hash_token(token)))


# --- API tokens ---------------------------------------------------------------


def create_api_token(conn: Connection, user_id: int, name: str, *, now: datetime) -> str:
    """A new API token (``nd_...``), returned once; the store keeps its hash and a short prefix."""
    label = name.strip()
    if not label:
        raise InputError("an API token needs a name", hint="e.g. 'phone' or 'reader app'")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    conn.execute(
        api_tokens.insert().values(
            user_id=user_id,
            name=label[:100],
            token_hash=hash_token(token),
            prefix=token[:10],
            created_at=now,
        )
    )
    return token


def user_for_api_token(conn: Connection, token: str, *, now: datetime) -> User | None:
    row = conn.execute(
        select(users, api_tokens.c.id.label("token_id"))
        .join(api_tokens, api_tokens.c.user_id == users.c.id)
        .where(api_tokens.c.token_hash == hash_token(token), api_tokens.c.revoked_at.is_(None))
    ).first()
    if row is None:
        return None
    conn.execute(
        api_tokens.update().where(api_tokens.c.id == row.token_id).values(last_used_at=now)
    )
    return _user(row)


def token_owner(conn: Connection, token: str, *, now: datetime) -> tuple[User, str] | None:
    """The user and the token's name for a live API token, or None (unknown or revoked)."""
    row = conn.execute(
        select(users, api_tokens.c.id.label("token_id"), api_tokens.c.name.label("token_name"))
        .join(api_tokens, api_tokens.c.user_id == users.c.id)
        .where(api_tokens.c.token_hash == hash_token(token), api_tokens.c.revoked_at.is_(None))
    ).first()
    if row is None:
        return None
    conn.execute(
        api_tokens.update().where(api_tokens.c.id == row.token_id).values(last_used_at=now)
    )
    return _user(row), str(row.token_name)


def list_api_tokens(conn: Connection, user_id: int) -> list[ApiToken]:
    """This user's tokens (never anyone else's, never the secret)."""
    rows = conn.execute(
        select(api_tokens).where(api_tokens.c.user_id == user_id).order_by(api_tokens.c.id)
    )
    return [
        ApiToken(
            int(r.id), r.name, r.prefix, r.created_at, r.last_used_at, r.revoked_at is not None
        )
        for r in rows
    ]


def revoke_api_token(conn: Connection, user_id: int, token_id: int, *, now: datetime) -> None:
    """Revoke one of the user's tokens; another user's token id is simply "not found"."""
    result = conn.execute(
        api_tokens.update()
        .where(api_tokens.c.id == token_id, api_tokens.c.user_id == user_id)
        .values(revoked_at=now)
    )
    if result.rowcount == 0:
        raise NotFoundError(f"you have no API token with id {token_id}")
