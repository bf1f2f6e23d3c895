"""Search results as the faces show them: article cards newest first, with a page cursor.

The query is parsed by the follow stage's one language; a user's mutes apply
when a user is named. Paging is by article id (ids only grow), so a page stays
put while new articles arrive.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from newsdesk.follow.actions import user_id
from newsdesk.follow.query import parse_query
from newsdesk.store.db import Database, open_database
from newsdesk.store.records import ArticleCard
from newsdesk.views.cursor import decode_cursor, encode_cursor

CURSOR = "search"


@dataclass(frozen=True, slots=True)
class SearchResults:
    query: str
    items: tuple[ArticleCard, ...]
    next_cursor: str | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "items": [c.to_dict() for c in self.items],
            "next_cursor": self.next_cursor,
        }


def search(
    query: str,
    *,
    email: str | None = None,
    limit: int = 50,
    cursor: str | None = None,
    db: Database | None = None,
    now: datetime | None = None,
) -> SearchResults:
    """Articles matching ``query``, newest first; ``email``'s mutes hide what they reach."""
    from newsdesk.store import cards
    from newsdesk.store import follows as store_follows
    from newsdesk.store import search as store_search

    parsed = parse_query(query)
    before = None
    if cursor:
        (last,) = decode_cursor(CURSOR, cursor, (int,))
        before = int(last)
    with (db or open_database()).connect() as conn:
        mutes = store_follows.list_mutes(conn, user_id(conn, email)) if email else []
        ids = store_search.search_ids(
            conn,
            parsed,
            now=now or datetime.now(UTC),
            mute_list=mutes,
            limit=limit + 1,
            before_id=before,
        )
        found = cards.article_cards(conn, ids[:limit])
    items = tuple(found[i] for i in ids[:limit] if i in found)
    next_cursor = encode_cursor(CURSOR, [ids[limit - 1]]) if len(ids) > limit else None
    return SearchResults(parsed.render(), items, next_cursor)
