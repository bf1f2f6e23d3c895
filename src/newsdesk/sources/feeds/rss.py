"""RSS 0.9x, 1.0 (RDF) and 2.0 trees to typed feed records.

Why one reader for every RSS: the versions differ in their wrapper (``rss``
or ``rdf:RDF``) and namespace, not in their entries, and real feeds mix them
(RSS 2.0 with Dublin Core dates, ``content:encoded``, Media RSS, Atom links).
Each child element is looked at once and dispatched on its short name.
"""

from __future__ import annotations

from typing import Any

from newsdesk.models import Enclosure, FeedInfo, FeedItem
from newsdesk.sources.feeds.dates import parse_date
from newsdesk.sources.feeds.ns import RDF, RSS090, FieldMap, attr, rss_names
from newsdesk.sources.feeds.text import (
    LIFT_MARK,
    NOTHING_LIFTED,
    XML_BASE,
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

(
    _TITLE, _LINK, _GUID, _SUMMARY, _CONTENT, _AUTHOR, _PUBLISHED, _UPDATED, _CATEGORY,
    _ENCLOSURE, _MEDIA, _MEDIA_GROUP, _ATOM_LINK, _MEDIA_TITLE, _ITUNES_CATEGORY,
) = range(1, 16)  # fmt: skip
_ITEM_FIELDS = FieldMap(
    rss_names,
    {
        "title": _TITLE, "dc:title": _TITLE, "media:title": _MEDIA_TITLE, "link": _LINK,
        "guid": _GUID, "description": _SUMMARY, "dc:description": _SUMMARY,
        "itunes:summary": _SUMMARY, "content:encoded": _CONTENT, "xhtml:body": _CONTENT,
        "xhtml:div": _CONTENT, "body": _CONTENT, "fullitem": _CONTENT,
        "itunes:category": _ITUNES_CATEGORY, "media:category": _CATEGORY,
        "author": _AUTHOR, "dc:creator": _AUTHOR, "itunes:author": _AUTHOR, "dc:author": _AUTHOR,
        "pubdate": _PUBLISHED, "dc:date": _PUBLISHED, "dcterms:issued": _PUBLISHED,
        "dcterms:created": _PUBLISHED, "dcterms:modified": _UPDATED, "atom:updated": _UPDATED,
        "updated": _UPDATED, "id": _GUID, "atom:id": _GUID,
        "category": _CATEGORY, "dc:subject": _CATEGORY, "enclosure": _ENCLOSURE,
        "media:content": _MEDIA, "media:group": _MEDIA_GROUP, "atom:link": _ATOM_LINK,
    },
)  # fmt: skip
_CHANNEL_DATES = frozenset({"lastbuilddate", "pubdate", "dc:date", "dcterms:modified"})
_RDF_ABOUT = f"{{{RDF}}}about"
_VERSIONS = {
    "2.0": "rss20", "2.00": "rss20", "2.0.1": "rss20", "0.91": "rss091", "0.92": "rss092",
    "0.93": "rss093", "0.94": "rss094", "0.90": "rss090", "0.9": "rss090", "1.0": "rss10",
}  # fmt: skip


def _text(element: Any, restore: Restore) -> str | None:
    """Plain character data of an element (markup inside is flattened)."""
    if len(element):
        return restore("".join(element.itertext()))
    return restore(element.text)


def _markup(element: Any, restore: Restore) -> str | None:
    """HTML carried by an element: escaped HTML arrives as text, inline HTML as children."""
    if len(element):
        return restore(inner_xml(element))
    return restore(element.text)


def _version(root: Any, root_name: str, channel: Any) -> str:
    if root_name == "rss":
        return _VERSIONS.get((root.get("version") or "").strip(), "rss")
    if root_name == "rdf":
        ns = channel.tag[1:].partition("}")[0] if channel is not None else ""
        if ns == RSS090:
            return "rss090"
        return "rss10"
    return "rss"


def read_rss(
    root: Any,
    root_name: str,
    url: str | None,
    lifted: Lifted = NOTHING_LIFTED,
    *,
    bases: bool = True,
) -> tuple[FeedInfo, list[FeedItem]]:
    """Feed information and entries of an RSS tree whose root is ``rss``, ``rdf`` or ``channel``.

    ``bases`` False says the document holds no ``xml:base`` (see ``LoadedXML``): every
    entry then resolves against ``url`` and no element is asked for one.
    """
    names = rss_names
    channel = None
    items: list[Any] = []
    if root_name == "channel":
        channel = root
    else:
        for child in root:
            name = names[child.tag]
            if name == "channel" and channel is None:
                channel = child
            elif name == "item":
                items.append(child)
    if channel is not None:
        items = [c for c in channel if names[c.tag] == "item"] + items
    restore = lifted.restore
    root_base = xml_base(root, url) if bases else url
    channel_base = xml_base(channel, root_base) if channel is not None and bases else root_base
    info = _read_channel(channel, channel_base, _version(root, root_name, channel), restore)
    if not bases:
        return info, [_read_item(item, channel_base, lifted, False) for item in items]
    entries = [
        _read_item(
            item,
            xml_base(item, channel_base if item.getparent() is channel else root_base),
            lifted,
            True,
        )
        for item in items
    ]
    return info, entries


def _read_channel(channel: Any, base: str | None, version: str, restore: Restore) -> FeedInfo:
    if channel is None:
        return FeedInfo(format=version)
    names = rss_names
    title = link = description = language = None
    updated = None
    alt_link = None
    for child in channel:
        name = names[child.tag]
        if name in ("title", "dc:title") and title is None:
            title = plain_text(_text(child, restore))
        elif name == "link" and link is None:
            link = (restore(child.text) or "").strip() or attr(child, "href")
        elif name == "atom:link" and alt_link is None:
            if (child.get("rel") or "alternate") == "alternate":
                alt_link = child.get("href")
        elif name in ("description", "dc:description", "itunes:subtitle") and description is None:
            description = clean_html(_markup(child, restore))
        elif name in ("language", "dc:language") and language is None:
            language = (restore(child.text) or "").strip() or None
        elif name in _CHANNEL_DATES and updated is None:
            updated = parse_date(restore(child.text))
    link = link or alt_link
    if link and not is_absolute(link):
        link = resolve(link, base)
    if language is None:
        language = channel.get("{http://www.w3.org/XML/1998/namespace}lang")
    return FeedInfo(
        title=title,
        link=link or None,
        description=description,
        language=language,
        updated=updated,
        format=version,
    )


def _body(child: Any, base: str | None, lifted: Lifted, bases: bool) -> str | None:
    """An entry's HTML (description or content), trimmed, links made absolute."""
    if len(child):
        value = lifted.restore(inner_xml(child))
    else:
        value = child.text
        if value and LIFT_MARK in value:
            value = lifted.whole.get(value) or lifted.restore(value)
    if not value:
        return None
    value = value.strip()
    if not value:
        return None
    if bases:
        own_base = child.get(XML_BASE)
        if own_base:
            base = resolve(own_base, base)
    return resolve_in_html(value, base) if base else value


def _leaf_text(child: Any, lifted: Lifted) -> str | None:
    """The text of an element (its own text only when it has no children), restored."""
    if len(child):
        return lifted.restore("".join(child.itertext()))
    text: str | None = child.text
    if text and LIFT_MARK in text:
        return lifted.whole.get(text) or lifted.restore(text)
    return text


def _own_text(child: Any, lifted: Lifted) -> str | None:
    """The element's own text (before any child), restored."""
    text: str | None = child.text
    if text and LIFT_MARK in text:
        return lifted.whole.get(text) or lifted.restore(text)
    return text


def _read_item(item: Any, base: str | None, lifted: Lifted, bases: bool) -> FeedItem:
    """One entry; ``base`` is the URL relative links in it are resolved against.

    Written for speed (it runs once per entry of every feed): leaf texts are taken
    directly, the usual plain title, name or category is spaced without the HTML
    routine, a lifted body is found by one dict lookup, and the typed record is built
    here rather than through ``build_item``. Only ``restore`` sees a text that holds
    a lifted-section marker.
    """
    fields = _ITEM_FIELDS
    title = link = guid = summary = content = None
    guid_permalink = True
    published = updated = None
    authors: list[str | None] = []
    categories: list[str | None] = []
    enclosures: list[Enclosure] = []
    alt_link = media_title = None
    for child in item:
        field = fields[child.tag]
        if not field:
            continue
        if field == _CONTENT:
            if content is None:
                content = _body(child, base, lifted, bases)
        elif field == _SUMMARY:
            if summary is None:
                summary = _body(child, base, lifted, bases)
        elif field == _TITLE:
            if title is None:
                text = _leaf_text(child, lifted)
                if text and "<" not in text and "&" not in text:
                    title = " ".join(text.split()) or None
                else:
                    title = plain_text(text)
        elif field == _LINK:
            if child.get("rel") == "enclosure":  # an Atom-style link written into RSS
                add_enclosure(enclosures, child.get("href"), child.get("type"), child.get("length"))
            elif link is None:
                link = (_own_text(child, lifted) or "").strip() or attr(child, "href")
        elif field == _GUID:
            if guid is None:
                guid = (_own_text(child, lifted) or "").strip() or None
                permalink = child.get("isPermaLink")
                guid_permalink = permalink is None or permalink.strip().lower() != "false"
        elif field == _PUBLISHED:
            if published is None:
                text = child.text
                published = parse_date(lifted.restore(text) if text and LIFT_MARK in text else text)
        elif field == _AUTHOR:
            authors.append(author_name(_leaf_text(child, lifted)))
        elif field == _CATEGORY:  # its own text only: some feeds nest an <image> inside
            text = child.text
            if text and LIFT_MARK in text:
                text = lifted.restore(text)
            if text and "<" not in text and "&" not in text:
                text = " ".join(text.split()) or None
            else:
                text = plain_text(text)
            categories.append(text or plain_text(child.get("term")))
        elif field == _MEDIA:
            add_enclosure(enclosures, child.get("url"), child.get("type"), child.get("fileSize"))
        elif field == _UPDATED:
            if updated is None:
                text = child.text
                updated = parse_date(lifted.restore(text) if text and LIFT_MARK in text else text)
        elif field == _ENCLOSURE:
            add_enclosure(enclosures, child.get("url"), child.get("type"), child.get("length"))
        elif field == _MEDIA_GROUP:
            for sub in child:
                if fields[sub.tag] == _MEDIA:
                    add_enclosure(enclosures, sub.get("url"), sub.get("type"), sub.get("fileSize"))
        elif field == _ITUNES_CATEGORY:  # the name is an attribute; sub-categories nest
            categories.append(plain_text(child.get("text")))
            categories.extend(plain_text(sub.get("text")) for sub in child if len(sub) == 0)
        elif field == _MEDIA_TITLE:
            media_title = media_title or plain_text(_leaf_text(child, lifted))
        elif field == _ATOM_LINK:
            rel = child.get("rel") or "alternate"
            if rel == "alternate" and alt_link is None:
                alt_link = child.get("href")
            elif rel == "enclosure":
                add_enclosure(enclosures, child.get("href"), child.get("type"), child.get("length"))
    title = title or media_title  # Media RSS titles stand in for a missing <title>
    if guid is None:  # RSS 1.0 names each item in rdf:about
        guid = item.get(_RDF_ABOUT)
    link = link or alt_link
    if link is None and guid and guid_permalink and guid.startswith(("http://", "https://")):
        link = guid
    if base and link and not is_absolute(link):
        link = resolve(link, base)
    return build_item(
        guid=guid, link=link, title=title, authors=authors, published=published,
        updated=updated, summary=summary, content=content, enclosures=enclosures,
        categories=categories, base=base,
    )  # fmt: skip
