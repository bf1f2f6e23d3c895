"""``newsdesk sources ...``, ``newsdesk refresh`` and ``newsdesk serve``."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from newsdesk.cli.common import err, out, print_json

if TYPE_CHECKING:
    from newsdesk.jobs.refresh_report import RefreshReport


class Format(StrEnum):
    text = "text"
    json = "json"


def register(app: typer.Typer) -> None:
    """Attach this stage's commands to the root app."""
    sources_app = typer.Typer(
        help="Feeds you follow: add, list, pause, import, export.", no_args_is_help=True
    )
    sources_app.command("add")(add)
    sources_app.command("list")(list_cmd)
    sources_app.command("show")(show)
    sources_app.command("remove")(remove)
    sources_app.command("pause")(pause)
    sources_app.command("resume")(resume)
    sources_app.command("import")(import_cmd)
    sources_app.command("export")(export_cmd)
    app.add_typer(sources_app, name="sources")
    app.command("refresh")(refresh_cmd)
    app.command("serve")(serve_cmd)


def _now() -> datetime:
    return datetime.now(UTC)


def _db() -> Any:
    from newsdesk.store.db import open_database

    return open_database()


def _find(conn: Any, ref: str) -> Any:
    from newsdesk.store import sources as repo

    return repo.get_source(conn, ref)


def add(
    url: str = typer.Argument(..., help="A feed URL, or a site URL whose feeds are discovered."),
    tags: list[str] = typer.Option([], "--tag", "-t", help="Tag (repeatable)."),
    title: str | None = typer.Option(None, "--title", help="Name to show instead of the feed's."),
    all_feeds: bool = typer.Option(False, "--all", help="Add every feed a site offers."),
    no_check: bool = typer.Option(
        False, "--no-check", help="Add the URL as a feed without fetching it now."
    ),
) -> None:
    """Add a feed (RSS, Atom, JSON Feed) or a site; a site's feeds are discovered."""
    from newsdesk.errors import InputError
    from newsdesk.sources.discover import DiscoveredFeed, discover
    from newsdesk.sources.fetch.ssrf import split_host
    from newsdesk.store import sources as repo

    split_host(url)  # scheme and host checked before anything else
    if no_check:
        found = [DiscoveredFeed(url)]
    else:
        found = discover(url)
        if not found:
            raise InputError(
                f"no feed found at {url}",
                hint="give the feed's own URL (look for an RSS or Atom link on the site)",
            )
        if not all_feeds:
            found = found[:1]
    db = _db()
    with db.begin() as conn:
        for feed in found:
            source_id, created = repo.add_source(
                conn,
                feed.url,
                now=_now(),
                title=title or feed.title,
                site_url=feed.site_url,
                tags=tags,
            )
            verb = "added" if created else "already there"
            out.print(
                f"{verb}: [{source_id}] {title or feed.title or ''} {feed.url}",
                highlight=False,
                markup=False,
            )


def _ago(when: datetime | None, now: datetime) -> str:
    if when is None:
        return "never"
    seconds = (when - now).total_seconds()
    future = seconds > 0
    seconds = abs(seconds)
    if seconds < 90:
        text = f"{seconds:.0f}s"
    elif seconds < 5400:
        text = f"{seconds / 60:.0f}m"
    elif seconds < 172800:
        text = f"{seconds / 3600:.0f}h"
    else:
        text = f"{seconds / 86400:.0f}d"
    return f"in {text}" if future else f"{text} ago"


def list_cmd(
    tag: str | None = typer.Option(None, "--tag", "-t", help="Only sources with this tag."),
    fmt: Format = typer.Option(Format.text, "--format", "-f", help="text or json."),
) -> None:
    """List sources with their health: last success, last error, failures, next refresh."""
    from rich.table import Table

    from newsdesk.store import sources as repo

    db = _db()
    with db.connect() as conn:
        rows = repo.list_sources(conn, tag=tag)
        counts = repo.item_counts(conn)
    if fmt is Format.json:
        print_json([{**r.to_dict(), "items": counts.get(r.id, 0)} for r in rows])
        return
    if not rows:
        out.print("no sources yet: add one with `newsdesk sources add URL`", markup=False)
        return
    now = _now()
    table = Table(show_lines=False)
    for name in ("id", "source", "tags", "items", "last success", "failures", "next", "state"):
        table.add_column(name, overflow="fold")
    for r in rows:
        if r.paused:
            state = f"paused: {r.pause_reason or 'by hand'}"
        elif r.last_error:
            state = f"error: {r.last_error}"
        else:
            state = "ok"
        table.add_row(
            str(r.id),
            f"{r.title or ''}\n{r.url}" if r.title else r.url,
            ", ".join(r.tags),
            str(counts.get(r.id, 0)),
            _ago(r.last_success_at, now),
            str(r.consecutive_failures),
            "-" if r.paused else _ago(r.next_refresh_at, now) if r.next_refresh_at else "now",
            state,
        )
    out.print(table)


def show(
    source: str = typer.Argument(..., help="Source id or URL."),
    fmt: Format = typer.Option(Format.text, "--format", "-f", help="text or json."),
) -> None:
    """One source: its settings, health and latest items."""
    from newsdesk.store import sources as repo

    db = _db()
    with db.connect() as conn:
        row = _find(conn, source)
        items = repo.source_items(conn, row.id)
    if fmt is Format.json:
        print_json({**row.to_dict(), "latest_items": items})
        return
    now = _now()
    for key, value in row.to_dict().items():
        if key in ("etag", "last_modified"):
            continue
        out.print(f"{key:22} {value if value is not None else '-'}", highlight=False, markup=False)
    out.print(f"{'next refresh':22} {_ago(row.next_refresh_at, now)}", markup=False)
    out.print()
    for item in items:
        mark = "" if item["article_id"] else "  (no article: " + str(item["article_error"]) + ")"
        out.print(
            f"- {item['title'] or '(untitled)'}  {item['link'] or ''}{mark}",
            highlight=False,
            markup=False,
        )


def remove(source: str = typer.Argument(..., help="Source id or URL.")) -> None:
    """Remove a source and its feed items (stored articles stay)."""
    from newsdesk.store import sources as repo

    db = _db()
    with db.begin() as conn:
        row = _find(conn, source)
        repo.remove_source(conn, row.id)
    out.print(f"removed [{row.id}] {row.url}", highlight=False, markup=False)


def pause(
    source: str = typer.Argument(..., help="Source id or URL."),
    reason: str = typer.Option("paused by hand", "--reason", help="Shown in `sources list`."),
) -> None:
    """Stop refreshing a source until it is resumed."""
    from newsdesk.store import sources as repo

    db = _db()
    with db.begin() as conn:
        row = _find(conn, source)
        repo.set_paused(conn, row.id, True, now=_now(), reason=reason)
    out.print(f"paused [{row.id}] {row.url}", highlight=False, markup=False)


def resume(source: str = typer.Argument(..., help="Source id or URL.")) -> None:
    """Resume a paused source: failures reset, refreshed at the next run."""
    from newsdesk.store import sources as repo

    db = _db()
    with db.begin() as conn:
        row = _find(conn, source)
        repo.set_paused(conn, row.id, False, now=_now())
    out.print(f"resumed [{row.id}] {row.url}", highlight=False, markup=False)


def import_cmd(
    path: Path = typer.Argument(..., help="OPML file exported from a feed reader."),
) -> None:
    """Import subscriptions from OPML; folders become tags. Feeds already there are kept."""
    from newsdesk.config import get_settings
    from newsdesk.errors import InputError
    from newsdesk.sources.opml import parse_opml
    from newsdesk.store import sources as repo

    limit = get_settings().max_feed_bytes
    try:
        size = path.stat().st_size
        if size > limit:
            raise InputError(f"{path} is {size:,} bytes, over the {limit:,}-byte limit")
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}", hint="check the path") from exc
    feeds = parse_opml(data, origin=str(path))
    added = 0
    db = _db()
    with db.begin() as conn:
        for feed in feeds:
            _id, created = repo.add_source(
                conn, feed.url, now=_now(), title=feed.title, site_url=feed.site_url, tags=feed.tags
            )
            added += created
    out.print(
        f"imported {len(feeds)} feeds: {added} new, {len(feeds) - added} already there",
        highlight=False,
    )


def export_cmd(
    path: Path | None = typer.Argument(None, help="Where to write; standard output if omitted."),
) -> None:
    """Export sources as OPML 2.0; tags become folders."""
    import sys

    from newsdesk.sources.opml import feeds_from_rows, render_opml
    from newsdesk.store import sources as repo

    db = _db()
    with db.connect() as conn:
        rows = repo.list_sources(conn)
    data = render_opml(feeds_from_rows(rows), now=_now())
    if path is None:
        sys.stdout.write(data.decode("utf-8") + "\n")
        sys.stdout.flush()
    else:
        from newsdesk.errors import InputError

        try:
            path.write_bytes(data)
        except OSError as exc:  # no such folder, a folder of that name, no permission
            raise InputError(
                f"cannot write {path}: {exc.strerror}", hint="give a file path in a folder you own"
            ) from exc
        err.print(f"wrote {len(rows)} sources to {path}", highlight=False, markup=False)


def refresh_cmd(
    sources: list[str] = typer.Argument(None, help="Source ids or URLs; default: every due one."),
    all_sources: bool = typer.Option(False, "--all", help="Refresh every unpaused source now."),
    fmt: Format = typer.Option(Format.text, "--format", "-f", help="text or json."),
    enrich: bool = typer.Option(
        True,
        "--enrich/--no-enrich",
        help="Then understand the new articles and group them into stories "
        "(--no-enrich leaves them queued for `newsdesk serve` or the next refresh).",
    ),
) -> None:
    """Refresh due sources concurrently; prints new items, unchanged and failures with reasons."""
    db = _db()
    ids = None
    if sources:
        with db.connect() as conn:
            ids = [_find(conn, s).id for s in sources]
    report = run_refresh(db, ids=ids, force=all_sources, show_progress=fmt is Format.text)
    enriched = run_enrichment(db, show_progress=fmt is Format.text) if enrich else None
    if fmt is Format.json:
        print_json(report.to_dict() | ({"enrichment": enriched.to_dict()} if enriched else {}))
        return
    if enriched is not None and (enriched.enriched or enriched.failed):
        failed = f", {enriched.failed} failed" if enriched.failed else ""
        out.print(f"{enriched.enriched} articles enriched{failed}", highlight=False)
    out.print(
        f"{len(report.outcomes)} sources: {report.new_items} new items "
        f"({report.updated_items} updated), {report.count('unchanged')} unchanged, "
        f"{len(report.failed)} failed"
        + (f", {report.count('deferred')} deferred" if report.count("deferred") else ""),
        highlight=False,
    )
    for o in report.failed:
        paused = " [paused]" if o.paused else ""
        err.print(f"failed [{o.source_id}]{paused}: {o.error}", highlight=False, markup=False)


def serve_cmd(
    once: bool = typer.Option(False, "--once", help="Run one scheduling round and exit."),
) -> None:
    """Run newsdesk's services: the refresh scheduler (and, when installed, the web app)."""
    from newsdesk.jobs.serve import serve

    serve(once=once, on_start=_announce, on_report=_log_round)


def run_refresh(
    db: Any, *, ids: list[int] | None, force: bool, show_progress: bool
) -> RefreshReport:
    """Refresh with a Rich progress bar on stderr (when it is a terminal)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from newsdesk.jobs.refresh import refresh

    if not show_progress or not err.is_terminal:
        return refresh(db, source_ids=ids, force=force)
    columns = (
        TextColumn("refreshing"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.fields[note]}"),
    )
    with Progress(*columns, console=err, transient=False) as progress:
        task = progress.add_task("refresh", total=None, note="")
        counts = {"new": 0, "failed": 0}

        def started(total: int) -> None:
            progress.update(task, total=total)

        def done(outcome: Any) -> None:
            counts["new"] += outcome.new_items
            counts["failed"] += outcome.status == "failed"
            progress.update(task, advance=1, note=f"{counts['new']} new, {counts['failed']} failed")

        return refresh(db, source_ids=ids, force=force, on_start=started, on_done=done)


def run_enrichment(db: Any, *, show_progress: bool) -> Any:
    """Enrich the queued articles in batches, with a progress bar on stderr (when a terminal)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from newsdesk.jobs.enrichment import enrich_pending, waiting

    total = waiting(db)
    if not total or not show_progress or not err.is_terminal:
        return enrich_pending(db)
    columns = (TextColumn("enriching"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=err, transient=False) as progress:
        task = progress.add_task("enrich", total=total)
        return enrich_pending(db, on_batch=lambda n: progress.update(task, advance=n))


def _announce(services: int) -> None:
    err.print(
        f"newsdesk serve: refreshing sources on their schedule ({services} other services)",
        highlight=False,
    )


def _log_round(report: RefreshReport) -> None:
    if report.outcomes:
        err.print(
            f"{_now():%H:%M:%S} {len(report.outcomes)} sources, {report.new_items} new items, "
            f"{len(report.failed)} failed",
            highlight=False,
        )
