"""CLI commands of the stories stage: ``stories cluster``, ``stories list``, ``stories show``."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import typer

from newsdesk.cli.common import FORMAT, Format
from newsdesk.errors import InputError

stories_app = typer.Typer(
    help="Stories: the same event across outlets, grouped, deduplicated and ranked.",
    no_args_is_help=True,
)


def read_jsonl(source: str) -> list[dict[str, Any]]:
    """Items from a JSONL file or ``-`` (stdin); a bad line is an error naming its number."""
    if source == "-":
        lines = sys.stdin.read().splitlines()
    else:
        path = Path(source)
        try:
            if not path.is_file():
                raise InputError(
                    f"no such file: {source}", hint="give a JSONL file, or - for stdin"
                )
            lines = path.read_text(encoding="utf-8").splitlines()
        except UnicodeDecodeError as exc:
            raise InputError(f"{source} is not UTF-8 text", hint="save it as UTF-8") from exc
        except OSError as exc:  # name too long, a symlink loop, no permission
            raise InputError(f"cannot read {source}: {exc.strerror}") from exc
    items: list[dict[str, Any]] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(
                f"line {number} of {source} is not JSON ({exc.msg})",
                hint='each line must be an object like {"id": "a1", "title": "..."}',
            ) from exc
        if not isinstance(item, dict):
            raise InputError(
                f"line {number} of {source} is not a JSON object",
                hint='each line must be an object like {"id": "a1", "title": "..."}',
            )
        items.append(item)
    return items


@stories_app.command("cluster")
def cluster_command(
    source: str = typer.Argument(
        ..., help="JSONL file of {id, title, text?, published?, outlet?}, or -"
    ),
) -> None:
    """Group articles into stories without touching the store; prints {"id", "story"} lines."""
    from newsdesk.stories import group_stories

    items = read_jsonl(source)
    assignment = group_stories(items)
    for item in items:
        item_id = str(item["id"])
        sys.stdout.write(json.dumps({"id": item_id, "story": assignment[item_id]}) + "\n")
    sys.stdout.flush()


@stories_app.command("list")
def list_command(
    limit: int = typer.Option(20, "--limit", "-n", min=1, help="How many stories."),
    open_only: bool = typer.Option(False, "--open", help="Only stories still taking articles."),
    fmt: Format = FORMAT,
    as_json: bool = typer.Option(False, "--json", help="The same as --format json."),
) -> None:
    """Stored stories, most important first."""
    from newsdesk.cli.common import fit, list_json, out, plural, print_json, when
    from newsdesk.stories.rank import reason
    from newsdesk.views.stories import story_list

    page = story_list(limit=limit, open_only=open_only)
    if as_json or fmt is Format.json:
        print_json(list_json(page.to_dict(), "items"))
        return
    rows = page.items
    if not rows:
        out.print("no stories yet (articles are grouped as they are ingested)")
        return
    # Two lines per story whatever the width: the headline, then coverage, time and why.
    width = max(out.width, 40)
    for r in rows:
        out.print(fit(f"{r.key}  {r.headline}", width), highlight=False)
        detail = (
            f"{plural(r.articles, 'article')} from {plural(r.outlet_count, 'outlet')}, "
            f"last {when(r.last_seen)}; {reason(r.factors or {})}"
        )
        out.print(fit("    " + detail, width), highlight=False)


@stories_app.command("show")
def show_command(
    key: str = typer.Argument(..., help="Story key (from `stories list`) or number."),
    fmt: Format = FORMAT,
    as_json: bool = typer.Option(False, "--json", help="The same as --format json."),
) -> None:
    """One story: headline, coverage, importance and why, members in time order, timeline."""
    from rich.text import Text

    from newsdesk.cli.common import out, plural, print_json, terminal_safe, when
    from newsdesk.stories.rank import reason
    from newsdesk.views.stories import story

    data = story(key).to_dict()
    if as_json or fmt is Format.json:
        print_json(data)
        return
    headline = Text(terminal_safe(data["headline"]), style="bold")
    out.print(headline + Text(f"  ({data['key']}, {data['status']})"))
    if data["summary"]:
        out.print(data["summary"], highlight=False)
    out.print(
        f"{plural(data['articles'], 'article')} from {plural(data['outlet_count'], 'outlet')}, "
        f"first seen {when(data['first_seen'])}, last {when(data['last_seen'])}",
        highlight=False,
    )
    out.print(f"why it matters: {reason(data['factors'] or {})}", highlight=False)
    if data["entities"]:
        out.print("entities: " + ", ".join(e["name"] for e in data["entities"]), highlight=False)
    out.print()
    out.print("coverage", style="bold")
    for m in data["members"]:
        copy = f"  (copy of {m['duplicate_of']})" if m["duplicate_of"] else ""
        out.print(
            f"- {when(m['published'])}  {_outlet(m.get('outlet'))}{m['headline']}{copy}",
            highlight=False,
        )
    if data["timeline"]:
        out.print()
        out.print("timeline", style="bold")
        for d in data["timeline"]:
            added = ", ".join([*d.get("new_entities", []), *d.get("new_terms", [])][:8])
            out.print(
                f"- {when(d['at'])}  {_outlet(d.get('outlet'))}{d['sentence']}"
                + (f"  [+ {added}]" if added else ""),
                highlight=False,
            )


def _outlet(name: str | None) -> str:
    """``Outlet: `` before a line, or nothing for an unknown outlet (never ``?:``)."""
    return f"{name}: " if name else ""


def register(app: typer.Typer) -> None:
    """Attach this stage's commands to the root app."""
    app.add_typer(stories_app, name="stories")
