"""Atom (RFC 4287) documents out: a user's Following, a story, an edition.

Why a writer of our own: the document is small and its safety matters more
than its features. Every value goes into the tree as text through lxml, which
escapes it; characters XML cannot carry are dropped first (lxml refuses them,
and a feed reader would refuse the whole file); links are kept only when they
are http(s); HTML content is sanitised with nh3 before it is embedded.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from newsdesk.safe_text import clean_line, clean_text, web_url

__all__ = ["AtomEntry", "AtomFeed", "write_atom"]

ATOM_NS = "http://www.w3.org/2005/Atom"
# what XML 1.0 cannot hold, beyond the controls clean_text drops: surrogates, U+FFFE/U+FFFF
_NOT_XML = re.compile("[\ud800-\udfff\ufffe\uffff]")


@dataclass(frozen=True, slots=True)
class AtomEntry:
    id: str
    title: str
    updated: datetime
    link: str | None = None
    authors: tuple[str, ...] = ()
    summary: str | None = None  # plain text
    content_html: str | None = None  # HTML; sanitised on writing
    published: datetime | None = None


@dataclass(frozen=True, slots=True)
class AtomFeed:
    id: str
    title: str
    updated: datetime
    link: str | None = None
    self_link: str | None = None
    entries: Sequence[AtomEntry] = field(default_factory=tuple)


def _xml_text(value: str, *, line: bool = True) -> str:
    value = clean_line(value) if line else clean_text(value)
    return _NOT_XML.sub("", value)


def write_atom(feed: AtomFeed) -> bytes:
    """The feed as an Atom document (UTF-8 bytes with an XML declaration)."""
    from lxml import etree

    from newsdesk.extract.sanitize import sanitize_html

    def sub(parent: etree._Element, name: str, text: str | None = None) -> etree._Element:
        element = etree.SubElement(parent, f"{{{ATOM_NS}}}{name}")
        if text is not None:
            element.text = text
        return element

    def link(parent: etree._Element, href: str | None, rel: str = "alternate") -> None:
        safe = web_url(href)
        if safe:
            sub(parent, "link").attrib.update({"rel": rel, "href": _xml_text(safe)})

    root = etree.Element(f"{{{ATOM_NS}}}feed", nsmap={None: ATOM_NS})
    sub(root, "id", _xml_text(feed.id))
    sub(root, "title", _xml_text(feed.title)).set("type", "text")
    sub(root, "updated", feed.updated.isoformat())
    link(root, feed.link)
    link(root, feed.self_link, "self")
    for entry in feed.entries:
        node = sub(root, "entry")
        sub(node, "id", _xml_text(entry.id))
        sub(node, "title", _xml_text(entry.title)).set("type", "text")
        sub(node, "updated", entry.updated.isoformat())
        if entry.published:
            sub(node, "published", entry.published.isoformat())
        link(node, entry.link)
        for name in entry.authors:
            sub(sub(node, "author"), "name", _xml_text(name))
        if entry.summary:
            sub(node, "summary", _xml_text(entry.summary, line=False)).set("type", "text")
        if entry.content_html:
            html = sanitize_html(_xml_text(entry.content_html, line=False), base_url=entry.link)
            sub(node, "content", _xml_text(html, line=False)).set("type", "html")
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))
