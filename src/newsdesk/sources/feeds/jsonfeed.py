"""JSON Feed 1.0 and 1.1 documents to typed feed records.

Why so defensive: JSON Feed is simple, but documents in the wild put a number
where a string belongs or an object where a list does. Each field is read
with a type check, so one odd value loses that value, never the entry.
"""

from __future__ import annotations

import json
import re
from typing import Any

from newsdesk.errors import FeedError
from newsdesk.models import Enclosure, FeedInfo, FeedItem
from newsdesk.sources.feeds.dates import parse_date
from newsdesk.sources.feeds.text import (
    clean_html,
    entry_key,
    plain_text,
    resolve,
    resolve_in_html,
    text_to_html,
    unique,
)

JSONFEED_PREFIX = "https://jsonfeed.org/version/"


_SURROGATE = re.compile("[\ud800-\udfff]")


def _str(value: Any) -> str | None:
    if isinstance(value, str):
        # JSON may carry "\u0000" and lone surrogates ("\ud800"), which XML cannot: the store
        # refuses both (PostgreSQL has no NUL, UTF-8 no lone surrogate), and one would fail
        # the whole feed's write, so they go here, where every string passes.
        text: str = value
        if "\x00" in text:
            text = text.replace("\x00", "")
        if not text.isascii() and _SURROGATE.search(text):
            text = _SURROGATE.sub("", text)
        return text
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return None


def load_json(data: bytes) -> tuple[dict[str, Any], list[str]]:
    """The top-level object of a JSON document, or FeedError saying why it is not one."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        document = json.loads(data)
    except (ValueError, RecursionError) as exc:
        raise FeedError(
            f"document looks like JSON but is not valid JSON ({str(exc)[:120]})",
            hint="check that the URL serves a JSON Feed, RSS or Atom document",
        ) from None
    if not isinstance(document, dict):
        raise FeedError(
            "JSON document is not a JSON Feed (its top level is not an object)",
            hint="a JSON Feed is an object with 'version' and 'items'",
        )
    version = _str(document.get("version")) or ""
    warnings: list[str] = []
    if not version.startswith(JSONFEED_PREFIX):
        if not isinstance(document.get("items"), list):
            raise FeedError(
                "JSON document is not a JSON Feed (no JSON Feed 'version' and no 'items' list)",
                hint="a JSON Feed is an object with 'version' and 'items'",
            )
        warnings.append("JSON Feed without a jsonfeed.org 'version'; read it anyway")
    return document, warnings


def _authors(obj: dict[str, Any]) -> list[str | None]:
    found: list[str | None] = []
    many = obj.get("authors")
    if isinstance(many, list):
        found.extend(plain_text(_str(a.get("name"))) for a in many if isinstance(a, dict))
    one = obj.get("author")
    if isinstance(one, dict):
        found.append(plain_text(_str(one.get("name"))))
    return found


def read_json_feed(document: dict[str, Any], url: str | None) -> tuple[FeedInfo, list[FeedItem]]:
    """Feed information and entries of a JSON Feed object."""
    version = _str(document.get("version")) or ""
    suffix = version[len(JSONFEED_PREFIX) :] if version.startswith(JSONFEED_PREFIX) else ""
    fmt = {"1": "json10", "1.1": "json11"}.get(suffix, "json")
    home = resolve(_str(document.get("home_page_url")), url)
    info = FeedInfo(
        title=plain_text(_str(document.get("title"))),
        link=home,
        description=text_to_html(_str(document.get("description"))),
        language=_str(document.get("language")),
        updated=None,
        format=fmt,
    )
    items = document.get("items")
    entries = [
        _read_item(item, url)
        for item in (items if isinstance(items, list) else [])
        if isinstance(item, dict)
    ]
    return info, entries


def _read_item(item: dict[str, Any], url: str | None) -> FeedItem:
    guid = _str(item.get("id"))
    link = resolve(_str(item.get("url")) or _str(item.get("external_url")), url)
    title = plain_text(_str(item.get("title")))
    content_html = _str(item.get("content_html"))
    content = (
        resolve_in_html(clean_html(content_html), url)
        if content_html
        else text_to_html(_str(item.get("content_text")))
    )
    summary = text_to_html(_str(item.get("summary")))
    published = parse_date(_str(item.get("date_published")))
    updated = parse_date(_str(item.get("date_modified")))
    tags = item.get("tags")
    categories = [plain_text(_str(t)) for t in tags] if isinstance(tags, list) else []
    enclosures: list[Enclosure] = []
    attachments = item.get("attachments")
    for att in attachments if isinstance(attachments, list) else []:
        if not isinstance(att, dict):
            continue
        target = resolve(_str(att.get("url")), url)
        if not target:
            continue
        size = att.get("size_in_bytes")
        enclosures.append(
            Enclosure(
                url=target,
                type=_str(att.get("mime_type")),
                length=size if isinstance(size, int) and not isinstance(size, bool) else None,
            )
        )
    return FeedItem(
        key=entry_key(guid, link, title, published or updated, content or summary),
        link=link,
        title=title,
        authors=unique(_authors(item)),
        published=published,
        updated=updated,
        summary=summary,
        content=content,
        enclosures=tuple(enclosures),
        categories=unique(categories),
    )
