"""Finding a site's feeds: the URL itself, <link rel="alternate">, then common paths."""

from __future__ import annotations

from typing import Any

from newsdesk.config import Settings
from newsdesk.sources.discover import discover, feed_links
from tests.conftest import FIXTURES
from tests.sources.local_server import LocalServer, Reply

GAZETTE = (FIXTURES / "sources" / "harbour_gazette.rss").read_bytes()

HOME = b"""<!DOCTYPE html><html><head><title>Saltmere news</title>
<link rel="stylesheet" href="/style.css">
<link rel="alternate" type="application/rss+xml" title="All stories" href="/feeds/all.rss">
<link rel="alternate" type="application/atom+xml" title="Broken" href="/feeds/missing.atom">
<link rel="alternate" type="application/rss+xml" href="http://10.0.0.1/internal.rss">
<link rel="alternate" hreflang="de" href="/de/">
</head><body><p>Welcome</p></body></html>"""


def test_feed_links_are_read_from_the_page_head() -> None:
    links = feed_links(HOME, "https://saltmere.example/news/")
    assert links == [
        ("https://saltmere.example/feeds/all.rss", "All stories"),
        ("https://saltmere.example/feeds/missing.atom", "Broken"),
        ("http://10.0.0.1/internal.rss", None),
    ]


def test_a_feed_url_is_its_own_feed(server: LocalServer, fast_settings: Settings) -> None:
    url = server.set("/feed.rss", Reply(200, GAZETTE))
    [found] = discover(url, fast_settings)
    assert found.url == url and found.title == "The Harbour Gazette"


def test_site_page_links_are_checked_and_unreadable_ones_dropped(
    server: LocalServer, fast_settings: Settings
) -> None:
    server.set("/", Reply(200, HOME, {"Content-Type": "text/html"}))
    server.set("/feeds/all.rss", Reply(200, GAZETTE))
    found = discover(server.url("/"), fast_settings)
    assert [f.url for f in found] == [server.url("/feeds/all.rss")]
    assert found[0].title == "The Harbour Gazette"


def test_common_paths_are_tried_when_the_page_names_no_feed(
    server: LocalServer, fast_settings: Settings
) -> None:
    server.set("/", Reply(200, b"<html><head><title>x</title></head><body>hi</body></html>"))
    server.set("/rss.xml", Reply(200, GAZETTE))
    found = discover(server.url("/"), fast_settings)
    assert [f.url for f in found] == [server.url("/rss.xml")]


def test_cli_add_discovers_and_lists_the_source(
    db: Any, cli: Any, server: LocalServer, fast_settings: Settings
) -> None:
    server.set("/", Reply(200, HOME, {"Content-Type": "text/html"}))
    server.set("/feeds/all.rss", Reply(200, GAZETTE))
    result = cli("sources", "add", server.url("/"), "--tag", "local")
    assert result.code == 0, result
    assert "added" in result.stdout and server.url("/feeds/all.rss") in result.stdout
    again = cli("sources", "add", server.url("/feeds/all.rss"))
    assert "already there" in again.stdout
    [row] = cli("sources", "list", "--format", "json").json()
    assert row["url"] == server.url("/feeds/all.rss")
    assert row["title"] == "The Harbour Gazette" and row["tags"] == ["local"]


def test_cli_add_without_a_feed_says_so(
    db: Any, cli: Any, server: LocalServer, fast_settings: Settings
) -> None:
    server.set("/", Reply(200, b"<html><body>nothing here</body></html>"))
    result = cli("sources", "add", server.url("/"))
    assert result.code == 1 and "no feed found" in result.stderr
    assert cli("sources", "list", "--format", "json").json() == []


def test_cli_add_refuses_private_addresses(db: Any, cli: Any) -> None:
    result = cli("sources", "add", "http://192.168.1.1/feed")
    assert result.code == 1 and "private network" in result.stderr
