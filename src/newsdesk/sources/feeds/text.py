"""Small text helpers shared by the RSS, Atom and JSON Feed readers.

Why here: titles must come out as plain text and bodies as HTML whatever the
feed format, links must be absolute, and every entry needs a key that stays
the same when the feed is fetched again. Keeping these rules in one place
makes the three readers agree.
"""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Callable
from datetime import datetime
from functools import lru_cache
from typing import Any
from urllib.parse import urljoin, urlsplit

from newsdesk.models import Enclosure, FeedItem

# HTML to text (html_to_paragraphs): what a browser would not show as text (scripts, styles,
# embedded objects, comments; closed or not), block tags, and any tag (a '>' inside quotes
# ends nothing). A '<' not followed by a name ("a < b") is text.
_HIDDEN = re.compile(
    r"<(script|style|noscript|iframe|object|embed|template)\b.*?(?:</\1\s*>|\Z)|<!--.*?(?:-->|\Z)",
    re.S | re.I,
)
# A tag's attributes never cross a '<' (a quoted value holding one is not a tag value), and
# the loop is possessive: every attempt stops at the next '<', so a title of "<a" x 30,000
# costs one pass instead of one pass per '<' (33 s before). An unclosed script or comment
# runs to the end, so one attempt covers the rest of the text ("<script>" x 20,000: 15 s).
_ATTRS = r"""(?:[^<>"']|"[^<"]*"|'[^<']*')*+"""
_BLOCK_NAMES = (
    "p|div|br|li|ul|ol|h[1-6]|blockquote|pre|table|tr|section|article|figure|figcaption|hr|dd|dt"
)
_BLOCK_TAG = re.compile(rf"</?(?:{_BLOCK_NAMES})\b{_ATTRS}>", re.I)
_ANY_TAG = re.compile(rf"</?[a-zA-Z]{_ATTRS}>")
_TAGGY = re.compile(r"<[a-zA-Z/!]")
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_SPACES = re.compile(r"\s+")
_XMLNS = re.compile(r'\s+xmlns(?::[A-Za-z0-9_.-]+)?="[^"]*"')
_ABSOLUTE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_RELATIVE_VALUE = r"""(["'])(?![A-Za-z][A-Za-z0-9+.-]*:|#)([^"'<>]*)\2"""
_REL_HREF = re.compile(r"(href\s*=\s*)" + _RELATIVE_VALUE)
_REL_SRC = re.compile(r"(src\s*=\s*)" + _RELATIVE_VALUE)
_REL_ANY_CASE = re.compile(r"((?:href|src)\s*=\s*)" + _RELATIVE_VALUE, re.I)
_EMAIL_NAME = re.compile(r"^\s*\S+@\S+\s*\((.+)\)\s*$")
_NAME_EMAIL = re.compile(r"^\s*(.+?)\s*\(\s*\S+@\S+\s*\)\s*$")


LIFT_MARK = "\ue000"  # a private-use character: never meaningful in a feed
_LIFTED_REF = re.compile(LIFT_MARK + r"([0-9]+)" + LIFT_MARK)


class Lifted:
    """Large CDATA sections cut out of a document before parsing, put back on reading.

    Why: libxml2 spends most of its time on large text nodes; a feed's bodies sit in
    CDATA sections, and copying them out as Python strings is ten times cheaper
    than letting the parser build them. The document keeps a marker
    (``\ue000<n>\ue000``) in their place, and :meth:`restore` swaps it back in
    every text the readers take from the tree. ``whole`` maps each marker to its
    section: an element whose text is exactly one section (the usual body) is
    restored by one dict lookup.
    """

    __slots__ = ("parts", "whole")

    def __init__(self, parts: tuple[str, ...] = ()) -> None:
        self.parts = parts
        self.whole = {marker_text(n): part for n, part in enumerate(parts)}

    def restore(self, value: str | None) -> str | None:
        if value is None or not self.parts or LIFT_MARK not in value:
            return value
        whole = self.whole.get(value)
        if whole is not None:
            return whole
        parts = self.parts
        return _LIFTED_REF.sub(
            lambda m: parts[int(m.group(1))] if int(m.group(1)) < len(parts) else "", value
        )


def marker_text(number: int) -> str:
    """The text left in the document in place of lifted section ``number``."""
    return f"{LIFT_MARK}{number}{LIFT_MARK}"


NOTHING_LIFTED = Lifted()
Restore = Callable[[str | None], str | None]


def html_to_paragraphs(fragment: str | None) -> tuple[str, ...]:
    """Paragraph texts of an HTML (or plain text) fragment, whitespace normalised.

    newsdesk's one HTML-to-text routine for fragments (feed entries, titles,
    names; whole pages go through the extractor). Fragments are small and
    simple, so tags are handled with patterns rather than a parser (several
    times faster over a 50,000-entry refresh): hidden content goes with its
    tags, block tags end a paragraph, other tags are dropped, and entities are
    decoded last so that an escaped ``&lt;b&gt;`` stays text.
    """
    if not fragment or not fragment.strip():
        return ()
    text = fragment
    if _TAGGY.search(text):
        text = _HIDDEN.sub(" ", text)
        text = _BLOCK_TAG.sub("\n\n", text)
        text = _ANY_TAG.sub("", text)
    blocks = _PARAGRAPH_BREAK.split(text)
    paragraphs = (_SPACES.sub(" ", html.unescape(b)).strip() for b in blocks)
    return tuple(p for p in paragraphs if p)


def plain_text(value: str | None) -> str | None:
    """Text a user can read on one line (a title, a name): :func:`html_to_paragraphs` joined.

    Most titles, names and categories hold no markup and no reference: then the result
    is the words joined by single spaces (``str.split`` and the ``\\s`` of the patterns
    agree on what a space is), which costs a tenth of the general routine.
    """
    if value is None:
        return None
    if "<" not in value and "&" not in value:
        return " ".join(value.split()) or None
    return " ".join(html_to_paragraphs(value)) or None


def text_to_html(value: str | None) -> str | None:
    """Plain text shown as HTML: escaped, nothing more."""
    if value is None:
        return None
    value = value.strip()
    return html.escape(value, quote=False) if value else None


def clean_html(value: str | None) -> str | None:
    """An HTML fragment trimmed, None when empty. Sanitising happens where it is shown."""
    if value is None:
        return None
    value = value.strip()
    return value or None


def inner_xml(element: Any) -> str:
    """Children of an element serialised as markup (inline XHTML, HTML not escaped in RSS)."""
    from lxml import etree

    parts = [html.escape(element.text, quote=False)] if element.text else []
    for child in element:
        if not isinstance(child.tag, str):
            if child.tail:
                parts.append(html.escape(child.tail, quote=False))
            continue
        parts.append(etree.tostring(child, encoding="unicode", with_tail=True))
    markup = "".join(parts)
    if "xmlns" in markup:
        markup = _XMLNS.sub("", markup)
    if ":" in markup:
        markup = markup.replace("<html:", "<").replace("</html:", "</")
        markup = markup.replace("<xhtml:", "<").replace("</xhtml:", "</")
    return markup


def is_absolute(link: str) -> bool:
    """Whether ``link`` starts with a scheme (``https:``, ``mailto:``, ...)."""
    if link[:1] == "/":  # the usual relative form, which no scheme can start
        return False
    return bool(_ABSOLUTE.match(link))


@lru_cache(maxsize=256)
def _base_parts(base: str) -> tuple[str, str, str] | None:
    """Scheme, origin and directory of an absolute base URL (cached: bases repeat)."""
    try:
        parts = urlsplit(base)
    except ValueError:
        return None
    if not parts.scheme or not parts.netloc:
        return None
    path = parts.path or "/"
    return parts.scheme, f"{parts.scheme}://{parts.netloc}", path[: path.rfind("/") + 1]


def resolve(link: str | None, base: str | None) -> str | None:
    """An absolute link where a base is known; relative links stay as they are otherwise.

    The common relative forms (``/path``, ``//host/path``, ``name``) are joined
    directly, anything with dot segments, a query or a fragment goes to urljoin.
    """
    if link is None:
        return None
    link = link.strip()
    if not link:
        return None
    if base and not is_absolute(link):
        parts = _base_parts(base)
        simple = "./" not in link and link not in (".", "..") and link[0] not in "?#"
        if parts is not None and simple:
            if link[0] == "/":
                return f"{parts[0]}:{link}" if link.startswith("//") else parts[1] + link
            return parts[1] + parts[2] + link
        try:
            return urljoin(base, link)
        except ValueError:
            return link
    return link


XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"


def xml_base(element: Any, parent_base: str | None) -> str | None:
    """The base URL in force on ``element``: its ``xml:base`` resolved against its parent's.

    Computed while walking down the tree instead of with lxml's ``.base``, which
    rebuilds the chain from the root on every call (a tenth of the parse time).
    """
    value = element.get(XML_BASE)
    return resolve(value, parent_base) if value else parent_base


_NOT_A_MATCH_AFTER = frozenset("<>\"'/-_.:;,!?()[]abcdefghijklmnopqrstuvwxyz0123456789")


def _fix_value(value: str, base: str, origin: str | None) -> str:
    """One relative attribute value made absolute (``/path``, the common form, directly)."""
    if origin and value[0] == "/" and value[1:2] != "/" and "./" not in value:
        return origin + value
    return resolve(value, base) or ""


def _resolve_split(markup: str, name: str, base: str, origin: str | None) -> tuple[str, int] | None:
    """Relative ``name="..."`` values rewritten by splitting on the attribute name.

    Why: ``str.split`` finds a literal in one fast pass where ``re`` scans slowly.
    The result is the regex's: an occurrence followed by ``="`` and a value is a
    match, one followed by neither ``=`` nor a space cannot be; anything else
    (``name = '...'``, a value running into the next occurrence) returns None and
    the caller uses the regex. Also returns how many ``=`` signs the attribute used.
    """
    pieces = markup.split(name)
    used = 0
    for i in range(1, len(pieces)):
        piece = pieces[i]
        if not piece.startswith('="'):
            if piece[:1] in _NOT_A_MATCH_AFTER:
                continue
            return None
        used += 1
        end = piece.find('"', 2)
        if end < 0:
            return None
        value = piece[2:end]
        if not value or "'" in value or "<" in value or ">" in value:
            continue  # what the regex does not match: kept as written
        first = value[0]
        if first == "/":
            if origin and value[1:2] != "/" and "./" not in value:
                pieces[i] = '="' + origin + piece[2:]  # the common "/path" form
                continue
        elif first == "#" or _ABSOLUTE.match(value):
            continue
        pieces[i] = '="' + _fix_value(value, base, origin) + piece[end:]
    return name.join(pieces), used


def resolve_in_html(markup: str | None, base: str | None) -> str | None:
    """Make relative ``href`` and ``src`` values inside an HTML fragment absolute.

    The usual ``href="..."`` form is rewritten by splitting (see ``_resolve_split``);
    other spellings go to two regexes that start with a literal (which Python's
    ``re`` finds with a fast scan) instead of one case-insensitive alternation, which
    is four times slower on large bodies; upper-case attribute names, rare, get the
    slow pattern.
    """
    if not markup or not base:
        return markup

    parts = _base_parts(base)
    origin = parts[1] if parts else None

    def fix(match: re.Match[str]) -> str:
        attr_eq, quote, value = match.groups()
        if not value:
            return match.group(0)
        return f"{attr_eq}{quote}{_fix_value(value, base, origin)}{quote}"

    signs = markup.count("=")  # one quick pass: every value the patterns rewrite has one
    if not signs:
        return markup
    if "href" in markup:
        done = _resolve_split(markup, "href", base, origin)
        if done is None:
            markup = _REL_HREF.sub(fix, markup)
        else:
            markup, used = done
            if used == signs:  # every "=" was an href's: no src, HREF or SRC to look for
                return markup
    if "src" in markup:
        markup = _REL_SRC.sub(fix, markup)
    if "HREF" in markup or "SRC" in markup:
        markup = _REL_ANY_CASE.sub(fix, markup)
    return markup


def author_name(value: str | None) -> str | None:
    """``jane@example.org (Jane Doe)``, ``Jane Doe (jane@example.org)`` and
    ``Jane Doe <jane@example.org>`` become ``Jane Doe``; other forms are kept as written."""
    name = plain_text(value)
    if name and "@" in name:
        match = _EMAIL_NAME.match(name) or _NAME_EMAIL.match(name)
        if match:
            return match.group(1).strip() or name
    return name


def unique(values: list[str | None]) -> tuple[str, ...]:
    """Non-empty values in first-seen order, without repeats."""
    if len(values) < 2:
        return (values[0],) if values and values[0] else ()
    seen: dict[str, None] = {}
    for value in values:
        if value and value not in seen:
            seen[value] = None
    return tuple(seen)


def entry_key(
    guid: str | None,
    link: str | None,
    title: str | None,
    date: datetime | None,
    content: str | None,
) -> str:
    """The identity of an entry across fetches: its guid, else its link, else a content hash."""
    if guid:
        guid = guid.strip()
        if guid:
            return guid
    if link:
        return link
    material = "\x1f".join((title or "", date.isoformat() if date else "", content or "")).encode(
        "utf-8", errors="replace"
    )
    return "sha256:" + hashlib.sha256(material).hexdigest()


def add_enclosure(
    found: list[Enclosure], url: str | None, mime: str | None, length: str | None
) -> None:
    """Append an enclosure once per URL; a length that is not a number is dropped."""
    if not url:
        return
    url = url.strip()
    if not url:
        return
    for seen in found:
        if seen.url == url:
            return
    size = None
    if length:
        length = length.strip()
        if length.isascii() and length.isdigit():
            size = int(length)
    found.append(Enclosure(url, mime.strip() or None if mime else None, size))


def build_item(
    *,
    guid: str | None,
    link: str | None,
    title: str | None,
    authors: list[str | None],
    published: datetime | None,
    updated: datetime | None,
    summary: str | None,
    content: str | None,
    enclosures: list[Enclosure],
    categories: list[str | None],
    base: str | None,
) -> FeedItem:
    """The typed entry every reader returns: enclosures made absolute, the stable key set."""
    if base and enclosures:
        enclosures = [
            e if is_absolute(e.url) else Enclosure(resolve(e.url, base) or e.url, e.type, e.length)
            for e in enclosures
        ]
    # entry_key, inlined: this runs once per entry of every feed
    key = (guid.strip() if guid else None) or link
    if not key:
        key = entry_key(None, None, title, published or updated, content or summary)
    return FeedItem(
        key,
        link,
        title,
        unique(authors),
        published,
        updated,
        summary,
        content,
        tuple(enclosures),
        unique(categories),
    )
