"""What every command shares: consoles, error mapping, JSON output, progress bars."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any, TypeVar

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from newsdesk.errors import NewsdeskError
from newsdesk.safe_text import clean_text


class TextConsole(Console):
    """A console that prints every string as text: never as Rich markup, never with a
    control character.

    Why: every title, name and URL newsdesk prints came from someone else's feed
    or page. Read as markup, ``[/x]`` ends the listing in a MarkupError and
    ``[link=...]`` prints a live link; ``\x1b[2J`` or an OSC sequence repaints or
    retitles the terminal. The store already drops control characters at the
    door; this catches anything older or from elsewhere (a parsed feed shown by
    ``feeds parse``). Our own emphasis goes through ``style=``.
    """

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("markup", False)
        kwargs.setdefault("emoji", False)
        kwargs.setdefault("highlight", False)
        super().__init__(**kwargs)

    def render_str(self, text: str, **kwargs: Any) -> Text:
        kwargs["markup"] = False
        kwargs["emoji"] = False
        return super().render_str(terminal_safe(text), **kwargs)


def terminal_safe(text: str) -> str:
    """``text`` without control characters (ESC, OSC, C1, a bare CR); newlines and tabs stay."""
    return clean_text(text)


out = TextConsole(soft_wrap=True)
err = TextConsole(stderr=True, soft_wrap=True)

T = TypeVar("T")


class Format(StrEnum):
    """How a command prints its records: ``text`` for people, ``json`` for tools."""

    text = "text"
    json = "json"


FORMAT = typer.Option(Format.text, "--format", "-f", help="text or json.")


def plural(count: int, noun: str, many: str | None = None) -> str:
    """``1 source``, ``2 sources``, ``1 entry``, ``3 entries``: the count with its noun agreed."""
    if count == 1:
        return f"{count} {noun}"
    if many is None:
        many = (
            noun[:-1] + "ies" if noun.endswith("y") and noun[-2:-1] not in "aeiou" else noun + "s"
        )
    return f"{count} {many}"


def when(at: datetime | str | None, *, now: datetime | None = None) -> str:
    """A time for people: relative within a week ("3 hours ago"), else the local date.

    Stored times are UTC with microseconds; printed raw they were unreadable.
    """
    import humanize

    if at is None or at == "":
        return "never"
    if isinstance(at, str):
        try:
            parsed = datetime.fromisoformat(at)
        except ValueError:
            return at
        at = parsed
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    now = now or datetime.now(UTC)
    gap = now - at
    if abs(gap) <= timedelta(days=7):
        return humanize.naturaltime(gap)
    return at.astimezone().strftime("%Y-%m-%d %H:%M")


def fit(text: str, width: int) -> str:
    """``text`` on one line of at most ``width`` characters, cut with an ellipsis."""
    text = " ".join(text.split())
    return text if len(text) <= width else text[: max(width - 1, 0)].rstrip() + "…"


#: More inputs than this get a progress bar (on a terminal); fewer just run.
PROGRESS_THRESHOLD = 3


def run_app(app: typer.Typer) -> int:
    """Run the Typer app, turning NewsdeskError into one readable line and exit 1.

    Click handles usage errors itself (exit 2); anything that is neither a
    NewsdeskError nor a usage error is a bug and keeps its traceback.
    """
    from newsdesk.config import get_settings
    from newsdesk.logs import configure_logging

    try:
        settings = get_settings()
        configure_logging(settings.log_level, json=settings.log_json)
        app(standalone_mode=True)
    except NewsdeskError as exc:
        err.print(Text("error:", style="red"), str(exc))
        return 1
    except SystemExit as exc:
        if exc.code is None:
            return 0
        return exc.code if isinstance(exc.code, int) else 1
    return 0


def print_json(data: Any) -> None:
    """JSON to stdout, exactly (no Rich markup or wrapping), for tools that parse it."""
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str))
    sys.stdout.write("\n")
    sys.stdout.flush()


def list_json(page: dict[str, Any], key: str) -> list[Any]:
    """The records of a list view's ``to_dict()`` (``items`` or ``entries``).

    List commands have always printed a JSON array of records; the page around
    it (with ``next_cursor``) is the API's shape, and the CLI prints the cursor
    on stderr instead, so the array stays what scripts already parse.
    """
    records: list[Any] = page[key]
    return records


def progress_iter(items: Iterable[T], total: int, description: str) -> Iterator[T]:
    """Yield ``items`` with a Rich progress bar on stderr when there are many."""
    if total <= PROGRESS_THRESHOLD or not err.is_terminal:
        yield from items
        return
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=err, transient=False) as progress:
        task = progress.add_task(description, total=total)
        for item in items:
            yield item
            progress.advance(task)
