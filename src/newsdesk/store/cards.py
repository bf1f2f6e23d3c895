"""Article cards: the list view of an article (title, outlet, authors, time, story).

Following, For you, search and article lists all show articles as cards; one
query per 500 ids builds them, with each article's story looked up unless the
caller already knows it.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection, select

from newsdesk.store import follow_targets as targets
from newsdesk.store.records import ArticleCard
from newsdesk.store.tables import articles, outlets


def article_cards(
    conn: Connection, ids: Iterable[int], *, stories: dict[int, int] | None = None
) -> dict[int, ArticleCard]:
    """The list view of each article id, with its story (looked up unless ``stories`` says)."""
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    if stories is None:
        stories = targets.story_of(conn, wanted)
    cards: dict[int, ArticleCard] = {}
    for chunk_start in range(0, len(wanted), 500):
        chunk = wanted[chunk_start : chunk_start + 500]
        rows = conn.execute(
            select(
                articles.c.id,
                articles.c.title,
                articles.c.url,
                articles.c.canonical_url,
                articles.c.outlet_id,
                outlets.c.name.label("outlet_name"),
                articles.c.authors,
                articles.c.published_at,
                articles.c.fetched_at,
            )
            .select_from(articles.outerjoin(outlets, outlets.c.id == articles.c.outlet_id))
            .where(targets.id_in(articles.c.id, chunk, conn.dialect.name))
        )
        for r in rows:
            cards[int(r.id)] = ArticleCard(
                id=int(r.id),
                title=r.title,
                url=r.canonical_url or r.url,
                outlet_id=r.outlet_id,
                outlet=r.outlet_name,
                authors=tuple(r.authors or ()),
                published_at=r.published_at,
                fetched_at=r.fetched_at,
                story_id=stories.get(int(r.id)),
            )
    return cards
