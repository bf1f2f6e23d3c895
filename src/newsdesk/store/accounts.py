"""Accounts in the store: users, web sessions and API tokens.

Only the SQL is here; the rules (password hashing, who may sign up, token
format) are the follow stage's (``newsdesk.follow.accounts``). Secrets arrive
already hashed: this module never sees a password or a token.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

from sqlalchemy import Connection, Row, func, select

from newsdesk.store.tables.accounts import api_tokens, sessions, users

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

    def to_dict(self) -> dict[str, Any]:
        """The token as ``tokens list`` shows it: never the secret, nor its hash."""
        return {
            "id": self.id,
            "name": self.name,
            "prefix": self.prefix,
            "revoked": self.revoked,
            "created_at": self.created_at.isoformat(),
        }


@dataclass(frozen=True, slots=True)
class Credentials:
    """A user and their stored password hash (None: may sign in by token only)."""

    user: User
    password_hash: str | None


def _user(row: Row[Any]) -> User:
    m = row._mapping
    return User(
        int(m["id"]),
        str(m["email"]),
        str(m["display_name"]),
        str(m["time_zone"]),
        bool(m["is_admin"]),
        m["created_at"],
    )


def count_users(conn: Connection) -> int:
    return int(conn.execute(select(func.count()).select_from(users)).scalar_one())


def email_taken(conn: Connection, email: str) -> bool:
    return conn.execute(select(users.c.id).where(users.c.email == email)).first() is not None


def insert_user(
    conn: Connection,
    *,
    email: str,
    display_name: str,
    time_zone: str,
    password_hash: str | None,
    is_admin: bool,
    now: datetime,
) -> int:
    key = conn.execute(
        users.insert().values(
            email=email,
            display_name=display_name,
            time_zone=time_zone,
            password_hash=password_hash,
            is_admin=is_admin,
            created_at=now,
        )
    ).inserted_primary_key
    assert key is not None
    return int(key[0])


def get_user(conn: Connection, user_id: int) -> User | None:
    row = conn.execute(select(users).where(users.c.id == user_id)).first()
    return None if row is None else _user(row)


def get_user_by_email(conn: Connection, email: str) -> User | None:
    row = conn.execute(select(users).where(users.c.email == email)).first()
    return None if row is None else _user(row)


def credentials(conn: Connection, email: str) -> Credentials | None:
    row = conn.execute(select(users).where(users.c.email == email)).first()
    return None if row is None else Credentials(_user(row), row.password_hash)


def list_users(conn: Connection) -> list[User]:
    return [_user(r) for r in conn.execute(select(users).order_by(users.c.id))]


def set_password_hash(conn: Connection, user_id: int, password_hash: str) -> None:
    conn.execute(users.update().where(users.c.id == user_id).values(password_hash=password_hash))


# --- web sessions -------------------------------------------------------------


def insert_session(
    conn: Connection, user_id: int, token_hash: str, *, now: datetime, expires_at: datetime
) -> None:
    conn.execute(
        sessions.insert().values(
            user_id=user_id,
            token_hash=token_hash,
            created_at=now,
            expires_at=expires_at,
            last_seen_at=now,
        )
    )


def session_user(conn: Connection, token_hash: str, *, now: datetime) -> User | None:
    """The user of a live session (its last-seen time moved to ``now`` when stale), or None."""
    row = conn.execute(
        select(
            users,
            sessions.c.id.label("session_id"),
            sessions.c.expires_at,
            sessions.c.last_seen_at,
        )
        .join(sessions, sessions.c.user_id == users.c.id)
        .where(sessions.c.token_hash == token_hash)
    ).first()
    if row is None or row.expires_at <= now:
        return None
    # At most one write per session every few minutes: a page view stays a read (on
    # SQLite every write takes the database's one write lock).
    if row.last_seen_at is None or now - row.last_seen_at >= SEEN_EVERY:
        conn.execute(
            sessions.update().where(sessions.c.id == row.session_id).values(last_seen_at=now)
        )
    return _user(row)


def delete_session(conn: Connection, token_hash: str) -> None:
    conn.execute(sessions.delete().where(sessions.c.token_hash == token_hash))


# --- API tokens ---------------------------------------------------------------


def insert_api_token(
    conn: Connection, user_id: int, *, name: str, token_hash: str, prefix: str, now: datetime
) -> None:
    conn.execute(
        api_tokens.insert().values(
            user_id=user_id, name=name, token_hash=token_hash, prefix=prefix, created_at=now
        )
    )


def api_token_user(conn: Connection, token_hash: str, *, now: datetime) -> User | None:
    """The user of a live (unrevoked) API token (its last use moved to ``now``), or None."""
    row = conn.execute(
        select(users, api_tokens.c.id.label("token_id"))
        .join(api_tokens, api_tokens.c.user_id == users.c.id)
        .where(api_tokens.c.token_hash == token_hash, api_tokens.c.revoked_at.is_(None))
    ).first()
    if row is None:
        return None
    conn.execute(
        api_tokens.update().where(api_tokens.c.id == row.token_id).values(last_used_at=now)
    )
    return _user(row)


def list_api_tokens(conn: Connection, user_id: int) -> list[ApiToken]:
    rows = conn.execute(
        select(api_tokens).where(api_tokens.c.user_id == user_id).order_by(api_tokens.c.id)
    )
    return [
        ApiToken(
            int(r.id), r.name, r.prefix, r.created_at, r.last_used_at, r.revoked_at is not None
        )
        for r in rows
    ]


def revoke_api_token(
    conn: Connection, user_id: int, token_id: int, *, now: datetime
) -> Literal["revoked", "already revoked", "missing"]:
    """Revoke one of the user's tokens; a token revoked before keeps its first revocation time."""
    result = conn.execute(
        api_tokens.update()
        .where(
            api_tokens.c.id == token_id,
            api_tokens.c.user_id == user_id,
            api_tokens.c.revoked_at.is_(None),
        )
        .values(revoked_at=now)
    )
    if result.rowcount:
        return "revoked"
    exists = conn.execute(
        select(api_tokens.c.id).where(api_tokens.c.id == token_id, api_tokens.c.user_id == user_id)
    ).first()
    return "already revoked" if exists is not None else "missing"


def api_token_owner(conn: Connection, token_hash: str, *, now: datetime) -> tuple[User, str] | None:
    """The user and the name of a live API token (its last use moved to ``now``), or None."""
    row = conn.execute(
        select(users, api_tokens.c.id.label("token_id"), api_tokens.c.name.label("token_name"))
        .join(api_tokens, api_tokens.c.user_id == users.c.id)
        .where(api_tokens.c.token_hash == token_hash, api_tokens.c.revoked_at.is_(None))
    ).first()
    if row is None:
        return None
    conn.execute(
        api_tokens.update().where(api_tokens.c.id == row.token_id).values(last_used_at=now)
    )
    return _user(row), str(row.token_name)


def set_time_zone(conn: Connection, user_id: int, time_zone: str) -> None:
    conn.execute(users.update().where(users.c.id == user_id).values(time_zone=time_zone))


def set_email(conn: Connection, user_id: int, email: str) -> bool:
    """Change a user's address; False when another user has it already."""
    taken = conn.execute(
        select(users.c.id).where(users.c.email == email, users.c.id != user_id)
    ).first()
    if taken is not None:
        return False
    conn.execute(users.update().where(users.c.id == user_id).values(email=email))
    return True


def delete_user(conn: Connection, user_id: int) -> bool:
    """Remove a user (what they own goes with them, by cascade); False when there is none."""
    return bool(conn.execute(users.delete().where(users.c.id == user_id)).rowcount)


def password_hash(conn: Connection, user_id: int) -> str | None:
    row = conn.execute(select(users.c.password_hash).where(users.c.id == user_id)).first()
    return None if row is None else row.password_hash


def delete_sessions(conn: Connection, user_id: int, *, keep_hash: str | None = None) -> None:
    """End every session of a user, except the one whose token hashes to ``keep_hash``."""
    query = sessions.delete().where(sessions.c.user_id == user_id)
    if keep_hash is not None:
        query = query.where(sessions.c.token_hash != keep_hash)
    conn.execute(query)
