"""``parse_feed``: any feed document's bytes to a typed :class:`ParsedFeed`.

Why this shape (chosen from the numbers in BENCHMARKS.md, "Feed parsing"):
a fast path reads RSS, Atom and JSON Feed straight from an lxml tree or a
JSON object, which is where nearly every real feed ends up; only documents it
cannot place (odd dialects, markup no XML parser can rescue) go to feedparser,
the tolerant reference. The result carries ``bozo`` and ``warnings`` when the
document was malformed, and ``FeedError`` is raised only when there is no
feed in it at all (an HTML page, empty bytes, random data), with a message
that says what was found instead.

The function is pure: bytes in, record out, no network and no files.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from newsdesk.errors import FeedError
from newsdesk.models import FeedInfo, FeedItem, ParsedFeed

__all__ = ["charset_from_content_type", "feed_to_dict", "item_to_dict", "parse_feed"]

_CHARSET = re.compile(r"""charset\s*=\s*["']?([A-Za-z0-9._:-]+)""", re.I)
_XMLISH = (b"<?xml", b"<!--", b"<rss", b"<feed", b"<rdf", b"<RDF", b"<channel")
# The root element of a feed, wherever it starts (after a server's error text, say).
_FEED_ROOT = re.compile(rb"<(?:[A-Za-z][\w.-]*:)?(?:feed|rss|RDF)[\s>]")
_RECOVERED = "recovered what the broken markup allowed"
_SITE_HINT = "give the site's feed URL, or add the site with `newsdesk sources add` to discover it"


def charset_from_content_type(content_type: str | None) -> str | None:
    """The ``charset`` parameter of an HTTP Content-Type header, if there is one."""
    if not content_type:
        return None
    match = _CHARSET.search(content_type)
    return match.group(1) if match else None


def _first_bytes(data: bytes) -> bytes:
    """The start of the document with BOMs, NULs of wide encodings and spaces removed."""
    head = data[:512]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in head[:4]:
        head = (
            head.replace(b"\x00", b"")[2:]
            if head[:2] in (b"\xff\xfe", b"\xfe\xff")
            else (head.replace(b"\x00", b""))
        )
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    return head.lstrip()


def parse_feed(
    data: bytes, *, url: str | None = None, content_type: str | None = None
) -> ParsedFeed:
    """Parse one feed document (RSS 0.9x/1.0/2.0, Atom 0.3/1.0, JSON Feed 1.0/1.1).

    ``url`` is where the document came from: relative links are resolved against
    it (and against any ``xml:base``). ``content_type`` is the HTTP header, whose
    charset overrides the encoding declared inside the document.

    Entries come in document order, each with a ``key`` that is the same on every
    fetch. A document that lists one entry twice gives two items with the same key:
    the parse stays faithful to the document, and the store keeps one per key.
    """
    if not isinstance(data, bytes | bytearray | memoryview):
        raise FeedError(f"expected the feed as bytes, got {type(data).__name__}")
    data = bytes(data)
    head = _first_bytes(data)
    if not head:
        raise FeedError("document is empty", hint="the server sent no feed; try again later")
    if head[:1] in (b"{", b"["):
        return _parse_json(data, url)
    return _parse_xml(data, url, charset_from_content_type(content_type), head)


def _parse_json(data: bytes, url: str | None) -> ParsedFeed:
    from newsdesk.sources.feeds.jsonfeed import load_json, read_json_feed

    document, warnings = load_json(data)
    info, entries = read_json_feed(document, url)
    return ParsedFeed(info, tuple(entries), bozo=bool(warnings), warnings=tuple(warnings))


def _local(tag: Any) -> str:
    if not isinstance(tag, str):
        return ""
    return tag.rpartition("}")[2].lower()


def _parse_xml(data: bytes, url: str | None, charset: str | None, head: bytes) -> ParsedFeed:
    from newsdesk.sources.feeds.xmldoc import load_xml

    loaded = load_xml(data, url=url, http_charset=charset)
    root = loaded.root
    name = _local(root.tag) if root is not None else ""
    warnings = list(loaded.warnings)
    parsed: ParsedFeed | None = None
    if name in ("rss", "rdf") or (name == "channel" and root.tag != "CHANNEL"):
        from newsdesk.sources.feeds.rss import read_rss

        info, entries = read_rss(root, name, url, loaded.lifted, bases=loaded.bases)
        parsed = ParsedFeed(info, tuple(entries), bozo=loaded.bozo, warnings=tuple(warnings))
    elif name == "feed":
        from newsdesk.sources.feeds.atom import read_atom

        info, entries = read_atom(root, url, loaded.lifted, bases=loaded.bases)
        parsed = ParsedFeed(info, tuple(entries), bozo=loaded.bozo, warnings=tuple(warnings))
    if parsed is not None:
        if _RECOVERED in warnings:  # broken markup: the recovered tree may have lost entries
            return _more_entries(parsed, data, url, loaded.encoding)
        return parsed
    if name == "html" or head[:14].lower().startswith(b"<!doctype html"):
        # Refused as a page only when no feed root is in it at all: a feed after a
        # server's error text, or whose content looks like HTML, is still the feed.
        match = _FEED_ROOT.search(data)
        if match is None:
            raise FeedError("document is an HTML page, not a feed", hint=_SITE_HINT)
        warnings.append("markup before the feed's root element was skipped")
        return _fallback(data[match.start() :], url, None, name, warnings, head, loaded.encoding)
    return _fallback(data, url, root, name, warnings, head, loaded.encoding)


def _more_entries(parsed: ParsedFeed, data: bytes, url: str | None, encoding: str) -> ParsedFeed:
    """The recovered parse, or the tolerant parser's when it finds more entries."""
    from newsdesk.sources.feeds.fallback import read_with_feedparser
    from newsdesk.sources.feeds.xmldoc import repair_text

    safe = repair_text(data.decode(encoding, errors="replace")).encode("utf-8")
    result = read_with_feedparser(safe, url)
    if result is None or len(result[1]) <= len(parsed.entries):
        return parsed
    info, entries, _, more = result
    return ParsedFeed(info, tuple(entries), bozo=True, warnings=(*parsed.warnings, *more))


def _fallback(
    data: bytes,
    url: str | None,
    root: Any,
    name: str,
    warnings: list[str],
    head: bytes,
    encoding: str,
) -> ParsedFeed:
    from newsdesk.sources.feeds.fallback import read_with_feedparser
    from newsdesk.sources.feeds.xmldoc import repair_text

    # feedparser gets the text without its DOCTYPE, so it cannot expand declared entities
    safe = repair_text(data.decode(encoding, errors="replace")).encode("utf-8")
    # Microsoft CDF: an old dialect with upper-case <CHANNEL>/<ITEM>, left to feedparser
    is_cdf = root is not None and root.tag == "CHANNEL"
    result = read_with_feedparser(safe, url, known_feed=is_cdf)
    if result is not None:
        info, entries, bozo, more = result
        return ParsedFeed(
            info, tuple(entries), bozo=bozo or bool(warnings), warnings=(*warnings, *more)
        )
    if root is None and head.startswith(_XMLISH):
        warnings.append("XML document without any feed element (empty or cut short)")
        return ParsedFeed(FeedInfo(), (), bozo=True, warnings=tuple(warnings))
    found = f"its root element is <{name}>" if name else "no XML, JSON or feed markup was found"
    raise FeedError(
        f"document is not an RSS, Atom or JSON feed ({found})",
        hint="check the URL points at a feed; " + _SITE_HINT,
    )


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def item_to_dict(item: FeedItem) -> dict[str, Any]:
    """JSON-ready view of one entry; the field names are the FeedItem's (a CLI contract)."""
    return {
        "key": item.key,
        "link": item.link,
        "title": item.title,
        "authors": list(item.authors),
        "published": _iso(item.published),
        "updated": _iso(item.updated),
        "summary": item.summary,
        "content": item.content,
        "enclosures": [{"url": e.url, "type": e.type, "length": e.length} for e in item.enclosures],
        "categories": list(item.categories),
    }


def feed_to_dict(parsed: ParsedFeed) -> dict[str, Any]:
    """``{"feed": {...}, "entries": [...]}`` as printed by ``newsdesk feeds parse``."""
    info = parsed.feed
    return {
        "feed": {
            "title": info.title,
            "link": info.link,
            "description": info.description,
            "language": info.language,
            "updated": _iso(info.updated),
            "format": info.format,
            "bozo": parsed.bozo,
            "warnings": list(parsed.warnings),
        },
        "entries": [item_to_dict(item) for item in parsed.entries],
    }
