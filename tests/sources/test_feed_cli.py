"""`newsdesk feeds parse` on files, stdin and a real local HTTP server."""

from __future__ import annotations

from tests.conftest import FIXTURES
from tests.sources.local_server import Reply

FEEDS = FIXTURES / "feeds"


def test_parse_file_as_json_has_feed_and_entries(cli):
    result = cli("feeds", "parse", str(FEEDS / "rss20_harbour_ledger.xml"), "--format", "json")
    assert result.code == 0, result
    data = result.json()
    assert set(data) == {"feed", "entries"}
    assert data["feed"]["title"] == "The Harbourside Ledger"
    assert data["feed"]["format"] == "rss20"
    first = data["entries"][0]
    assert set(first) == {
        "key", "link", "title", "authors", "published", "updated", "summary", "content",
        "enclosures", "categories",
    }  # fmt: skip
    assert first["key"] == "ledger-2025-0412"
    assert first["published"] == "2025-09-02T08:15:00+00:00"
    assert first["enclosures"][0] == {
        "url": "https://ledger.example/img/ferry-large.jpg",
        "type": "image/jpeg",
        "length": 48213,
    }
    # no URL given: a relative link stays relative rather than being guessed
    assert data["entries"][1]["link"] == "/news/lighthouse-keeper"


def test_parse_reads_stdin_by_default_and_resolves_against_url(cli):
    data = (FEEDS / "rss20_harbour_ledger.xml").read_bytes()
    result = cli(
        "feeds", "parse", "--format", "json", "--url", "https://ledger.example/feed", input=data
    )
    assert result.code == 0, result
    assert result.json()["entries"][1]["link"] == "https://ledger.example/news/lighthouse-keeper"


def test_parse_text_format_lists_entries(cli):
    result = cli("feeds", "parse", str(FEEDS / "atom10_estuary_courier.xml"))
    assert result.code == 0, result
    assert "The Estuary Courier" in result.stdout
    assert "3 entries" in result.stdout
    assert "Tidal barrier passes its first storm test" in result.stdout
    assert "by Rosalind Carrow, Peder Hallsey" in result.stdout
    assert "https://courier.example/news/881-tidal-barrier" in result.stdout


def test_parse_html_page_fails_with_one_actionable_line(cli):
    result = cli("feeds", "parse", str(FEEDS / "not_a_feed.html"))
    assert result.code == 1
    assert "feeds: document is an HTML page, not a feed" in result.stderr
    assert "sources add" in result.stderr
    assert result.stdout == ""


def test_parse_missing_file_and_empty_stdin(cli):
    missing = cli("feeds", "parse", str(FEEDS / "no-such-feed.xml"))
    assert missing.code == 1 and "does not exist" in missing.stderr
    empty = cli("feeds", "parse", input=b"")
    assert empty.code == 1 and "standard input is empty" in empty.stderr


def test_parse_broken_feed_warns_and_still_prints_entries(cli):
    result = cli("feeds", "parse", str(FEEDS / "broken_truncated.xml"), "--format", "json")
    assert result.code == 0, result
    data = result.json()
    assert data["feed"]["bozo"] is True
    assert data["feed"]["warnings"]
    assert len(data["entries"]) == 2


def test_parse_url_fetches_through_the_fetcher_and_uses_its_charset(cli, server, fast_settings):
    body = (FEEDS / "rss20_header_charset_utf8.xml").read_bytes()
    url = server.set(
        "/brule/feed", Reply(200, body, {"Content-Type": "application/rss+xml; charset=utf-8"})
    )
    result = cli("feeds", "parse", url, "--format", "json")
    assert result.code == 0, result
    data = result.json()
    assert data["feed"]["title"] == "Café Brûlé Gazette"
    assert len(server.hits("/brule/feed")) == 1


def test_parse_url_refused_by_the_ssrf_guard_without_the_allowance(cli, server):
    url = server.set("/feed", Reply(200, (FEEDS / "rss20_harbour_ledger.xml").read_bytes()))
    result = cli("feeds", "parse", url)
    assert result.code == 1
    assert server.hits("/feed") == []
