"""A feed entry as an :class:`Article` when its page is not fetched (or cannot be).

Feeds carry HTML in ``content`` and ``summary``; this turns it into plain
paragraphs with the feeds' own HTML-to-text routine
(:func:`newsdesk.sources.feeds.text.html_to_paragraphs`), not the full page
extractor, which would hunt for chrome that a feed fragment does not have.
"""

from __future__ import annotations

import html
import re
from dataclasses import replace
from urllib.parse import urlsplit

from newsdesk.models import Article, FeedInfo, FeedItem
from newsdesk.safe_text import web_url
from newsdesk.sources.feeds.text import html_to_paragraphs, plain_text

_SPACES = re.compile(r"\s+")
_TITLE_WORDS = 12
#: Longest URL the store keeps (its URL columns' size); longer links are left out.
MAX_URL = 2048


def storable_link(link: str | None) -> str | None:
    """``link`` when the store can keep it; None when too long, not http(s) or not parseable.

    A hostile or broken feed can carry ``http://[::1`` as a link: kept, it would
    make every later URL step (outlet, duplicates) fail and lose the whole feed.
    """
    if not link or len(link) > MAX_URL:
        return None
    if web_url(link) is None:  # javascript:, data:, vbscript:, relative: not a link to show
        return None
    try:
        urlsplit(link).port  # noqa: B018 - parsing the port is the check
    except ValueError:
        return None
    return link


def article_from_item(item: FeedItem, feed: FeedInfo | None = None) -> Article | None:
    """The entry's own text as an article; None when it carries no text at all."""
    body = html_to_paragraphs(item.content) or html_to_paragraphs(item.summary)
    title = _SPACES.sub(" ", html.unescape(item.title or "")).strip()
    generated = False
    if not body and not title:
        return None
    warnings: list[str] = ["text from the feed entry; the article page was not extracted"]
    if not body:
        body = (title,)
        warnings.append("the entry has a title only")
    if not title:
        words = body[0].split()
        title = " ".join(words[:_TITLE_WORDS]) + ("…" if len(words) > _TITLE_WORDS else "")
        generated = True
    description = None
    if item.content and item.summary:
        description = plain_text(item.summary)
    link = storable_link(item.link)
    return Article(
        title=title,
        paragraphs=body,
        title_generated=generated,
        url=link,
        canonical_url=link,
        authors=item.authors,
        outlet=feed.title if feed else None,
        published=item.published or item.updated,
        language=feed.language if feed else None,
        description=description,
        extraction_method="feed",
        warnings=tuple(warnings),
    )


def with_feed_details(article: Article, item: FeedItem, feed: FeedInfo | None) -> Article:
    """An extracted page completed with what the feed knew and the page did not say."""
    summary = plain_text(item.summary)
    return replace(
        article,
        url=article.url or item.link,
        canonical_url=article.canonical_url or item.link,
        authors=article.authors or item.authors,
        published=article.published or item.published or item.updated,
        # One outlet for every item of a feed: the feed's own name when it has one, so a
        # full-text page naming its publisher differently does not split the outlet.
        outlet=(feed.title if feed and feed.title else None) or article.outlet,
        description=article.description or summary,
    )
