"""robots.txt for article pages: rules honoured, a missing file allows, a broken one forbids."""

from __future__ import annotations

import asyncio

import pytest

from newsdesk.config import Settings
from newsdesk.sources.fetch.client import Fetcher
from newsdesk.sources.fetch.robots import RobotsCache, product_token
from tests.sources.local_server import LocalServer, Reply


def allowed(settings: Settings, urls: list[str]) -> list[bool]:
    async def check() -> list[bool]:
        async with Fetcher(settings) as fetcher:
            robots = RobotsCache(fetcher)
            return [await robots.allowed(u) for u in urls]

    return asyncio.run(check())


def test_product_token() -> None:
    assert product_token("newsdesk/0.1 (+self-hosted personal news reader)") == "newsdesk"
    assert product_token("  ") == "*"


def test_rules_for_our_agent_and_for_everyone(server: LocalServer, fast_settings: Settings) -> None:
    server.set(
        "/robots.txt",
        Reply(
            200,
            b"User-agent: newsdesk\nDisallow: /members/\n\nUser-agent: *\nDisallow: /\n",
        ),
    )
    urls = [server.url("/news/ferry.html"), server.url("/members/ferry.html")]
    assert allowed(fast_settings, urls) == [True, False]
    assert len(server.hits("/robots.txt")) == 1  # read once per site and run


@pytest.mark.parametrize(("status", "expected"), [(404, True), (410, True), (500, False)])
def test_missing_robots_allows_and_broken_robots_forbids(
    server: LocalServer, fast_settings: Settings, status: int, expected: bool
) -> None:
    server.set("/robots.txt", Reply(status, b""))
    assert allowed(fast_settings, [server.url("/news/a.html")]) == [expected]


def test_unreachable_robots_forbids(fast_settings: Settings) -> None:
    # 10.0.0.1 is refused by the SSRF guard before any connection: no rules, so no page.
    assert allowed(fast_settings, ["http://10.0.0.1/news/a.html"]) == [False]
