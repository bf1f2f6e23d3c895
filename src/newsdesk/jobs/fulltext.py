"""Full text for entries that carry only a summary.

Many feeds give a teaser and a link. When ``fetch_full_text`` is on, the page
behind the link is fetched (robots.txt, the SSRF guard and the page size limit
apply) and run through the extraction stage; the feed's summary is kept on the
feed item and as the article's description, so both survive. When the page
cannot be had, the entry's own text is stored and the reason is kept.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import TYPE_CHECKING

from newsdesk.errors import NewsdeskError
from newsdesk.extract.feed_entry import article_from_item, with_feed_details
from newsdesk.models import Article, FeedInfo, FeedItem
from newsdesk.sources.fetch.client import PAGE_ACCEPT, Fetcher
from newsdesk.sources.fetch.robots import RobotsCache
from newsdesk.sources.fetch.ssrf import split_host

if TYPE_CHECKING:  # pragma: no cover
    from newsdesk.bounded import BoundedCall
    from newsdesk.config import Settings


@dataclass(frozen=True, slots=True)
class ItemArticle:
    """The article to store for one entry, and how it was made."""

    article: Article | None
    full_text: str | None  # "fetched" | "failed" | "skipped" | None (not wanted)
    error: str | None = None


def needs_full_text(item: FeedItem) -> bool:
    """Only a summary (or nothing) and a link to the page: worth fetching."""
    return bool(item.link) and not (item.content and item.content.strip())


async def article_for_item(
    item: FeedItem,
    feed: FeedInfo | None,
    *,
    fetcher: Fetcher | None,
    robots: RobotsCache | None,
) -> ItemArticle:
    """The best article for ``item``: its extracted page when wanted and possible, else its text."""
    if fetcher is None or not needs_full_text(item):
        return ItemArticle(article_from_item(item, feed), None)
    assert item.link is not None
    settings = fetcher.settings
    try:
        split_host(item.link)  # a malformed or non-web link fails here, not in robots.txt lookup
    except NewsdeskError as exc:
        return ItemArticle(article_from_item(item, feed), "failed", str(exc))
    if robots is not None and settings.respect_robots_txt and not await robots.allowed(item.link):
        return ItemArticle(
            article_from_item(item, feed), "skipped", "robots.txt does not allow fetching the page"
        )
    try:
        result = await fetcher.get(item.link, max_bytes=settings.max_page_bytes, accept=PAGE_ACCEPT)
        runner = _bounded
        if runner is not None:  # serve and workers: a child process a deadline can stop
            page = await asyncio.to_thread(
                runner, _extract, result.content, result.final_url, item.link
            )
        else:
            page = await asyncio.to_thread(_extract, result.content, result.final_url, item.link)
    except NewsdeskError as exc:
        return ItemArticle(article_from_item(item, feed), "failed", str(exc))
    return ItemArticle(with_feed_details(page, item, feed), "fetched")


#: Set by ``serve`` and workers (:func:`use_bounded_extraction`).
_bounded: BoundedCall | None = None


def use_bounded_extraction(settings: Settings | None) -> None:
    """Extract pages in a child process under NEWSDESK_EXTRACT_DEADLINE and _MEMORY_MB."""
    global _bounded
    from newsdesk.bounded import BoundedCall
    from newsdesk.errors import ExtractionError

    if settings is None:  # serve is over: back to in-process calls
        runner, _bounded = _bounded, None
        if runner is not None:
            runner.close()
        return
    if _bounded is None:
        _bounded = BoundedCall(
            what="extracting the page",
            deadline=settings.extract_deadline,
            memory_mb=settings.extract_memory_mb,
            error=ExtractionError,
            setting="extract",
        )


def _extract(content: bytes, url: str, origin: str) -> Article:
    from newsdesk.extract import extract_article

    return extract_article(content, url=url, origin=origin)
