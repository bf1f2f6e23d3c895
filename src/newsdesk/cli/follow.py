"""``newsdesk users``, ``follow``, ``unfollow``, ``mute``, ``unmute``, ``following``, ``feed``,
``search`` and ``tokens``: the follow stage on the command line.

Each command parses its arguments, calls one use case in ``newsdesk.follow.actions``
or one view in ``newsdesk.views``, and renders the record it gets back.

Every command that reads or changes someone's data names them with
``--user EMAIL`` and sees only that user's follows, marks, searches and tokens.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta

import typer

from newsdesk.cli.common import FORMAT, Format, err, list_json, out, print_json, when

USER = typer.Option(..., "--user", "-u", help="Email of the user this is for.")


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
    app.command("for-you")(for_you)
    app.command("feed", help="For you (its first name; `newsdesk for-you` is the same).")(for_you)
    app.command("search")(search)


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
    from newsdesk.follow.actions import add_user

    password = None
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            raise InputError(
                "no password on stdin", hint="pipe it in: echo PASSWORD | newsdesk users add ..."
            )
    user = add_user(email, display_name=name, time_zone=tz, password=password)
    role = " (admin)" if user.is_admin else ""
    out.print(f"added {user.email}{role}", highlight=False, markup=False)


def users_list(fmt: Format = FORMAT) -> None:
    """Every user (email, name, time zone, admin)."""
    from newsdesk.follow.actions import list_users

    found = list_users()
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
    from newsdesk.follow.actions import add_api_token

    out.print(add_api_token(user, name), highlight=False, markup=False)


def tokens_list(user: str = USER, fmt: Format = FORMAT) -> None:
    """The user's API tokens (names and prefixes, never the secrets)."""
    from newsdesk.follow.actions import list_api_tokens

    tokens = list_api_tokens(user)
    if fmt is Format.json:
        print_json([t.to_dict() for t in tokens])
        return
    for t in tokens:
        state = "  revoked" if t.revoked else ""
        out.print(f"{t.id}  {t.name}  {t.prefix}…{state}", highlight=False, markup=False)


def tokens_revoke(
    token_id: int = typer.Argument(..., help="The token's id, from `newsdesk tokens list`."),
    user: str = USER,
) -> None:
    """Revoke one of the user's API tokens."""
    from newsdesk.follow.actions import revoke_api_token

    if revoke_api_token(user, token_id):
        out.print(f"revoked token {token_id}")
    else:
        out.print(f"token {token_id} was already revoked; nothing changed")


KIND_HELP = "author, person, org, place, topic, outlet, source, story or search."
MUTE_KIND_HELP = "topic, person, org, place, author, outlet or source."
VALUE_HELP = "A name, domain, id or (for search) a query."


def follow(
    kind: str = typer.Argument(..., help=KIND_HELP),
    value: str = typer.Argument(..., help="A name, domain, id or (for search) a query."),
    user: str = USER,
) -> None:
    """Follow an author, person, organisation, place, topic, outlet, source, story or search."""
    from newsdesk.config import get_settings
    from newsdesk.follow.actions import follow_noted

    window = timedelta(days=get_settings().following_window_days)
    made, note = follow_noted(user, kind, value, window=window)
    out.print(f"following {made.kind} {made.label}", highlight=False, markup=False)
    if note:
        out.print(note, highlight=False, markup=False)


def unfollow(
    kind: str = typer.Argument(..., help=KIND_HELP),
    value: str = typer.Argument(..., help=VALUE_HELP),
    user: str = USER,
) -> None:
    """Stop following something."""
    from newsdesk.follow.actions import unfollow as do_unfollow

    do_unfollow(user, kind, value)
    out.print(f"unfollowed {kind} {value}", highlight=False, markup=False)


def mute(
    kind: str = typer.Argument(..., help=MUTE_KIND_HELP),
    value: str = typer.Argument(..., help=VALUE_HELP),
    user: str = USER,
) -> None:
    """Mute something: it never appears in Following, For you or search."""
    from newsdesk.follow.actions import mute as do_mute

    made = do_mute(user, kind, value)
    out.print(f"muted {made.kind} {made.label}", highlight=False, markup=False)
    if made.pending:
        out.print(
            f"no stored article names {made.label!r} yet; new articles that do stay hidden",
            highlight=False,
            markup=False,
        )


def unmute(
    kind: str = typer.Argument(..., help=MUTE_KIND_HELP),
    value: str = typer.Argument(..., help=VALUE_HELP),
    user: str = USER,
) -> None:
    """Lift a mute."""
    from newsdesk.follow.actions import unmute as do_unmute

    do_unmute(user, kind, value)
    out.print(f"unmuted {kind} {value}", highlight=False, markup=False)


def following(
    user: str = USER,
    fmt: Format = FORMAT,
    mark_checked: bool = typer.Option(
        False, "--mark-checked", help="After showing, mark every follow as checked."
    ),
) -> None:
    """What is new for each follow since its last check, and one combined newest-first list."""
    from newsdesk.views.following import following as following_view

    now = datetime.now(UTC)
    view = following_view(user, now=now)
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
        elif not view.follows:
            out.print("you follow nothing yet: try `newsdesk follow topic NAME --user EMAIL`")
        else:
            checked = [n.follow.checked_at or n.follow.created_at for n in view.follows]
            out.print(f"nothing new since {when(max(checked))}", highlight=False, markup=False)
        for entry in view.entries:
            at = entry.lead.when.strftime("%Y-%m-%d %H:%M")
            out.print(f"{at}  {entry.line}", highlight=False, markup=False)
    if mark_checked:
        from newsdesk.follow.actions import check_following

        check_following(user, upto_article_id=view.upto_article_id, now=now)


def for_you(
    user: str = USER,
    fmt: Format = FORMAT,
    limit: int = typer.Option(
        30, "--limit", "-n", min=1, max=200, help="Show at most this many stories."
    ),
) -> None:
    """For you: recent stories ranked by your follows, importance and recency, with reasons."""
    from newsdesk.config import get_settings
    from newsdesk.views.for_you import for_you as for_you_view

    window = timedelta(hours=get_settings().feed_window_hours)
    view = for_you_view(user, window=window, limit=limit)
    if fmt is Format.json:
        print_json(list_json(view.to_dict(), "entries"))
        return
    if not view.entries:
        since = datetime.now(UTC) - window
        out.print(
            f"nothing new since {when(since)}",
            highlight=False,
            markup=False,
        )
    for e in view.entries:
        outlet = f" — {e.lead.outlet}" if e.lead.outlet else ""
        out.print(f"{e.headline}{outlet}", style="bold", highlight=False, markup=False)
        out.print("   " + "; ".join(e.reasons), style="dim", highlight=False, markup=False)


def search(
    query: str = typer.Argument(..., help='Words, "phrases", author:, person:, topic:, -x, since:'),
    user: str | None = typer.Option(None, "--user", "-u", help="Apply this user's mutes."),
    fmt: Format = FORMAT,
    limit: int = typer.Option(
        50, "--limit", "-n", min=1, max=500, help="Show at most this many articles."
    ),
    cursor: str | None = typer.Option(
        None, "--cursor", help="Go on from this page cursor (printed after a full page)."
    ),
) -> None:
    """Full-text search over stored articles, newest first."""
    from newsdesk.views.search import search as search_view

    results = search_view(query, email=user, limit=limit, cursor=cursor)
    if results.next_cursor:
        err.print(f"next page: --cursor {results.next_cursor}", highlight=False, markup=False)
    if fmt is Format.json:
        print_json(list_json(results.to_dict(), "items"))
        return
    if not results.items:
        out.print("no articles match", highlight=False, markup=False)
    for c in results.items:
        day = c.when.strftime("%Y-%m-%d")
        outlet = f" — {c.outlet}" if c.outlet else ""
        out.print(f"{c.id}  {day}  {c.title}{outlet}", highlight=False, markup=False)
