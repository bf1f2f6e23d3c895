"""Typed records passed from one stage to the next.

They are frozen: a stage returns a new record instead of mutating the one it
was given, so a batch can be retried or moved to a worker without surprises.
Records each later stage adds (FeedItem, Understanding, Story, ...) live in
their stage's package and are re-exported here as they land.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any, Literal, NamedTuple

PageKind = Literal["html", "text"]


@dataclass(frozen=True, slots=True)
class Page:
    """Raw bytes of one page as read from a file, stdin or the network."""

    content: bytes
    url: str | None = None
    origin: str = "-"  # what the user named: a path, a URL or "-" for stdin
    content_type: str | None = None
    fetched_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Credit:
    """One person or agency credited for an article, split from role and place."""

    name: str
    kind: Literal["author", "contributor", "agency"] = "author"
    role: str | None = None
    place: str | None = None


@dataclass(frozen=True, slots=True)
class Article:
    """A clean article: what its journalists wrote, the site's chrome gone."""

    title: str
    paragraphs: tuple[str, ...]
    title_generated: bool = False
    url: str | None = None
    canonical_url: str | None = None
    authors: tuple[str, ...] = ()
    contributors: tuple[str, ...] = ()
    credits: tuple[Credit, ...] = ()
    outlet: str | None = None
    published: datetime | None = None
    language: str | None = None
    description: str | None = None
    extraction_method: str = "unknown"
    warnings: tuple[str, ...] = ()

    @property
    def body(self) -> str:
        return "\n\n".join(self.paragraphs)

    @property
    def word_count(self) -> int:
        """Words; in Chinese and Japanese, written without spaces, each character counts as one."""
        return sum(count_words(p) for p in self.paragraphs)

    @property
    def content_hash(self) -> str:
        return content_hash(self.paragraphs)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready view; the field names are a public contract of the CLI and API."""
        data = asdict(self)
        data["published"] = self.published.isoformat() if self.published else None
        data["paragraphs"] = list(self.paragraphs)
        data["authors"] = list(self.authors)
        data["contributors"] = list(self.contributors)
        data["credits"] = [asdict(c) for c in self.credits]
        data["warnings"] = list(self.warnings)
        data["body"] = self.body
        data["content_hash"] = self.content_hash
        data["word_count"] = self.word_count
        return data


_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)
# Han ideographs, kana and CJK punctuation-free runs: scripts written without spaces.
_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def count_words(text: str) -> int:
    """Whitespace-separated words, plus one per character of scripts written without spaces."""
    unspaced = len(_UNSPACED.findall(text))
    if not unspaced:
        return len(text.split())
    return len(_UNSPACED.sub(" ", text).split()) + unspaced


def normalise_for_hash(text: str) -> str:
    """Case, accents, punctuation and spacing removed: the same text re-typeset hashes the same."""
    if text.isascii():  # nothing to decompose or strip: skip the per-character pass
        return _NON_WORD.sub(" ", text.casefold()).strip()
    text = unicodedata.normalize("NFKD", text).casefold()
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return _NON_WORD.sub(" ", text).strip()


def content_hash(paragraphs: tuple[str, ...] | list[str]) -> str:
    """Stable fingerprint of an article body, used to skip exact re-ingests."""
    joined = " ".join(normalise_for_hash(p) for p in paragraphs)
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class ItemFailure:
    """One input of a batch that could not be processed, with the reason shown to the user."""

    origin: str
    reason: str


@dataclass(slots=True)
class BatchReport:
    """What a batch run did: what it stored, skipped and why items failed."""

    stored: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    failed: list[ItemFailure] = field(default_factory=list)


# --- sources stage ----------------------------------------------------------


# Enclosure and FeedItem are named tuples, not frozen dataclasses like the other records:
# they are as immutable and as typed, and a feed makes one per entry, where a frozen
# dataclass's __init__ (one object.__setattr__ per field) cost a tenth of the whole parse
# of a large feed (BENCHMARKS.md, "Feed parsing"). Change one with ``item._replace(...)``.
class Enclosure(NamedTuple):
    url: str
    type: str | None = None
    length: int | None = None


class FeedItem(NamedTuple):
    """One feed entry, typed. ``key`` is stable across re-fetches (guid, else link, else a hash)."""

    key: str
    link: str | None = None
    title: str | None = None
    authors: tuple[str, ...] = ()
    published: datetime | None = None
    updated: datetime | None = None
    summary: str | None = None
    content: str | None = None
    enclosures: tuple[Enclosure, ...] = ()
    categories: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class FeedInfo:
    title: str | None = None
    link: str | None = None
    description: str | None = None
    language: str | None = None
    updated: datetime | None = None
    format: str | None = None  # rss20, rss10, atom10, json11, ...


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    feed: FeedInfo
    entries: tuple[FeedItem, ...]
    bozo: bool = False  # the document was malformed but something was recovered
    warnings: tuple[str, ...] = ()
