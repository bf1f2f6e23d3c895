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

import functools
from collections.abc import Container, Mapping, Sequence, Set
from dataclasses import dataclass, replace
from datetime import datetime

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
MAX_DEVELOPING = 5
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


def _follow_key(reader: ReaderRecord, kind: str, target: str) -> tuple[str, str] | None:
    """The window-index key a follow reaches: a saved search by its query text (the articles
    its query found carry ``("search", text)``, see ``with_search_matches``), the rest by
    what the article names."""
    if kind == "search":
        text = reader.search_text(target)
        return None if text is None else ("search", text)
    return _key(kind, target)


def with_search_matches(news: WindowNews, matches: Mapping[str, Set[int]]) -> WindowNews:
    """``news`` with ``("search", text)`` added to the keys of each article a saved search's
    query found, so a search follow is chosen like any other follow."""
    extra: dict[int, set[tuple[str, str]]] = {}
    for text, ids in matches.items():
        for article_id in ids:
            extra.setdefault(article_id, set()).add(("search", text))
    if not extra:
        return news
    changed = []
    for story in news.stories:
        if any(a.id in extra for a in story.articles):
            story = replace(
                story,
                articles=tuple(
                    replace(a, keys=a.keys | extra[a.id]) if a.id in extra else a
                    for a in story.articles
                ),
            )
        changed.append(story)
    return WindowNews(news.start, news.end, tuple(changed))


@functools.lru_cache(maxsize=32768)
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


def _item(story: WindowStory, shown: Sequence[WindowArticle], base_url: str) -> EditionItem:
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


@dataclass(frozen=True, slots=True)
class WindowIndex:
    """A window's news indexed by what follows and mutes name: built once, shared by readers.

    Choosing one reader's edition then costs what that reader follows and the
    few stories shown, not the size of the window.
    """

    news: WindowNews
    # What an item shows, per (story position, original link): shared by every reader.
    items: dict[tuple[int, str | None], EditionItem]
    # (kind, target) -> [(story position, the story's articles it names)], in story order
    # (importance, highest first): a follow's stories are read off in order, no sorting
    by_key: dict[tuple[str, str], list[tuple[int, list[WindowArticle]]]]
    position_of: dict[str, int]  # story key -> position
    article_range: tuple[int, int] | None  # lowest and highest article id in the window


def slice_window(news: WindowNews, start: datetime, end: datetime) -> WindowNews:
    """The part of ``news`` that arrived in ``(start, end]``: many windows from one read."""
    sliced = []
    for story in news.stories:
        kept = tuple(a for a in story.articles if start < a.added_at <= end)
        if kept:
            sliced.append(
                story if len(kept) == len(story.articles) else replace(story, articles=kept)
            )
    return WindowNews(start, end, tuple(sliced))


def index_window(news: WindowNews) -> WindowIndex:
    by_key: dict[tuple[str, str], list[tuple[int, list[WindowArticle]]]] = {}
    for position, story in enumerate(news.stories):
        for article in story.articles:
            for key in article.keys:
                groups = by_key.get(key)
                if groups is None:
                    by_key[key] = [(position, [article])]
                elif groups[-1][0] == position:
                    groups[-1][1].append(article)
                else:
                    groups.append((position, [article]))
    ids = [a.id for s in news.stories for a in s.articles]
    span = (min(ids), max(ids)) if ids else None
    return WindowIndex(news, {}, by_key, {s.key: i for i, s in enumerate(news.stories)}, span)


def select_edition(
    news: WindowNews | WindowIndex,
    reader: ReaderRecord,
    request: EditionRequest,
    *,
    read_article_ids: Container[int] | None = None,
    read_story_keys: Set[str] = frozenset(),
) -> Edition:
    """The edition for one reader: developing, then follows, then the most important stories.

    ``read_article_ids`` None means the reader has read nothing in the window.
    """
    index = news if isinstance(news, WindowIndex) else index_window(news)
    stories = index.news.stories
    muted_stories: set[int] = set()
    muted_articles: set[int] = set()
    for kind, target, _ in reader.mutes:
        key = _key(kind, target)
        for position, named in index.by_key.get(key, ()):
            if key[0] in _STORY_MUTES:
                muted_stories.add(position)
            else:
                muted_articles.update(a.id for a in named)
    read = read_article_ids
    used: set[int] = set()

    def item(position: int, shown: Sequence[WindowArticle]) -> EditionItem:
        key = (position, next((a.url for a in shown if a.url), None))
        found = index.items.get(key)
        if found is None:
            found = index.items[key] = _item(stories[position], shown, request.base_url)
        return found

    def left(
        position: int, among: Sequence[WindowArticle] | None = None
    ) -> Sequence[WindowArticle]:
        """The story's articles this reader may still be shown (none if muted or used)."""
        if position in muted_stories or position in used:
            return ()
        articles = stories[position].articles if among is None else among
        if read is None:
            if not muted_articles:
                return articles
            return tuple(a for a in articles if a.id not in muted_articles)
        return tuple(a for a in articles if a.id not in muted_articles and a.id not in read)

    developing: list[DevelopingItem] = []
    for position in sorted(index.position_of[k] for k in read_story_keys if k in index.position_of):
        fresh = left(position)
        if not fresh:
            continue
        new = tuple(
            NewDevelopment(a.development or a.headline, a.outlet, a.url)
            for a in fresh[:MAX_NEW_PER_STORY]
        )
        developing.append(DevelopingItem(item(position, fresh), new, len(fresh)))
        used.add(position)
        if len(developing) >= MAX_DEVELOPING:
            break

    sections: list[FollowSection] = []
    for kind, target, label in reader.follows:
        follow_key = _follow_key(reader, kind, target)
        if follow_key is None:  # a saved search that is gone
            continue
        items: list[EditionItem] = []
        # By importance: a follow's biggest stories first.
        for position, named in index.by_key.get(follow_key, ()):
            shown = left(position, named)
            if not shown:
                continue
            items.append(item(position, shown))
            used.add(position)
            if len(items) >= PER_FOLLOW:
                break
        if items:
            sections.append(FollowSection(kind, label, tuple(items)))
        if len(sections) >= MAX_FOLLOW_SECTIONS:
            break

    top: list[EditionItem] = []
    for position in range(len(stories)):
        if len(top) >= request.top_n:
            break
        shown = left(position)
        if not shown:
            continue
        top.append(item(position, shown))
        used.add(position)

    window = index.news
    return Edition(
        user_id=request.user_id,
        slot=request.slot,
        local_date=request.local_date,
        time_zone=request.time_zone,
        window_start=window.start,
        window_end=window.end,
        top=tuple(top),
        following=tuple(sections),
        developing=tuple(developing),
    )
