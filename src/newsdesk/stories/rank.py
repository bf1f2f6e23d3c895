"""Importance of a story, with the factors kept so the app can say why it ranks high.

    score = recency × (log2(1 + outlets) + ½·log2(1 + articles in the last 6 h)
                       + ¼·log2(1 + recurring entities))

* **Distinct outlets** dominate: ten newsrooms independently covering an event
  is the strongest sign it matters, and wire copies re-posted under many names
  count once per outlet, not once per copy.
* **Velocity** (articles in the last six hours) lifts stories that are moving now.
* **Recency** halves the score every 12 hours after the last article, so
  yesterday's big story yields to today's.
* **Entity weight**: entities named by two or more members are the story's
  actors; a story about many named actors is usually a bigger one.

Logarithms keep any one factor from swamping the others. Pure: pass ``now``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any

HALF_LIFE_HOURS = 12.0
VELOCITY_WINDOW = timedelta(hours=6)


@dataclass(frozen=True, slots=True)
class Importance:
    score: float
    outlets: int
    velocity: int  # articles in the last six hours
    recency: float  # 1.0 just now, 0.5 after 12 hours...
    entity_weight: int  # entities named by at least two members
    hours_since_last: float

    def factors(self) -> dict[str, float | int]:
        return asdict(self)


def importance(
    *,
    outlets: int,
    published: Sequence[datetime],
    recurring_entities: int,
    now: datetime,
) -> Importance:
    """Score one story from its members' times, its outlets and its recurring entities."""
    last = max(published) if published else now
    hours = max((now - last).total_seconds() / 3600.0, 0.0)
    recency = 0.5 ** (hours / HALF_LIFE_HOURS)
    velocity = sum(1 for when in published if timedelta(0) <= now - when <= VELOCITY_WINDOW)
    base = (
        math.log2(1 + outlets)
        + 0.5 * math.log2(1 + velocity)
        + 0.25 * math.log2(1 + recurring_entities)
    )
    return Importance(
        score=round(recency * base, 6),
        outlets=outlets,
        velocity=velocity,
        recency=round(recency, 6),
        entity_weight=recurring_entities,
        hours_since_last=round(hours, 3),
    )


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def reason(factors: Mapping[str, Any]) -> str:
    """Importance as one line a reader understands, from the stored ``factors``.

    The score alone says nothing; the reasons behind it (how many outlets, how
    fast it is moving, how recent) are what a reader weighs.
    """
    parts = [f"covered by {_count(int(factors.get('outlets') or 0), 'outlet')}"]
    velocity = int(factors.get("velocity") or 0)
    if velocity:
        parts.append(f"{_count(velocity, 'article')} in the last 6 hours")
    shared = int(factors.get("entity_weight") or 0)
    if shared:
        parts.append(f"{_count(shared, 'name')} shared across reports")
    hours = factors.get("hours_since_last")
    if isinstance(hours, int | float) and hours >= 24:
        parts.append("quiet for " + _count(int(hours // 24), "day"))
    return ", ".join(parts)
