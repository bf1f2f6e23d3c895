"""``newsdesk extract``, ``newsdesk ingest`` and ``newsdesk articles``."""

from __future__ import annotations

from typing import Any

import typer
from rich.text import Text

from newsdesk.cli.common import (
    Format,
    err,
    list_json,
    out,
    print_json,
    progress_iter,
    terminal_safe,
)
from newsdesk.models import Article


def register(app: typer.Typer) -> None:
    app.command("extract")(extract)
    app.command("ingest")(ingest)
    articles_app = typer.Typer(help="Stored articles.", no_args_is_help=True)
    articles_app.command("list")(list_articles)
    articles_app.command("show")(show_article)
    app.add_typer(articles_app, name="articles")


def extract(
    source: str = typer.Argument("-", help="A file path, an http(s) URL, or - for stdin."),
    fmt: Format = typer.Option(Format.text, "--format", "-f", help="text or json."),
) -> None:
    """Print the clean article of one page (HTML or page saved as text); stores nothing."""
    from newsdesk.extract import extract_article
    from newsdesk.sources.loader import read_source

    page = read_source(source)
    article = extract_article(page.content, url=page.url, origin=page.origin)
    if fmt is Format.json:
        print_json(article.to_dict())
        return
    _print_article(article)


def _print_article(article: Article) -> None:
    title = article.title + ("  [generated title]" if article.title_generated else "")
    out.print(title, style="bold", highlight=False, markup=False)
    meta = []
    if article.authors:
        meta.append("by " + ", ".join(article.authors))
    if article.contributors:
        meta.append("with " + ", ".join(article.contributors))
    if article.outlet:
        meta.append(article.outlet)
    if article.published:
        meta.append(article.published.date().isoformat())
    if article.language:
        meta.append(article.language)
    if meta:
        out.print(" · ".join(meta), style="dim", highlight=False, markup=False)
    if article.canonical_url or article.url:
        out.print(article.canonical_url or article.url, style="dim", highlight=False, markup=False)
    out.print()
    out.print(article.body, highlight=False, markup=False)


_ENTITY_HEADINGS = (("person", "people"), ("org", "organisations"), ("place", "places"))


def _print_understanding(data: dict[str, Any]) -> None:
    """What newsdesk understood of the article, after its body: a reader sees why it is
    where it is (who, what, the numbers, the story and who else covered it)."""

    def line(label: str, text: str) -> None:
        out.print(Text(f"{label}: ", style="bold") + Text(terminal_safe(text)))

    out.print()
    if not data.get("understood"):
        out.print("not understood yet (`newsdesk serve` or the next refresh does it)")
    if data.get("summary"):
        line("summary", data["summary"])
    for kind, heading in _ENTITY_HEADINGS:
        names = [e["name"] for e in data.get("entities", []) if e.get("kind") == kind]
        if names:
            line(heading, ", ".join(names))
    if data.get("topics"):
        line("topics", ", ".join(t["name"] for t in data["topics"]))
    if data.get("quotes"):
        out.print(Text("quotes:", style="bold"))
        for q in data["quotes"]:
            who = q.get("speaker") or "unattributed"
            out.print(f"  “{q['quote']}” — {who}", highlight=False, markup=False)
    if data.get("figures"):
        out.print(Text("figures:", style="bold"))
        for f in data["figures"]:
            what = f.get("counts") or f.get("unit") or ""
            out.print(f"  {f['text']} {what}".rstrip(), highlight=False, markup=False)
    story = data.get("story")
    if story:
        own = data.get("outlet")
        others = [o for o in story.get("outlets", []) if o and o != own]
        n = story["articles"]
        text = f"{story['headline']} ({story['key']}, {n} article{'' if n == 1 else 's'})"
        line("story", text)
        line("other outlets", ", ".join(others) if others else "none yet")


def ingest(
    sources: list[str] = typer.Argument(
        ..., help="Files, folders (searched recursively) and URLs."
    ),
) -> None:
    """Extract and store pages, skipping duplicates (same canonical URL or same content).

    Bad items do not stop the batch; they are listed at the end and make the exit code 1.
    """
    from newsdesk.jobs.on_demand import ingest as ingest_pages
    from newsdesk.sources.loader import PAGE_SUFFIXES, expand_sources, iter_pages

    expanded = expand_sources(sources)
    if not expanded:
        from newsdesk.errors import InputError

        raise InputError(
            "no pages found in " + ", ".join(sources),
            hint="folders are searched for "
            + ", ".join(PAGE_SUFFIXES[:-1])
            + " and "
            + PAGE_SUFFIXES[-1]
            + " files",
        )
    pages = progress_iter(iter_pages(expanded), len(expanded), "ingesting")
    report = ingest_pages(pages)
    out.print(
        f"stored {len(report.stored)}, duplicates {len(report.duplicates)}, "
        f"failed {len(report.failed)}",
        highlight=False,
    )
    for failure in report.failed:
        err.print(f"failed: {failure.reason}", highlight=False, markup=False)
    if report.failed:
        raise typer.Exit(1)


def list_articles(
    limit: int = typer.Option(50, "--limit", "-n", min=1, help="How many, newest first."),
    outlet: str | None = typer.Option(None, "--outlet", help="Only this outlet (name or domain)."),
    cursor: str | None = typer.Option(
        None, "--cursor", help="Go on from this page cursor (printed after a full page)."
    ),
    fmt: Format = typer.Option(Format.text, "--format", "-f", help="text or json."),
    user: str | None = typer.Option(
        None, "--user", "-u", help="This user's articles (what their follows reach), with state."
    ),
    unread: bool = typer.Option(False, "--unread", help="Only unread (needs --user)."),
    starred: bool = typer.Option(False, "--starred", help="Only starred (needs --user)."),
    source: int | None = typer.Option(None, "--source", help="Only this source id (needs --user)."),
) -> None:
    """List stored articles, newest first; with --user, that user's, with read and starred."""
    if user is not None:
        if outlet is not None:
            raise typer.BadParameter("--outlet does not go with --user", param_hint="--outlet")
        from newsdesk.cli.read_state import list_for_user

        list_for_user(
            user,
            unread=unread,
            starred=starred,
            source=source,
            limit=limit,
            cursor=cursor,
            json=fmt is Format.json,
        )
        return
    if unread or starred or source is not None:
        raise typer.BadParameter("--unread, --starred and --source need --user EMAIL")
    from newsdesk.views.articles import article_list

    page = article_list(limit=limit, outlet=outlet, cursor=cursor)
    if page.next_cursor:
        err.print(f"next page: --cursor {page.next_cursor}", highlight=False, markup=False)
    if fmt is Format.json:
        print_json(list_json(page.to_dict(), "items"))
        return
    if not page.items:
        if outlet is not None:
            out.print(
                f"no articles from outlet {outlet!r} (see the outlets in `newsdesk articles list`)",
                highlight=False,
                markup=False,
            )
        elif cursor is not None:
            out.print("no more articles")
        else:
            out.print("no articles yet: add some with `newsdesk ingest PATH|URL`")
        return
    from rich.table import Table

    table = Table("id", "date", "outlet", "title")
    for item in page.items:
        table.add_row(
            str(item.id),
            item.when.date().isoformat(),
            item.article.outlet or "",
            item.article.title,
        )
    out.print(table)


def show_article(
    article_id: int = typer.Argument(..., help="The id from `newsdesk articles list`."),
    fmt: Format = typer.Option(Format.text, "--format", "-f", help="text or json."),
) -> None:
    """Show one stored article, with what newsdesk understood of it and its story."""
    from newsdesk.views.articles import article

    view = article(article_id)
    data = view.to_dict()
    if fmt is Format.json:
        print_json(data)
        return
    _print_article(view.article)
    _print_understanding(data)
