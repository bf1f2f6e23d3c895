"""Character references XML forbids (lone surrogates, NUL): dropped, never a crash."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsdesk import parse_feed

FEED = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Tidewater{ref} Almanac</title>
<link>https://tidewater.example/</link><description>Notes</description>
<item><title>Spring tide{ref} tables printed</title><guid>ta-1</guid>
<description>The almanac prints its tables.</description></item>
<item><title>Lighthouse open day</title><guid>ta-2</guid></item>
</channel></rss>"""


@pytest.mark.parametrize("ref", ["&#xd800;", "&#xDFFF;", "&#55296;", "&#0;", "&#x110000;"])
def test_references_to_forbidden_characters_are_dropped(ref: str) -> None:
    parsed = parse_feed(FEED.format(ref=ref).encode())
    assert parsed.feed.title == "Tidewater Almanac"
    assert [e.title for e in parsed.entries] == [
        "Spring tide tables printed",
        "Lighthouse open day",
    ]


def test_allowed_references_are_kept() -> None:
    parsed = parse_feed(FEED.format(ref="&#233;&#X41;").encode())
    assert parsed.feed.title == "Tidewater\u00e9A Almanac"


def test_feeds_parse_prints_one_feed_for_a_surrogate_reference(cli, tmp_path: Path) -> None:
    path = tmp_path / "almanac.rss"
    path.write_text(FEED.format(ref="&#xd800;"), encoding="utf-8")
    result = cli("feeds", "parse", str(path), "--format", "json")
    assert result.code == 0, result
    assert result.json()["feed"]["title"] == "Tidewater Almanac"
