"""The odd corners real feeds use: each found by comparing with feedparser on its test corpus."""

from __future__ import annotations

import base64

from newsdesk import parse_feed


def atom(body: str, ns: str = "http://www.w3.org/2005/Atom") -> bytes:
    return f'<feed xmlns="{ns}"><title>Saltmere Tide Log</title>{body}</feed>'.encode()


def rss_item(body: str) -> bytes:
    head = '<rss version="2.0"><channel><title>Wick Lane</title>'
    return f"{head}<item>{body}</item></channel></rss>".encode()


def test_scripts_styles_and_comments_in_titles_are_not_text():
    data = atom(
        '<entry><id>e1</id><title type="html">Tide &lt;script&gt;alert("x")&lt;/script&gt;'
        "&lt;style&gt;p {color: red}&lt;/style&gt;tables &lt;!-- note --&gt;today</title></entry>"
    )
    assert parse_feed(data).entries[0].title == "Tide tables today"


def test_a_greater_than_sign_inside_an_attribute_does_not_end_the_tag():
    data = atom(
        '<entry><id>e1</id><title type="html">&lt;img alt="a &gt; b" src="x.png"&gt;Low water'
        "</title></entry>"
    )
    assert parse_feed(data).entries[0].title == "Low water"


def test_atom_in_an_unknown_namespace_is_still_read():
    data = atom(
        "<entry><id>e1</id><title>Neap tide</title></entry>", ns="http://tidelog.example/ns#"
    )
    feed = parse_feed(data)
    assert feed.feed.title == "Saltmere Tide Log"
    assert [e.title for e in feed.entries] == ["Neap tide"]


def test_atom_binary_media_type_means_base64():
    encoded = base64.b64encode(b"Spring <b>tide</b>").decode()
    kind = "application/octet-stream"
    data = atom(f'<entry><id>e1</id><title type="{kind}">{encoded}</title></entry>')
    # decoded, and not HTML: the angle brackets are part of the text
    assert parse_feed(data).entries[0].title == "Spring <b>tide</b>"


def test_atom_link_written_as_text_and_http_ids_as_links():
    data = atom(
        '<entry><id>e1</id><link rel="alternate">https://tidelog.example/e1</link></entry>'
        "<entry><id>https://tidelog.example/e2</id></entry>"
        "<entry><id>tag:tidelog.example,2025:e3</id></entry>"
        "<id>https://tidelog.example/</id>",
        ns="http://purl.org/atom/ns#",
    )
    feed = parse_feed(data)
    assert [e.link for e in feed.entries] == [
        "https://tidelog.example/e1",
        "https://tidelog.example/e2",
        None,  # a tag: URI names the entry but is no address
    ]
    assert feed.feed.link == "https://tidelog.example/"


def test_content_by_reference_is_a_link_only_when_it_is_a_page():
    page = '<content src="https://tidelog.example/e1.html" type="text/html"/>'
    video = '<content src="https://tidelog.example/e2.mp4" type="video/mp4"/>'
    data = atom(f"<entry><id>e1</id>{page}</entry><entry><id>e2</id>{video}</entry>")
    first, second = parse_feed(data).entries
    assert first.link == "https://tidelog.example/e1.html"
    assert second.link is None


def test_rss_dublin_core_and_media_titles_stand_in_for_a_missing_title():
    data = (
        b'<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"'
        b' xmlns:media="http://search.yahoo.com/mrss/"><channel><dc:title>Wick Lane</dc:title>'
        b"<item><guid>a</guid><dc:title>Allotment prize</dc:title></item>"
        b"<item><guid>b</guid><media:title>Bonfire photos</media:title></item>"
        b"<item><guid>c</guid><title>Real title</title><media:title>Not this</media:title></item>"
        b"</channel></rss>"
    )
    feed = parse_feed(data)
    assert feed.feed.title == "Wick Lane"
    assert [e.title for e in feed.entries] == ["Allotment prize", "Bonfire photos", "Real title"]


def test_category_with_nested_markup_keeps_only_its_own_text():
    data = rss_item(
        "<guid>a</guid><category>Gardens<image><title>Leaked title</title>"
        "<url>https://wick.example/i.png</url></image></category>"
    )
    (entry,) = parse_feed(data).entries
    assert entry.categories == ("Gardens",)
    assert entry.title is None


def test_upper_case_hexadecimal_character_reference_is_repaired():
    feed = parse_feed(rss_item("<guid>a</guid><title>&#X41;llotment</title>"))
    assert feed.entries[0].title == "Allotment"
    assert feed.bozo is True


def test_itunes_namespace_in_its_old_capitalisation():
    data = (
        b'<rss xmlns:itunes="http://www.itunes.com/DTDs/Podcast-1.0.dtd"><channel>'
        b"<item><guid>ep1</guid><itunes:author>Rook Dallow</itunes:author></item>"
        b"</channel></rss>"
    )
    assert parse_feed(data).entries[0].authors == ("Rook Dallow",)


def test_doctype_words_in_a_comment_or_the_body_are_left_alone():
    data = (
        b'<!-- generated; see "<!DOCTYPE" notes -->\n<rss version="2.0"><channel><title>Wick'
        b"</title><item><guid>a</guid><description><![CDATA[ <!DOCTYPE ]]></description>"
        b"</item></channel></rss>"
    )
    feed = parse_feed(data)
    assert feed.bozo is False
    assert feed.entries[0].summary == "<!DOCTYPE"


def test_podcast_and_dublin_core_extras():
    data = (
        b'<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"'
        b' xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>Wick Radio</title>'
        b"<item><guid>ep2</guid><author>Rook Dallow (rook@wick.example)</author>"
        b'<itunes:category text="Leisure"><itunes:category text="Gardening"/></itunes:category>'
        b"<dc:description>Compost, mostly.</dc:description>"
        b'<link rel="enclosure" href="https://wick.example/ep2.mp3" type="audio/mpeg"/>'
        b"</item></channel></rss>"
    )
    (entry,) = parse_feed(data).entries
    assert entry.authors == ("Rook Dallow",)
    assert entry.categories == ("Leisure", "Gardening")
    assert entry.summary == "Compost, mostly."
    assert [e.url for e in entry.enclosures] == ["https://wick.example/ep2.mp3"]
    assert entry.link is None


def test_large_cdata_bodies_read_as_an_xml_parser_would():
    """Bodies of 512 bytes and more are cut out before libxml2 parses the rest (for speed):
    what the reader gets must not change for it."""
    long_text = "<p>" + "The ferry left the quay at dawn. " * 30 + "</p>"
    bodies = [
        long_text + "\r\n<!-- more -->\r\n" + long_text,  # a comment inside a body is its text
        long_text + "\x01\x0b bell\x1f" + long_text,  # characters XML forbids are dropped
        long_text + "]] ]> ]]" + long_text,  # brackets that do not close the section
    ]
    items = "".join(
        f"<item><guid>g{i}</guid><description><![CDATA[{body}]]></description></item>"
        for i, body in enumerate(bodies)
    )
    # a section inside a comment between items is not a body
    commented = "<!-- <![CDATA[" + "x" * 600 + "]]> -->"
    data = rss_item("<guid>g-first</guid>").replace(b"</channel>", (commented + items).encode())
    data = data.replace(b"</rss>", b"</channel></rss>")
    entries = parse_feed(data).entries
    assert [e.key for e in entries] == ["g-first", "g0", "g1", "g2"]
    assert entries[1].summary == long_text + "\n<!-- more -->\n" + long_text
    assert entries[2].summary == long_text + " bell" + long_text
    assert entries[3].summary == long_text + "]] ]> ]]" + long_text
    assert not parse_feed(data).bozo
