"""All tables, one module per stage, sharing one ``MetaData``.

Migrations in ``store/migrations/versions`` are the source of truth for the
live schema; these definitions are what queries are written against, and a
test checks the two agree on both engines.
"""

from newsdesk.store.tables.accounts import (  # noqa: F401  (follow stage)
    api_tokens,
    article_authors,
    follows,
    mutes,
    saved_searches,
    sessions,
    users,
)
from newsdesk.store.tables.base import metadata
from newsdesk.store.tables.core import articles, outlets, sources
from newsdesk.store.tables.editions import edition_outbox, edition_settings  # noqa: F401  (brief)
from newsdesk.store.tables.enrichment import pending_enrichment  # noqa: F401  (deferred enrichment)
from newsdesk.store.tables.feeds import feed_items
from newsdesk.store.tables.read_state import (  # noqa: F401  (read state)
    article_reads,
    article_stars,
    read_marks,
)
from newsdesk.store.tables.reader_apps import (  # noqa: F401  (reader apps)
    fever_keys,
    item_labels,
    source_labels,
)
from newsdesk.store.tables.signin import signin_attempts  # noqa: F401  (web sign-in limits)
from newsdesk.store.tables.stories import stories, story_members  # noqa: F401  (stories stage)
from newsdesk.store.tables.understanding import (  # noqa: F401  (understanding stage)
    article_entities,
    article_summaries,
    article_topics,
    entities,
    entity_aliases,
    figures,
    quotes,
    topics,
)

__all__ = ["articles", "feed_items", "metadata", "outlets", "sources"]
