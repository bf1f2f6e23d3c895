"""Storing and querying what articles are about.

``save_understanding`` writes one article's understanding inside the caller's
transaction (the article's own), replacing whatever was there, so re-running
it is harmless. Entities are shared across articles: an entity is found by its
key, else by an alias another article recorded ("Macron" in a story that never
gave the first name finds Emmanuel Macron), and a fuller name met later
upgrades the row, so a follow keeps matching every article under any alias.

The ``*_article_ids`` builders return ``SELECT article_id AS id`` for the follow
stage to order and limit; each is one index range scan.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Select,
    delete,
    func,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError

from newsdesk.store.tables.understanding import (
    article_entities,
    article_summaries,
    article_topics,
    entities,
    entity_aliases,
    figures,
    quotes,
    topics,
)
from newsdesk.understand.models import Entity, Understanding, normalise_key

_ARTICLE_TABLES = (article_entities, article_topics, quotes, figures, article_summaries)
_MAX_NAME = 400


def save_understanding(
    conn: Connection, article_id: int, understanding: Understanding, *, now: datetime
) -> dict[str, int]:
    """Store ``understanding`` for ``article_id``; returns entity key -> entity id."""
    for table in _ARTICLE_TABLES:
        conn.execute(delete(table).where(table.c.article_id == article_id))
    ids: dict[str, int] = {}
    link_rows = []
    for entity in understanding.entities:
        entity_id = upsert_entity(conn, entity, now=now)
        if entity_id in ids.values():
            continue  # two in-article entities resolved to one stored entity: keep the first
        ids[entity.key] = entity_id
        link_rows.append(
            {
                "article_id": article_id,
                "entity_id": entity_id,
                "salience": float(entity.salience),
                "mentions": len(entity.mentions),
                "name": entity.name[:_MAX_NAME],
                "roles": list(entity.roles),
            }
        )
    if link_rows:
        conn.execute(insert(article_entities), link_rows)
    topic_rows = []
    seen_topics: set[int] = set()
    for topic in understanding.topics:
        topic_id = _upsert_topic(conn, topic.key, topic.name, now=now)
        if topic_id in seen_topics:
            continue
        seen_topics.add(topic_id)
        topic_rows.append({"article_id": article_id, "topic_id": topic_id, "score": topic.score})
    if topic_rows:
        conn.execute(insert(article_topics), topic_rows)
    quote_rows = [
        {
            "article_id": article_id,
            "position": n,
            "text": q.text,
            "speaker": q.speaker[:_MAX_NAME] if q.speaker else None,
            "speaker_entity_id": ids.get(q.speaker_key) if q.speaker_key else None,
            "cue": q.cue[:80] if q.cue else None,
            "start": q.start,
            "end": q.end,
            "paragraph": q.paragraph,
        }
        for n, q in enumerate(understanding.quotes)
    ]
    if quote_rows:
        conn.execute(insert(quotes), quote_rows)
    figure_rows = [
        {
            "article_id": article_id,
            "position": n,
            "text": f.text[:200],
            "value": f.value,
            "low": f.low,
            "high": f.high,
            "unit": f.unit[:80] if f.unit else None,
            "counts": f.counts[:_MAX_NAME] if f.counts else None,
            "approximate": f.approximate,
            "sentence": f.sentence,
        }
        for n, f in enumerate(understanding.figures)
    ]
    if figure_rows:
        conn.execute(insert(figures), figure_rows)
    conn.execute(
        insert(article_summaries).values(
            article_id=article_id,
            headline=understanding.headline,
            headline_generated=understanding.headline_generated,
            summary=understanding.summary,
            summary_sentences=list(understanding.summary_sentences),
            sentences=list(understanding.sentences),
            created_at=now,
        )
    )
    return ids


def named_in(
    conn: Connection, understanding: Understanding, entity_ids: dict[str, int]
) -> dict[str, set[str]]:
    """Every name, by follow kind, that an article just understood gives its things: each
    entity's name and aliases and its stored canonical name, each topic's name and key
    (what pending follows of a name are matched against)."""
    names: dict[str, set[str]] = {}
    for entity in understanding.entities:
        names.setdefault(entity.kind, set()).update((entity.name, *entity.aliases))
    if entity_ids:
        for row in conn.execute(
            select(entities.c.kind, entities.c.name).where(
                entities.c.id.in_(sorted(set(entity_ids.values())))
            )
        ):
            names.setdefault(str(row.kind), set()).add(str(row.name))
    for topic in understanding.topics:
        names.setdefault("topic", set()).update(
            (topic.name, topic.key, topic.key.partition(":")[2] or topic.key)
        )
    return names


# --- entities -------------------------------------------------------------------------------


def upsert_entity(conn: Connection, entity: Entity, *, now: datetime) -> int:
    """The stored entity ``entity`` is (found by key, else by a shared alias), or a new one."""
    names = [entity.name, *entity.aliases]
    alias_keys = {normalise_key(n): n[:_MAX_NAME] for n in names if normalise_key(n)}
    key = entity.key[:_MAX_NAME]
    row = conn.execute(select(entities.c.id).where(entities.c.key == key)).first()
    entity_id = row[0] if row else _by_alias(conn, entity, alias_keys)
    if entity_id is None:
        entity_id = _insert_entity(conn, entity, now=now)
    _add_aliases(conn, entity_id, entity.kind, alias_keys)
    return entity_id


def _by_alias(conn: Connection, entity: Entity, alias_keys: dict[str, str]) -> int | None:
    """An existing entity of the same kind that this one is another name for, if exactly one.

    A short name ("Ostrowski") finds the one person stored under that alias. A
    full name finds an entity stored under that full name as an alias, or one
    whose own name is a short form of it (which it then upgrades), but never a
    different full name that merely shares the surname ("Piotr" vs "Clara").
    """
    rows = conn.execute(
        select(entity_aliases.c.entity_id, entity_aliases.c.alias_key, entities.c.name)
        .join(entities, entities.c.id == entity_aliases.c.entity_id)
        .where(entity_aliases.c.kind == entity.kind)
        .where(entity_aliases.c.alias_key.in_(list(alias_keys)))
    ).all()
    own_key = normalise_key(entity.name)
    full_name = len(entity.name.split()) > 1
    candidates: dict[int, str] = {}
    for row in rows:
        entity_id, alias_key, name = int(row[0]), str(row[1]), str(row[2])
        if not full_name or alias_key == own_key or normalise_key(name) in alias_keys:
            candidates[entity_id] = name
    if len(candidates) != 1:
        return None  # unknown, or ambiguous ("Ostrowski" is two people): a new entity
    entity_id, name = next(iter(candidates.items()))
    if len(entity.name.split()) > len(name.split()):
        # "Ostrowski" was stored first; "Clara Ostrowski" is the better canonical name.
        taken = conn.execute(select(entities.c.id).where(entities.c.key == entity.key)).first()
        if taken is None:
            conn.execute(
                update(entities)
                .where(entities.c.id == entity_id)
                .values(name=entity.name[:_MAX_NAME], key=entity.key[:_MAX_NAME])
            )
    return entity_id


def _insert_entity(conn: Connection, entity: Entity, *, now: datetime) -> int:
    values = {
        "kind": entity.kind,
        "key": entity.key[:_MAX_NAME],
        "name": entity.name[:_MAX_NAME],
        "created_at": now,
    }
    try:
        with conn.begin_nested():
            result = conn.execute(insert(entities).values(**values))
            return int(result.inserted_primary_key[0])  # type: ignore[index]
    except IntegrityError:  # another writer stored it first
        row = conn.execute(select(entities.c.id).where(entities.c.key == values["key"])).one()
        return int(row[0])


def _add_aliases(conn: Connection, entity_id: int, kind: str, alias_keys: dict[str, str]) -> None:
    have: set[str] = set(
        conn.execute(
            select(entity_aliases.c.alias_key).where(entity_aliases.c.entity_id == entity_id)
        ).scalars()
    )
    rows = [
        {"entity_id": entity_id, "kind": kind, "alias_key": key[:_MAX_NAME], "alias": alias}
        for key, alias in alias_keys.items()
        if key not in have
    ]
    if rows:
        try:
            with conn.begin_nested():
                conn.execute(insert(entity_aliases), rows)
        except IntegrityError:  # a concurrent writer added some: add the rest one by one
            for row in rows:
                try:
                    with conn.begin_nested():
                        conn.execute(insert(entity_aliases).values(**row))
                except IntegrityError:
                    continue


def _upsert_topic(conn: Connection, key: str, name: str, *, now: datetime) -> int:
    key = key[:_MAX_NAME]
    row = conn.execute(select(topics.c.id).where(topics.c.key == key)).first()
    if row is not None:
        return int(row[0])
    try:
        with conn.begin_nested():
            result = conn.execute(
                insert(topics).values(key=key[:_MAX_NAME], name=name[:_MAX_NAME], created_at=now)
            )
            return int(result.inserted_primary_key[0])  # type: ignore[index]
    except IntegrityError:
        return int(conn.execute(select(topics.c.id).where(topics.c.key == key)).one()[0])


# --- lookups for the follow stage, the API and the CLI ---------------------------------------


def resolve_entity(conn: Connection, kind: str, name: str) -> tuple[int, str] | None:
    """(entity id, canonical name) of the ``kind`` entity known by ``name`` or any alias.

    When an alias is shared ("Smith"), the entity named in the most articles wins.
    """
    key = normalise_key(name)
    row = conn.execute(
        select(entities.c.id, entities.c.name).where(entities.c.key == f"{kind}:{key}")
    ).first()
    if row is not None:
        return int(row[0]), str(row[1])
    linked = (
        select(func.count())
        .select_from(article_entities)
        .where(article_entities.c.entity_id == entities.c.id)
        .scalar_subquery()
    )
    row = conn.execute(
        select(entities.c.id, entities.c.name)
        .join(entity_aliases, entity_aliases.c.entity_id == entities.c.id)
        .where(entity_aliases.c.kind == kind, entity_aliases.c.alias_key == key)
        .order_by(linked.desc(), entities.c.id)
        .limit(1)
    ).first()
    words = [w for w in key.split() if len(w) > 1]  # initials ("E.") left out
    if row is None and kind == "person" and words:
        # A reader who follows "Wrenfield" means the Tobias Wrenfield the news names, even
        # when no article happened to call him by his surname alone; "Sarah Needleman" and
        # "Sarah E. Needleman" are one person with or without the middle initial (the rule
        # authors follow too).
        match: ColumnElement[bool]
        if len(words) == 1:
            match = entities.c.key.like(f"person:% {words[0]}")
        else:
            match = or_(
                entities.c.key == f"person:{' '.join(words)}",
                entities.c.key.like(f"person:{words[0]} % {words[-1]}"),
            )
        row = conn.execute(
            select(entities.c.id, entities.c.name)
            .where(match)
            .order_by(linked.desc(), entities.c.id)
            .limit(1)
        ).first()
    return (int(row[0]), str(row[1])) if row is not None else None


def resolve_topic(conn: Connection, name: str) -> tuple[str, str] | None:
    """(topic key, display name) of the topic called ``name``: "Elections", "place:mali", "Mali"."""
    from newsdesk.understand.topics import phrase_key

    candidates = [name.strip().lower(), phrase_key(name)]
    candidates += [f"{kind}:{normalise_key(name)}" for kind in ("person", "org", "place", "event")]
    rows = conn.execute(
        select(topics.c.key, topics.c.name).where(topics.c.key.in_([c for c in candidates if c]))
    ).all()
    if not rows:
        rows = conn.execute(
            select(topics.c.key, topics.c.name).where(func.lower(topics.c.name) == name.lower())
        ).all()
    if not rows:
        return None
    by_key = {str(k): str(n) for k, n in rows}
    for candidate in candidates:
        if candidate in by_key:
            return candidate, by_key[candidate]
    key, display = rows[0]
    return str(key), str(display)


def entity_article_ids(entity_ids: Sequence[int], *, after_id: int = 0) -> Select[Any]:
    """``SELECT article_id AS id`` of the articles naming any of ``entity_ids``."""
    return select(article_entities.c.article_id.label("id")).where(
        article_entities.c.entity_id.in_(list(entity_ids)),
        article_entities.c.article_id > after_id,
    )


def entity_article_ids_by_name(kind: str, name: str, *, after_id: int = 0) -> Select[Any]:
    """Articles naming a ``kind`` entity called ``name`` under its canonical name or an alias."""
    key = normalise_key(name)
    by_alias = select(entity_aliases.c.entity_id).where(
        entity_aliases.c.kind == kind, entity_aliases.c.alias_key == key
    )
    by_key = select(entities.c.id).where(entities.c.key == f"{kind}:{key}")
    return select(article_entities.c.article_id.label("id")).where(
        or_(article_entities.c.entity_id.in_(by_alias), article_entities.c.entity_id.in_(by_key)),
        article_entities.c.article_id > after_id,
    )


def topic_article_ids(keys: Sequence[str], *, after_id: int = 0) -> Select[Any]:
    """``SELECT article_id AS id`` of the articles about any of the topic ``keys``."""
    ids = select(topics.c.id).where(topics.c.key.in_(list(keys)))
    return select(article_topics.c.article_id.label("id")).where(
        article_topics.c.topic_id.in_(ids), article_topics.c.article_id > after_id
    )


def topic_article_ids_by_name(name: str, *, after_id: int = 0) -> Select[Any]:
    """Articles about the topic called ``name`` (its key, its display name, or an entity's)."""
    from newsdesk.understand.topics import phrase_key

    keys = [name.strip().lower(), phrase_key(name)]
    keys += [f"{kind}:{normalise_key(name)}" for kind in ("person", "org", "place", "event")]
    ids = select(topics.c.id).where(
        or_(topics.c.key.in_([k for k in keys if k]), func.lower(topics.c.name) == name.lower())
    )
    return select(article_topics.c.article_id.label("id")).where(
        article_topics.c.topic_id.in_(ids), article_topics.c.article_id > after_id
    )


def entity_aliases_of(conn: Connection, entity_id: int) -> list[str]:
    """Every name the entity was met under, canonical name first."""
    name = conn.execute(select(entities.c.name).where(entities.c.id == entity_id)).scalar()
    rows: Sequence[Any] = (
        conn.execute(
            select(entity_aliases.c.alias)
            .where(entity_aliases.c.entity_id == entity_id)
            .order_by(entity_aliases.c.id)
        )
        .scalars()
        .all()
    )
    aliases = [str(alias) for alias in rows]
    return list(dict.fromkeys([str(name), *aliases])) if name is not None else []


def load_understanding(conn: Connection, article_id: int) -> dict[str, Any] | None:
    """What was stored for ``article_id``, in the CLI's JSON shape; None when nothing was."""
    summary = (
        conn.execute(select(article_summaries).where(article_summaries.c.article_id == article_id))
        .mappings()
        .first()
    )
    if summary is None:
        return None
    ents = (
        conn.execute(
            select(
                entities.c.id,
                entities.c.name,
                entities.c.kind,
                entities.c.key,
                article_entities.c.salience,
                article_entities.c.roles,
                article_entities.c.mentions,
            )
            .join(article_entities, article_entities.c.entity_id == entities.c.id)
            .where(article_entities.c.article_id == article_id)
            .order_by(article_entities.c.salience.desc(), entities.c.id)
        )
        .mappings()
        .all()
    )
    tops = (
        conn.execute(
            select(topics.c.key, topics.c.name, article_topics.c.score)
            .join(article_topics, article_topics.c.topic_id == topics.c.id)
            .where(article_topics.c.article_id == article_id)
            .order_by(article_topics.c.score.desc(), topics.c.key)
        )
        .mappings()
        .all()
    )
    quote_rows = (
        conn.execute(
            select(quotes).where(quotes.c.article_id == article_id).order_by(quotes.c.position)
        )
        .mappings()
        .all()
    )
    figure_rows = (
        conn.execute(
            select(figures).where(figures.c.article_id == article_id).order_by(figures.c.position)
        )
        .mappings()
        .all()
    )
    return {
        "headline": summary["headline"],
        "headline_generated": summary["headline_generated"],
        "summary": summary["summary"],
        "summary_sentences": summary["summary_sentences"],
        "entities": [
            {
                "id": e["id"],
                "name": e["name"],
                "kind": e["kind"],
                "key": e["key"],
                "salience": e["salience"],
                "roles": e["roles"],
                "mentions": e["mentions"],
            }
            for e in ents
        ],
        "topics": [dict(t) for t in tops],
        "quotes": [
            {
                "quote": q["text"],
                "speaker": q["speaker"],
                "speaker_entity_id": q["speaker_entity_id"],
                "cue": q["cue"],
                "start": q["start"],
                "end": q["end"],
                "paragraph": q["paragraph"],
            }
            for q in quote_rows
        ],
        "figures": [
            {
                k: f[k]
                for k in (
                    "text",
                    "value",
                    "low",
                    "high",
                    "unit",
                    "counts",
                    "approximate",
                    "sentence",
                )
            }
            for f in figure_rows
        ],
    }


def article_ids_for(conn: Connection, query: Select[Any]) -> list[int]:
    """Run one of the builders above: article ids, newest first."""
    sub = query.subquery()
    ids: Sequence[Any] = conn.execute(select(sub.c.id).order_by(sub.c.id.desc())).scalars().all()
    return [int(i) for i in ids]


#: The name the follow stage's test helpers look for; the same function.
store_understanding = save_understanding
