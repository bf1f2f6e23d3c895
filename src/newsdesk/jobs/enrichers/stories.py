"""The ingest enricher: place one stored article into a story, inside its transaction.

Runs after the understanding enricher (its canonical entities and topics are
used when present; without them, entities come from the text alone). The
candidates are the open stories of the time window, read from the store, so
memory is bounded by the window whatever the size of the archive. The
decision itself is ``cluster.decide``; this module only reads and writes.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection

from newsdesk.jobs.enrichers.context import IngestContext
from newsdesk.logs import get_logger
from newsdesk.stories.cluster import (
    Params,
    StoryState,
    TermStats,
    decide,
    merge_order,
    score_options,
    should_merge,
)
from newsdesk.stories.fingerprint import Fingerprint, entity_key, fingerprint
from newsdesk.stories.record import Member, build_record
from newsdesk.stories.timeline import find_development

log = get_logger(__name__)

#: Where a grouping job leaves the stored understanding's (entity names, topics, summary)
#: in ``ctx.results`` (see :func:`newsdesk.store.understanding.story_features`).
STORED_FEATURES = "stored_understanding"


def _params() -> Params:
    from newsdesk.config import get_settings

    return Params(window=timedelta(hours=get_settings().story_window_hours))


def _state(row: Any) -> StoryState:
    return StoryState(
        key=str(row.id),
        counts={str(k): int(v) for k, v in (row.counts or {}).items()},
        size=int(row.size),
        words=int(row.words),
        first_seen=row.first_seen,
        last_seen=row.last_seen,
        outlets=set(row.outlets or []),
    )


def window_stats(states: list[StoryState], fp: Fingerprint) -> TermStats:
    """Document frequencies of the window, read off the stories' bags of words."""
    df: Counter[str] = Counter()
    for state in states:
        for term, count in state.counts.items():
            df[term] += min(count, state.size)
    df.update(fp.terms.keys())
    return TermStats(sum(s.size for s in states) + 1, df)


def _features(ctx: IngestContext) -> tuple[Fingerprint, dict[str, str], list[dict[str, str]], str]:
    article = ctx.article
    understanding = ctx.results.get("understanding")
    stored = ctx.results.get(STORED_FEATURES)
    names: list[str] | None = None
    entity_names: dict[str, str] = {}
    topics: list[dict[str, str]] = []
    summary = article.description or (article.paragraphs[0] if article.paragraphs else "")
    if understanding is not None:
        names = [e.name for e in understanding.entities]
        topics = [{"key": t.key, "name": t.name} for t in understanding.topics]
        summary = understanding.summary or summary
    elif stored is not None:  # a grouping job after understanding committed (distributed mode)
        names, topics = list(stored[0]), list(stored[1])
        summary = stored[2] or summary
    fp = fingerprint(
        str(ctx.article_id),
        article.title,
        article.body,
        published=article.published or ctx.now,
        outlet=article.outlet,
        entities=names,
        topics=[t["key"] for t in topics],
    )
    for name in names if names is not None else []:
        entity_names.setdefault(entity_key(name), name)
    for key in fp.entities:
        entity_names.setdefault(key, key[1:].title())
    return fp, entity_names, topics, summary[:600]


def assign_article(ctx: IngestContext) -> None:
    """Enricher: join or start a story for ``ctx.article_id``; merge stories that converged."""
    from newsdesk.store import stories as repo

    params = _params()
    fp, entity_names, topics, summary = _features(ctx)
    when: datetime = fp.published or ctx.now
    since = when - params.window
    repo.close_stale(ctx.conn, ctx.now - params.window, now=ctx.now)
    states = [_state(row) for row in repo.load_open(ctx.conn, since)]
    stats = window_stats(states, fp)
    sharing = [s for s in states if any(t in s.counts for t in fp.terms)]
    ranked = score_options(fp, sharing, stats, params)
    top = [int(key) for _, key in ranked if key][:3]
    signatures = repo.load_signatures(ctx.conn, top)
    by_key = {s.key: s for s in sharing}
    for story_id, sigs in signatures.items():
        by_key[str(story_id)].signatures = {k: tuple(v) for k, v in sigs.items()}
    candidates = [by_key[key] for _, key in ranked if key][: params.max_candidates]
    decision = decide(fp, candidates, stats, params)

    development = None
    if decision.story is None:
        key = "s" + hashlib.sha1(f"article:{ctx.article_id}".encode()).hexdigest()[:12]
        story_id = repo.create_story(ctx.conn, key, when=when, now=ctx.now)
        state = StoryState(key=str(story_id))
    else:
        state = by_key[decision.story]
        story_id = int(state.key)
        if decision.duplicate_of is None:
            found = find_development(
                article_id=ctx.article_id,
                at=when.isoformat(),
                headline=ctx.article.title,
                outlet=ctx.article.outlet,
                text=ctx.article.body,
                terms=fp.terms,
                entity_names=entity_names,
                seen=state.counts,
            )
            development = found.to_dict() if found else None
    state.add(fp)
    repo.add_member(
        ctx.conn,
        article_id=ctx.article_id,
        story_id=story_id,
        published_at=when,
        outlet=ctx.article.outlet,
        headline=ctx.article.title,
        summary=summary,
        terms=dict(fp.terms),
        entities=[{"key": k, "name": entity_names.get(k, k)} for k in fp.entities],
        topics=topics,
        signature=list(fp.signature),
        duplicate_of=int(decision.duplicate_of) if decision.duplicate_of else None,
        confidence=round(decision.confidence, 6),
        development=development,
        added_at=ctx.now,
    )
    for other_key in decision.runners_up:
        other = by_key.get(other_key)
        if other is not None and should_merge(state, other, stats, params):
            survivor, absorbed = merge_order(state, other)
            repo.move_members(
                ctx.conn, source=int(absorbed.key), target=int(survivor.key), now=ctx.now
            )
            survivor.absorb(absorbed)
            log.info("stories merged", story=survivor.key, absorbed=absorbed.key)
            state = survivor
    refresh_story(ctx.conn, int(state.key), state, now=ctx.now)
    ctx.results["story"] = {
        "story_id": int(state.key),
        "action": decision.action,
        "duplicate_of": decision.duplicate_of,
    }
    log.info(
        "article placed in story",
        article_id=ctx.article_id,
        story_id=state.key,
        action=decision.action,
        duplicate_of=decision.duplicate_of,
    )


def member_from_row(row: Any) -> Member:
    return Member(
        article_id=row.article_id,
        published=row.published_at,
        headline=row.headline,
        outlet=row.outlet,
        summary=row.summary or "",
        terms=row.terms or {},
        entities=row.entities or [],
        topics=row.topics or [],
        duplicate_of=row.duplicate_of,
        development=row.development,
        confidence=row.confidence or 0.0,
    )


def refresh_story(conn: Connection, story_id: int, state: StoryState, *, now: datetime) -> None:
    """Rebuild a story's record from its members and write it with its bag of words."""
    from newsdesk.store import stories as repo

    members = [member_from_row(row) for row in repo.members(conn, story_id)]
    record = build_record(members, now=now)
    repo.save_story(
        conn,
        story_id,
        headline=record.headline,
        summary=record.summary,
        first_seen=record.first_seen,
        last_seen=record.last_seen,
        size=state.size,
        words=state.words,
        outlet_count=len(record.outlets),
        outlets=list(record.outlets),
        counts=state.counts,
        entities=list(record.entities),
        topics=list(record.topics),
        timeline=list(record.timeline),
        importance=record.importance.score,
        factors=record.importance.factors(),
        updated_at=now,
    )
