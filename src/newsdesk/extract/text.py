"""Articles from pages saved as text: no markup, so chrome is told apart by line shape."""

from __future__ import annotations

import re

from newsdesk.models import Article

_SENTENCE_END = re.compile(r"[.!?\"”’)]$")


def extract_from_text(text: str, *, url: str | None = None) -> Article:
    blocks = [b.strip() for b in re.split(r"\n\s*\n|\n", text) if b.strip()]
    paragraphs = tuple(b for b in blocks if len(b.split()) >= 12 and _SENTENCE_END.search(b))
    title = paragraphs[0].split(".")[0][:120] if paragraphs else ""
    return Article(
        title=title,
        title_generated=True,
        paragraphs=paragraphs,
        url=url,
        canonical_url=url,
        extraction_method="text",
    )
