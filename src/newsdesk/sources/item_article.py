"""A feed entry as an :class:`Article` when its page is not fetched (or cannot be).

Feeds carry HTML in ``content`` and ``summary``; this turns it into plain
paragraphs (block elements end a paragraph, scripts and styles are dropped)
without the full page extractor, which would hunt for chrome that a feed
fragment does not have.
"""

from __future__ import annotations

import html
import re
from dataclasses import replace

from newsdesk.models import Article, FeedInfo, FeedItem

_BLOCKS = frozenset(
    {
        "p",
        "div",
        "br",
        "li",
        "ul",
        "ol",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "blockquote",
        "pre",
        "table",
        "tr",
        "section",
        "article",
        "figure",
        "figcaption",
        "hr",
        "dd",
        "dt",
    }
)
_DROP = frozenset({"script", "style", "noscript", "iframe", "object", "embed", "template"})
_SPACES = re.compile(r"\s+")
_TAGGY = re.compile(r"<[a-zA-Z/!]")
_TITLE_WORDS = 12


def html_to_paragraphs(fragment: str | None) -> tuple[str, ...]:
    """Paragraph texts of an HTML (or plain text) fragment, whitespace normalised."""
    if not fragment or not fragment.strip():
        return ()
    if not _TAGGY.search(fragment):
        blocks = re.split(r"\n\s*\n", html.unescape(fragment))
        return tuple(p for p in (_SPACES.sub(" ", b).strip() for b in blocks) if p)
    import lxml.html
    from lxml import etree

    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (etree.ParserError, ValueError):
        return (_SPACES.sub(" ", re.sub(r"<[^>]+>", " ", fragment)).strip(),)
    paragraphs: list[str] = []
    current: list[str] = []

    def flush() -> None:
        text = _SPACES.sub(" ", "".join(current)).strip()
        if text:
            paragraphs.append(text)
        current.clear()

    def walk(el: etree._Element) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag in _DROP:
            if el.tail:
                current.append(el.tail)
            return
        block = tag in _BLOCKS
        if block:
            flush()
        if el.text and tag:
            current.append(el.text)
        for child in el:
            walk(child)
        if block:
            flush()
        if el.tail:
            current.append(el.tail)

    walk(root)
    flush()
    return tuple(paragraphs)


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
        description = " ".join(html_to_paragraphs(item.summary)) or None
    return Article(
        title=title,
        paragraphs=body,
        title_generated=generated,
        url=item.link,
        canonical_url=item.link,
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
    summary = " ".join(html_to_paragraphs(item.summary)) or None
    return replace(
        article,
        url=article.url or item.link,
        canonical_url=article.canonical_url or item.link,
        authors=article.authors or item.authors,
        published=article.published or item.published or item.updated,
        outlet=article.outlet or (feed.title if feed else None),
        description=article.description or summary,
    )
