"""The reader's fast paths give what the general routines give (issue 15, feed speed)."""

from __future__ import annotations

import pytest

from newsdesk import parse_feed
from newsdesk.models import FeedItem
from newsdesk.sources.feeds.text import html_to_paragraphs, plain_text


@pytest.mark.parametrize(
    "value",
    [
        "Ferry fares",
        "  Tide\n\n table\tnotes ",
        "nbsp\u00a0kept",
        "a\u2028b",
        "x\x1cy",
        "\u3000",
        "",
    ],
)
def test_plain_text_without_markup_is_what_the_html_routine_gives(value: str) -> None:
    assert plain_text(value) == (" ".join(html_to_paragraphs(value)) or None)


def _rss(item_base: str = "", body_base: str = "") -> bytes:
    body = "<p>" + "Harbour news. " * 60 + '<a href="/quay">quay</a></p>'
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Ledger</title>'
        f"<item{item_base}><title>Quay works</title><link>/story/1</link>"
        f"<content:encoded{body_base}><![CDATA[{body}]]></content:encoded></item>"
        "</channel></rss>"
    ).encode()


def test_a_feed_without_xml_base_resolves_against_its_url() -> None:
    entry = parse_feed(_rss(), url="https://ledger.example/feed.xml").entries[0]
    assert entry.link == "https://ledger.example/story/1"
    assert entry.content is not None and 'href="https://ledger.example/quay"' in entry.content


def test_xml_base_on_an_item_and_its_body_is_still_honoured() -> None:
    data = _rss(' xml:base="https://other.example/a/"', ' xml:base="https://third.example/"')
    entry = parse_feed(data, url="https://ledger.example/feed.xml").entries[0]
    assert entry.link == "https://other.example/story/1"
    assert entry.content is not None and 'href="https://third.example/quay"' in entry.content


def test_a_feed_item_is_immutable_and_changed_by_replace() -> None:
    item = FeedItem(key="k", title="Quay works")
    with pytest.raises(AttributeError):
        item.title = "other"  # type: ignore[misc]
    assert item._replace(title="Quay reopens").title == "Quay reopens"
    assert item.title == "Quay works"
