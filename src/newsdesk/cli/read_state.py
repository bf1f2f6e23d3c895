"""``newsdesk mark read|unread``, ``star``, ``unstar``, ``unread`` and ``articles list --user``.

Thin: parse, call one use case in ``newsdesk.follow.read_state`` or one view in
``newsdesk.views.read_state``, render.
Exit codes: 0 done (a no-op says so), 1 failure (one line on stderr), 2 usage.
"""

from __future__ import annotations

from typing import Any

import typer

from newsdesk.cli.common import FORMAT, Format, err, list_json, out, print_json

USER = typer.Option(..., "--user", "-u", help="Email of the user this is for.")
BEFORE_HELP = (
    "Only articles that arrived before TIME: a date (2026-11-28), a date and time, "
    "or an age (12h, 3d, 2w)."
)


def register(app: typer.Typer) -> None:
    mark_app = typer.Typer(help="Mark articles read or unread.", no_args_is_help=True)
    mark_app.command("read")(mark_read)
    mark_app.command("unread")(mark_unread)
    app.add_typer(mark_app, name="mark")
    app.command("star")(star)
    app.command("unstar")(unstar)
    app.command("unread")(unread)


def _target(
    ids: list[int] | None,
    story: str | None,
    source: int | None,
    follow: tuple[str, str] | None,
    everything: bool,
) -> Any:
    from newsdesk.follow.read_state import MarkTarget

    given = [
        name
        for name, present in (
            ("ARTICLE_ID", bool(ids)),
            ("--story", story is not None),
            ("--source", source is not None),
            ("--follow", follow is not None and follow[0] is not None),
            ("--all", everything),
        )
        if present
    ]
    if len(given) != 1:
        found = " and ".join(given) if given else "none"
        raise typer.BadParameter(
            f"give exactly one of ARTICLE_ID..., --story, --source, --follow or --all (got {found})"
        )
    if ids:
        return MarkTarget("ids", ids=tuple(ids))
    if story is not None:
        return MarkTarget("story", story=story)
    if source is not None:
        return MarkTarget("source", source_id=source)
    if everything:
        return MarkTarget("all")
    assert follow is not None
    return MarkTarget("follow", follow=(follow[0], follow[1]))


def _mark(
    read: bool,
    ids: list[int] | None,
    user: str,
    story: str | None,
    source: int | None,
    follow: tuple[str, str] | None,
    everything: bool,
    before: str | None,
) -> None:
    from newsdesk.errors import InputError
    from newsdesk.follow.read_state import mark_articles, parse_time

    target = _target(ids, story, source, follow, everything)
    if before is not None:
        from datetime import UTC, datetime

        try:
            parse_time(before, now=datetime.now(UTC))
        except InputError as exc:
            raise typer.BadParameter(exc.message, param_hint="--before") from None
    result = mark_articles(user, target, read=read, before=before)
    state = "read" if read else "unread"
    if result.noop:
        out.print(f"nothing to mark: {result.target} already {state}", highlight=False)
        return
    count = "" if result.changed is None else f" ({result.changed} changed)"
    out.print(f"marked {result.target} {state}{count}", highlight=False, markup=False)


IDS = typer.Argument(None, help="Article ids (from `newsdesk articles list --user EMAIL`).")
STORY = typer.Option(None, "--story", help="Every article of this story (key or number).")
SOURCE = typer.Option(None, "--source", help="Every article of this source (its id).")
FOLLOW = typer.Option(
    None, "--follow", metavar="KIND VALUE", help="Every article one of your follows reaches."
)
ALL = typer.Option(False, "--all", help="Everything.")
BEFORE = typer.Option(None, "--before", metavar="TIME", help=BEFORE_HELP)


def mark_read(
    ids: list[int] | None = IDS,
    user: str = USER,
    story: str | None = STORY,
    source: int | None = SOURCE,
    follow: tuple[str, str] | None = FOLLOW,
    everything: bool = ALL,
    before: str | None = BEFORE,
) -> None:
    """Mark articles read: by id, a story, a source, a follow or everything (--before TIME)."""
    _mark(True, ids, user, story, source, follow, everything, before)


def mark_unread(
    ids: list[int] | None = IDS,
    user: str = USER,
    story: str | None = STORY,
    source: int | None = SOURCE,
    follow: tuple[str, str] | None = FOLLOW,
    everything: bool = ALL,
    before: str | None = BEFORE,
) -> None:
    """Mark articles unread: by id, a story, a source, a follow or everything (--before TIME)."""
    _mark(False, ids, user, story, source, follow, everything, before)


def _star(ids: list[int], user: str, starred: bool) -> None:
    from newsdesk.follow.read_state import star_articles

    result = star_articles(user, ids, starred=starred)
    word = "starred" if starred else "unstarred"
    if result.noop:
        out.print(f"nothing to do: already {word}", highlight=False)
        return
    out.print(f"{word} {result.changed}", highlight=False)


def star(ids: list[int] = typer.Argument(..., help="Article ids."), user: str = USER) -> None:
    """Star articles."""
    _star(ids, user, True)


def unstar(ids: list[int] = typer.Argument(..., help="Article ids."), user: str = USER) -> None:
    """Unstar articles."""
    _star(ids, user, False)


def unread(user: str = USER, fmt: Format = FORMAT) -> None:
    """Unread counts: in all, per source, per tag and per follow."""
    from newsdesk.views.read_state import unread_counts

    counts = unread_counts(user)
    if fmt is Format.json:
        print_json(counts.to_dict())
        return
    out.print(f"unread: {counts.total}", highlight=False)
    for s in counts.sources:
        name = s.title or ("no source" if s.source_id is None else f"source {s.source_id}")
        ident = f"{s.source_id}  " if s.source_id is not None else ""
        out.print(f"  source {ident}{name}: {s.unread}", highlight=False, markup=False)
    for t in counts.tags:
        out.print(f"  tag {t.tag}: {t.unread}", highlight=False, markup=False)
    for f in counts.follows:
        out.print(f"  follow {f.kind} {f.label}: {f.unread}", highlight=False, markup=False)


def list_for_user(
    user: str,
    *,
    unread: bool,
    starred: bool,
    source: int | None,
    limit: int,
    cursor: str | None,
    json: bool,
) -> None:
    """``articles list --user``: the user's articles with their read and starred state."""
    from newsdesk.views.read_state import user_articles

    page = user_articles(
        user, unread=unread, starred=starred, source_id=source, limit=limit, cursor=cursor
    )
    if page.next_cursor:
        err.print(f"next page: --cursor {page.next_cursor}", highlight=False, markup=False)
    if json:
        print_json(list_json(page.to_dict(), "items"))
        return
    if not page.items:
        out.print("no articles", highlight=False)
        return
    for i in page.items:
        flags = ("*" if i.starred else " ") + (" " if i.read else "●")
        outlet = f" — {i.outlet}" if i.outlet else ""
        when = i.when.date().isoformat()
        out.print(f"{flags} {i.id}  {when}  {i.title}{outlet}", highlight=False, markup=False)
