"""The follow stage's use cases, each owning its transaction: what a face calls.

A command line, a web form and an API route all ask for the same things:
add a user, make a token, follow or mute something, check Following. Each is
one function here that names the user by email (or id), opens one
transaction on the given ``Database`` (the configured one when none is given)
and returns a record. The rules themselves live in ``accounts`` and
``follows``; this module only puts each use case in one place.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Connection

from newsdesk.follow import accounts, follows
from newsdesk.follow.following import mark_following_checked
from newsdesk.store.accounts import ApiToken, User
from newsdesk.store.db import Database, open_database
from newsdesk.store.records import Follow, Mute, Target


def _db(db: Database | None) -> Database:
    return db if db is not None else open_database()


def _now(now: datetime | None) -> datetime:
    return now if now is not None else datetime.now(UTC)


def user_id(conn: Connection, email: str) -> int:
    """The id of the user with ``email`` (NotFoundError naming the email otherwise)."""
    return accounts.get_user_by_email(conn, email).id


def add_user(
    email: str,
    *,
    display_name: str | None = None,
    time_zone: str = "UTC",
    password: str | None = None,
    db: Database | None = None,
    now: datetime | None = None,
) -> User:
    """Add a user (the first one is the admin)."""
    with _db(db).begin() as conn:
        return accounts.create_user(
            conn,
            email,
            now=_now(now),
            display_name=display_name,
            time_zone=time_zone,
            password=password,
        )


def list_users(*, db: Database | None = None) -> list[User]:
    with _db(db).connect() as conn:
        return accounts.list_users(conn)


def add_api_token(
    email: str, name: str, *, db: Database | None = None, now: datetime | None = None
) -> str:
    """A new API token for the user, returned once."""
    with _db(db).begin() as conn:
        return accounts.create_api_token(conn, user_id(conn, email), name, now=_now(now))


def list_api_tokens(email: str, *, db: Database | None = None) -> list[ApiToken]:
    with _db(db).connect() as conn:
        return accounts.list_api_tokens(conn, user_id(conn, email))


def revoke_api_token(
    email: str, token_id: int, *, db: Database | None = None, now: datetime | None = None
) -> bool:
    """Revoke a token: True if it was live, False if it was revoked already (a no-op)."""
    with _db(db).begin() as conn:
        return accounts.revoke_api_token(conn, user_id(conn, email), token_id, now=_now(now))


def follow(
    email: str,
    kind: str,
    value: str,
    *,
    window: timedelta,
    db: Database | None = None,
    now: datetime | None = None,
) -> Follow:
    """Follow something; what was published in the last ``window`` starts out new."""
    with _db(db).begin() as conn:
        return follows.follow(conn, user_id(conn, email), kind, value, now=_now(now), window=window)


def follow_noted(
    email: str,
    kind: str,
    value: str,
    *,
    window: timedelta,
    db: Database | None = None,
    now: datetime | None = None,
) -> tuple[Follow, str | None]:
    """Follow something, with a note on whom a short name matched or that nothing names it yet."""
    with _db(db).begin() as conn:
        uid = user_id(conn, email)
        made = follows.follow(conn, uid, kind, value, now=_now(now), window=window)
        note = follows.follow_note(
            conn, made.kind, value, Target(made.kind, made.target, made.label)
        )
    return made, note


def unfollow(email: str, kind: str, value: str, *, db: Database | None = None) -> None:
    with _db(db).begin() as conn:
        follows.unfollow(conn, user_id(conn, email), kind, value)


def mute(
    email: str, kind: str, value: str, *, db: Database | None = None, now: datetime | None = None
) -> Mute:
    with _db(db).begin() as conn:
        return follows.mute(conn, user_id(conn, email), kind, value, now=_now(now))


def unmute(email: str, kind: str, value: str, *, db: Database | None = None) -> None:
    with _db(db).begin() as conn:
        follows.unmute(conn, user_id(conn, email), kind, value)


def check_following(
    email: str,
    *,
    upto_article_id: int,
    db: Database | None = None,
    now: datetime | None = None,
) -> int:
    """Mark every follow of the user checked up to the newest article their view showed."""
    with _db(db).begin() as conn:
        return mark_following_checked(
            conn, user_id(conn, email), upto_article_id=upto_article_id, now=_now(now)
        )
