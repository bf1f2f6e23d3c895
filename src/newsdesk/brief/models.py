"""Records of the brief stage: an edition and its items, each with its JSON twin."""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

SLOT_TITLES = {"morning": "Morning Update", "evening": "Evening Update"}


@functools.lru_cache(maxsize=65536)
def outlets_line(outlets: tuple[str, ...], count: int, *, named: int = 2) -> str:
    """ "Reuters, Le Monde and 3 more": the first outlets by name, the rest as a number."""
    names = list(dict.fromkeys(o for o in outlets if o))[:named]
    total = max(count, len(names))
    rest = total - len(names)
    if not names:
        return f"{total} outlets" if total > 1 else ""
    if rest <= 0:
        return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return ", ".join(names) + f" and {rest} more"


@dataclass(frozen=True, slots=True)
class EditionItem:
    """One story as an edition tells it."""

    story_key: str
    headline: str
    summary: str
    outlets: tuple[str, ...]
    outlet_count: int
    story_url: str
    original_url: str | None

    @property
    def outlets_line(self) -> str:
        return outlets_line(self.outlets, self.outlet_count)

    def to_dict(self) -> dict[str, Any]:
        return {
            "story_key": self.story_key,
            "headline": self.headline,
            "summary": self.summary,
            "outlets": list(self.outlets),
            "outlets_line": self.outlets_line,
            "outlet_count": self.outlet_count,
            "story_url": self.story_url,
            "original_url": self.original_url,
        }


@dataclass(frozen=True, slots=True)
class FollowSection:
    """One follow with news: what the reader follows, and its stories."""

    kind: str
    label: str
    items: tuple[EditionItem, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "label": self.label,
            "items": [i.to_dict() for i in self.items],
        }


@dataclass(frozen=True, slots=True)
class NewDevelopment:
    """What one new article added to a story the reader has read."""

    text: str
    outlet: str | None
    url: str | None

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "outlet": self.outlet, "url": self.url}


@dataclass(frozen=True, slots=True)
class DevelopingItem:
    item: EditionItem
    new: tuple[NewDevelopment, ...]
    new_articles: int

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.item.to_dict(),
            "new_articles": self.new_articles,
            "new": [n.to_dict() for n in self.new],
        }


@dataclass(frozen=True, slots=True)
class Edition:
    """One reader's edition: the three parts, and the window of time it covers."""

    user_id: int
    slot: str  # morning | evening
    local_date: str
    time_zone: str
    window_start: datetime
    window_end: datetime
    top: tuple[EditionItem, ...]
    following: tuple[FollowSection, ...]
    developing: tuple[DevelopingItem, ...]

    @property
    def title(self) -> str:
        return SLOT_TITLES[self.slot]

    @property
    def is_empty(self) -> bool:
        return not (self.top or self.following or self.developing)

    @property
    def story_keys(self) -> list[str]:
        keys = [i.story_key for i in self.top]
        keys += [i.story_key for s in self.following for i in s.items]
        keys += [d.item.story_key for d in self.developing]
        return keys

    def _head(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "slot": self.slot,
            "local_date": self.local_date,
            "time_zone": self.time_zone,
            "window_start": self.window_start.isoformat(),
            "window_end": self.window_end.isoformat(),
            "empty": self.is_empty,
        }

    def to_dict(self) -> dict[str, Any]:
        return {
            **self._head(),
            "top": [i.to_dict() for i in self.top],
            "following": [s.to_dict() for s in self.following],
            "developing": [d.to_dict() for d in self.developing],
        }

    def to_json(self) -> str:
        """``to_dict()`` as JSON text, made from each item's JSON written once.

        Readers of one window share the same item objects, so a day of editions
        serialises a few hundred items, not every item of every mail again.
        """
        following = ", ".join(
            _section_head_json(s.kind, s.label) + ", ".join(_item_json(i) for i in s.items) + "]}"
            for s in self.following
        )
        return (
            _json(self._head())[:-1]
            + ', "top": ['
            + ", ".join(_item_json(i) for i in self.top)
            + '], "following": ['
            + following
            + '], "developing": ['
            + ", ".join(_item_json(d) for d in self.developing)
            + "]}"
        )


def _json(value: dict[str, Any]) -> str:
    return json.dumps(value, ensure_ascii=False)


@functools.lru_cache(maxsize=8192)
def _section_head_json(kind: str, label: str) -> str:
    return _json({"kind": kind, "label": label})[:-1] + ', "items": ['


@functools.lru_cache(maxsize=32768)
def _item_json(item: EditionItem | DevelopingItem) -> str:
    return _json(item.to_dict())
