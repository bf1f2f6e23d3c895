"""The parsed form of the query language: the typed, frozen records a search is made of.

``newsdesk.follow.query`` turns text into these; ``newsdesk.store.search``
turns them into SQL. They sit in the store layer so that the store can take a
parsed query without importing the follow stage that parses it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

TermKind = Literal["word", "phrase", "author", "person", "org", "place", "topic", "outlet"]


def quote_if_needed(value: str) -> str:
    return f'"{value}"' if (not value or any(c.isspace() for c in value)) else value


@dataclass(frozen=True, slots=True)
class Term:
    kind: TermKind
    value: str
    negated: bool = False

    def render(self) -> str:
        """The term written back in the language (round-trips through ``parse_query``)."""
        sign = "-" if self.negated else ""
        if self.kind == "word":
            return f"{sign}{self.value}"
        if self.kind == "phrase":
            return f'{sign}"{self.value}"'
        return f"{sign}{self.kind}:{quote_if_needed(self.value)}"


@dataclass(frozen=True, slots=True)
class Since:
    """A lower bound on publication time: absolute, or an age measured from ``now``."""

    absolute: datetime | None = None
    age: timedelta | None = None
    text: str = ""

    def resolve(self, now: datetime) -> datetime:
        if self.absolute is not None:
            return self.absolute
        assert self.age is not None
        return now - self.age


@dataclass(frozen=True, slots=True)
class Query:
    terms: tuple[Term, ...] = ()
    since: Since | None = None

    @property
    def text_terms(self) -> tuple[Term, ...]:
        """Words and phrases, which the full-text index answers."""
        return tuple(t for t in self.terms if t.kind in ("word", "phrase"))

    @property
    def field_terms(self) -> tuple[Term, ...]:
        return tuple(t for t in self.terms if t.kind not in ("word", "phrase"))

    @property
    def positive(self) -> tuple[Term, ...]:
        return tuple(t for t in self.terms if not t.negated)

    def render(self) -> str:
        parts = [t.render() for t in self.terms]
        if self.since is not None:
            parts.append(f"since:{quote_if_needed(self.since.text)}")
        return " ".join(parts)
