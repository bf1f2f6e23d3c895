"""Feed discovery on hostile pages: broken links are skipped, and the requests stay bounded."""

from __future__ import annotations

import re

from newsdesk.config import Settings
from newsdesk.sources.discover import MAX_CANDIDATES, discover, feed_links
from tests.sources.local_server import LocalServer, Reply

RSS = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Gullwing Weekly</title>
<link>https://gullwing.example/</link><description>Notes</description></channel></rss>"""


def test_a_malformed_feed_link_is_skipped_and_the_good_one_kept() -> None:
    page = b"""<html><head>
    <link rel="alternate" type="application/rss+xml" href="http://[::1">
    <link rel="alternate" type="application/rss+xml" href="/weekly.rss" title="Weekly">
    </head><body></body></html>"""
    assert feed_links(page, "https://gullwing.example/") == [
        ("https://gullwing.example/weekly.rss", "Weekly")
    ]


def test_a_malformed_base_is_ignored() -> None:
    page = b"""<html><head><base href="http://[gullwing.example">
    <link rel="alternate" type="application/atom+xml" href="/all.atom"></head></html>"""
    assert feed_links(page, "https://gullwing.example/news/") == [
        ("https://gullwing.example/all.atom", None)
    ]


def test_sources_add_on_a_page_with_a_broken_feed_link(
    cli, db, server: LocalServer, fast_settings: Settings
) -> None:
    server.set("/weekly.rss", Reply(200, RSS, {"Content-Type": "application/rss+xml"}))
    page = b"""<html><head>
    <link rel="alternate" type="application/rss+xml" href="http://[::1">
    <link rel="alternate" type="application/rss+xml" href="/weekly.rss"></head></html>"""
    url = server.set("/", Reply(200, page, {"Content-Type": "text/html"}))
    result = cli("sources", "add", url)
    assert result.code == 0, result
    assert "/weekly.rss" in result.stdout


def test_a_page_announcing_thousands_of_feeds_costs_a_bounded_number_of_requests(
    server: LocalServer, fast_settings: Settings
) -> None:
    links = "".join(
        f'<link rel="alternate" type="application/rss+xml" href="/f{i}.rss">' for i in range(500)
    )
    url = server.set("/", Reply(200, f"<html><head>{links}</head></html>".encode()))
    assert discover(url, fast_settings) == []
    asked = [s.path for s in server.seen if re.fullmatch(r"/f\d+\.rss", s.path)]
    assert len(asked) == MAX_CANDIDATES
