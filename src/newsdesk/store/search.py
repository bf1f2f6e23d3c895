"""Search: a parsed query (:mod:`newsdesk.store.query_ast`) as SQL over the articles.

Words and phrases go to the full-text index: SQLite FTS5 or a PostgreSQL
tsvector + GIN index. The index objects are created by migration 0005 and kept
in sync by triggers on ``articles`` (insert, update of title/body/authors,
delete), so nothing here writes. Field terms (author:, person:, ...) are index
range scans from ``follow_targets``; ``query_ids`` joins both into one
``SELECT id`` and ``search_ids`` pages it newest first.

The index lives outside the SQLAlchemy metadata because its shape differs by
engine (an FTS5 virtual table with shadow tables; a tsvector table);
:data:`INDEX_TABLES` names every table it makes, for schema comparisons.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Integer,
    Select,
    and_,
    bindparam,
    column,
    func,
    select,
    text,
)
from sqlalchemy.sql.selectable import TextualSelect

from newsdesk.store import follow_targets as targets
from newsdesk.store.query_ast import Query, Term
from newsdesk.store.records import Mute
from newsdesk.store.tables import articles

#: Tables the full-text index creates (FTS5 shadow tables on SQLite, one table on PostgreSQL).
INDEX_TABLES = frozenset(
    {
        "article_fts",
        "article_fts_data",
        "article_fts_idx",
        "article_fts_docsize",
        "article_fts_config",
        "article_search",
    }
)

PG_CONFIG = "english"  # matches the stemming of SQLite's porter tokenizer closely enough


def is_index_table(name: str) -> bool:
    """True for tables owned by the search index rather than the table definitions."""
    return name in INDEX_TABLES


def fts5_expression(terms: Sequence[Term]) -> str:
    """An FTS5 MATCH expression requiring every term: ``"peace talks" AND "mali"``.

    Every term is quoted (quotes doubled) so user text is never read as FTS5
    syntax: ``NEAR``, ``*``, ``:`` or a stray parenthesis search for themselves.
    """
    return " AND ".join('"' + t.value.replace('"', '""') + '"' for t in terms)


def _pg_tsquery(terms: Sequence[Term], prefix: str) -> tuple[str, dict[str, str]]:
    parts, params = [], {}
    for i, term in enumerate(terms):
        name = f"{prefix}{i}"
        fn = "phraseto_tsquery" if term.kind == "phrase" else "plainto_tsquery"
        parts.append(f"{fn}('{PG_CONFIG}', :{name})")
        params[name] = term.value
    return " && ".join(parts), params


def matching_ids(dialect: str, terms: Sequence[Term], *, prefix: str = "fts") -> TextualSelect:
    """A subquery of the ids of articles containing all ``terms`` (words or phrases)."""
    if not terms:
        raise ValueError("matching_ids needs at least one word or phrase")
    if dialect == "sqlite":
        sql = f"SELECT rowid AS id FROM article_fts WHERE article_fts MATCH :{prefix}"
        return (
            text(sql)
            .bindparams(bindparam(prefix, fts5_expression(terms)))
            .columns(column("id", Integer))
        )
    query, params = _pg_tsquery(terms, prefix)
    sql = f"SELECT article_id AS id FROM article_search WHERE document @@ ({query})"
    return (
        text(sql)
        .bindparams(*(bindparam(k, v) for k, v in params.items()))
        .columns(column("id", Integer))
    )


def text_condition(
    dialect: str, id_column: ColumnElement[int], terms: Sequence[Term]
) -> list[ColumnElement[bool]]:
    """Conditions on ``id_column``: every positive text term present, every negated one absent."""
    wanted = [t for t in terms if not t.negated and t.kind in ("word", "phrase")]
    unwanted = [t for t in terms if t.negated and t.kind in ("word", "phrase")]
    conditions: list[ColumnElement[bool]] = []
    if wanted:
        conditions.append(id_column.in_(matching_ids(dialect, wanted, prefix="fts_in")))
    for i, term in enumerate(unwanted):
        positive = Term(term.kind, term.value)
        sub = matching_ids(dialect, [positive], prefix=f"fts_out{i}_")
        conditions.append(id_column.not_in(sub))
    return conditions


def query_ids(
    dialect: str,
    query: Query,
    *,
    now: datetime,
    after_id: int = 0,
    mute_list: Sequence[Mute] = (),
) -> Select[Any]:
    """A ``SELECT id`` of the articles matching ``query`` (ids above ``after_id``)."""
    conditions: list[ColumnElement[bool]] = [articles.c.id > after_id]
    conditions += text_condition(dialect, articles.c.id, query.text_terms)
    for term in query.field_terms:
        sub = targets.ids_for_query_field(term.kind, term.value, after_id=after_id)
        conditions.append(articles.c.id.not_in(sub) if term.negated else articles.c.id.in_(sub))
    if query.since is not None:
        since = query.since.resolve(now)
        conditions.append(func.coalesce(articles.c.published_at, articles.c.fetched_at) >= since)
    conditions += targets.muted_filter(articles.c.id, mute_list, after_id=after_id)
    return select(articles.c.id.label("id")).where(and_(*conditions))


def search_ids(
    conn: Connection,
    query: Query,
    *,
    now: datetime,
    mute_list: Sequence[Mute] = (),
    limit: int = 50,
    before_id: int | None = None,
) -> list[int]:
    """Newest-first ids of matching articles; ``before_id`` pages on (keyset, not offset)."""
    sub = query_ids(conn.dialect.name, query, now=now, mute_list=mute_list).subquery()
    stmt = select(sub.c.id).order_by(sub.c.id.desc()).limit(limit)
    if before_id is not None:
        stmt = stmt.where(sub.c.id < before_id)
    return [int(r.id) for r in conn.execute(stmt)]
