"""OPML import and export: how readers carry their subscriptions between apps.

Folders become tags on the way in (a feed inside ``News/Europe`` gets both
tags) and tags become folders on the way out: each source sits in the folder of
its first tag, and all its tags also go in the OPML 2.0 ``category`` attribute,
so an export read back gives the same tags. The document is parsed with
defusedxml: no entity expansion, no DTD or external entity is ever fetched.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from email.utils import format_datetime
from xml.etree.ElementTree import Element, SubElement, tostring

from newsdesk.errors import InputError


@dataclass(frozen=True, slots=True)
class OpmlFeed:
    url: str
    title: str | None = None
    site_url: str | None = None
    tags: tuple[str, ...] = ()


def parse_opml(data: bytes, *, origin: str = "OPML file") -> list[OpmlFeed]:
    """Every feed outline in ``data`` with the folders above it as tags (first one wins)."""
    import defusedxml.ElementTree as safe_et
    from defusedxml import DefusedXmlException

    try:
        root = safe_et.fromstring(
            data, forbid_dtd=False, forbid_entities=True, forbid_external=True
        )
    except DefusedXmlException as exc:
        raise InputError(
            f"{origin} declares XML entities, which newsdesk refuses to expand",
            hint="export the file again from your reader; OPML never needs entities",
        ) from exc
    except safe_et.ParseError as exc:
        raise InputError(
            f"{origin} is not valid XML: {exc}", hint="is it really an OPML file?"
        ) from exc
    if _local(root.tag) != "opml":
        raise InputError(
            f"{origin} is XML but not OPML (its root element is <{_local(root.tag)}>)",
            hint="export your subscriptions as OPML from your feed reader",
        )
    body = next((child for child in root if _local(child.tag) == "body"), None)
    if body is None:
        raise InputError(f"{origin} has no <body>", hint="the file is incomplete")
    found: dict[str, OpmlFeed] = {}
    _walk(body, (), found)
    return list(found.values())


def _local(tag: object) -> str:
    return str(tag).rsplit("}", 1)[-1].lower()


def _attr(el: Element, name: str) -> str | None:
    for key, value in el.attrib.items():
        if key.lower() == name.lower() and value.strip():
            return value.strip()
    return None


def _categories(el: Element) -> tuple[str, ...]:
    raw = _attr(el, "category") or ""
    tags = []
    for part in raw.split(","):
        for piece in part.strip().strip("/").split("/"):
            if piece.strip():
                tags.append(piece.strip())
    return tuple(tags)


#: Folder names kept as tags from the top of a nesting; deeper ones are not tags any reader
#: shows, and 990 nested folders each giving its feeds 990 tags would be quadratic.
MAX_FOLDER_TAGS = 8


def _walk(body: Element, folders: tuple[str, ...], found: dict[str, OpmlFeed]) -> None:
    """Every outline under ``body``, depth first, without recursion.

    Why a stack: 990 nested outlines ended ``sources import`` in RecursionError.
    """
    stack: list[tuple[Iterator[Element], tuple[str, ...]]] = [(iter(body), folders)]
    while stack:
        children, folders = stack[-1]
        el = next(children, None)
        if el is None:
            stack.pop()
            continue
        if _local(el.tag) != "outline":
            continue
        url = _attr(el, "xmlUrl") or _attr(el, "xmlurl")
        label = _attr(el, "title") or _attr(el, "text")
        if url:
            if not url.lower().startswith(("http://", "https://")):
                continue  # file: or other schemes are never fetched
            tags = tuple(dict.fromkeys((*folders, *_categories(el))))
            if url in found:  # the same feed in two folders: one source with both tags
                old = found[url]
                tags = tuple(dict.fromkeys((*old.tags, *tags)))
                found[url] = OpmlFeed(url, old.title, old.site_url, tags)
            else:
                found[url] = OpmlFeed(url, label, _attr(el, "htmlUrl"), tags)
            stack.append((iter(el), folders))
        else:
            deeper = (*folders, label) if label and len(folders) < MAX_FOLDER_TAGS else folders
            stack.append((iter(el), deeper))


#: Characters XML 1.0 cannot carry at all, even escaped; feed titles sometimes hold them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_safe(value: str) -> str:
    return _NOT_XML.sub("", value)


def render_opml(
    feeds: Iterable[OpmlFeed], *, now: datetime, title: str = "newsdesk subscriptions"
) -> bytes:
    """An OPML 2.0 document: untagged feeds at the top, the rest in their first tag's folder.

    Characters XML cannot hold (a feed title with ``\x01``) are left out, so the
    export can always be imported again.
    """
    root = Element("opml", version="2.0")
    head = SubElement(root, "head")
    SubElement(head, "title").text = _xml_safe(title)
    SubElement(head, "dateCreated").text = format_datetime(now)
    body = SubElement(root, "body")
    folders: dict[str, Element] = {}
    for feed in sorted(feeds, key=lambda f: ((f.tags[:1] or ("",))[0].lower(), f.url)):
        parent = body
        if feed.tags:
            folder = feed.tags[0]
            if folder not in folders:
                name = _xml_safe(folder)
                folders[folder] = SubElement(body, "outline", text=name, title=name)
            parent = folders[folder]
        attrs = {"type": "rss", "text": feed.title or feed.url, "xmlUrl": feed.url}
        if feed.title:
            attrs["title"] = feed.title
        if feed.site_url:
            attrs["htmlUrl"] = feed.site_url
        if feed.tags:
            attrs["category"] = ",".join(feed.tags)
        SubElement(parent, "outline", {key: _xml_safe(value) for key, value in attrs.items()})
    body_bytes: bytes = tostring(root, encoding="utf-8")
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + body_bytes


def feeds_from_rows(rows: Sequence[object]) -> list[OpmlFeed]:
    """Stored sources (anything with url, title, site_url, tags) as OPML entries."""
    return [
        OpmlFeed(
            url=row.url,  # type: ignore[attr-defined]
            title=row.title,  # type: ignore[attr-defined]
            site_url=row.site_url,  # type: ignore[attr-defined]
            tags=tuple(row.tags),  # type: ignore[attr-defined]
        )
        for row in rows
    ]
