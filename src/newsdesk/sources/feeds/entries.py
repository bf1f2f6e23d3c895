"""Feed entries made fit to store: NUL characters out, repeated entries once."""

from __future__ import annotations

from collections.abc import Sequence

from newsdesk.models import FeedItem


def without_nul(item: FeedItem) -> FeedItem:
    """NUL characters removed: PostgreSQL refuses them in text, and no reader wants them."""
    texts = (item.key, item.link, item.title, item.summary, item.content, *item.authors)
    if not any(t and "\x00" in t for t in texts):
        return item

    def clean(value: str | None) -> str | None:
        return value.replace("\x00", "") if value else value

    return item._replace(
        key=item.key.replace("\x00", ""),
        link=clean(item.link),
        title=clean(item.title),
        summary=clean(item.summary),
        content=clean(item.content),
        authors=tuple(a.replace("\x00", "") for a in item.authors),
        categories=tuple(c.replace("\x00", "") for c in item.categories),
    )


def unique_entries(entries: Sequence[FeedItem]) -> list[FeedItem]:
    """Feeds sometimes repeat an entry; the first one wins."""
    seen: set[str] = set()
    unique: list[FeedItem] = []
    for entry in map(without_nul, entries):
        if entry.key and entry.key not in seen:
            seen.add(entry.key)
            unique.append(entry)
    return unique
