"""Choosing what goes into one reader's edition: pure, from the window's news and the reader.

The order in which parts claim stories decides where a story lands, since no
story appears twice: first "Developing" (stories the reader has read that took
new articles), then "From what you follow" (the reader asked for these), then
"The most important stories" from what is left. The parts are shown in the
opposite order. Mutes always win: an outlet, source or author mute drops those
articles; a topic, person, organisation or place mute drops the whole story.
Stories whose window articles the reader has all read are left out unless
developing.
"""

from __future__ import annotations

from collections.abc import Set
from dataclasses import dataclass

from newsdesk.brief.models import (
    DevelopingItem,
    Edition,
    EditionItem,
    FollowSection,
    NewDevelopment,
)
from newsdesk.store.editions import ReaderRecord, WindowArticle, WindowNews, WindowStory
from newsdesk.stories.timeline import sentences

DEFAULT_TOP = 7
PER_FOLLOW = 3
MAX_FOLLOW_SECTIONS = 12
MAX_NEW_PER_STORY = 3
SUMMARY_SENTENCES = 2
SUMMARY_CHARS = 320
_ENTITY_KINDS = ("person", "org", "place")
_STORY_MUTES = ("topic", "entity")


@dataclass(frozen=True, slots=True)
class EditionRequest:
    """Who the edition is for and which one."""

    user_id: int
    slot: str
    local_date: str
    time_zone: str
    base_url: str
    top_n: int = DEFAULT_TOP


def _key(kind: str, target: str) -> tuple[str, str]:
    return ("entity" if kind in _ENTITY_KINDS else kind, target)


def short_summary(text: str, *, limit: int = SUMMARY_CHARS) -> str:
    """The first one or two sentences, never longer than ``limit`` characters."""
    parts = sentences(" ".join(text.split()))
    if not parts:
        return ""
    chosen = parts[0]
    if len(parts) > 1 and len(chosen) + len(parts[1]) + 1 <= limit:
        chosen += " " + parts[1]
    if len(chosen) > limit:
        chosen = chosen[: limit - 1].rsplit(" ", 1)[0] + "…"
    return chosen


def story_url(base_url: str, key: str) -> str:
    return f"{base_url.rstrip('/')}/stories/{key}"


def _visible(
    story: WindowStory, mutes: tuple[tuple[str, str], ...]
) -> tuple[WindowArticle, ...] | None:
    """The story's window articles once mutes are applied; None when the whole story is muted."""
    if not mutes:
        return story.articles
    story_level = {m for m in mutes if m[0] in _STORY_MUTES}
    article_level = {m for m in mutes if m[0] not in _STORY_MUTES}
    kept = []
    for article in story.articles:
        if story_level & article.keys:
            return None
        if not article_level & article.keys:
            kept.append(article)
    return tuple(kept) or None


def _item(story: WindowStory, shown: tuple[WindowArticle, ...], base_url: str) -> EditionItem:
    outlets = story.outlets or tuple(dict.fromkeys(a.outlet for a in shown if a.outlet))
    return EditionItem(
        story_key=story.key,
        headline=story.headline,
        summary=short_summary(story.summary) or short_summary(shown[0].headline),
        outlets=outlets,
        outlet_count=max(story.outlet_count, len(outlets)),
        story_url=story_url(base_url, story.key),
        original_url=next((a.url for a in shown if a.url), None),
    )


def select_edition(
    news: WindowNews,
    reader: ReaderRecord,
    request: EditionRequest,
    *,
    read_article_ids: Set[int] = frozenset(),
    read_story_keys: Set[str] = frozenset(),
) -> Edition:
    """The edition for one reader: developing, then follows, then the most important stories."""
    mutes = tuple(_key(kind, target) for kind, target, _ in reader.mutes)
    visible: dict[int, tuple[WindowArticle, ...]] = {}
    for story in news.stories:
        shown = _visible(story, mutes)
        if shown is not None:
            visible[story.id] = shown
    used: set[int] = set()

    developing: list[DevelopingItem] = []
    for story in news.stories:
        shown = visible.get(story.id)
        if shown is None or story.key not in read_story_keys:
            continue
        fresh = tuple(a for a in shown if a.id not in read_article_ids)
        if not fresh:
            continue
        new = tuple(
            NewDevelopment(a.development or a.headline, a.outlet, a.url)
            for a in fresh[:MAX_NEW_PER_STORY]
        )
        developing.append(DevelopingItem(_item(story, fresh, request.base_url), new, len(fresh)))
        used.add(story.id)

    def unread(story: WindowStory) -> tuple[WindowArticle, ...] | None:
        shown = visible.get(story.id)
        if shown is None or story.id in used:
            return None
        left = tuple(a for a in shown if a.id not in read_article_ids)
        return left or None

    sections: list[FollowSection] = []
    for kind, target, label in reader.follows:
        wanted = _key(kind, target)
        items: list[EditionItem] = []
        for story in news.stories:  # by importance: a follow's biggest stories first
            left = unread(story)
            if left is None:
                continue
            reached = tuple(a for a in left if wanted in a.keys)
            if not reached:
                continue
            items.append(_item(story, reached, request.base_url))
            used.add(story.id)
            if len(items) >= PER_FOLLOW:
                break
        if items:
            sections.append(FollowSection(kind, label, tuple(items)))
        if len(sections) >= MAX_FOLLOW_SECTIONS:
            break

    top: list[EditionItem] = []
    for story in news.stories:
        if len(top) >= request.top_n:
            break
        left = unread(story)
        if left is None:
            continue
        top.append(_item(story, left, request.base_url))
        used.add(story.id)

    return Edition(
        user_id=request.user_id,
        slot=request.slot,
        local_date=request.local_date,
        time_zone=request.time_zone,
        window_start=news.start,
        window_end=news.end,
        top=tuple(top),
        following=tuple(sections),
        developing=tuple(developing),
    )
