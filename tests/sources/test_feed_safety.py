"""Hostile, broken and oddly encoded feeds: nothing expands or leaks, something is recovered."""

from __future__ import annotations

import json
import resource

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsdesk import parse_feed
from newsdesk.errors import FeedError
from newsdesk.sources.feeds.parse import feed_to_dict
from tests.conftest import FIXTURES

FEEDS = FIXTURES / "feeds"


def test_billion_laughs_is_not_expanded():
    data = (FEEDS / "billion_laughs.xml").read_bytes()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB, native memory included
    feed = parse_feed(data)
    grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    # expanded, &lol9; would be a billion "lol"s (3 GB); the process's peak barely moves
    assert grown < 100_000
    assert feed.feed.title.startswith("Laughing Gull Review")
    assert "lollol" not in json.dumps(feed_to_dict(feed))
    (entry,) = feed.entries
    assert entry.link == "https://gull.example/gulls"
    assert any("DOCTYPE" in w for w in feed.warnings)


def test_external_entities_are_never_fetched_or_read():
    passwd = open("/etc/passwd", encoding="utf-8").read()  # noqa: SIM115 - read once
    assert "root:" in passwd  # the secret the feed tries to smuggle out exists here
    feed = parse_feed((FEEDS / "xxe.xml").read_bytes(), url="https://quietcove.example/feed")
    text = json.dumps(feed_to_dict(feed))
    assert "root:" not in text
    assert "/bin/" not in text
    assert feed.feed.title.startswith("Quiet Cove Notes")
    assert feed.entries[0].link == "https://quietcove.example/report"


def test_xxe_inside_a_parameter_entity_and_a_nested_doctype_trick():
    data = b"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY a "]>"><!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<rss version="2.0"><channel><title>Cove &xxe;</title>
<item><title>One</title><guid>one</guid><description>&xxe;</description></item>
</channel></rss>"""
    feed = parse_feed(data)
    assert "root:" not in json.dumps(feed_to_dict(feed))


def test_windows_1251_feed_declared_in_the_prolog():
    feed = parse_feed((FEEDS / "rss20_windows1251.xml").read_bytes())
    assert feed.feed.title == "Вестник Сосновки"
    (entry,) = feed.entries
    assert entry.title == "Мост через Ивницу открыт после ремонта"
    assert entry.summary == "Движение по мосту восстановлено в среду."


def test_windows_1251_named_only_by_the_http_header():
    data = (FEEDS / "rss20_windows1251.xml").read_bytes()
    bare = data.replace(b' encoding="windows-1251"', b"")
    feed = parse_feed(bare, content_type="application/rss+xml; charset=windows-1251")
    assert feed.feed.title == "Вестник Сосновки"


def test_utf16_with_bom():
    feed = parse_feed((FEEDS / "atom10_utf16_bom.xml").read_bytes())
    assert feed.feed.title == "Ørsted Fjord Tidende"
    (entry,) = feed.entries
    assert entry.title == "Ferja til Ålholm går igjen — «endelig», sier ordføreren"


def test_utf16_big_endian_without_bom_is_sniffed():
    text = (FEEDS / "atom10_utf16_bom.xml").read_bytes()[2:].decode("utf-16-le")
    feed = parse_feed(text.encode("utf-16-be"))
    assert feed.feed.title == "Ørsted Fjord Tidende"


def test_http_charset_overrides_the_prolog():
    data = (FEEDS / "rss20_header_charset_utf8.xml").read_bytes()
    # as declared (iso-8859-1) the UTF-8 bytes read as mojibake ...
    assert parse_feed(data).feed.title == "CafÃ© BrÃ»lÃ© Gazette"
    # ... the server's header says what they are, and the header wins
    feed = parse_feed(data, content_type='application/xml; charset="utf-8"')
    assert feed.feed.title == "Café Brûlé Gazette"
    assert feed.entries[0].title == "Crème fraîche shortage hits Brûlé"


def test_unknown_charset_in_header_is_ignored_with_a_warning():
    data = (FEEDS / "rss20_windows1251.xml").read_bytes()
    feed = parse_feed(data, content_type="text/xml; charset=klingon-8")
    assert feed.feed.title == "Вестник Сосновки"
    assert any("klingon-8" in w for w in feed.warnings)


def test_utf8_declared_but_windows_1252_bytes_are_recovered():
    data = '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
    data += "<title>Caf\u00e9 Bellamy</title><item><guid>x</guid><title>Cr\u00eape day</title>"
    data += "</item></channel></rss>"
    feed = parse_feed(data.encode("cp1252"))
    assert feed.bozo is True
    assert feed.feed.title == "Café Bellamy"
    assert feed.entries[0].title == "Crêpe day"


def test_truncated_feed_keeps_the_entries_before_the_cut():
    feed = parse_feed((FEEDS / "broken_truncated.xml").read_bytes())
    assert feed.bozo is True
    assert feed.warnings
    assert [e.title for e in feed.entries] == [
        "Bridge reopens after repairs",
        "School choir to tour the coast",
    ]
    assert feed.entries[0].key == "https://millbrook.example/bridge-reopens"


def test_bare_ampersands_and_html_entities_are_repaired():
    feed = parse_feed((FEEDS / "broken_markup.xml").read_bytes())
    assert feed.bozo is True
    assert feed.feed.title == "Fenwick & Daughters Trade News"
    first = feed.entries[0]
    assert first.title == "Prices rise at the wool exchange – again"
    assert first.link == "https://fenwick.example/news?id=7&page=2"
    assert '"modest"' in first.summary
    assert len(feed.entries) == 2


def test_comment_only_xml_document_is_an_empty_malformed_feed():
    feed = parse_feed(b'<?xml version="1.0"?>\n<!-- the generator crashed here -->\n')
    assert feed.bozo is True and feed.entries == ()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=600))
def test_arbitrary_bytes_give_a_feed_or_a_feed_error(data):
    try:
        feed = parse_feed(data)
    except FeedError as exc:
        assert str(exc).startswith("feeds: ")
    else:
        json.dumps(feed_to_dict(feed))


_FEEDISH = st.sampled_from(
    [
        b"<rss", b"<channel>", b"<item>", b"</item>", b"<title>", b"</title>", b"<link>",
        b"<feed xmlns='http://www.w3.org/2005/Atom'>", b"<entry>", b"</entry>", b"<![CDATA[",
        b"]]>", b"&amp;", b"&eacute;", b"&#x1;", b"<!DOCTYPE rss [<!ENTITY e 'x'>]>", b"&e;",
        b"\xff\xfe", b"\x00", b"<?xml version='1.0' encoding='utf-16'?>", b"{", b'"items": [',
        b"</rss>", b"<guid>", b"</guid>", b"xml:base='../'", b"<a href='/x'>", b"\xe9",
    ]
)  # fmt: skip


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(_FEEDISH, st.binary(max_size=8)), max_size=40))
def test_feed_shaped_garbage_gives_a_feed_or_a_feed_error(parts):
    data = b"".join(parts)
    try:
        feed = parse_feed(data, url="https://fuzz.example/feed")
    except FeedError:
        return
    json.dumps(feed_to_dict(feed))
    for entry in feed.entries:
        assert entry.key


def test_json_feed_in_any_unicode_encoding():
    doc = '{"version": "https://jsonfeed.org/version/1.1", "title": "Ørsted Notes",'
    doc += ' "items": [{"id": "1", "title": "Ålholm ferry"}]}'
    for encoding in ("utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-32"):
        feed = parse_feed(doc.encode(encoding))
        assert feed.feed.title == "Ørsted Notes", encoding
        assert feed.entries[0].title == "Ålholm ferry", encoding
