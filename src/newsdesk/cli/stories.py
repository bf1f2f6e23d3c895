"""CLI commands of the stories stage: ``stories cluster``, ``stories list``, ``stories show``."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import typer

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


def _story_json(row: Any, members: list[Any] | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {
        "key": row.key,
        "status": row.status,
        "headline": row.headline,
        "summary": row.summary,
        "first_seen": row.first_seen.isoformat(),
        "last_seen": row.last_seen.isoformat(),
        "articles": row.size,
        "outlet_count": row.outlet_count,
        "outlets": row.outlets,
        "importance": row.importance,
        "factors": row.factors,
        "entities": row.entities,
        "topics": row.topics,
    }
    if members is not None:
        data["members"] = [
            {
                "article_id": m.article_id,
                "published": m.published_at.isoformat(),
                "outlet": m.outlet,
                "headline": m.headline,
                "url": m.canonical_url or m.url,
                "duplicate_of": m.duplicate_of,
            }
            for m in members
        ]
        data["timeline"] = row.timeline
    return data


@stories_app.command("list")
def list_command(
    limit: int = typer.Option(20, "--limit", "-n", min=1, help="How many stories."),
    open_only: bool = typer.Option(False, "--open", help="Only stories still taking articles."),
    as_json: bool = typer.Option(False, "--json", help="JSON instead of a table."),
) -> None:
    """Stored stories, most important first."""
    from rich.table import Table

    from newsdesk.cli.common import out, print_json
    from newsdesk.store import stories as repo
    from newsdesk.store.db import open_database

    db = open_database()
    with db.connect() as conn:
        rows = repo.list_stories(conn, limit=limit, include_closed=not open_only)
    if as_json:
        print_json([_story_json(r) for r in rows])
        return
    if not rows:
        out.print("no stories yet (articles are grouped as they are ingested)")
        return
    table = Table()
    table.add_column("key", no_wrap=True)
    table.add_column("headline", ratio=3)
    for name in ("outlets", "articles", "first seen", "last seen"):
        table.add_column(name)
    table.add_column("importance (why)", ratio=1)
    for r in rows:
        factors = r.factors or {}
        why = f"{r.importance:.2f} (outlets {factors.get('outlets', 0)}, " + (
            f"6h {factors.get('velocity', 0)}, recency {factors.get('recency', 0):.2f})"
        )
        table.add_row(
            r.key,
            r.headline,
            str(r.outlet_count),
            str(r.size),
            r.first_seen.strftime("%Y-%m-%d %H:%M"),
            r.last_seen.strftime("%Y-%m-%d %H:%M"),
            why,
        )
    out.print(table)


@stories_app.command("show")
def show_command(
    key: str = typer.Argument(..., help="Story key (from `stories list`) or number."),
    as_json: bool = typer.Option(False, "--json", help="JSON instead of text."),
) -> None:
    """One story: headline, coverage, importance and why, members in time order, timeline."""
    from rich.text import Text

    from newsdesk.cli.common import out, print_json, terminal_safe
    from newsdesk.store import stories as repo
    from newsdesk.store.db import open_database

    db = open_database()
    with db.connect() as conn:
        row = repo.get_story(conn, key)
        members = repo.members(conn, row.id)
    data = _story_json(row, members)
    if as_json:
        print_json(data)
        return
    headline = Text(terminal_safe(data["headline"]), style="bold")
    out.print(headline + Text(f"  ({data['key']}, {data['status']})"))
    if data["summary"]:
        out.print(data["summary"], highlight=False)
    out.print(
        f"{data['articles']} articles from {data['outlet_count']} outlets, "
        f"{data['first_seen']} to {data['last_seen']}",
        highlight=False,
    )
    out.print(
        f"importance {data['importance']:.3f}: {json.dumps(data['factors'])}", highlight=False
    )
    if data["entities"]:
        out.print("entities: " + ", ".join(e["name"] for e in data["entities"]), highlight=False)
    out.print()
    out.print("coverage", style="bold")
    for m in data["members"]:
        copy = f"  (copy of {m['duplicate_of']})" if m["duplicate_of"] else ""
        out.print(
            f"- {m['published']}  {m['outlet'] or '?'}: {m['headline']}{copy}", highlight=False
        )
    if data["timeline"]:
        out.print()
        out.print("timeline", style="bold")
        for d in data["timeline"]:
            added = ", ".join([*d.get("new_entities", []), *d.get("new_terms", [])][:8])
            out.print(
                f"- {d['at']}  {d.get('outlet') or '?'}: {d['sentence']}  [+ {added}]",
                highlight=False,
            )


def register(app: typer.Typer) -> None:
    """Attach this stage's commands to the root app."""
    app.add_typer(stories_app, name="stories")
