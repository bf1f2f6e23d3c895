"""Accounts on both engines: users, argon2 passwords, sessions and API tokens stored hashed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from newsdesk.errors import AuthError, InputError, NotFoundError
from newsdesk.follow import accounts
from newsdesk.store.tables import api_tokens, sessions, users

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


def test_first_user_is_admin_and_later_ones_are_not(db) -> None:
    with db.begin() as conn:
        first = accounts.create_user(conn, "Noor@Example.org", now=NOW, display_name="Noor")
        second = accounts.create_user(conn, "ilse@example.org", now=NOW, time_zone="Europe/Oslo")
    assert (first.email, first.is_admin, first.display_name) == ("noor@example.org", True, "Noor")
    assert (second.is_admin, second.time_zone, second.display_name) == (
        False,
        "Europe/Oslo",
        "ilse",
    )


def test_passwords_are_argon2_hashes_and_verify(db) -> None:
    with db.begin() as conn:
        accounts.create_user(conn, "noor@example.org", now=NOW, password="correct horse")
        stored = conn.execute(select(users.c.password_hash)).scalar_one()
        assert stored.startswith("$argon2id$") and "correct horse" not in stored
        assert (
            accounts.authenticate(conn, "NOOR@example.org", "correct horse").email
            == "noor@example.org"
        )
        with pytest.raises(AuthError, match="wrong email or password"):
            accounts.authenticate(conn, "noor@example.org", "wrong horse")
        with pytest.raises(AuthError, match="wrong email or password"):
            accounts.authenticate(conn, "nobody@example.org", "correct horse")


def test_sign_up_is_closed_by_default_except_for_the_first_user(db) -> None:
    with db.begin() as conn:
        accounts.create_user(conn, "first@example.org", now=NOW, self_signup=True)
        with pytest.raises(AuthError, match="sign-up is closed"):
            accounts.create_user(conn, "second@example.org", now=NOW, self_signup=True)
        accounts.create_user(
            conn, "second@example.org", now=NOW, self_signup=True, signup_open=True
        )
        accounts.create_user(conn, "third@example.org", now=NOW)  # the admin's way
    with db.connect() as conn:
        assert [u.email for u in accounts.list_users(conn)] == [
            "first@example.org",
            "second@example.org",
            "third@example.org",
        ]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"email": "not-an-address"}, "not an email address"),
        ({"email": "a@example.org", "time_zone": "Mars/Olympus"}, "unknown time zone"),
        ({"email": "a@example.org", "password": "short"}, "at least 8 characters"),
    ],
)
def test_bad_account_input_is_refused_and_nothing_is_written(db, kwargs, message) -> None:
    options = dict(kwargs)
    email = options.pop("email")
    with pytest.raises(InputError, match=message), db.begin() as conn:
        accounts.create_user(conn, email, now=NOW, **options)
    with db.connect() as conn:
        assert accounts.list_users(conn) == []


def test_duplicate_email_is_refused(db) -> None:
    with db.begin() as conn:
        accounts.create_user(conn, "noor@example.org", now=NOW)
    with pytest.raises(InputError, match="already exists"), db.begin() as conn:
        accounts.create_user(conn, "NOOR@example.org", now=NOW)


def test_sessions_are_stored_hashed_and_expire(db) -> None:
    with db.begin() as conn:
        user = accounts.create_user(conn, "noor@example.org", now=NOW)
        token = accounts.create_session(conn, user.id, now=NOW, lifetime=timedelta(days=1))
        stored = conn.execute(select(sessions.c.token_hash)).scalar_one()
    assert token not in stored and stored == accounts.hash_token(token)
    with db.begin() as conn:
        assert accounts.user_for_session(conn, token, now=NOW + timedelta(hours=23)) == user
        assert accounts.user_for_session(conn, token, now=NOW + timedelta(days=2)) is None
        assert accounts.user_for_session(conn, token + "x", now=NOW) is None
        accounts.end_session(conn, token)
        assert accounts.user_for_session(conn, token, now=NOW) is None


def test_api_tokens_belong_to_their_user_only(db) -> None:
    with db.begin() as conn:
        noor = accounts.create_user(conn, "noor@example.org", now=NOW)
        ilse = accounts.create_user(conn, "ilse@example.org", now=NOW)
        noor_token = accounts.create_api_token(conn, noor.id, "phone", now=NOW)
        ilse_token = accounts.create_api_token(conn, ilse.id, "laptop", now=NOW)
        hashes = set(conn.execute(select(api_tokens.c.token_hash)).scalars())
    assert noor_token.startswith("nd_") and noor_token not in hashes
    with db.begin() as conn:
        assert accounts.user_for_api_token(conn, noor_token, now=NOW) == noor
        assert accounts.user_for_api_token(conn, ilse_token, now=NOW) == ilse
        assert [t.name for t in accounts.list_api_tokens(conn, noor.id)] == ["phone"]
        ilse_token_id = accounts.list_api_tokens(conn, ilse.id)[0].id
        with pytest.raises(NotFoundError, match="no API token"):
            accounts.revoke_api_token(conn, noor.id, ilse_token_id, now=NOW)
        assert accounts.user_for_api_token(conn, ilse_token, now=NOW) == ilse
        accounts.revoke_api_token(conn, ilse.id, ilse_token_id, now=NOW)
        assert accounts.user_for_api_token(conn, ilse_token, now=NOW) is None
        assert accounts.list_api_tokens(conn, ilse.id)[0].revoked
