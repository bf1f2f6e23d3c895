"""Queries on articles and outlets."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import Connection, and_, func, or_, select
from sqlalchemy.exc import IntegrityError

from newsdesk.errors import NotFoundError
from newsdesk.models import Article, Credit
from newsdesk.store.tables import articles, outlets


def outlet_domain(url: str | None) -> str | None:
    """The host an outlet is known by, without ``www.``; None for no URL or a malformed one."""
    if not url:
        return None
    try:
        host = (urlsplit(url).hostname or "").lower()
    except ValueError:  # "http://[::1" and the like: no host to name an outlet by
        return None
    return host.removeprefix("www.") or None


#: Most values bound in one ``IN (...)`` list (SQLite's default limit is far above this).
_IN_CHUNK = 400


def get_or_create_outlet(
    conn: Connection, name: str | None, domain: str | None, *, now: datetime
) -> int | None:
    """The outlet row for a domain (preferred) or a name; None when we know neither."""
    if not name and not domain:
        return None
    if domain:
        row = conn.execute(
            select(outlets.c.id, outlets.c.name).where(outlets.c.domain == domain)
        ).first()
        if row is not None:
            if name and row.name == domain:
                conn.execute(outlets.update().where(outlets.c.id == row.id).values(name=name))
            return int(row.id)
    else:
        row = conn.execute(
            select(outlets.c.id).where(outlets.c.domain.is_(None), outlets.c.name == name)
        ).first()
        if row is not None:
            return int(row.id)
    from newsdesk.store.db import statement_savepoint

    try:
        with statement_savepoint(conn):  # another writer may add the same domain meanwhile
            result = conn.execute(
                outlets.insert(), {"name": name or domain, "domain": domain, "created_at": now}
            )
    except IntegrityError:
        if not domain:
            raise
        row = conn.execute(select(outlets.c.id).where(outlets.c.domain == domain)).first()
        if row is None:
            raise
        return int(row.id)
    return int(result.inserted_primary_key[0])  # type: ignore[index]


def _among(column: Any, values: list[str]) -> Any:
    """``column IN (...)``; plain equality for one value (an ``IN`` list is re-rendered each
    time it runs, which doubled the cost of the one-article duplicate check)."""
    return column == values[0] if len(values) == 1 else column.in_(values)


def find_duplicates(
    conn: Connection, batch: Sequence[Article], hashes: Sequence[str] | None = None
) -> list[tuple[int, str] | None]:
    """For each article, an already stored one with the same canonical URL or content.

    One query per few hundred articles (``IN`` lists) instead of one per article.
    A match by canonical URL wins over a match by content, so the reason given
    does not depend on which row the database happens to return first. ``hashes``
    are the articles' content hashes when the caller has them (they cost a
    normalisation pass over the whole text each time they are computed).
    """
    hashes = list(hashes) if hashes is not None else [a.content_hash for a in batch]
    urls = sorted({a.canonical_url for a in batch if a.canonical_url})
    wanted = sorted(set(hashes))
    by_url: dict[str, int] = {}
    by_hash: dict[str, int] = {}
    cols = (articles.c.id, articles.c.canonical_url, articles.c.content_hash)
    for start in range(0, max(len(urls), len(wanted)), _IN_CHUNK):
        url_chunk, hash_chunk = urls[start : start + _IN_CHUNK], wanted[start : start + _IN_CHUNK]
        conditions = [_among(articles.c.content_hash, hash_chunk)] if hash_chunk else []
        if url_chunk:
            conditions.append(_among(articles.c.canonical_url, url_chunk))
        for row in conn.execute(select(*cols).where(or_(*conditions))):
            if row.canonical_url is not None:
                by_url.setdefault(row.canonical_url, int(row.id))
            by_hash.setdefault(row.content_hash, int(row.id))
    results: list[tuple[int, str] | None] = []
    for article, digest in zip(batch, hashes, strict=True):
        if article.canonical_url and article.canonical_url in by_url:
            results.append((by_url[article.canonical_url], "same canonical URL"))
        elif digest in by_hash:
            results.append((by_hash[digest], "same content"))
        else:
            results.append(None)
    return results


def _values(
    article: Article, digest: str, *, now: datetime, source_id: int | None, outlet_id: int | None
) -> dict[str, Any]:
    return {
        "canonical_url": article.canonical_url,
        "url": article.url,
        "content_hash": digest,
        "title": article.title,
        "title_generated": article.title_generated,
        "authors": list(article.authors),
        "contributors": list(article.contributors),
        "credits": [asdict(c) for c in article.credits],
        "outlet_id": outlet_id,
        "source_id": source_id,
        "published_at": article.published,
        "fetched_at": now,
        "language": article.language,
        "description": article.description,
        "paragraphs": list(article.paragraphs),
        "body": article.body,
        "word_count": article.word_count,
        "extraction_method": article.extraction_method,
        "warnings": list(article.warnings),
        "created_at": now,
    }


def insert_article(
    conn: Connection, article: Article, *, now: datetime, source_id: int | None = None
) -> int:
    return insert_articles(conn, [article], now=now, source_id=source_id)[0]


def insert_articles(
    conn: Connection,
    batch: Sequence[Article],
    *,
    now: datetime,
    source_id: int | None = None,
    hashes: Sequence[str] | None = None,
) -> list[int]:
    """Insert articles (already checked for duplicates) in one statement; their ids in order.

    The parameters go to ``execute`` as a list, so SQLAlchemy sends one
    multi-row ``INSERT ... RETURNING`` (its "insertmanyvalues" mode, on SQLite
    and PostgreSQL alike) and the compiled statement is cached; the outlets are
    looked up once per distinct (name, domain) in the batch. The batch must
    not repeat a content hash (``store_articles`` removes duplicates first).
    """
    if not batch:
        return []
    outlet_ids: dict[tuple[str | None, str | None], int | None] = {}
    rows = []
    digests = hashes if hashes is not None else [a.content_hash for a in batch]
    for article, digest in zip(batch, digests, strict=True):
        key = (article.outlet, outlet_domain(article.canonical_url or article.url))
        if key not in outlet_ids:
            outlet_ids[key] = get_or_create_outlet(conn, key[0], key[1], now=now)
        outlet_id = outlet_ids[key]
        rows.append(_values(article, digest, now=now, source_id=source_id, outlet_id=outlet_id))
    if len(rows) == 1:
        result = conn.execute(articles.insert(), rows[0])
        inserted = [int(result.inserted_primary_key[0])]  # type: ignore[index]
    else:
        # Rows come back in any order (asking SQLAlchemy to sort them makes it send one row
        # per statement on SQLite); the content hash, unique in the table, says which is which.
        statement = articles.insert().returning(articles.c.id, articles.c.content_hash)
        ids = {str(r.content_hash): int(r.id) for r in conn.execute(statement, rows)}
        inserted = [ids[row["content_hash"]] for row in rows]
    _bind_credited(conn, batch)
    return inserted


def _bind_credited(conn: Connection, batch: Sequence[Article]) -> None:
    """Follows of an author made before anyone credited them reach these articles now."""
    from newsdesk.store.follow_names import bind_names

    names = {n for a in batch for n in (*a.authors, *a.contributors)}
    names |= {c.name for a in batch for c in a.credits if c.name}
    if names:
        bind_names(conn, {"author": names})


def _row_to_article(row: Any) -> Article:
    return Article(
        title=row.title,
        paragraphs=tuple(row.paragraphs),
        title_generated=bool(row.title_generated),
        url=row.url,
        canonical_url=row.canonical_url,
        authors=tuple(row.authors),
        contributors=tuple(row.contributors),
        credits=tuple(Credit(**c) for c in row.credits),
        outlet=row.outlet_name,
        published=row.published_at,
        language=row.language,
        description=row.description,
        extraction_method=row.extraction_method,
        warnings=tuple(row.warnings),
    )


def _select_articles() -> Any:
    return select(articles, outlets.c.name.label("outlet_name")).select_from(
        articles.outerjoin(outlets, articles.c.outlet_id == outlets.c.id)
    )


def get_article(conn: Connection, article_id: int) -> tuple[int, Article, datetime]:
    """(id, article, fetched_at) for one stored article."""
    row = conn.execute(_select_articles().where(articles.c.id == article_id)).first()
    if row is None:
        raise NotFoundError(f"no article with id {article_id}", hint="see `newsdesk articles list`")
    return int(row.id), _row_to_article(row), row.fetched_at


def get_articles(
    conn: Connection, article_ids: Sequence[int]
) -> list[tuple[int, Article, datetime]]:
    """(id, article, fetched_at) for each id that exists, in the order given."""
    found: dict[int, tuple[int, Article, datetime]] = {}
    ids = list(article_ids)
    for start in range(0, len(ids), _IN_CHUNK):
        query = _select_articles().where(articles.c.id.in_(ids[start : start + _IN_CHUNK]))
        for row in conn.execute(query):
            found[int(row.id)] = (int(row.id), _row_to_article(row), row.fetched_at)
    return [found[i] for i in ids if i in found]


def list_articles(
    conn: Connection,
    *,
    limit: int = 50,
    offset: int = 0,
    outlet: str | None = None,
    after: tuple[datetime, int] | None = None,
) -> list[tuple[int, Article, datetime]]:
    """Newest first (published, else fetched), then by id.

    ``after`` is the (time, id) of the last article of the previous page: the
    page goes on from there (keyset paging, stable while new articles arrive).
    """
    newest = func.coalesce(articles.c.published_at, articles.c.fetched_at)
    query = (
        _select_articles().order_by(newest.desc(), articles.c.id.desc()).limit(limit).offset(offset)
    )
    if outlet:
        query = query.where(or_(outlets.c.name == outlet, outlets.c.domain == outlet))
    if after is not None:
        when, last_id = after
        query = query.where(or_(newest < when, and_(newest == when, articles.c.id < last_id)))
    return [(int(r.id), _row_to_article(r), r.fetched_at) for r in conn.execute(query)]


def count_articles(conn: Connection) -> int:
    return int(conn.execute(select(func.count()).select_from(articles)).scalar_one())
