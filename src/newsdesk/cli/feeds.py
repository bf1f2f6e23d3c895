"""``newsdesk feeds parse``: read one feed document and show what newsdesk makes of it."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Any

import typer

from newsdesk.cli.common import err, out, plural, print_json


class Format(StrEnum):
    text = "text"
    json = "json"


def register(app: typer.Typer) -> None:
    """Attach this stage's commands to the root app."""
    feeds_app = typer.Typer(help="Feed documents (RSS, Atom, JSON Feed).", no_args_is_help=True)
    feeds_app.command("parse")(parse)
    app.add_typer(feeds_app, name="feeds")


def _read_feed(source: str) -> tuple[bytes, str | None, str | None]:
    """Bytes, URL and Content-Type of a feed named by a path, an http(s) URL or ``-``."""
    from newsdesk.config import get_settings
    from newsdesk.errors import InputError

    limit = get_settings().max_feed_bytes
    hint = "raise NEWSDESK_MAX_FEED_BYTES if this really is one feed"
    if source.lower().startswith(("http://", "https://")):
        from newsdesk.sources.fetch.client import fetch_feed

        result = fetch_feed(source)
        return result.content, result.final_url, result.content_type
    if source == "-":
        stream = sys.stdin.buffer
        data = stream.read(limit + 1)
        if len(data) > limit:
            raise InputError(f"standard input is over the {limit:,}-byte limit", hint=hint)
        return data, None, None
    path = Path(source)
    try:
        if not path.is_file():
            what = "is a folder" if path.is_dir() else "does not exist"
            raise InputError(f"{source} {what}", hint="give one feed file, a URL, or - for stdin")
        if path.stat().st_size > limit:
            raise InputError(f"{source} is over the {limit:,}-byte limit", hint=hint)
        return path.read_bytes(), None, None
    except OSError as exc:
        raise InputError(f"cannot read {source}: {exc.strerror}") from exc


def parse(
    source: str = typer.Argument("-", help="A feed file, an http(s) URL, or - for stdin."),
    fmt: Format = typer.Option(Format.text, "--format", "-f", help="text or json."),
    url: str | None = typer.Option(
        None, "--url", help="Resolve relative links against this URL (files and stdin)."
    ),
) -> None:
    """Parse one RSS, Atom or JSON Feed document and print its entries; stores nothing.

    JSON output is {"feed": {...}, "entries": [...]}, entry fields named like FeedItem.
    """
    from newsdesk.sources.feeds.parse import feed_to_dict, parse_feed

    data, fetched_url, content_type = _read_feed(source)
    if fetched_url is None and not data.strip():
        from newsdesk.errors import InputError

        what = "standard input" if source == "-" else source
        raise InputError(f"{what} is empty", hint="give a file holding an RSS, Atom or JSON feed")
    parsed = parse_feed(data, url=fetched_url or url, content_type=content_type)
    document = feed_to_dict(parsed)
    if fmt is Format.json:
        print_json(document)
        return
    _print_text(document)


def _print_text(document: dict[str, Any]) -> None:
    feed = document["feed"]
    entries = document["entries"]
    title = feed["title"] or "(untitled feed)"
    out.print(title, style="bold", highlight=False, markup=False)
    meta = [m for m in (feed["format"], feed["language"], feed["link"]) if m]
    meta.append(plural(len(entries), "entry"))
    out.print(" · ".join(meta), style="dim", highlight=False, markup=False)
    for warning in feed["warnings"]:
        err.print(f"warning: {warning}", highlight=False, markup=False)
    for entry in entries:
        out.print()
        date = entry["published"] or entry["updated"] or "no date"
        out.print(entry["title"] or "(no title)", style="bold", highlight=False, markup=False)
        line = [date[:16].replace("T", " ")]
        if entry["authors"]:
            line.append("by " + ", ".join(entry["authors"]))
        if entry["categories"]:
            line.append("in " + ", ".join(entry["categories"]))
        out.print(" · ".join(line), style="dim", highlight=False, markup=False)
        if entry["link"]:
            out.print(entry["link"], highlight=False, markup=False)
        for enclosure in entry["enclosures"]:
            out.print(f"  enclosure: {enclosure['url']}", highlight=False, markup=False)
