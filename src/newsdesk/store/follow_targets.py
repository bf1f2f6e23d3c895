"""From a followable thing to the ids of the articles it reaches, as one index range scan.

Each builder returns ``SELECT id`` (labelled ``id``) restricted to ids above
``after_id``; the callers add ``ORDER BY id DESC LIMIT n`` or a capped count.
Authors come from our own ``article_authors``; outlets and sources from
``articles``; people, organisations, places and topics from the understanding
stage's tables; stories from the stories stage's membership table.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Integer,
    Select,
    false,
    func,
    literal,
    or_,
    select,
    text,
)
from sqlalchemy.sql.elements import TextClause

from newsdesk.errors import FollowError
from newsdesk.store.records import PENDING_PREFIX, Mute, Target
from newsdesk.store.tables import articles, outlets, sources
from newsdesk.store.tables.accounts import article_authors
from newsdesk.store.tables.stories import stories, story_members
from newsdesk.understand.models import normalise_key

#: The kinds a reader names (rather than picks by id): they may be followed before the news.
NAMED_KINDS: tuple[str, ...] = ("author", "person", "org", "place", "topic")


def author_key(name: str) -> Any:
    """The author index key of ``name``, computed by the database exactly as its triggers do."""
    return func.lower(func.trim(literal(name)))


def id_in(column: Any, ids: Sequence[int], dialect: str) -> Any:
    """``column IN ids``; on PostgreSQL ``= ANY(array)``, one statement text whatever the count.

    An expanded IN list is a new statement for every list length, which
    psycopg must parse and PostgreSQL plan afresh on every page view.
    """
    if dialect == "postgresql":
        from sqlalchemy import any_, bindparam
        from sqlalchemy.dialects.postgresql import ARRAY

        return column == any_(bindparam("ids", list(ids), type_=ARRAY(Integer)))
    return column.in_(list(ids))


def author_key_of(conn: Connection, name: str) -> str:
    """The author index key of ``name`` (as the database's triggers compute it)."""
    return str(conn.execute(select(author_key(name))).scalar_one())


def _author_tokens(name: str) -> list[str]:
    """The words of a name that identify it: initials ("E.", "J") are left out."""
    return [t for t in " ".join(name.split()).split(" ") if len(t.rstrip(".")) > 1]


def _like_escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def author_match(name: str) -> ColumnElement[bool]:
    """Author keys that ``name`` stands for, by the rule people follow too.

    The full name as credited; a surname alone ("Chase" finds "Steven Chase");
    a name with or without its middle initial ("Sarah Needleman" finds
    "Sarah E. Needleman"). Keys are lowered by the database, as its triggers do.
    """
    key_col = article_authors.c.author_key
    name = " ".join(name.split())
    words = _author_tokens(name)
    conditions: list[ColumnElement[bool]] = [key_col == author_key(name)]
    if len(words) == 1:
        pattern = "% " + _like_escape(words[0])
        conditions.append(key_col.like(func.lower(literal(pattern)), escape="\\"))
    elif len(words) >= 2:
        first, last = _like_escape(words[0]), _like_escape(words[-1])
        conditions.append(key_col == author_key(" ".join(words)))
        pattern = f"{first} % {last}"
        conditions.append(key_col.like(func.lower(literal(pattern)), escape="\\"))
    return or_(*conditions)


def resolve_author(conn: Connection, name: str) -> tuple[str, str, int] | None:
    """(author key, credited name, articles credited) of the author ``name`` stands for.

    An exact key wins; otherwise the most-credited of the names it matches.
    None when no stored article credits anyone by that name.
    """
    exact = author_key_of(conn, name)
    count = func.count().label("n")
    rows = conn.execute(
        select(article_authors.c.author_key, count)
        .where(author_match(name))
        .group_by(article_authors.c.author_key)
        .order_by(count.desc(), article_authors.c.author_key)
    ).all()
    if not rows:
        return None
    chosen = next((r for r in rows if r.author_key == exact), rows[0])
    key = str(chosen.author_key)
    return key, _credited_name(conn, key) or name, int(chosen.n)


def _credited_name(conn: Connection, key: str) -> str | None:
    """The name as an article credits it (the key is lowered)."""
    row = conn.execute(
        select(articles.c.authors, articles.c.contributors, articles.c.credits)
        .where(
            articles.c.id.in_(
                select(article_authors.c.article_id)
                .where(article_authors.c.author_key == key)
                .limit(1)
                .scalar_subquery()
            )
        )
        .limit(1)
    ).first()
    if row is None:
        return None
    names = [*(row.authors or []), *(row.contributors or [])]
    names += [c.get("name") for c in (row.credits or []) if isinstance(c, dict)]
    for found in names:
        if isinstance(found, str) and " ".join(found.split()).lower() == key:
            return " ".join(found.split())
    return None


def name_key(kind: str, name: str) -> str:
    """The identity of a typed name: case, accents and punctuation folded, and for people and
    authors their initials left out ("Sarah E. Needleman" and "Sarah Needleman" are one key)."""
    key = normalise_key(name)
    if kind in ("author", "person"):
        key = " ".join(w for w in key.split() if len(w) > 1) or key
    return key


def pending_target(kind: str, name: str) -> str:
    """The target a follow of ``name`` keeps until an article names it."""
    return (PENDING_PREFIX + name_key(kind, name))[:300]


def is_pending(target: str) -> bool:
    """Whether a follow's or mute's target is a name still waiting for the news to name it."""
    return target.startswith(PENDING_PREFIX)


def resolve_named(conn: Connection, kind: str, name: str) -> tuple[Target, int] | None:
    """What ``name`` stands for now, by the one identity rule of every named kind, with how
    many stored articles credit it (authors; 0 otherwise); None when nothing stored names it.

    Following, muting and binding a pending follow all ask this, so a follow made
    before the news and one made after it reach the same thing.
    """
    if kind == "author":
        credited = resolve_author(conn, name)
        if credited is None:
            return None
        return Target("author", credited[0], credited[1]), credited[2]
    if kind in ("person", "org", "place"):
        found = resolve_entity(conn, kind, name)
        return None if found is None else (Target(kind, str(found[0]), found[1]), 0)
    if kind == "topic":
        topic = resolve_topic(conn, name)
        return None if topic is None else (Target("topic", topic[0], topic[1]), 0)
    return None


def _int(kind: str, target: str) -> int:
    try:
        return int(target)
    except ValueError:
        raise FollowError(f"{kind} target {target!r} is not an id") from None


def ids_for(kind: str, target: str, *, after_id: int = 0) -> Select[Any]:
    """Ids of the articles a follow or mute of ``(kind, target)`` reaches (a pending name: none)."""
    if is_pending(target):
        return select(articles.c.id.label("id")).where(false())
    if kind == "author":
        return select(article_authors.c.article_id.label("id")).where(
            article_authors.c.author_key == target, article_authors.c.article_id > after_id
        )
    if kind == "outlet":
        return select(articles.c.id.label("id")).where(
            articles.c.outlet_id == _int(kind, target), articles.c.id > after_id
        )
    if kind == "source":
        return select(articles.c.id.label("id")).where(
            articles.c.source_id == _int(kind, target), articles.c.id > after_id
        )
    if kind in ("person", "org", "place"):
        return entity_ids([_int(kind, target)], after_id=after_id)
    if kind == "topic":
        return topic_ids([target], after_id=after_id)
    if kind == "story":
        return story_ids(_int(kind, target), after_id=after_id)
    raise FollowError(f"cannot list articles for {kind!r}")


def ids_for_query_field(kind: str, value: str, *, after_id: int = 0) -> Select[Any]:
    """Ids for a query field term (``author:``, ``outlet:``, ``person:``...), matched by name."""
    if kind == "author":
        return (
            select(article_authors.c.article_id.label("id"))
            .where(author_match(value), article_authors.c.article_id > after_id)
            .distinct()
        )
    if kind == "outlet":
        named = select(outlets.c.id).where(
            or_(func.lower(outlets.c.name) == value.lower(), outlets.c.domain == value.lower())
        )
        return select(articles.c.id.label("id")).where(
            articles.c.outlet_id.in_(named), articles.c.id > after_id
        )
    if kind in ("person", "org", "place"):
        return entity_ids_by_name(kind, value, after_id=after_id)
    if kind == "topic":
        return topic_ids_by_name(value, after_id=after_id)
    raise FollowError(f"no field {kind}:")


def entity_ids(entity_ids_: Sequence[int], *, after_id: int = 0) -> Select[Any]:
    """Articles naming any of these canonical entities (under any alias)."""
    from newsdesk.store import understanding

    return understanding.entity_article_ids(entity_ids_, after_id=after_id)


def entity_ids_by_name(kind: str, name: str, *, after_id: int = 0) -> Select[Any]:
    from newsdesk.store import understanding

    return understanding.entity_article_ids_by_name(kind, name, after_id=after_id)


def topic_ids(keys: Sequence[str], *, after_id: int = 0) -> Select[Any]:
    """Articles about any of these topics (targets are topic keys)."""
    from newsdesk.store import understanding

    return understanding.topic_article_ids(keys, after_id=after_id)


def topic_ids_by_name(name: str, *, after_id: int = 0) -> Select[Any]:
    from newsdesk.store import understanding

    return understanding.topic_article_ids_by_name(name, after_id=after_id)


def story_ids(story_id: int, *, after_id: int = 0) -> Select[Any]:
    """A story's articles; a story merged into another is followed into the one it joined."""
    current = select(func.coalesce(stories.c.merged_into, stories.c.id)).where(
        stories.c.id == story_id
    )
    return select(story_members.c.article_id.label("id")).where(
        story_members.c.story_id == current.scalar_subquery(),
        story_members.c.article_id > after_id,
    )


def story_of(conn: Connection, article_ids: Sequence[int]) -> dict[int, int]:
    """The story of each article id that the stories stage has placed in one."""
    found: dict[int, int] = {}
    ids = list(article_ids)
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        rows = conn.execute(
            select(story_members.c.article_id, story_members.c.story_id).where(
                id_in(story_members.c.article_id, chunk, conn.dialect.name)
            )
        )
        found.update({int(r.article_id): int(r.story_id) for r in rows})
    return found


def resolve_entity(conn: Connection, kind: str, name: str) -> tuple[int, str] | None:
    """(entity id, canonical name) of the ``kind`` entity known by ``name`` or any alias."""
    from newsdesk.store import understanding

    return understanding.resolve_entity(conn, kind, name)


def resolve_topic(conn: Connection, name: str) -> tuple[str, str] | None:
    """(topic key, display name) of a topic named ``name``."""
    from newsdesk.store import understanding

    return understanding.resolve_topic(conn, name)


def find_outlets(conn: Connection, value: str) -> list[Target]:
    """Outlets named ``value``: by domain (``www.`` dropped), exact name or id, else any case."""
    lowered = value.lower().removeprefix("www.")
    conditions = [outlets.c.domain == lowered, outlets.c.name == value]
    if value.isascii() and value.isdigit():
        conditions.append(outlets.c.id == int(value))
    rows = conn.execute(select(outlets.c.id, outlets.c.name).where(or_(*conditions))).all()
    if not rows:
        rows = conn.execute(
            select(outlets.c.id, outlets.c.name).where(func.lower(outlets.c.name) == lowered)
        ).all()
    return [Target("outlet", str(r.id), str(r.name)) for r in rows]


def find_source(conn: Connection, value: str) -> Target | None:
    """The source with id or URL ``value``, labelled with its title (else its URL)."""
    condition = (
        sources.c.id == int(value)
        if (value.isascii() and value.isdigit())
        else sources.c.url == value
    )
    row = conn.execute(
        select(sources.c.id, sources.c.title, sources.c.url).where(condition)
    ).first()
    if row is None:
        return None
    return Target("source", str(row.id), str(row.title or row.url))


def story_label(conn: Connection, story_id: int) -> str | None:
    row = conn.execute(select(stories.c.headline).where(stories.c.id == story_id)).first()
    return None if row is None else str(row.headline)


def muted_filter(
    id_column: ColumnElement[int], mute_list: Sequence[Mute], *, after_id: int
) -> list[ColumnElement[bool]]:
    """Conditions dropping every article a mute reaches: mutes always win."""
    return [id_column.not_in(ids_for(m.kind, m.target, after_id=after_id)) for m in mute_list]


def mute_reaches(conn: Connection, mute: Mute, ids: Sequence[int]) -> set[int]:
    """Which of ``ids`` a mute reaches: one range scan of the muted target, no long IN list."""
    if not ids or is_pending(mute.target):
        return set()
    sql = target_sql(mute.kind, "m")
    if sql is None:
        return set()
    rows = conn.execute(
        sql_text(sql + f" AND {target_id_column(mute.kind)} <= :hi"),
        {"mt": target_value(mute.kind, mute.target), "ma": min(ids) - 1, "hi": max(ids)},
    )
    return {int(r[0]) for r in rows} & set(ids)


# --- the same targets as plain SQL, for the hot path ---------------------------------------
#
# Following and For you run one small statement per follow. Building each as a
# SQLAlchemy expression costs more than running it, so the hot path uses these
# fixed templates (the same conditions as ``ids_for``), cached as TextClauses
# by their final SQL, with values bound at execution.

_TARGET_SQL = {
    "author": "SELECT article_id AS id FROM article_authors WHERE author_key = :{p}t",
    "outlet": "SELECT id FROM articles WHERE outlet_id = :{p}t",
    "source": "SELECT id FROM articles WHERE source_id = :{p}t",
    "person": "SELECT article_id AS id FROM article_entities WHERE entity_id = :{p}t",
    "org": "SELECT article_id AS id FROM article_entities WHERE entity_id = :{p}t",
    "place": "SELECT article_id AS id FROM article_entities WHERE entity_id = :{p}t",
    "topic": (
        "SELECT article_id AS id FROM article_topics "
        "WHERE topic_id = (SELECT id FROM topics WHERE key = :{p}t)"
    ),
    "story": (
        "SELECT article_id AS id FROM story_members WHERE story_id = "
        "(SELECT coalesce(merged_into, id) FROM stories WHERE id = :{p}t)"
    ),
}
_ID_COLUMN = {"outlet": "id", "source": "id"}
_INT_KINDS = ("outlet", "source", "person", "org", "place", "story")


def target_sql(kind: str, prefix: str, *, above_mark: bool = True) -> str | None:
    """``SELECT id`` of the articles above ``:{prefix}a`` that ``(kind, :{prefix}t)`` reaches.

    Without ``above_mark`` the caller adds its own condition on the id column
    (``target_id_column``), such as a short list of ids to look up.
    """
    template = _TARGET_SQL.get(kind)
    if template is None:
        return None
    sql = template.format(p=prefix)
    return sql + f" AND {target_id_column(kind)} > :{prefix}a" if above_mark else sql


@functools.lru_cache(maxsize=512)
def sql_text(sql: str) -> TextClause:
    """A TextClause per distinct template text, built once (they are few, and hot)."""
    return text(sql)


def target_id_column(kind: str) -> str:
    return _ID_COLUMN.get(kind, "article_id")


def target_value(kind: str, target: str) -> int | str:
    """The bound value of a target; a pending name binds an id no row has (it reaches nothing)."""
    if kind in _INT_KINDS:
        return 0 if is_pending(target) else _int(kind, target)
    return target
