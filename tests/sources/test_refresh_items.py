"""Feed entries as articles when their page is not extracted."""

from __future__ import annotations

from datetime import UTC, datetime

from newsdesk.extract.feed_entry import article_from_item
from newsdesk.jobs.fulltext import needs_full_text
from newsdesk.models import FeedInfo, FeedItem
from newsdesk.sources.feeds.text import html_to_paragraphs, plain_text


def test_html_fragments_become_paragraphs() -> None:
    html = (
        "<p>The <b>ferry</b> runs twice.</p><script>track()</script>"
        "<p>Tom &amp; Ann said 3 &lt; 4<br>and left.</p><!-- hidden -->"
        "<ul><li>first</li><li>second</li></ul><style>p{}</style>tail"
    )
    assert html_to_paragraphs(html) == (
        "The ferry runs twice.",
        "Tom & Ann said 3 < 4",
        "and left.",
        "first",
        "second",
        "tail",
    )
    assert html_to_paragraphs("a < b, and c > d\n\nnext") == ("a < b, and c > d", "next")
    assert html_to_paragraphs("&lt;b&gt;not a tag&lt;/b&gt;") == ("<b>not a tag</b>",)
    assert html_to_paragraphs("  ") == () and html_to_paragraphs(None) == ()


def test_one_routine_for_bodies_titles_and_names() -> None:
    """plain_text (titles, names) is html_to_paragraphs on one line: the same rules everywhere."""
    assert plain_text("<b>Ferry</b> &amp; <i>bus</i><br>tonight") == "Ferry & bus tonight"
    assert plain_text('<a title="x>y">Quay</a> works') == "Quay works"  # '>' inside quotes
    assert plain_text("Quay<script>track()") == "Quay"  # an unclosed script hides to the end
    assert html_to_paragraphs("<p>Quay<noscript>pixel</noscript></p>") == ("Quay",)
    assert plain_text("  ") is None and plain_text(None) is None


def test_entry_article_prefers_content_and_keeps_the_summary() -> None:
    item = FeedItem(
        key="k1",
        link="https://harbour-gazette.example/a",
        title="Harbour dredging starts",
        authors=("Ines Marlow",),
        published=datetime(2026, 11, 2, tzinfo=UTC),
        summary="<p>Dredging begins.</p>",
        content="<p>Dredging of the inner harbour begins on Monday.</p><p>It lasts a month.</p>",
    )
    feed = FeedInfo(title="The Harbour Gazette", language="en")
    article = article_from_item(item, feed)
    assert article is not None
    assert article.paragraphs == (
        "Dredging of the inner harbour begins on Monday.",
        "It lasts a month.",
    )
    assert article.description == "Dredging begins."
    assert article.canonical_url == item.link and article.outlet == "The Harbour Gazette"
    assert article.authors == ("Ines Marlow",) and article.published == item.published
    assert not needs_full_text(item)


def test_untitled_and_textless_entries() -> None:
    untitled = article_from_item(FeedItem(key="k", summary="Bin collection moves to Wednesdays."))
    assert untitled is not None and untitled.title_generated
    assert untitled.title == "Bin collection moves to Wednesdays."
    title_only = article_from_item(FeedItem(key="k", title="Choir on the green"))
    assert title_only is not None and title_only.paragraphs == ("Choir on the green",)
    assert article_from_item(FeedItem(key="k")) is None
    assert needs_full_text(FeedItem(key="k", link="https://x.example/", summary="teaser"))
    assert not needs_full_text(FeedItem(key="k", summary="no link"))


def test_every_item_of_a_feed_gets_the_feed_outlet() -> None:
    """A full-text page naming its publisher differently keeps the feed's outlet (issue 10)."""
    from newsdesk.extract.feed_entry import with_feed_details
    from newsdesk.models import Article

    feed = FeedInfo(title="The Harbour Gazette", language="en")
    item = FeedItem(key="k2", link="https://harbour-gazette.example/b", title="Ferry fares")
    page = Article(title="Ferry fares", paragraphs=("Fares rise.",), outlet="Harbour Gazette Ltd")
    from_page = with_feed_details(page, item, feed)
    from_entry = article_from_item(item, feed)
    assert from_entry is not None
    assert from_page.outlet == from_entry.outlet == "The Harbour Gazette"
    assert with_feed_details(page, item, None).outlet == "Harbour Gazette Ltd"
