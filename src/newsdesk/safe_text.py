"""Stored text made safe to show anywhere: no control characters, links only to the web.

Why here, beside the records: every string newsdesk stores came from someone
else's feed, page or form, and the terminal, the web app, the mail and the Atom
feeds all print it. Control characters (ESC and OSC sequences, C1 codes, a bare
carriage return) can repaint or retitle a terminal and hide text, so they are
removed at the door (``store_articles``, source and user records); bodies keep
their newlines and tabs, one-line fields get spaces instead. A link is kept
only when it is ``http(s)``: ``javascript:``, ``data:`` and ``vbscript:`` links
would run in a page or a mail the moment someone clicked them.
"""

from __future__ import annotations

import re
from dataclasses import replace
from urllib.parse import urlsplit

from newsdesk.models import Article, Credit

__all__ = ["clean_article", "clean_line", "clean_text", "has_controls", "web_url"]

# C0 controls except tab and newline, DEL, and the C1 range (U+0080-U+009F, where
# U+009B is a one-character CSI and U+009D an OSC).
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_LINE_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f]")
# What separates words on screen (line and page breaks, tabs, NEL): a space in a one-line field;
# every other control character is removed, so "Tide\x01s" stays one word.
_LINE_BREAKS = re.compile("[\t\n\x0b\x0c\r\x1c-\x1f\x85]")
_WEB_SCHEMES = frozenset({"http", "https"})


def has_controls(value: str) -> bool:
    """Whether ``value`` holds a control character a body may not keep."""
    return _CONTROLS.search(value) is not None


def clean_text(value: str) -> str:
    """A body or paragraph without control characters; newlines and tabs stay.

    A carriage return that ends a line becomes a newline; any other is removed.
    """
    if not _CONTROLS.search(value):
        return value
    value = value.replace("\r\n", "\n")
    return _CONTROLS.sub("", value)


def clean_line(value: str, max_chars: int | None = None) -> str:
    """A one-line field (title, name, outlet): controls and line breaks become spaces,
    runs of spaces one, cut to ``max_chars`` (a title of megabytes is not a title)."""
    if _LINE_CONTROLS.search(value):
        value = " ".join(_LINE_CONTROLS.sub("", _LINE_BREAKS.sub(" ", value)).split())
    if max_chars is not None and len(value) > max_chars:
        value = value[:max_chars].rstrip()
    return value


def _line_or_none(value: str | None, max_chars: int | None) -> str | None:
    if value is None:
        return None
    return clean_line(value, max_chars) or None


def web_url(url: str | None) -> str | None:
    """``url`` when it is an absolute ``http(s)`` link without control characters, else None."""
    if not url:
        return None
    url = url.strip()
    if _LINE_CONTROLS.search(url) or " " in url:
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in _WEB_SCHEMES or not parts.netloc:
        return None
    return url


def _credit(credit: Credit, max_chars: int) -> Credit:
    return Credit(
        clean_line(credit.name, max_chars),
        credit.kind,
        _line_or_none(credit.role, max_chars),
        _line_or_none(credit.place, max_chars),
    )


def clean_article(article: Article, *, max_title_chars: int) -> Article:
    """``article`` with every field safe to store and show (itself when it already is)."""
    lines = (
        article.title,
        article.outlet or "",
        article.description or "",
        *article.authors,
        *article.contributors,
        *(c.name for c in article.credits),
        *(c.role or "" for c in article.credits),
        *(c.place or "" for c in article.credits),
        *article.warnings,
    )
    dirty_lines = any(_LINE_CONTROLS.search(v) or len(v) > max_title_chars for v in lines[:2])
    dirty_lines = dirty_lines or any(_LINE_CONTROLS.search(v) for v in lines[2:])
    dirty_body = any(_CONTROLS.search(p) for p in article.paragraphs)
    urls_ok = web_url(article.url) == article.url and (
        web_url(article.canonical_url) == article.canonical_url
    )
    if not dirty_lines and not dirty_body and urls_ok:
        return article
    paragraphs = article.paragraphs
    if dirty_body:
        paragraphs = tuple(p for p in (clean_text(p).strip() for p in paragraphs) if p)
    url = web_url(article.url)
    canonical = web_url(article.canonical_url) or url
    return replace(
        article,
        title=clean_line(article.title, max_title_chars),
        paragraphs=paragraphs,
        url=url,
        canonical_url=canonical,
        authors=tuple(a for a in (clean_line(x, max_title_chars) for x in article.authors) if a),
        contributors=tuple(
            c for c in (clean_line(x, max_title_chars) for x in article.contributors) if c
        ),
        credits=tuple(_credit(c, max_title_chars) for c in article.credits),
        outlet=_line_or_none(article.outlet, max_title_chars),
        description=_line_or_none(article.description, None),
        warnings=tuple(clean_line(w) for w in article.warnings),
    )
