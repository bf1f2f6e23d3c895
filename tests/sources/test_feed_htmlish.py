"""Feeds whose content looks like HTML are read as the feeds they are (issue 15).

Fictional outlet. A document is refused as "an HTML page" only when it has no
feed root at all; a feed after a server's error markup, or whose entries carry
raw HTML that breaks the XML, keeps every entry feedparser finds.
"""

from __future__ import annotations

import io

import feedparser
import pytest

from newsdesk.errors import FeedError
from newsdesk.sources.feeds.parse import parse_feed

_ENTRY = (
    "<entry><title>Tide gauge {n}</title><id>urn:marlow:{n}</id>"
    '<link href="https://marlow-courier.example/{n}"/>'
    "<updated>2031-03-1{n}T09:00:00Z</updated>"
    '<content type="html">{body}</content></entry>'
)
_HEAD = '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
_FEED = _HEAD + "<title>Marlow Courier</title><id>urn:marlow</id>{entries}</feed>"


def _feed(bodies: list[str]) -> bytes:
    entries = "".join(_ENTRY.format(n=i, body=b) for i, b in enumerate(bodies))
    return _FEED.format(entries=entries).encode()


def _feedparser_entries(data: bytes) -> int:
    return len(feedparser.parse(io.BytesIO(data)).entries)


def test_a_feed_with_raw_html_content_keeps_every_entry() -> None:
    data = _feed(
        [
            "<p>The barrier &nbsp; was approved.<br></p>",
            "<html><body><p>Work starts in spring</body></html>",
            "&lt;p&gt;Fishermen object.&lt;/p&gt;",
        ]
    )
    parsed = parse_feed(data)
    assert parsed.feed.title == "Marlow Courier"
    assert len(parsed.entries) >= _feedparser_entries(data) == 3
    assert parsed.bozo


def test_a_feed_after_error_markup_is_read_not_refused_as_a_page() -> None:
    data = b"<html><body><b>Warning</b>: cache miss</body></html>\n" + _feed(
        ["&lt;p&gt;One.&lt;/p&gt;", "&lt;p&gt;Two.&lt;/p&gt;"]
    )
    parsed = parse_feed(data)
    assert [e.title for e in parsed.entries] == ["Tide gauge 0", "Tide gauge 1"]
    assert any("before the feed" in w for w in parsed.warnings)


def test_a_page_without_a_feed_root_is_still_refused() -> None:
    page = b"<!doctype html><html><body><h1>Marlow Courier</h1><p>Home</p></body></html>"
    with pytest.raises(FeedError, match="HTML page"):
        parse_feed(page)
