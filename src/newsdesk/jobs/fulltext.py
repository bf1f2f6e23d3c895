"""Full text for entries that carry only a summary.

Many feeds give a teaser and a link. When ``fetch_full_text`` is on, the page
behind the link is fetched (robots.txt, the SSRF guard and the page size limit
apply) and run through the extraction stage; the feed's summary is kept on the
feed item and as the article's description, so both survive. When the page
cannot be had, the entry's own text is stored and the reason is kept.

In-process, a refresh fetches the pages itself. With workers, the refresh
stores such entries marked ``queued`` and :func:`fetch_full_text`, a job unit
of its own (the ``fulltext`` queue), fetches one entry's page and stores its
article, so a refresh never waits on a slow third-party page.
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
    from newsdesk.store.db import Database


#: ``ItemArticle.full_text`` of an entry left to a full-text job (workers).
QUEUED = "queued"


@dataclass(frozen=True, slots=True)
class ItemArticle:
    """The article to store for one entry, and how it was made."""

    article: Article | None
    full_text: str | None  # "fetched" | "failed" | "skipped" | "queued" | None (not wanted)
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


@dataclass(frozen=True, slots=True)
class FullTextOutcome:
    """What one full-text job did: ``done`` is False when another run had done it already."""

    item_id: int
    done: bool
    article_id: int | None = None
    full_text: str | None = None
    error: str | None = None


def fetch_full_text(
    item_id: int, *, db: Database | None = None, settings: Settings | None = None
) -> FullTextOutcome:
    """The job unit: fetch entry ``item_id``'s page and store its article (workers).

    Idempotent, keyed by the entry: once the entry has its article it is no longer
    ``queued`` and a second run (a duplicated or redelivered job) does nothing; two
    runs at once are settled by a row lock, and the article itself is deduplicated by
    URL and content like every other. The article is queued for the enrichers.
    """
    from datetime import UTC, datetime

    from newsdesk.config import get_settings
    from newsdesk.jobs.pipeline import store_articles
    from newsdesk.sources.fetch.client import run_sync
    from newsdesk.store import sources as repo
    from newsdesk.store.db import open_database

    settings = settings or get_settings()
    db = db or open_database(settings)
    with db.connect() as conn:
        found = repo.queued_entry(conn, item_id)
    if found is None:
        return FullTextOutcome(item_id, done=False)
    _source_id, item, feed = found

    async def fetch() -> ItemArticle:
        async with Fetcher(settings) as fetcher:
            return await article_for_item(item, feed, fetcher=fetcher, robots=RobotsCache(fetcher))

    made: ItemArticle = run_sync(fetch())
    error = made.error
    with db.begin() as conn:
        found = repo.queued_entry(conn, item_id, lock=True)
        if found is None:  # another run stored it while we fetched
            return FullTextOutcome(item_id, done=False)
        source_id = found[0]
        article_id = None
        if made.article is not None:
            [outcome] = store_articles(
                conn, [made.article], now=datetime.now(UTC), source_id=source_id, enrich="later"
            )
            article_id = outcome.article_id
        elif error is None:
            error = "the entry carries no text to make an article from"
        repo.set_entry_article(
            conn, item_id, article_id=article_id, full_text=made.full_text, error=error
        )
    return FullTextOutcome(item_id, True, article_id, made.full_text, error)
