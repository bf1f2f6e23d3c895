"""Articles from HTML pages: trafilatura for text and metadata, our fixes on top."""

from __future__ import annotations

from datetime import UTC, datetime

from newsdesk.models import Article


def extract_from_html(html: str, *, url: str | None = None) -> Article:
    import trafilatura

    doc = trafilatura.bare_extraction(
        html, url=url, with_metadata=True, include_comments=False, favor_precision=False,
        as_dict=False,
    )
    if doc is None:
        return Article(title="", paragraphs=(), url=url, extraction_method="html")
    text = doc.text or ""
    paragraphs = tuple(p.strip() for p in text.split("\n") if p.strip())
    authors = tuple(a.strip() for a in (doc.author or "").split(";") if a.strip())
    published = None
    if doc.date:
        try:
            published = datetime.fromisoformat(doc.date).replace(tzinfo=UTC)
        except ValueError:
            published = None
    return Article(
        title=(doc.title or "").strip(),
        paragraphs=paragraphs,
        url=url,
        canonical_url=doc.url or url,
        authors=authors,
        outlet=doc.sitename,
        published=published,
        language=doc.language,
        description=doc.description,
        extraction_method="html",
    )
