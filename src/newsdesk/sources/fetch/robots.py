"""robots.txt for article pages, fetched once per site per run.

Feeds are published to be polled, so robots.txt is not asked about them; the
article pages newsdesk fetches for full text are crawled on the user's behalf
without a click, so the site's rules apply. Following common practice, a
missing robots.txt (4xx) allows everything, and one that cannot be read
(5xx, timeout) disallows everything for this run rather than guessing.
"""

from __future__ import annotations

import asyncio
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

from newsdesk.errors import FetchError
from newsdesk.logs import get_logger
from newsdesk.sources.fetch.client import Fetcher, HTTPStatusError

log = get_logger(__name__)

MAX_ROBOTS_BYTES = 512 * 1024


def product_token(user_agent: str) -> str:
    """``newsdesk`` from ``newsdesk/0.1 (+...)``: the name robots.txt groups are matched on."""
    return user_agent.split("/", 1)[0].split()[0] if user_agent.strip() else "*"


def parse_robots(text: str) -> RobotFileParser:
    parser = RobotFileParser()
    parser.parse(text.splitlines())
    return parser


class RobotsCache:
    """robots.txt rules per origin for one fetcher (one refresh run)."""

    def __init__(self, fetcher: Fetcher) -> None:
        self._fetcher = fetcher
        self._agent = product_token(fetcher.settings.user_agent)
        self._rules: dict[str, RobotFileParser] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    async def allowed(self, url: str) -> bool:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        lock = self._locks.setdefault(origin, asyncio.Lock())
        async with lock:
            rules = self._rules.get(origin)
            if rules is None:
                rules = await self._load(origin)
                self._rules[origin] = rules
        return rules.can_fetch(self._agent, url)

    async def _load(self, origin: str) -> RobotFileParser:
        robots_url = origin + "/robots.txt"
        try:
            result = await self._fetcher.get(
                robots_url, max_bytes=MAX_ROBOTS_BYTES, accept="text/plain, */*;q=0.5"
            )
        except HTTPStatusError as exc:
            if 400 <= exc.status < 500 and exc.status != 429:
                return parse_robots("")  # no robots.txt: everything allowed
            log.info("robots.txt unreadable, site skipped", url=robots_url, error=str(exc))
            return parse_robots("User-agent: *\nDisallow: /")
        except FetchError as exc:
            log.info("robots.txt unreadable, site skipped", url=robots_url, error=str(exc))
            return parse_robots("User-agent: *\nDisallow: /")
        return parse_robots(result.content.decode("utf-8", "replace"))
