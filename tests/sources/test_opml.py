"""OPML import and export: folders become tags and back; no XML entities."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from newsdesk.errors import InputError
from newsdesk.sources.opml import OpmlFeed, parse_opml, render_opml
from tests.conftest import FIXTURES

NOW = datetime(2026, 11, 30, tzinfo=UTC)


def test_folders_become_tags_and_duplicates_merge() -> None:
    feeds = {
        f.url: f for f in parse_opml((FIXTURES / "sources" / "subscriptions.opml").read_bytes())
    }
    assert set(feeds) == {
        "https://harbour-gazette.example/feed.rss",
        "https://valley-courier.example/atom.xml",
        "https://quarry-lane.example/rss",
    }  # the file: URL is dropped
    gazette = feeds["https://harbour-gazette.example/feed.rss"]
    assert gazette.tags == ("News", "Europe")
    assert gazette.title == "The Harbour Gazette"
    assert gazette.site_url == "https://harbour-gazette.example/"
    assert feeds["https://valley-courier.example/atom.xml"].tags == ("News", "Hobbies")
    assert feeds["https://quarry-lane.example/rss"].tags == ()


def test_export_then_import_gives_the_same_feeds() -> None:
    feeds = [
        OpmlFeed(
            "https://a.example/feed", "A & B <news>", "https://a.example/", ("Local", "Daily")
        ),
        OpmlFeed("https://c.example/rss", None, None, ()),
        OpmlFeed("https://d.example/atom", "D", None, ("Local",)),
    ]
    data = render_opml(feeds, now=NOW)
    assert data.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    back = {f.url: f for f in parse_opml(data)}
    assert back["https://a.example/feed"].title == "A & B <news>"
    assert back["https://a.example/feed"].tags == ("Local", "Daily")
    assert back["https://c.example/rss"].tags == ()
    assert back["https://d.example/atom"].tags == ("Local",)


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (
            b'<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY a "aaaa">]>'
            b'<opml><body><outline text="&a;" xmlUrl="https://x.example/"/></body></opml>',
            "entities",
        ),
        (
            b'<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY s SYSTEM "file:///etc/hostname">]>'
            b'<opml><body><outline text="&s;" xmlUrl="https://x.example/"/></body></opml>',
            "entities",
        ),
        (b"<opml><body><outline", "not valid XML"),
        (b"<rss><channel/></rss>", "not OPML"),
    ],
)
def test_bad_opml_is_refused_with_a_reason(data: bytes, words: str) -> None:
    with pytest.raises(InputError, match=words):
        parse_opml(data)


def test_cli_import_export_round_trip(db: Any, cli: Any, tmp_path: Path) -> None:
    result = cli("sources", "import", str(FIXTURES / "sources" / "subscriptions.opml"))
    assert result.code == 0, result
    assert "imported 3 feeds: 3 new" in result.stdout
    again = cli("sources", "import", str(FIXTURES / "sources" / "subscriptions.opml"))
    assert "0 new, 3 already there" in again.stdout
    listed = cli("sources", "list", "--format", "json").json()
    assert {tuple(s["tags"]) for s in listed} == {("Europe", "News"), ("Hobbies", "News"), ()}
    out = tmp_path / "out.opml"
    assert cli("sources", "export", str(out)).code == 0
    exported = {f.url: f for f in parse_opml(out.read_bytes())}
    assert set(exported) == {s["url"] for s in listed}
    assert set(exported["https://harbour-gazette.example/feed.rss"].tags) == {"Europe", "News"}


def test_cli_import_of_a_missing_file(db: Any, cli: Any, tmp_path: Path) -> None:
    result = cli("sources", "import", str(tmp_path / "nope.opml"))
    assert result.code == 1 and "cannot read" in result.stderr
