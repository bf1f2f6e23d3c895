"""``newsdesk users``, ``follow``, ``unfollow``, ``mute``, ``unmute``, ``following``, ``feed``,
``search`` and ``tokens``: the follow stage on the command line.

Every command that reads or changes someone's data names them with
``--user EMAIL`` and sees only that user's follows, marks, searches and tokens.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any

import typer

from newsdesk.cli.common import out, print_json

USER = typer.Option(..., "--user", "-u", help="Email of the user this is for.")


class Format(StrEnum):
    text = "text"
    json = "json"


def register(app: typer.Typer) -> None:
    users_app = typer.Typer(help="User accounts.", no_args_is_help=True)
    users_app.command("add")(users_add)
    users_app.command("list")(users_list)
    app.add_typer(users_app, name="users")
    tokens_app = typer.Typer(help="API tokens of a user.", no_args_is_help=True)
    tokens_app.command("add")(tokens_add)
    tokens_app.command("list")(tokens_list)
    tokens_app.command("revoke")(tokens_revoke)
    app.add_typer(tokens_app, name="tokens")
    app.command("follow")(follow)
    app.command("unfollow")(unfollow)
    app.command("mute")(mute)
    app.command("unmute")(unmute)
    app.command("following")(following)
    app.command("feed")(feed)
    app.command("for-you")(feed)
    app.command("search")(search)


def _now() -> datetime:
    return datetime.now(UTC)


def _db() -> Any:
    from newsdesk.store.db import open_database

    return open_database()


def _user(conn: Any, email: str) -> Any:
    from newsdesk.follow.accounts import get_user_by_email

    return get_user_by_email(conn, email)


def users_add(
    email: str = typer.Argument(..., help="The new user's email address."),
    name: str | None = typer.Option(None, "--name", help="Display name (default: from the email)."),
    tz: str = typer.Option("UTC", "--tz", help="IANA time zone, e.g. Europe/Paris."),
    password_stdin: bool = typer.Option(
        False, "--password-stdin", help="Read the password from the first line of stdin."
    ),
) -> None:
    """Add a user; the first one becomes the admin."""
    from newsdesk.errors import InputError
    from newsdesk.follow.accounts import create_user

    password = None
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            raise InputError(
                "no password on stdin", hint="pipe it in: echo PASSWORD | newsdesk users add ..."
            )
    with _db().begin() as conn:
        user = create_user(
            conn, email, now=_now(), display_name=name, time_zone=tz, password=password
        )
    role = " (admin)" if user.is_admin else ""
    out.print(f"added {user.email}{role}", highlight=False, markup=False)


def users_list(fmt: Format = typer.Option(Format.text, "--format", "-f")) -> None:
    """Every user (email, name, time zone, admin)."""
    from newsdesk.follow.accounts import list_users

    with _db().connect() as conn:
        found = list_users(conn)
    if fmt is Format.json:
        print_json([u.to_dict() for u in found])
        return
    for u in found:
        flag = "  admin" if u.is_admin else ""
        out.print(
            f"{u.email}  {u.display_name}  {u.time_zone}{flag}", highlight=False, markup=False
        )


def tokens_add(
    name: str = typer.Argument(..., help="What the token is for, e.g. 'phone'."), user: str = USER
) -> None:
    """Make an API token; it is printed once and stored only as a hash."""
    from newsdesk.follow.accounts import create_api_token

    with _db().begin() as conn:
        token = create_api_token(conn, _user(conn, user).id, name, now=_now())
    out.print(token, highlight=False, markup=False)


def tokens_list(
    user: str = USER, fmt: Format = typer.Option(Format.text, "--format", "-f")
) -> None:
    """The user's API tokens (names and prefixes, never the secrets)."""
    from newsdesk.follow.accounts import list_api_tokens

    with _db().connect() as conn:
        tokens = list_api_tokens(conn, _user(conn, user).id)
    rows = [
        {
            "id": t.id,
            "name": t.name,
            "prefix": t.prefix,
            "revoked": t.revoked,
            "created_at": t.created_at.isoformat(),
        }
        for t in tokens
    ]
    if fmt is Format.json:
        print_json(rows)
        return
    for r in rows:
        state = "  revoked" if r["revoked"] else ""
        out.print(f"{r['id']}  {r['name']}  {r['prefix']}…{state}", highlight=False, markup=False)


def tokens_revoke(token_id: int = typer.Argument(...), user: str = USER) -> None:
    """Revoke one of the user's API tokens."""
    from newsdesk.follow.accounts import revoke_api_token

    with _db().begin() as conn:
        revoke_api_token(conn, _user(conn, user).id, token_id, now=_now())
    out.print(f"revoked token {token_id}")


KIND_HELP = "author, person, org, place, topic, outlet, source, story or search."


def follow(
    kind: str = typer.Argument(..., help=KIND_HELP),
    value: str = typer.Argument(..., help="A name, domain, id or (for search) a query."),
    user: str = USER,
) -> None:
    """Follow an author, person, organisation, place, topic, outlet, source, story or search."""
    from newsdesk.config import get_settings
    from newsdesk.follow.follows import follow as do_follow

    window = timedelta(days=get_settings().following_window_days)
    with _db().begin() as conn:
        made = do_follow(conn, _user(conn, user).id, kind, value, now=_now(), window=window)
    out.print(f"following {made.kind} {made.label}", highlight=False, markup=False)


def unfollow(
    kind: str = typer.Argument(..., help=KIND_HELP),
    value: str = typer.Argument(...),
    user: str = USER,
) -> None:
    """Stop following something."""
    from newsdesk.follow.follows import unfollow as do_unfollow

    with _db().begin() as conn:
        do_unfollow(conn, _user(conn, user).id, kind, value)
    out.print(f"unfollowed {kind} {value}", highlight=False, markup=False)


def mute(
    kind: str = typer.Argument(..., help="topic, person, org, place, author, outlet or source."),
    value: str = typer.Argument(...),
    user: str = USER,
) -> None:
    """Mute something: it never appears in Following, For you or search."""
    from newsdesk.follow.follows import mute as do_mute

    with _db().begin() as conn:
        made = do_mute(conn, _user(conn, user).id, kind, value, now=_now())
    out.print(f"muted {made.kind} {made.label}", highlight=False, markup=False)


def unmute(
    kind: str = typer.Argument(...), value: str = typer.Argument(...), user: str = USER
) -> None:
    """Lift a mute."""
    from newsdesk.follow.follows import unmute as do_unmute

    with _db().begin() as conn:
        do_unmute(conn, _user(conn, user).id, kind, value)
    out.print(f"unmuted {kind} {value}", highlight=False, markup=False)


def following(
    user: str = USER,
    fmt: Format = typer.Option(Format.text, "--format", "-f", help="text or json."),
    mark_checked: bool = typer.Option(
        False, "--mark-checked", help="After showing, mark every follow as checked."
    ),
) -> None:
    """What is new for each follow since its last check, and one combined newest-first list."""
    from newsdesk.follow.following import load_following, mark_following_checked

    now = _now()
    db = _db()
    with db.connect() as conn:
        account = _user(conn, user)
        view = load_following(conn, account.id, now=now)
    if fmt is Format.json:
        print_json(view.to_dict())
    else:
        for news in view.follows:
            count = f"{news.new_count}+" if news.capped else str(news.new_count)
            out.print(
                f"{news.follow.kind} {news.follow.label}: {count} new",
                highlight=False,
                markup=False,
            )
        if view.entries:
            out.print("")
        for entry in view.entries:
            when = entry.lead.when.strftime("%Y-%m-%d %H:%M")
            out.print(f"{when}  {entry.line}", highlight=False, markup=False)
    if mark_checked:
        with db.begin() as conn:
            mark_following_checked(conn, account.id, upto_article_id=view.upto_article_id, now=now)


def feed(
    user: str = USER,
    fmt: Format = typer.Option(Format.text, "--format", "-f", help="text or json."),
    limit: int = typer.Option(30, "--limit", "-n", min=1, max=200),
) -> None:
    """For you: recent stories ranked by your follows, importance and recency, with reasons."""
    from newsdesk.config import get_settings
    from newsdesk.follow.for_you import load_for_you

    window = timedelta(hours=get_settings().feed_window_hours)
    with _db().connect() as conn:
        entries = load_for_you(conn, _user(conn, user).id, now=_now(), window=window, limit=limit)
    if fmt is Format.json:
        print_json([e.to_dict() for e in entries])
        return
    for e in entries:
        outlet = f" — {e.lead.outlet}" if e.lead.outlet else ""
        out.print(f"{e.headline}{outlet}", style="bold", highlight=False, markup=False)
        out.print("   " + "; ".join(e.reasons), style="dim", highlight=False, markup=False)


def search(
    query: str = typer.Argument(..., help='Words, "phrases", author:, person:, topic:, -x, since:'),
    user: str | None = typer.Option(None, "--user", "-u", help="Apply this user's mutes."),
    fmt: Format = typer.Option(Format.text, "--format", "-f", help="text or json."),
    limit: int = typer.Option(50, "--limit", "-n", min=1, max=500),
) -> None:
    """Full-text search over stored articles, newest first."""
    from newsdesk.follow.query import parse_query
    from newsdesk.store import cards as store_cards
    from newsdesk.store import follows as store
    from newsdesk.store import search as store_search

    parsed = parse_query(query)
    with _db().connect() as conn:
        mutes = store.list_mutes(conn, _user(conn, user).id) if user else []
        ids = store_search.search_ids(conn, parsed, now=_now(), mute_list=mutes, limit=limit)
        cards = store_cards.article_cards(conn, ids)
    found = [cards[i] for i in ids if i in cards]
    if fmt is Format.json:
        print_json([c.to_dict() for c in found])
        return
    if not found:
        out.print("no articles match", highlight=False, markup=False)
    for c in found:
        when = c.when.strftime("%Y-%m-%d")
        outlet = f" — {c.outlet}" if c.outlet else ""
        out.print(f"{c.id}  {when}  {c.title}{outlet}", highlight=False, markup=False)
