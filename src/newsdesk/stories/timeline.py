"""What each later article added to a story: the timeline of developments.

An article adds a development when it brings entities or terms the story had
not seen before it (a new actor, a new figure, a new place); the development
is told by the sentence of that article which carries the most of what is new,
or its headline when it has no text. Wire copies and re-posts add nothing.
Pure: the caller passes what the story had seen so far.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass

from newsdesk.stories.fingerprint import ENTITY_PREFIX, tokens

#: A development needs a new entity, or at least this many new terms: one new
#: word is usually only another way of saying the same thing.
MIN_NEW_TERMS = 3
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"“‘'])")


@dataclass(frozen=True, slots=True)
class Development:
    """One entry in a story's timeline."""

    article_id: int | str
    at: str  # ISO time of the article
    headline: str
    outlet: str | None
    sentence: str
    new_entities: tuple[str, ...]
    new_terms: tuple[str, ...]

    def to_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["new_entities"] = list(self.new_entities)
        data["new_terms"] = list(self.new_terms)
        return data


def sentences(text: str) -> list[str]:
    out: list[str] = []
    for paragraph in text.split("\n"):
        out.extend(s.strip() for s in _SENTENCE.split(paragraph) if s.strip())
    return out


def find_development(
    *,
    article_id: int | str,
    at: str,
    headline: str,
    outlet: str | None,
    text: str,
    terms: Mapping[str, int],
    entity_names: Mapping[str, str],
    seen: Iterable[str],
) -> Development | None:
    """The development an article adds over ``seen`` (the story's terms so far), or None."""
    known = set(seen)
    new_entities = sorted(k for k in terms if k.startswith(ENTITY_PREFIX) and k not in known)
    new_terms = sorted(k for k in terms if not k.startswith(ENTITY_PREFIX) and k not in known)
    if not new_entities and len(new_terms) < MIN_NEW_TERMS:
        return None
    fresh = set(new_terms) | {t for k in new_entities for t in tokens(k[len(ENTITY_PREFIX) :])}
    best, best_hits = headline, 0
    for sentence in sentences(text):
        hits = len(fresh & set(tokens(sentence)))
        if hits > best_hits:
            best, best_hits = sentence, hits
    return Development(
        article_id=article_id,
        at=at,
        headline=headline,
        outlet=outlet,
        sentence=best[:400],
        new_entities=tuple(entity_names.get(k, k[len(ENTITY_PREFIX) :]) for k in new_entities),
        new_terms=tuple(new_terms[:12]),
    )
