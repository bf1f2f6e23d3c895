"""``newsdesk sources ...``, ``newsdesk refresh`` and ``newsdesk serve``."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from newsdesk.cli.common import FORMAT, Format, err, out, plural, print_json

if TYPE_CHECKING:
    from newsdesk.jobs.enrichment import EnrichReport
    from newsdesk.jobs.refresh_report import RefreshReport


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
    from newsdesk.follow.subscriptions import add_source

    for made in add_source(url, tags=tags, title=title, all_feeds=all_feeds, check=not no_check):
        verb = "added" if made.created else "already there"
        out.print(
            f"{verb}: [{made.id}] {made.title or ''} {made.url}", highlight=False, markup=False
        )


def _next_refresh(paused: bool, at: datetime | None, now: datetime) -> str:
    """One wording for ``sources list`` and ``sources show``: a source never refreshed is due
    now, a paused one has none."""
    if paused:
        return "-"
    if at is None or at <= now:
        return "now"
    return _ago(at, now)


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
    fmt: Format = FORMAT,
) -> None:
    """List sources with their health: last success, last error, failures, next refresh."""
    from rich.table import Table

    from newsdesk.views.sources import source_list

    found = source_list(tag=tag)
    if fmt is Format.json:
        print_json([s.to_dict() for s in found])
        return
    if not found:
        out.print("no sources yet: add one with `newsdesk sources add URL`", markup=False)
        return
    now = _now()
    table = Table(show_lines=False)
    for name in ("id", "source", "tags", "items", "last success", "failures", "next", "state"):
        table.add_column(name, overflow="fold")
    for health in found:
        r = health.source
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
            str(health.items),
            _ago(r.last_success_at, now),
            str(r.consecutive_failures),
            _next_refresh(r.paused, r.next_refresh_at, now),
            state,
        )
    out.print(table)


def show(
    source: str = typer.Argument(..., help="Source id or URL."),
    fmt: Format = FORMAT,
) -> None:
    """One source: its settings, health and latest items."""
    from newsdesk.views.sources import source as source_view

    view = source_view(source)
    if fmt is Format.json:
        print_json(view.to_dict())
        return
    row = view.source
    now = _now()
    for key, value in row.to_dict().items():
        if key in ("etag", "last_modified"):
            continue
        out.print(f"{key:22} {value if value is not None else '-'}", highlight=False, markup=False)
    shown = _next_refresh(row.paused, row.next_refresh_at, now)
    out.print(f"{'next refresh':22} {shown}", markup=False)
    out.print()
    for item in view.latest_items:
        mark = "" if item["article_id"] else "  (no article: " + str(item["article_error"]) + ")"
        out.print(
            f"- {item['title'] or '(untitled)'}  {item['link'] or ''}{mark}",
            highlight=False,
            markup=False,
        )


def remove(source: str = typer.Argument(..., help="Source id or URL.")) -> None:
    """Remove a source and its feed items (stored articles stay)."""
    from newsdesk.follow.subscriptions import remove_source

    row = remove_source(source)
    out.print(f"removed [{row.id}] {row.url}", highlight=False, markup=False)


def pause(
    source: str = typer.Argument(..., help="Source id or URL."),
    reason: str = typer.Option("paused by hand", "--reason", help="Shown in `sources list`."),
) -> None:
    """Stop refreshing a source until it is resumed."""
    from newsdesk.follow.subscriptions import pause_source

    row = pause_source(source, reason=reason)
    out.print(f"paused [{row.id}] {row.url}", highlight=False, markup=False)


def resume(source: str = typer.Argument(..., help="Source id or URL.")) -> None:
    """Resume a paused source: failures reset, refreshed at the next run."""
    from newsdesk.follow.subscriptions import resume_source

    row = resume_source(source)
    out.print(f"resumed [{row.id}] {row.url}", highlight=False, markup=False)


def import_cmd(
    path: Path = typer.Argument(..., help="OPML file exported from a feed reader."),
) -> None:
    """Import subscriptions from OPML; folders become tags. Feeds already there are kept."""
    from newsdesk.config import get_settings
    from newsdesk.follow.subscriptions import import_opml

    done = import_opml(path, max_bytes=get_settings().max_feed_bytes)
    out.print(
        f"imported {plural(done.feeds, 'feed')}: {done.added} new, "
        f"{done.already_there} already there",
        highlight=False,
    )


def export_cmd(
    path: Path | None = typer.Argument(None, help="Where to write; standard output if omitted."),
) -> None:
    """Export sources as OPML 2.0; tags become folders."""
    import sys

    from newsdesk.follow.subscriptions import export_opml

    data, count = export_opml()
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
        err.print(f"wrote {plural(count, 'source')} to {path}", highlight=False, markup=False)


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
    report = run_refresh(sources or None, force=all_sources, show_progress=fmt is Format.text)
    enriched = run_enrichment(show_progress=fmt is Format.text) if enrich else None
    # Exit 1 when any of the work asked for failed; the batch still ran to its end.
    failed = bool(report.failed) or bool(enriched is not None and enriched.failed)
    if fmt is Format.json:
        print_json(report.to_dict() | ({"enrichment": enriched.to_dict()} if enriched else {}))
        if failed:
            raise typer.Exit(1)
        return
    if enriched is not None and (enriched.enriched or enriched.failed):
        failed_note = f", {enriched.failed} failed" if enriched.failed else ""
        out.print(f"{plural(enriched.enriched, 'article')} enriched{failed_note}", highlight=False)
    out.print(
        f"{plural(len(report.outcomes), 'source')}: {plural(report.new_items, 'new item')} "
        f"({report.updated_items} updated), {report.count('unchanged')} unchanged, "
        f"{len(report.failed)} failed"
        + (f", {report.count('deferred')} deferred" if report.count("deferred") else ""),
        highlight=False,
    )
    for o in report.failed:
        paused = " [paused]" if o.paused else ""
        err.print(f"failed [{o.source_id}]{paused}: {o.error}", highlight=False, markup=False)
    if failed:
        raise typer.Exit(1)


def serve_cmd(
    once: bool = typer.Option(False, "--once", help="Run one scheduling round and exit."),
    host: str | None = typer.Option(
        None, "--host", help="Address the web app listens on (default: the host setting)."
    ),
    port: int | None = typer.Option(
        None, "--port", min=1, max=65535, help="Port of the web app (default: the port setting)."
    ),
    no_web: bool = typer.Option(
        False, "--no-web", help="Run the scheduler only, without the web app."
    ),
    no_scheduler: bool = typer.Option(
        False, "--no-scheduler", help="Run no scheduler here (another process runs one)."
    ),
) -> None:
    """Run newsdesk's services: the refresh scheduler, the enrichment runner and the web app."""
    from newsdesk.jobs.serve import SERVE_SERVICES, serve

    added = []
    if not no_web and not once:
        from newsdesk.config import get_settings
        from newsdesk.web.serve import check_listen, web_service

        settings = get_settings()
        listen_host = host or settings.host
        listen_port = port or settings.port
        check_listen(settings, listen_host)
        added.append(web_service(listen_host, listen_port))
        err.print(
            f"newsdesk serve: web app on http://{listen_host}:{listen_port}/", highlight=False
        )
    SERVE_SERVICES.extend(added)
    try:
        serve(once=once, scheduler=not no_scheduler, on_start=_announce, on_report=_log_round)
    finally:
        for service in added:
            SERVE_SERVICES.remove(service)


def run_refresh(refs: list[str] | None, *, force: bool, show_progress: bool) -> RefreshReport:
    """Refresh with a Rich progress bar on stderr (when it is a terminal)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from newsdesk.jobs.on_demand import refresh_sources

    if not show_progress or not err.is_terminal:
        return refresh_sources(refs, force=force)
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

        return refresh_sources(refs, force=force, on_start=started, on_done=done)


def run_enrichment(*, show_progress: bool) -> EnrichReport:
    """Enrich the queued articles in batches, with a progress bar on stderr (when a terminal)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from newsdesk.jobs.on_demand import enrich_waiting, waiting

    total = waiting()
    if not total or not show_progress or not err.is_terminal:
        return enrich_waiting()
    columns = (TextColumn("enriching"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=err, transient=False) as progress:
        task = progress.add_task("enrich", total=total)
        return enrich_waiting(on_batch=lambda n: progress.update(task, advance=n))


def _announce(services: int) -> None:
    err.print(
        "newsdesk serve: refreshing sources on their schedule "
        f"({plural(services, 'other service')})",
        highlight=False,
    )


def _log_round(report: RefreshReport) -> None:
    if report.outcomes:
        err.print(
            f"{_now():%H:%M:%S} {plural(len(report.outcomes), 'source')}, "
            f"{plural(report.new_items, 'new item')}, "
            f"{len(report.failed)} failed",
            highlight=False,
        )
