"""Queries on articles and outlets."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import Connection, func, or_, select

from newsdesk.errors import NotFoundError
from newsdesk.models import Article, Credit
from newsdesk.store.tables import articles, outlets


def outlet_domain(url: str | None) -> str | None:
    """The host an outlet is known by, without ``www.``; None for no URL."""
    if not url:
        return None
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.") or None


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
    result = conn.execute(
        outlets.insert().values(name=name or domain, domain=domain, created_at=now)
    )
    return int(result.inserted_primary_key[0])  # type: ignore[index]


def find_duplicate(conn: Connection, article: Article) -> tuple[int, str] | None:
    """An already stored article with the same canonical URL or the same content."""
    conditions = [articles.c.content_hash == article.content_hash]
    if article.canonical_url:
        conditions.append(articles.c.canonical_url == article.canonical_url)
    row = conn.execute(
        select(articles.c.id, articles.c.canonical_url, articles.c.content_hash).where(
            or_(*conditions)
        )
    ).first()
    if row is None:
        return None
    if article.canonical_url and row.canonical_url == article.canonical_url:
        return int(row.id), "same canonical URL"
    return int(row.id), "same content"


def insert_article(
    conn: Connection, article: Article, *, now: datetime, source_id: int | None = None
) -> int:
    outlet_id = get_or_create_outlet(
        conn, article.outlet, outlet_domain(article.canonical_url or article.url), now=now
    )
    values: dict[str, Any] = {
        "canonical_url": article.canonical_url,
        "url": article.url,
        "content_hash": article.content_hash,
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
    result = conn.execute(articles.insert().values(**values))
    return int(result.inserted_primary_key[0])  # type: ignore[index]


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


def list_articles(
    conn: Connection, *, limit: int = 50, offset: int = 0, outlet: str | None = None
) -> list[tuple[int, Article, datetime]]:
    """Newest first (published, else fetched)."""
    newest = func.coalesce(articles.c.published_at, articles.c.fetched_at)
    query = (
        _select_articles().order_by(newest.desc(), articles.c.id.desc()).limit(limit).offset(offset)
    )
    if outlet:
        query = query.where(or_(outlets.c.name == outlet, outlets.c.domain == outlet))
    return [(int(r.id), _row_to_article(r), r.fetched_at) for r in conn.execute(query)]


def count_articles(conn: Connection) -> int:
    return int(conn.execute(select(func.count()).select_from(articles)).scalar_one())
