"""Atom 1.0 and 0.3 trees to typed feed records.

Why Atom has its own reader: its text constructs say how to read them
(``type="text|html|xhtml"``, and in 0.3 also ``mode="escaped|base64|xml"``),
its links are typed by ``rel``, and ``xml:base`` is common, so links are
resolved against the base in force on the element that carries them.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import html
from typing import Any

from newsdesk.models import Enclosure, FeedInfo, FeedItem
from newsdesk.sources.feeds.dates import parse_date
from newsdesk.sources.feeds.ns import ATOM03, ATOM10, XML_NS, FieldMap, Namer, atom_names
from newsdesk.sources.feeds.text import (
    LIFT_MARK,
    NOTHING_LIFTED,
    Lifted,
    Restore,
    add_enclosure,
    author_name,
    build_item,
    clean_html,
    inner_xml,
    is_absolute,
    plain_text,
    resolve,
    resolve_in_html,
    xml_base,
)

_HTML_TYPES = frozenset({"html", "text/html"})
_XHTML_TYPES = frozenset({"xhtml", "application/xhtml+xml"})
_LANG = f"{{{XML_NS}}}lang"
(
    _ID, _TITLE, _LINK, _SUMMARY, _CONTENT, _AUTHOR, _PUBLISHED, _UPDATED, _CATEGORY, _MEDIA,
    _MEDIA_GROUP,
) = range(1, 12)  # fmt: skip
_PAGE_TYPES = frozenset({"html", "text/html", "xhtml", "application/xhtml+xml"})
_ENTRY_TABLE = {
        "id": _ID, "title": _TITLE, "link": _LINK, "summary": _SUMMARY, "content": _CONTENT,
        "author": _AUTHOR, "dc:creator": _AUTHOR, "published": _PUBLISHED, "issued": _PUBLISHED,
        "created": _PUBLISHED, "dc:date": _PUBLISHED, "dcterms:issued": _PUBLISHED,
        "updated": _UPDATED, "modified": _UPDATED, "dcterms:modified": _UPDATED,
        "category": _CATEGORY, "dc:subject": _CATEGORY, "media:content": _MEDIA,
        "media:group": _MEDIA_GROUP,
}  # fmt: skip
_ENTRY_FIELDS = FieldMap(atom_names, _ENTRY_TABLE)


def atom_version(root: Any) -> str:
    ns = root.tag[1:].partition("}")[0] if root.tag[0] == "{" else ""
    if ns == ATOM10:
        return "atom10"
    if ns == ATOM03 or (root.get("version") or "").strip() == "0.3":
        return "atom03"
    return "atom"


def _construct(element: Any, restore: Restore) -> tuple[str | None, bool]:
    """The value of an Atom text construct and whether it is HTML."""
    kind = element.get("type")
    simple = kind is None or kind == "text" or kind == "html"
    if simple and not len(element) and element.get("mode") is None:
        text = element.text  # the common case, without the checks below
        if text and LIFT_MARK in text:
            text = restore(text)
        return text, kind == "html"
    kind = (kind or "text").strip().lower()
    mode = (element.get("mode") or "").strip().lower()
    if kind in _XHTML_TYPES or mode == "xml":
        children = [c for c in element if isinstance(c.tag, str)]
        if len(children) == 1 and atom_names[children[0].tag] in ("xhtml:div", "div"):
            return restore(inner_xml(children[0])), True
        return restore(inner_xml(element)), True
    value = restore(inner_xml(element) if len(element) else element.text)
    binary = "/" in kind and not kind.startswith("text/") and not kind.endswith("xml")
    if (mode == "base64" or binary) and value:  # Atom 1.0: other media types are base64
        with contextlib.suppress(binascii.Error, ValueError):
            value = base64.b64decode(value.strip()).decode("utf-8", errors="replace")
    return value, kind in _HTML_TYPES or (mode == "escaped" and kind not in ("text", "text/plain"))


def _as_title(element: Any, restore: Restore) -> str | None:
    value, is_html = _construct(element, restore)
    if value is None:
        return None
    if is_html:
        return plain_text(value)
    # plain text as plain text: escaping and unescaping again would give it back unchanged
    return " ".join(value.split()) or None


def _as_html(element: Any, restore: Restore) -> str | None:
    value, is_html = _construct(element, restore)
    if value is None:
        return None
    return clean_html(value if is_html else html.escape(value, quote=False))


def _person(element: Any, restore: Restore) -> str | None:
    name = email = None
    for child in element:
        tag = child.tag
        local = tag[tag.rfind("}") + 1 :].lower() if isinstance(tag, str) else ""
        if local == "name" and name is None:
            name = plain_text(restore(child.text))
        elif local == "email" and email is None:
            email = plain_text(restore(child.text))
    if name is None and email is None and not len(element):
        return author_name(restore(element.text))  # a bare string, as some 0.3 feeds write it
    return name or email


def _link_target(link: Any, base: str | None, bases: bool = True) -> str | None:
    target = _link_target_attr(link, "href", base, bases) or _link_target_attr(
        link, "url", base, bases
    )
    if target is None and link.text and not len(link):  # Atom 0.3 feeds that wrote RSS links
        target = resolve(link.text, xml_base(link, base) if bases else base)
    return target


def _link_target_attr(element: Any, name: str, base: str | None, bases: bool = True) -> str | None:
    href = element.get(name)
    if href is None:
        return None
    href = href.strip()
    if href and not is_absolute(href):
        return resolve(href, xml_base(element, base) if bases else base)
    return href or None


def _names_for(root: Any) -> tuple[Namer, FieldMap]:
    """The element names of this document: a ``feed`` in a namespace we do not know is
    read as Atom with that namespace (as feedparser does), not as an empty feed."""
    ns = root.tag[1:].partition("}")[0] if root.tag[0] == "{" else ""
    if ns in ("", ATOM10, ATOM03):
        return atom_names, _ENTRY_FIELDS
    names = Namer(("", ATOM10, ATOM03, ns))
    return names, FieldMap(names, _ENTRY_TABLE)


def read_atom(
    root: Any, url: str | None, lifted: Lifted = NOTHING_LIFTED, *, bases: bool = True
) -> tuple[FeedInfo, list[FeedItem]]:
    """Feed information and entries of an Atom ``feed`` element.

    ``bases`` False says the document holds no ``xml:base`` (see ``LoadedXML``): links
    then resolve against ``url`` and no element is asked for one.
    """
    names, fields = _names_for(root)
    restore = lifted.restore
    base = xml_base(root, url) if bases else url
    title = link = description = feed_id = None
    updated = None
    entries: list[FeedItem] = []
    for child in root:
        name = names[child.tag]
        if name in ("entry", "item"):  # some Atom 0.3 feeds wrote RSS's name
            entry_base = xml_base(child, base) if bases else base
            entries.append(_read_entry(child, entry_base, lifted, fields, bases))
        elif name == "title" and title is None:
            title = _as_title(child, restore)
        elif name == "link":
            rel = (child.get("rel") or "alternate").strip()
            if rel == "alternate" and link is None:
                link = _link_target(child, base)
        elif name in ("subtitle", "tagline") and description is None:
            description = _as_html(child, restore)
        elif name in ("updated", "modified") and updated is None:
            updated = parse_date(restore(child.text))
        elif name == "id" and feed_id is None:
            feed_id = (restore(child.text) or "").strip()
    if link is None and feed_id and feed_id[:8].lower().startswith(("http://", "https://")):
        link = feed_id
    info = FeedInfo(
        title=title,
        link=link,
        description=description,
        language=root.get(_LANG),
        updated=updated,
        format=atom_version(root),
    )
    return info, entries


def _simple_text(element: Any, lifted: Lifted) -> tuple[str | None, bool] | None:
    """The common text construct (no ``type`` or ``text``/``html``, no children, no
    ``mode``) read directly, with whether it is HTML; None for any other, which
    ``_construct`` reads."""
    kind = element.get("type")
    if (kind is None or kind == "text" or kind == "html") and not len(element):
        if element.get("mode") is not None:
            return None
        text = element.text
        if text and LIFT_MARK in text:
            text = lifted.whole.get(text) or lifted.restore(text)
        return text, kind == "html"
    return None


def _read_entry(
    entry: Any, base: str | None, lifted: Lifted, fields: FieldMap, bases: bool = True
) -> FeedItem:
    """One entry; ``base`` is the URL in force on it (feed URL and ``xml:base``).

    Written for speed (it runs once per entry of every feed): the common text
    constructs are read without ``_construct``'s general checks, and no element is
    asked for an ``xml:base`` when the document has none.
    """
    restore = lifted.restore
    guid = title = link = summary = content = None
    published = updated = None
    authors: list[str | None] = []
    categories: list[str | None] = []
    enclosures: list[Enclosure] = []
    content_element = summary_element = None
    for child in entry:
        field = fields[child.tag]
        if not field:
            continue
        if field == _ID:
            if guid is None:
                guid = (restore(child.text) or "").strip() or None
        elif field == _TITLE:
            if title is None:
                simple = _simple_text(child, lifted)
                if simple is None:
                    title = _as_title(child, restore)
                else:
                    text, is_html = simple
                    if text is None:
                        title = None
                    elif is_html:
                        title = plain_text(text)
                    else:  # plain text as plain text (see _as_title)
                        title = " ".join(text.split()) or None
        elif field == _LINK:
            rel = (child.get("rel") or "alternate").strip()
            if rel == "alternate":
                if link is None:
                    link = _link_target(child, base, bases)
            elif rel == "enclosure":
                add_enclosure(
                    enclosures,
                    _link_target(child, base, bases),
                    child.get("type"),
                    child.get("length"),
                )
        elif field == _SUMMARY:
            if summary is None:
                summary, summary_element = _as_html_fast(child, lifted), child
        elif field == _CONTENT:
            src = child.get("src")
            if content is None and not src:
                content, content_element = _as_html_fast(child, lifted), child
            elif link is None and src and child.get("type") in _PAGE_TYPES:
                link = _link_target_attr(child, "src", base, bases)  # content by reference
        elif field == _AUTHOR:
            authors.append(_person(child, restore))
        elif field == _PUBLISHED:
            if published is None:
                published = parse_date(restore(child.text))
        elif field == _UPDATED:
            if updated is None:
                updated = parse_date(restore(child.text))
        elif field == _CATEGORY:
            term = child.get("term") or child.get("label")
            categories.append(plain_text(term) if term else plain_text(restore(child.text)))
        elif field == _MEDIA:
            add_enclosure(enclosures, child.get("url"), child.get("type"), child.get("fileSize"))
        elif field == _MEDIA_GROUP:
            for sub in child:
                if fields[sub.tag] == _MEDIA:
                    add_enclosure(enclosures, sub.get("url"), sub.get("type"), sub.get("fileSize"))
    if link is None and guid and guid[:8].lower().startswith(("http://", "https://")):
        link = guid  # an http id is, in practice, the entry's address
    if base:
        if summary_element is not None and summary:
            own = xml_base(summary_element, base) if bases else base
            summary = resolve_in_html(summary, own)
        if content_element is not None and content:
            own = xml_base(content_element, base) if bases else base
            content = resolve_in_html(content, own)
    return build_item(
        guid=guid, link=link, title=title, authors=authors, published=published,
        updated=updated, summary=summary, content=content, enclosures=enclosures,
        categories=categories, base=base,
    )  # fmt: skip


def _as_html_fast(element: Any, lifted: Lifted) -> str | None:
    """``_as_html`` with the common text construct read directly."""
    simple = _simple_text(element, lifted)
    if simple is None:
        return _as_html(element, lifted.restore)
    value, is_html = simple
    if value is None:
        return None
    return clean_html(value if is_html else html.escape(value, quote=False))
