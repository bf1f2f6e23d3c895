"""parse_feed on feeds we wrote, one per format: what a reader of each entry would check."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from newsdesk import parse_feed
from newsdesk.errors import FeedError
from newsdesk.models import Enclosure
from tests.conftest import FIXTURES

FEEDS = FIXTURES / "feeds"


def parse(name: str, url: str | None = None):
    return parse_feed((FEEDS / name).read_bytes(), url=url)


def test_rss20_entries_are_typed_and_complete():
    feed = parse("rss20_harbour_ledger.xml", url="https://ledger.example/feed.xml")
    assert feed.feed.title == "The Harbourside Ledger"
    assert feed.feed.link == "https://ledger.example/"
    assert feed.feed.language == "en-gb"
    assert feed.feed.format == "rss20"
    assert feed.feed.updated == datetime(2025, 9, 2, 17, 30, tzinfo=UTC)
    assert feed.bozo is False
    first, second, third = feed.entries
    # guid wins for the key; HTML in the title is reduced to its text
    assert first.key == "ledger-2025-0412"
    assert first.title == "Ferry timetable changes from Monday"
    assert first.published == datetime(2025, 9, 2, 8, 15, tzinfo=UTC)
    assert first.authors == ("Marguerite Oakhill",)
    assert first.categories == ("Transport", "Wrenmouth")
    # CDATA content is kept as HTML, its relative links made absolute against the feed URL
    assert first.summary == "<p>The <b>Wrenmouth</b> ferry will run every 40 minutes.</p>"
    assert '<a href="https://ledger.example/timetables/autumn">' in first.content
    assert '<img src="https://ledger.example/img/ferry.jpg"' in first.content
    assert first.enclosures == (
        Enclosure("https://ledger.example/img/ferry-large.jpg", "image/jpeg", 48213),
    )
    # no guid: the (resolved) link is the key; "email (Name)" authors keep the name
    assert second.link == "https://ledger.example/news/lighthouse-keeper"
    assert second.key == second.link
    assert second.authors == ("Tobias Fenwright",)
    assert second.enclosures[0].url == "https://ledger.example/audio/keeper-interview.mp3"
    assert second.enclosures[0].length == 1843200
    # neither guid nor link nor date: a content hash, entities decoded in the summary text
    assert third.link is None and third.published is None
    assert third.key.startswith("sha256:")
    assert third.summary == "Readers write about the new harbour wall & the fish market."


def test_rss10_rdf_uses_rdf_about_and_dublin_core():
    feed = parse("rss10_valley_gazette.rdf")
    assert feed.feed.format == "rss10"
    assert feed.feed.language == "en"
    assert feed.feed.updated == datetime(2025, 8, 29, 5, 0, tzinfo=UTC)
    fair, road = feed.entries
    assert fair.key == "https://gazette.example/2025/08/orchard-fair"
    assert fair.authors == ("Ivo Pellander",)
    assert fair.categories == ("Events",)
    assert fair.published == datetime(2025, 8, 28, 14, 45, tzinfo=UTC)
    assert road.published == datetime(2025, 8, 27, tzinfo=UTC)  # a date alone is midnight UTC


def test_rss091_with_netscape_doctype_decodes_html_entities():
    feed = parse("rss091_old_mill.xml")
    assert feed.feed.format == "rss091"
    assert feed.feed.title == "Old Mill Café Notes"
    (entry,) = feed.entries
    assert entry.title == "Crème brûlée returns — on Fridays"
    assert entry.summary == "Baker Odile Verance brings back the dessert…"


def test_atom10_resolves_links_against_xml_base_and_reads_text_constructs():
    feed = parse("atom10_estuary_courier.xml", url="https://elsewhere.example/feeds/atom.xml")
    assert feed.feed.format == "atom10"
    assert feed.feed.title == "The Estuary Courier"  # type="html" title reduced to text
    assert feed.feed.link == "https://courier.example/"  # xml:base beats the fetch URL
    assert feed.feed.language == "en"
    barrier, rowing, dues = feed.entries
    assert barrier.key == "tag:courier.example,2025:news-881"
    assert barrier.link == "https://courier.example/news/881-tidal-barrier"
    assert barrier.published == datetime(2025, 9, 2, 20, 10, tzinfo=UTC)
    assert barrier.updated == datetime(2025, 9, 3, 5, 45, tzinfo=UTC)
    assert barrier.authors == ("Rosalind Carrow", "Peder Hallsey")
    assert barrier.categories == ("environment", "saltmere")
    assert barrier.enclosures == (
        Enclosure("https://courier.example/media/barrier.mp4", "video/mp4", 9120000),
    )
    # a text summary is escaped to HTML; an html content is unescaped once
    assert barrier.summary == "Gates closed for six hours &amp; the town stayed dry."
    assert barrier.content.startswith("<p>The new gates closed for six hours.")
    assert 'href="https://courier.example/news/870"' in barrier.content
    # nested xml:base on the entry; xhtml title and content
    assert rowing.link == "https://courier.example/sport/212-estuary-cup"
    assert rowing.title == "Rowing club wins estuary cup"
    assert rowing.content.startswith("<p>The eight from")
    assert 'href="https://courier.example/clubs/saltmere-rc"' in rowing.content
    assert "xmlns" not in rowing.content
    # content by reference (src=) is not content we have; no published date, only updated
    assert dues.content is None and dues.published is None
    assert dues.updated == datetime(2025, 8, 31, 12, 0, tzinfo=UTC)


def test_atom03_modes_escaped_and_base64():
    feed = parse("atom03_lamplighter.xml")
    assert feed.feed.format == "atom03"
    assert feed.feed.description == "Evening news for Ashcombe"
    assert feed.feed.updated == datetime(2025, 7, 14, 20, 0, tzinfo=UTC)
    market, notice = feed.entries
    assert market.published == datetime(2025, 7, 14, 17, 0, tzinfo=UTC)  # <issued>
    assert market.updated == datetime(2025, 7, 14, 19, 30, tzinfo=UTC)  # <modified>
    assert market.content == "<p>Forty stalls lined the square.</p>"
    assert market.summary == "Forty stalls and a brass band."
    assert notice.content == "<p>Bins are collected on Wednesday.</p>"


def test_json_feed_11_and_10():
    feed = parse("jsonfeed11_north_quay.json", url="https://northquay.example/feed.json")
    assert feed.feed.format == "json11"
    assert feed.feed.language == "en-GB"
    assert feed.feed.description == "Shipping &amp; harbour news from North Quay"
    ship, crane = feed.entries
    assert ship.key == "nq-5531"
    assert ship.title == "Grain ship Marlow Star docks early"
    assert ship.authors == ("Hester Quill", "Abel Roan")
    assert ship.categories == ("shipping", "grain")
    assert ship.published == datetime(2025, 9, 1, 7, 30, tzinfo=UTC)
    assert ship.updated == datetime(2025, 9, 1, 10, 0, tzinfo=UTC)
    assert 'href="https://northquay.example/ships/marlow-star"' in ship.content
    assert ship.enclosures == (
        Enclosure("https://northquay.example/audio/5531.mp3", "audio/mpeg", 2200000),
    )
    assert crane.key == "5530"  # a numeric id is still an id
    assert crane.link == "https://northquay.example/posts/5530"
    assert crane.content == "Crane 3 is out of service until Thursday."
    old = parse("jsonfeed10_tannery_row.json")
    assert old.feed.format == "json10"
    (party,) = old.entries
    assert party.authors == ("Wilf Ardent",)
    assert party.content == "Bring a chair &amp; a dish."


def test_keys_are_stable_across_refetches():
    """The same document parsed twice (a re-fetch) yields the same keys, in order."""
    for name in ("rss20_harbour_ledger.xml", "atom10_estuary_courier.xml"):
        once = [e.key for e in parse(name, url="https://feeds.example/x").entries]
        again = [e.key for e in parse(name, url="https://feeds.example/x").entries]
        assert once == again
        assert len(set(once)) == len(once)


def test_hash_key_changes_only_with_the_entry():
    template = (
        '<rss version="2.0"><channel><title>Tide Tables</title>'
        "<item><title>{title}</title><description>High water 06:12</description></item>"
        "</channel></rss>"
    )
    one = parse_feed(template.format(title="Monday").encode()).entries[0].key
    same = parse_feed(template.format(title="Monday").encode()).entries[0].key
    other = parse_feed(template.format(title="Tuesday").encode()).entries[0].key
    assert one == same != other


def test_namespaced_media_group_and_itunes_author():
    data = b"""<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"
      xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd">
      <channel><title>Kelp Radio</title><item><title>Episode 4</title>
      <guid>kelp-4</guid><itunes:author>Fern Callow</itunes:author>
      <media:group>
        <media:content url="https://kelp.example/4-low.mp3" type="audio/mpeg" fileSize="100"/>
        <media:content url="https://kelp.example/4-high.mp3" type="audio/mpeg"/>
      </media:group></item></channel></rss>"""
    (entry,) = parse_feed(data).entries
    assert entry.authors == ("Fern Callow",)
    assert [e.url for e in entry.enclosures] == [
        "https://kelp.example/4-low.mp3",
        "https://kelp.example/4-high.mp3",
    ]
    assert entry.enclosures[0].length == 100


def test_odd_and_missing_dates_never_lose_an_entry():
    data = b"""<rss version="2.0"><channel><title>Dates</title>
      <item><guid>a</guid><pubDate>Wed, 3 Sep 2025 07:05:09 EDT</pubDate></item>
      <item><guid>b</guid><pubDate>2025-09-03T07:05:09.123+05:30</pubDate></item>
      <item><guid>c</guid><pubDate>sometime last week</pubDate></item>
      <item><guid>d</guid><pubDate>Thu, 31 Feb 2025 10:00:00 GMT</pubDate></item>
    </channel></rss>"""
    a, b, c, d = parse_feed(data).entries
    assert a.published == datetime(2025, 9, 3, 11, 5, 9, tzinfo=UTC)
    assert b.published == datetime(2025, 9, 3, 1, 35, 9, 123000, tzinfo=UTC)
    assert c.published is None and d.published is None
    assert [e.key for e in (a, b, c, d)] == ["a", "b", "c", "d"]


def test_a_date_with_a_broken_zone_is_no_date_not_an_error():
    data = b"""<feed xmlns="http://www.w3.org/2005/Atom"><title>Zones</title>
      <entry><id>a</id><published>Mon, 01 Sep 2025 05:15:00 +020a</published></entry>
      <entry><id>b</id><updated>Mon, 01 Sep 2025 05:15:00 +2</updated></entry>
      <entry><id>c</id><updated>Mon, 01 Sep 2025 05:15:00 -0130</updated></entry>
    </feed>"""
    a, b, c = parse_feed(data).entries
    assert a.published is None and b.updated is None
    assert c.updated == datetime(2025, 9, 1, 6, 45, tzinfo=UTC)


def test_a_date_past_the_calendar_in_utc_is_no_date_not_an_error():
    data = b"""<rss version="2.0"><channel><title>Edges</title>
      <item><guid>a</guid><pubDate>Fri, 31 Dec 9999 23:00:00 -0200</pubDate></item>
      <item><guid>b</guid><pubDate>0001-01-01T00:30:00+01:00</pubDate></item>
      <item><guid>c</guid><pubDate>Fri, 31 Dec 9999 23:00:00 +0200</pubDate></item>
    </channel></rss>"""
    a, b, c = parse_feed(data).entries
    assert a.published is None and b.published is None
    assert c.published == datetime(9999, 12, 31, 21, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ((FEEDS / "not_a_feed.html").read_bytes(), "HTML page"),
        (b"", "empty"),
        (b"   \n\t ", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not an RSS, Atom or JSON feed"),
        (b"<note><to>Ada</to></note>", "root element is <note>"),
        (b'{"name": "not a feed"}', "not a JSON Feed"),
        (b"[1, 2, 3]", "not a JSON Feed"),
        (b'{"version": "https://jsonfeed.org/version/1.1", "items": [', "not valid JSON"),
    ],
)
def test_not_a_feed_raises_feed_error_saying_what_was_found(data, words):
    with pytest.raises(FeedError) as info:
        parse_feed(data)
    assert words in str(info.value)
    assert str(info.value).startswith("feeds: ")


def test_parsing_from_many_threads_at_once_gives_the_same_entries():
    """Refresh parses in worker threads: each thread's parsers must not disturb another's."""
    from concurrent.futures import ThreadPoolExecutor

    names = ["rss20_harbour_ledger.xml", "atom10_estuary_courier.xml", "broken_markup.xml"] * 8
    alone = {n: parse(n, url="https://feeds.example/f").entries for n in set(names)}
    with ThreadPoolExecutor(max_workers=6) as pool:
        together = list(pool.map(lambda n: parse(n, url="https://feeds.example/f").entries, names))
    assert together == [alone[n] for n in names]
