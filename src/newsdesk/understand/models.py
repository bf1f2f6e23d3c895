"""Records of the understanding stage: who and what an article is about."""

from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Literal

EntityKind = Literal["person", "org", "place", "group", "event"]


@dataclass(frozen=True, slots=True)
class Mention:
    """One place an entity is named: character offsets into the article body."""

    start: int
    end: int
    text: str
    sentence: int


@dataclass(frozen=True, slots=True)
class Entity:
    """A canonical entity within one article, with every alias it was named by."""

    name: str  # canonical: "Emmanuel Macron", "Wagner Group", "Canada"
    kind: EntityKind
    aliases: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()  # "Defence Minister", "spokesman"
    mentions: tuple[Mention, ...] = ()
    salience: float = 0.0

    @property
    def key(self) -> str:
        """Cross-article identity: the same key in two articles is one followable thing."""
        return f"{self.kind}:{normalise_key(self.name)}"


@dataclass(frozen=True, slots=True)
class Topic:
    name: str  # display form: "peacekeeping", "Mali"
    key: str  # normalised, followable: "peacekeeping", "place:mali"
    score: float = 0.0


@dataclass(frozen=True, slots=True)
class Quote:
    text: str
    speaker: str | None  # canonical name, None when unattributed
    speaker_key: str | None = None
    cue: str | None = None  # "said", "told"
    start: int = 0  # offsets into the article body
    end: int = 0
    paragraph: int = 0


@dataclass(frozen=True, slots=True)
class Figure:
    text: str  # as written: "$1.6-billion"
    value: float | None  # normalised number: 1.6e9
    unit: str | None  # "CAD", "USD", "troops", "months", "%"
    counts: str | None  # what it counts: "French troops", "development aid"
    low: float | None = None  # ranges: "four to six months" -> 4..6
    high: float | None = None
    approximate: bool = False
    sentence: int = 0


@dataclass(frozen=True, slots=True)
class Understanding:
    headline: str
    headline_generated: bool
    summary: str
    summary_sentences: tuple[int, ...] = ()
    language: str | None = None
    entities: tuple[Entity, ...] = ()
    topics: tuple[Topic, ...] = ()
    quotes: tuple[Quote, ...] = ()
    figures: tuple[Figure, ...] = ()
    sentences: tuple[str, ...] = field(default=(), repr=False)

    @property
    def people(self) -> tuple[Entity, ...]:
        return tuple(e for e in self.entities if e.kind == "person")

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready view; the field names are a contract of the CLI and the API.

        Each quote is ``{"quote": ..., "speaker": ...}`` plus its cue and position.
        """
        return {
            "headline": self.headline,
            "headline_generated": self.headline_generated,
            "summary": self.summary,
            "summary_sentences": list(self.summary_sentences),
            "language": self.language,
            "entities": [
                {
                    "name": e.name,
                    "kind": e.kind,
                    "key": e.key,
                    "aliases": list(e.aliases),
                    "roles": list(e.roles),
                    "mentions": len(e.mentions),
                    "salience": e.salience,
                }
                for e in self.entities
            ],
            "topics": [{"name": t.name, "key": t.key, "score": t.score} for t in self.topics],
            "quotes": [
                {
                    "quote": q.text,
                    "speaker": q.speaker,
                    "speaker_key": q.speaker_key,
                    "cue": q.cue,
                    "start": q.start,
                    "end": q.end,
                    "paragraph": q.paragraph,
                }
                for q in self.quotes
            ],
            "figures": [
                {
                    "text": f.text,
                    "value": f.value,
                    "low": f.low,
                    "high": f.high,
                    "unit": f.unit,
                    "counts": f.counts,
                    "approximate": f.approximate,
                    "sentence": f.sentence,
                }
                for f in self.figures
            ],
        }


@functools.lru_cache(maxsize=65536)
def normalise_key(name: str) -> str:
    """Case, accents and punctuation folded: "Mr. Macron" -> "mr macron" (cached: called a lot)."""
    text = unicodedata.normalize("NFKD", name).casefold()
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join("".join(ch if ch.isalnum() else " " for ch in text).split())
