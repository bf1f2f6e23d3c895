"""A small fictional newsroom written straight into the store's tables, for edition tests.

The real pipeline (spaCy) is exercised by ``test_mali_edition``; the other
edition tests need stories with outlets, topics and arrival times they control,
and write them here in a few milliseconds.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime

from newsdesk.store.tables import articles, outlets, sources
from newsdesk.store.tables.stories import stories, story_members
from newsdesk.store.tables.understanding import (
    article_entities,
    article_topics,
    entities,
    topics,
)
from newsdesk.understand.models import normalise_key


@dataclass
class Newsroom:
    """Writes outlets, stories and their articles; remembers ids by name."""

    db: object
    outlet_ids: dict[str, int] = field(default_factory=dict)
    story_ids: dict[str, int] = field(default_factory=dict)
    topic_ids: dict[str, int] = field(default_factory=dict)
    article_ids: list[int] = field(default_factory=list)
    entity_ids: dict[str, int] = field(default_factory=dict)
    source_ids: dict[str, int] = field(default_factory=dict)

    def _entity(self, conn: object, kind: str, name: str, now: datetime) -> int:
        key = f"{kind}:{normalise_key(name)}"
        if key not in self.entity_ids:
            made = conn.execute(  # type: ignore[attr-defined]
                entities.insert().values(kind=kind, key=key, name=name, created_at=now)
            ).inserted_primary_key
            self.entity_ids[key] = int(made[0])
        return self.entity_ids[key]

    def _source(self, conn: object, url: str, now: datetime) -> int:
        if url not in self.source_ids:
            made = conn.execute(  # type: ignore[attr-defined]
                sources.insert().values(
                    url=url, kind="feed", title=url, tags=[], created_at=now, updated_at=now
                )
            ).inserted_primary_key
            self.source_ids[url] = int(made[0])
        return self.source_ids[url]

    def _outlet(self, conn: object, name: str, now: datetime) -> int:
        if name not in self.outlet_ids:
            domain = name.lower().replace(" ", "") + ".example"
            key = conn.execute(  # type: ignore[attr-defined]
                outlets.insert().values(name=name, domain=domain, created_at=now)
            ).inserted_primary_key
            self.outlet_ids[name] = int(key[0])
        return self.outlet_ids[name]

    def _topic(self, conn: object, key: str, now: datetime) -> int:
        if key not in self.topic_ids:
            name = key.split(":", 1)[-1].title()
            made = conn.execute(  # type: ignore[attr-defined]
                topics.insert().values(key=key, name=name, created_at=now)
            ).inserted_primary_key
            self.topic_ids[key] = int(made[0])
        return self.topic_ids[key]

    def article(
        self,
        story: str,
        *,
        headline: str,
        outlet: str,
        at: datetime,
        summary: str = "",
        topics_: tuple[str, ...] = (),
        importance: float = 1.0,
        development: str | None = None,
        authors: tuple[str, ...] = (),
        entities_: tuple[tuple[str, str], ...] = (),
        source: str | None = None,
        body: str = "",
    ) -> int:
        """One article of ``story`` (created on first use) that arrived at ``at``; ``entities_``
        are (kind, name), ``source`` a feed URL (created on first use)."""
        with self.db.begin() as conn:  # type: ignore[attr-defined]
            outlet_id = self._outlet(conn, outlet, at)
            source_id = self._source(conn, source, at) if source else None
            text = body or summary or headline
            n = len(self.article_ids) + 1
            url = f"https://{outlet.lower().replace(' ', '')}.example/news/{n}"
            made = conn.execute(
                articles.insert().values(
                    canonical_url=url,
                    url=url,
                    content_hash=hashlib.sha256(url.encode()).hexdigest(),
                    title=headline,
                    title_generated=False,
                    authors=list(authors),
                    contributors=[],
                    credits=[],
                    outlet_id=outlet_id,
                    source_id=source_id,
                    published_at=at,
                    fetched_at=at,
                    paragraphs=[text],
                    body=text,
                    word_count=len(text.split()),
                    extraction_method="test",
                    warnings=[],
                    created_at=at,
                )
            ).inserted_primary_key
            article_id = int(made[0])
            self.article_ids.append(article_id)
            if story not in self.story_ids:
                key = hashlib.sha1(story.encode()).hexdigest()[:12]
                sid = conn.execute(
                    stories.insert().values(
                        key=key,
                        status="open",
                        headline=headline,
                        summary=summary,
                        first_seen=at,
                        last_seen=at,
                        size=0,
                        words=0,
                        outlet_count=0,
                        outlets=[],
                        counts={},
                        entities=[],
                        topics=list(topics_),
                        timeline=[],
                        importance=importance,
                        factors={},
                        created_at=at,
                        updated_at=at,
                    )
                ).inserted_primary_key
                self.story_ids[story] = int(sid[0])
            story_id = self.story_ids[story]
            row = conn.execute(stories.select().where(stories.c.id == story_id)).one()
            names = list(dict.fromkeys([*row.outlets, outlet]))
            conn.execute(
                stories.update()
                .where(stories.c.id == story_id)
                .values(
                    outlets=names,
                    outlet_count=len(names),
                    size=row.size + 1,
                    last_seen=at,
                    importance=max(row.importance, importance),
                )
            )
            conn.execute(
                story_members.insert().values(
                    article_id=article_id,
                    story_id=story_id,
                    published_at=at,
                    outlet=outlet,
                    headline=headline,
                    summary=summary,
                    terms={},
                    entities=[],
                    topics=list(topics_),
                    signature=[],
                    confidence=1.0,
                    development={"sentence": development} if development else None,
                    added_at=at,
                )
            )
            for key in topics_:
                conn.execute(
                    article_topics.insert().values(
                        article_id=article_id, topic_id=self._topic(conn, key, at), score=1.0
                    )
                )
            for kind, name in entities_:
                conn.execute(
                    article_entities.insert().values(
                        article_id=article_id,
                        entity_id=self._entity(conn, kind, name, at),
                        salience=1.0,
                        mentions=1,
                        name=name,
                        roles=[],
                    )
                )
        return article_id

    def story_key(self, story: str) -> str:
        return hashlib.sha1(story.encode()).hexdigest()[:12]
