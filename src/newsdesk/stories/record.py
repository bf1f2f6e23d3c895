"""A story's record, built from its members: what a reader sees about a story.

Pure: members in, record out. The representative headline is the member
headline whose words are most typical of the story (highest mean share of
members using each of its words), so an outlier angle never fronts the story;
ties go to the earliest. Wire copies are kept as members but marked, so the
coverage list shows each text once.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from newsdesk.stories.rank import Importance, importance

TOP_ENTITIES = 10
TOP_TOPICS = 8


@dataclass(frozen=True, slots=True)
class Member:
    """One article of a story, as stored with it."""

    article_id: int | str
    published: datetime
    headline: str
    outlet: str | None = None
    summary: str = ""
    terms: Mapping[str, int] = field(default_factory=dict)
    entities: Sequence[Mapping[str, str]] = ()  # [{"key": "@jane doe", "name": "Jane Doe"}]
    topics: Sequence[Mapping[str, str]] = ()  # [{"key": ..., "name": ...}]
    duplicate_of: int | str | None = None
    development: Mapping[str, Any] | None = None
    confidence: float = 0.0


@dataclass(frozen=True, slots=True)
class StoryRecord:
    headline: str
    summary: str
    first_seen: datetime
    last_seen: datetime
    outlets: tuple[str, ...]
    entities: tuple[dict[str, Any], ...]
    topics: tuple[dict[str, Any], ...]
    timeline: tuple[dict[str, Any], ...]
    importance: Importance


def typicality(member: Member, counts: Mapping[str, int], size: int) -> float:
    words = [t for t in member.terms if not t.startswith("@")] or list(member.terms)
    if not words or size <= 0:
        return 0.0
    return sum(min(counts.get(t, 0), size) / size for t in words) / len(words)


def _top(items: Sequence[Sequence[Mapping[str, str]]], limit: int) -> tuple[dict[str, Any], ...]:
    counts: Counter[str] = Counter()
    names: dict[str, str] = {}
    for member_items in items:
        for item in member_items:
            key = item.get("key") or item.get("name") or ""
            if not key:
                continue
            counts[key] += 1
            names.setdefault(key, item.get("name") or key)
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], names[kv[0]].casefold()))[:limit]
    return tuple({"key": k, "name": names[k], "articles": n} for k, n in ranked)


def build_record(members: Sequence[Member], *, now: datetime) -> StoryRecord:
    """The record of a story from its members (any order); ``now`` is for importance."""
    if not members:
        raise ValueError("a story has at least one member")
    ordered = sorted(members, key=lambda m: (m.published, str(m.article_id)))
    originals = [m for m in ordered if m.duplicate_of is None] or ordered
    counts: Counter[str] = Counter()
    for member in originals:
        counts.update(set(member.terms))
    size = len(originals)
    representative = max(
        originals, key=lambda m: (round(typicality(m, counts, size), 9), -ordered.index(m))
    )
    summary = representative.summary or next((m.summary for m in originals if m.summary), "")
    outlets = tuple(sorted({m.outlet for m in ordered if m.outlet}, key=str.casefold))
    entities = _top([m.entities for m in originals], TOP_ENTITIES)
    recurring = sum(1 for e in entities if e["articles"] >= 2)
    timeline = tuple(dict(m.development) for m in originals[1:] if m.development)
    score = importance(
        outlets=len(outlets),
        published=[m.published for m in ordered],
        recurring_entities=recurring,
        now=now,
    )
    return StoryRecord(
        headline=representative.headline,
        summary=summary,
        first_seen=ordered[0].published,
        last_seen=ordered[-1].published,
        outlets=outlets,
        entities=entities,
        topics=_top([m.topics for m in originals], TOP_TOPICS),
        timeline=timeline,
        importance=score,
    )
