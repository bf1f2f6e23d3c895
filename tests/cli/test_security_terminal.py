"""Stored text cannot attack the terminal (issue 17, point 3).

Titles, authors, feed names and bodies come from strangers. Printed as Rich
markup, ``[/x]`` ended the listing in a MarkupError and ``[link=...]`` became
a live link; control characters (ESC, OSC 8, C1) reached the terminal as
written. Each payload goes through the store's door and through the commands
that print it: ``articles list``, ``stories list``, ``stories show`` and
``sources list``; and a row written around the door (an older store) is
printed as text too.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import update

from newsdesk.models import Article

NOW = datetime(2031, 3, 14, 9, 0, tzinfo=UTC)

MARKUP = ["[/x]", "[/bold]", "[link=https://evil.example]here[/link]", "[bold red]loud"]
CONTROLS = [
    "\x1b[2J",  # clear the screen
    "\x1b]8;;https://evil.example\x1b\\link\x1b]8;;\x1b\\",  # OSC 8 hyperlink
    "\x1b]0;new window title\x07",  # OSC 0, ended by BEL
    "\x9b2J",  # C1 CSI
    "\x9d0;title\x9c",  # C1 OSC and ST
    "over\rwritten",
    "\x08\x08\x08back",
]
PAYLOADS = MARKUP + CONTROLS
FORBIDDEN = ["\x1b", "\x07", "\x08", "\r", *map(chr, range(0x80, 0xA0))]


def _article(n: int, payload: str) -> Article:
    body = (
        f"The harbour board of Fennick met {n} times {payload} this spring.\n"
        "Its chair, Ines Okafor, said\tthe budget was agreed."
    )
    return Article(
        title=f"Harbour budget {payload} agreed {n}",
        paragraphs=(body, f"A second paragraph {n} about the ferry service and the quay."),
        url=f"https://news.example/harbour-{n}",
        canonical_url=f"https://news.example/harbour-{n}",
        authors=(f"Jane {payload} Doe",),
        outlet=f"Fennick {payload} Post",
        published=NOW,
        extraction_method="html",
    )


def _store(db: object, payloads: list[str]) -> list[int]:
    """Through the one door, with the enrichers (stories take the stored headline)."""
    from newsdesk.jobs.pipeline import store_articles
    from newsdesk.store import sources as sources_repo

    ids = []
    with db.begin() as conn:  # type: ignore[attr-defined]
        outcomes = store_articles(
            conn, [_article(n, p) for n, p in enumerate(payloads)], now=NOW, enrich=True
        )
        ids = [o.article_id for o in outcomes]
        for n, payload in enumerate(payloads):
            sources_repo.add_source(
                conn,
                f"https://news.example/feed-{n}.xml",
                now=NOW,
                title=f"Feed {payload} {n}",
                tags=[f"tag{payload}"],
            )
    return ids


def _check(output: str) -> None:
    for bad in FORBIDDEN:
        assert bad not in output, f"{bad!r} reached the terminal"


def _run_all(cli: object) -> str:
    printed = []
    for args in (("articles", "list"), ("stories", "list"), ("sources", "list")):
        result = cli(*args)  # type: ignore[operator]
        assert result.code == 0, result
        assert "MarkupError" not in result.stderr
        printed.append(result.stdout)
    listed = cli("stories", "list", "--json")  # type: ignore[operator]
    for story in listed.json():
        shown = cli("stories", "show", story["key"])  # type: ignore[operator]
        assert shown.code == 0, shown
        printed.append(shown.stdout)
    return "\n".join(printed)


def test_stored_strings_print_as_text_never_markup_or_controls(db, cli):
    _store(db, PAYLOADS)
    printed = _run_all(cli)
    _check(printed)
    for markup in MARKUP:  # shown literally, not swallowed as markup
        assert markup.split("]")[0] + "]" in printed.replace("\n", "")


def test_the_door_strips_controls_and_keeps_newlines_and_tabs(db):
    from newsdesk.store.articles import get_article
    from newsdesk.store.sources import list_sources

    ids = _store(db, CONTROLS)
    with db.connect() as conn:
        for article_id in ids:
            _, article, _ = get_article(conn, article_id)
            for value in (article.title, article.outlet or "", *article.authors, article.body):
                _check(value)
            assert "\n" in article.paragraphs[0] and "\t" in article.paragraphs[0]
        for source in list_sources(conn):
            _check(source.title or "")
            _check(" ".join(source.tags))


@pytest.mark.parametrize("payload", CONTROLS + MARKUP)
def test_rows_written_around_the_door_still_print_as_text(db, cli, payload):
    from newsdesk.store.tables import articles, sources

    _store(db, ["plain"])
    with db.begin() as conn:
        conn.execute(update(articles).values(title=f"Old {payload} row", authors=[payload]))
        conn.execute(update(sources).values(title=f"Old {payload} feed"))
    _check(_run_all(cli))


def test_user_names_are_stored_without_controls(db):
    from newsdesk.follow.accounts import create_user

    with db.begin() as conn:
        user = create_user(
            conn, "jane@news.example", now=NOW, display_name="Jane\x1b[2J \x1b]0;x\x07Doe"
        )
    _check(user.display_name)
    assert "Jane" in user.display_name and "Doe" in user.display_name
