"""The demo set's footprint in the store: whether it is loaded, and removing it.

Demo articles live under one fictional domain (``*.demo.newsdesk.example``), so
they can be told from real ones and removed without touching anything else.
"""

from __future__ import annotations

from sqlalchemy import Connection, delete, exists, select

from newsdesk.store.tables import articles, outlets
from newsdesk.store.tables.stories import stories, story_members

DEMO_DOMAIN = "demo.newsdesk.example"


def _is_demo_url() -> object:
    return articles.c.url.like(f"https://%.{DEMO_DOMAIN}/%")


def is_loaded(conn: Connection) -> bool:
    """Whether the demo set is in the store, asked of the outlets (a few hundred rows):
    every page asks, and the articles' URL pattern is a scan of the whole table."""
    demo_outlet = outlets.c.domain.like(f"%.{DEMO_DOMAIN}")
    return bool(conn.execute(select(exists().where(demo_outlet))).scalar())


def clear(conn: Connection) -> int:
    """Remove every demo article, the stories left empty, and the demo outlets."""
    ids = [int(r.id) for r in conn.execute(select(articles.c.id).where(_is_demo_url()))]  # type: ignore[arg-type]
    if not ids:
        return 0
    for start in range(0, len(ids), 400):
        conn.execute(delete(articles).where(articles.c.id.in_(ids[start : start + 400])))
    empty = select(stories.c.id).where(~exists().where(story_members.c.story_id == stories.c.id))
    conn.execute(delete(stories).where(stories.c.id.in_(empty.scalar_subquery())))
    conn.execute(delete(outlets).where(outlets.c.domain.like(f"%.{DEMO_DOMAIN}")))
    return len(ids)
