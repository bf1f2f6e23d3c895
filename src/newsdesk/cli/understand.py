"""``newsdesk understand``: who and what one article is about."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

import typer

from newsdesk.cli.common import out, print_json


class Format(StrEnum):
    text = "text"
    json = "json"


def register(app: typer.Typer) -> None:
    """Attach this stage's commands to the root app."""
    app.command("understand")(understand)


def understand(
    source: str = typer.Argument("-", help="A file path, an http(s) URL, or - for stdin."),
    fmt: Format = typer.Option(Format.text, "--format", "-f", help="text or json."),
) -> None:
    """Headline, summary, people and other entities, topics, quotes and figures of one page.

    Stores nothing; `newsdesk ingest` stores the same understanding with the article.
    """
    from newsdesk.extract import extract_article
    from newsdesk.sources.loader import read_source
    from newsdesk.understand import understand as run

    page = read_source(source)
    article = extract_article(page.content, url=page.url, origin=page.origin)
    data = run(article).to_dict()
    if fmt is Format.json:
        print_json(data)
        return
    _print(data)


def _print(data: dict[str, Any]) -> None:
    def line(text: str, style: str | None = None) -> None:
        out.print(text, style=style, highlight=False, markup=False)

    headline = data["headline"] + ("  [generated]" if data["headline_generated"] else "")
    line(headline, "bold")
    line("")
    line(data["summary"])
    groups = [
        ("People", "person"),
        ("Organisations", "org"),
        ("Places", "place"),
        ("Groups", "group"),
        ("Events", "event"),
    ]
    for title, kind in groups:
        names = [
            e["name"] + (f" ({', '.join(e['roles'])})" if e["roles"] else "")
            for e in data["entities"]
            if e["kind"] == kind
        ]
        if names:
            line("")
            line(f"{title}: " + "; ".join(names))
    if data["topics"]:
        line("")
        line("Topics: " + ", ".join(t["name"] for t in data["topics"]))
    if data["quotes"]:
        line("")
        line("Quotes:", "bold")
        for q in data["quotes"]:
            line(f"  “{q['quote']}” — {q['speaker'] or 'unattributed'}")
    if data["figures"]:
        line("")
        line("Figures:", "bold")
        for f in data["figures"]:
            what = f" {f['counts']}" if f["counts"] and f["counts"] not in f["text"] else ""
            approx = "about " if f["approximate"] else ""
            line(f"  {approx}{f['text']}{what}")
