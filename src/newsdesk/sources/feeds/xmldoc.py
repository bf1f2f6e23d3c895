"""Turn feed bytes into an lxml tree safely: no entity expansion, no DTD, no network.

Why a module of its own: every XML feed passes through here, so this is where
the safety promises live. A hostile feed can carry a billion-laughs entity
bomb or an external entity pointing at ``file:///etc/passwd``; both are
defeated twice over. First the document type declaration (where entities are
declared) is cut out before any parser sees it; second the lxml parser is
built with ``resolve_entities=False, load_dtd=False, no_network=True`` so even
a declaration that survived would never be expanded or fetched.

Parsing is tried in increasing order of cost and tolerance:

1. strict lxml on the bytes as they are (the common, fast case);
2. a repaired text: decoded with fallbacks, HTML named entities turned into
   characters, bare ``&`` escaped, control characters dropped, then strict again;
3. lxml's recovering parser on that repaired text (truncated or broken markup).

Steps 2 and 3 mark the result as malformed (``bozo``) and say why.
"""

from __future__ import annotations

import codecs
import html.entities
import re
import threading
from dataclasses import dataclass
from typing import Any, AnyStr

from newsdesk.sources.feeds.text import LIFT_MARK, NOTHING_LIFTED, Lifted, marker_text

_BOMS: tuple[tuple[bytes, str], ...] = (
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\xfe\xff", "utf-16-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xef\xbb\xbf", "utf-8"),
)
# Wide encodings recognised by the first '<' without a byte order mark.
_WIDE_SNIFF: tuple[tuple[bytes, str], ...] = (
    (b"\x00\x00\x00<", "utf-32-be"),
    (b"<\x00\x00\x00", "utf-32-le"),
    (b"\x00<\x00", "utf-16-be"),
    (b"<\x00", "utf-16-le"),
)
_DECLARATION = re.compile(rb"^\s*<\?xml[^>]*?\?>", re.S)
_DECLARED_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']""")
_DOCTYPE = re.compile(rb"<!DOCTYPE\s[^\[>]*(?:\[.*?\]\s*)?>", re.S | re.I)
_ROOT_START = re.compile(rb"<[A-Za-z_]")
_ROOT_START_TEXT = re.compile(r"<[A-Za-z_]")
_DOCTYPE_TEXT = re.compile(r"<!DOCTYPE\s[^\[>]*(?:\[.*?\]\s*)?>", re.S | re.I)
_DECLARATION_TEXT = re.compile(r"^\s*<\?xml[^>]*?\?>", re.S)
_ENTITY = re.compile(r"&(#[0-9]+;|#[xX][0-9a-fA-F]+;|[A-Za-z][A-Za-z0-9._-]*;?)?")
_BAD_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_XML_ENTITIES = frozenset({"amp;", "lt;", "gt;", "quot;", "apos;"})
_HTML5 = html.entities.html5


@dataclass(frozen=True, slots=True)
class LoadedXML:
    """A parsed tree (``root`` may be None when nothing could be recovered)."""

    root: Any
    bozo: bool
    warnings: tuple[str, ...]
    encoding: str
    lifted: Lifted = NOTHING_LIFTED
    #: False when the parsed bytes are known to hold no ``xml:base`` attribute (a UTF-8
    #: document parsed strictly): the readers then skip looking for one on every element.
    bases: bool = True


#: CDATA sections at least this long are lifted out before parsing (see ``lift_cdata``).
LIFT_MIN_BYTES = 512
_LIFT_MARK_BYTES = LIFT_MARK.encode("utf-8")
# How an xml:base attribute is written: the XML namespace has no other prefix (libxml2's
# strict parser refuses one), so a UTF-8 document without these bytes has none.
_XML_BASE_BYTES = b"xml:base"


_CONTROL_TO_ZERO = bytes(0 if b < 9 or b in (11, 12) or 14 <= b < 32 else 1 for b in range(256))


_CONTROL_BYTES = tuple(bytes([b]) for b in range(32) if b not in (9, 10, 13))


def _has_control_bytes(data: bytes) -> bool:
    """Whether ``data`` holds a character XML forbids (tab, LF and CR are allowed).

    One ``in`` per byte value: each is a ``memchr``, so the 27 passes together cost
    half of one ``translate`` over the document."""
    return any(byte in data for byte in _CONTROL_BYTES)


def _section_text(chunk: bytes, check_controls: bool = True) -> str | None:
    """A CDATA section's text as an XML parser would report it; None if it is not UTF-8."""
    try:
        text = chunk.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if b"\r" in chunk:  # the line-end normalisation an XML parser does
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    # characters XML forbids; a byte table lookup is ten times faster than a regex
    if (
        (check_controls and b"\x00" in chunk.translate(_CONTROL_TO_ZERO))
        or "\ufffe" in text
        or "\uffff" in text
    ):
        text = _BAD_CONTROL.sub("", text)
    return text


def lift_cdata(data: bytes) -> tuple[bytes, Lifted] | None:
    """Cut large CDATA sections out of UTF-8 ``data``, leaving numbered markers.

    Why: libxml2 builds large text nodes slowly, and a feed's bodies are large
    CDATA sections; decoding them ourselves is an order of magnitude cheaper.
    Sections inside comments are left alone. Returns None when there is
    nothing worth lifting or the document cannot take part (it already holds the
    marker character, or a section is not valid UTF-8): the caller then parses
    the document as it is, so lifting never changes what a feed says.
    """
    find = data.find
    start = find(b"<![CDATA[")
    if start < 0:
        return None
    # Whole-document checks (single-byte searches, memchr) that spare the loop per-section
    # work: the marker's UTF-8 lead byte, carriage returns, forbidden characters.
    if b"\xee" in data and _LIFT_MARK_BYTES in data:
        return None  # the document already holds the marker
    if b"\r" in data or (b"\xef" in data and b"\xef\xbf" in data) or _has_control_bytes(data):
        return _lift_checked(data, start)
    out: list[bytes] = []
    parts: list[str] = []
    pos = last = 0
    while start >= 0:
        comment = find(b"<!--", pos, start)
        if comment >= 0:
            comment_end = find(b"-->", comment + 4)
            if comment_end < 0:
                break
            pos = comment_end + 3
            start = find(b"<![CDATA[", pos)
            continue
        end = find(b"]", start + 9)
        while end >= 0 and data[end : end + 3] != b"]]>":
            end = find(b"]", end + 1)
        if end < 0:
            break
        if end - start >= LIFT_MIN_BYTES:
            try:
                parts.append(data[start + 9 : end].decode("utf-8"))
            except UnicodeDecodeError:
                return None
            out.append(data[last:start])
            out.append(_marker(len(parts) - 1))
            last = end + 3
        pos = end + 3
        start = find(b"<![CDATA[", pos)
    if not parts:
        return None
    out.append(data[last:])
    return b"".join(out), Lifted(tuple(parts))


def _starts_ascii(data: bytes) -> bool:
    """Whether the markup is in ASCII bytes (a document in EBCDIC, say, that libxml2 detected
    by itself would not show ``xml:base`` as these bytes)."""
    return data[:64].lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"<"


def _marker(number: int) -> bytes:
    return marker_text(number).encode()


def _lift_checked(data: bytes, start: int) -> tuple[bytes, Lifted] | None:
    """``lift_cdata`` for documents with carriage returns, U+FFFE/U+FFFF or control
    characters somewhere: each section is normalised and cleaned as libxml2 would."""
    find = data.find
    out: list[bytes] = []
    parts: list[str] = []
    pos = last = 0
    controls = _has_control_bytes(data)  # nearly never: then no section is checked alone
    while start >= 0:
        # only the markup between sections is searched for comments: a body's own
        # "<!-- more -->" is text, and scanning the whole document would cost a pass
        comment = find(b"<!--", pos, start)
        if comment >= 0:  # the section may sit inside this comment: skip it
            comment_end = find(b"-->", comment + 4)
            if comment_end < 0:
                break
            pos = comment_end + 3
            start = find(b"<![CDATA[", pos)
            continue
        end = find(b"]", start + 9)  # one-byte search (memchr), then check for "]]>"
        while end >= 0 and data[end : end + 3] != b"]]>":
            end = find(b"]", end + 1)
        if end < 0:
            break
        if end - start >= LIFT_MIN_BYTES:
            text = _section_text(data[start + 9 : end], controls)
            segment = data[last:start]
            if text is None or LIFT_MARK in text or _LIFT_MARK_BYTES in segment:
                return None
            out.append(segment)
            out.append(_marker(len(parts)))
            parts.append(text)
            last = end + 3
        pos = end + 3
        start = find(b"<![CDATA[", pos)
    if not parts or _LIFT_MARK_BYTES in data[last:]:
        return None
    out.append(data[last:])
    return b"".join(out), Lifted(tuple(parts))


def _parsers() -> tuple[Any, Any]:
    """The strict and recovering parsers of this thread.

    Built once per thread: refresh parses feeds in worker threads, and an lxml
    parser used by two threads at once makes them take turns.
    """
    parsers: tuple[Any, Any] | None = getattr(_LOCAL, "parsers", None)
    if parsers is None:
        from lxml import etree

        common = {
            "resolve_entities": False,
            "load_dtd": False,
            "dtd_validation": False,
            "no_network": True,
            # libxml2's "huge" mode only lifts its text-size and depth limits (the body
            # size is capped by the fetcher); it makes large text nodes faster to build
            "huge_tree": True,
            "remove_comments": True,
            "remove_pis": True,
        }
        parsers = (
            etree.XMLParser(recover=False, **common),
            etree.XMLParser(recover=True, **common),
        )
        _LOCAL.parsers = parsers
    return parsers


_LOCAL = threading.local()


def _bom_or_wide(data: bytes) -> tuple[str | None, int]:
    """Encoding given by a byte order mark or a wide first '<', and the BOM's length."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name, len(bom)
    head = data[:4]
    for pattern, name in _WIDE_SNIFF:
        if head.startswith(pattern):
            return name, 0
    return None, 0


def _known_codec(name: str | None) -> str | None:
    if not name:
        return None
    try:
        return codecs.lookup(name.strip().strip("'\"")).name
    except LookupError:
        return None


def declared_encoding(data: bytes) -> str | None:
    """The encoding named in the XML declaration, if any (ASCII-compatible data only)."""
    match = _DECLARED_ENCODING.match(data[:300])
    return match.group(1).decode("ascii").lower() if match else None


def _transcode(data: bytes, encoding: str, skip: int, warnings: list[str]) -> bytes:
    """Decode with ``encoding`` and re-encode as UTF-8 without an XML declaration."""
    try:
        text = data[skip:].decode(encoding)
    except UnicodeDecodeError:
        text = data[skip:].decode(encoding, errors="replace")
        warnings.append(f"bytes not valid in {encoding} were replaced")
    text = _DECLARATION_TEXT.sub("", text, count=1)
    return text.encode("utf-8")


def _decode_fallback(data: bytes, declared: str | None, warnings: list[str]) -> tuple[str, str]:
    """Best text for a document the strict parser refused: declared, then UTF-8, then cp1252."""
    for candidate in (declared, "utf-8"):
        codec = _known_codec(candidate)
        if codec is None:
            if candidate:
                warnings.append(f"unknown encoding {candidate!r} declared")
            continue
        try:
            return data.decode(codec), codec
        except UnicodeDecodeError:
            warnings.append(f"document is not valid {codec}")
    return data.decode("cp1252", errors="replace"), "cp1252"


def _xml_char(code: int) -> bool:
    """Whether XML 1.0 allows the character ``code`` (its production ``Char``)."""
    return (
        code in (0x9, 0xA, 0xD)
        or 0x20 <= code <= 0xD7FF
        or 0xE000 <= code <= 0xFFFD
        or 0x10000 <= code <= 0x10FFFF
    )


def _entity_fix(match: re.Match[str]) -> str:
    body = match.group(1)
    if body is None:
        return "&amp;"  # a bare ampersand
    if body[0] == "#":
        # A reference to a character XML cannot hold (a lone surrogate such as &#xd800;,
        # NUL, most C0 controls) is dropped: kept, libxml2's recovering parser builds text
        # that is not UTF-8 and reading it raises UnicodeDecodeError.
        hexadecimal = body[1:2] in ("x", "X")
        code = int(body[2:-1] if hexadecimal else body[1:-1], 16 if hexadecimal else 10)
        if not _xml_char(code):
            return ""
        if body[:2] == "#X":  # XML allows only a lower-case x in hexadecimal references
            return "&#x" + body[2:]
        return match.group(0)
    if body in _XML_ENTITIES:
        return match.group(0)
    if body.endswith(";"):
        value = _HTML5.get(body)
        if value is not None:
            return "".join(f"&#{ord(ch)};" for ch in value)
    # an undefined entity (say one whose declaration we removed): keep it as literal text
    return "&amp;" + body


def repair_text(text: str) -> str:
    """Markup fixes that make most broken feeds well-formed, without expanding anything."""
    text = _DECLARATION_TEXT.sub("", text.lstrip("\ufeff \t\r\n"), count=1)
    text = _strip_doctype(text, _DOCTYPE_TEXT, _ROOT_START_TEXT)[0]
    if "&" in text:
        text = _ENTITY.sub(_entity_fix, text)
    return _BAD_CONTROL.sub("", text)


def load_xml(data: bytes, *, url: str | None, http_charset: str | None) -> LoadedXML:
    """Parse ``data`` as XML as strictly as it allows, recovering when it is broken."""
    from lxml import etree

    strict, recovering = _parsers()
    warnings: list[str] = []
    encoding = "utf-8"
    bom_encoding, bom_len = _bom_or_wide(data)
    header = _known_codec(http_charset)
    if http_charset and header is None:
        warnings.append(f"unknown charset {http_charset!r} in the HTTP header was ignored")
    if bom_encoding is not None and (bom_encoding != "utf-8" or header not in (None, "utf-8")):
        encoding = bom_encoding
        data = _transcode(data, bom_encoding, bom_len, warnings)
    elif header is not None and header != _known_codec(declared_encoding(data)):
        # RFC 7303: the charset of the HTTP header overrides the XML declaration
        encoding = header
        data = _transcode(data, header, bom_len, warnings)
    else:
        encoding = _known_codec(declared_encoding(data)) or "utf-8"
    data, had_subset = strip_doctype(data)
    if had_subset:
        warnings.append("entity declarations in the DOCTYPE were ignored (never expanded)")
    base = url or None
    if encoding in ("utf-8", "ascii"):
        lifted = lift_cdata(data)
        if lifted is not None:
            try:
                root = etree.fromstring(lifted[0], strict, base_url=base)
                bases = _XML_BASE_BYTES in lifted[0] or not _starts_ascii(data)
                return LoadedXML(root, bool(warnings), tuple(warnings), encoding, lifted[1], bases)
            except etree.XMLSyntaxError:
                pass  # broken elsewhere: parse the document as it is, below
    try:
        root = etree.fromstring(data, strict, base_url=base)
        bases = (
            encoding not in ("utf-8", "ascii") or _XML_BASE_BYTES in data or not _starts_ascii(data)
        )
        return LoadedXML(root, bool(warnings), tuple(warnings), encoding, bases=bases)
    except etree.XMLSyntaxError as exc:
        warnings.append(f"not well-formed XML ({_short(exc)})")
    except ValueError as exc:  # e.g. an encoding name libxml2 does not know
        warnings.append(f"unreadable XML ({exc})")

    text, encoding = _decode_fallback(data, declared_encoding(data), warnings)
    repaired = repair_text(text).encode("utf-8")
    try:
        root = etree.fromstring(repaired, strict, base_url=base)
        return LoadedXML(root, True, tuple(warnings), encoding)
    except etree.XMLSyntaxError:
        pass
    try:
        root = etree.fromstring(repaired, recovering, base_url=base)
    except etree.XMLSyntaxError:
        root = None
    warnings.append("recovered what the broken markup allowed")
    return LoadedXML(root, True, tuple(warnings), encoding)


def strip_doctype(data: bytes) -> tuple[bytes, bool]:
    """Cut the document type declaration (where entities are declared) out of the prolog.

    Returns the document and whether the declaration had an internal subset, the
    part that can declare entities (a feed has no business doing so).
    """
    stripped: tuple[bytes, bool] = _strip_doctype(data, _DOCTYPE, _ROOT_START)
    return stripped


def _strip_doctype(data: AnyStr, doctype: re.Pattern[AnyStr], root: re.Pattern[AnyStr]) -> Any:
    """Walk the prolog (declaration, processing instructions, comments) to its DOCTYPE.

    Only the prolog is searched: the same characters inside a comment or in the body
    (``<![CDATA[ <!DOCTYPE ]]>``) are text, not a declaration.
    """
    lit: Any = (lambda s: s.encode()) if isinstance(data, bytes) else (lambda s: s)
    pos = 0
    while True:
        lt = data.find(lit("<"), pos)
        if lt < 0:
            return data, False
        if data.startswith(lit("<?"), lt):
            end = data.find(lit("?>"), lt + 2)
        elif data.startswith(lit("<!--"), lt):
            end = data.find(lit("-->"), lt + 4)
            end = end + 1 if end >= 0 else end
        elif data[lt + 1 : lt + 9].upper() == lit("!DOCTYPE"):
            match = doctype.match(data, lt)
            if match is None:  # malformed or unterminated: drop it up to the root element
                start = root.search(data, lt + 9)
                return data[:lt] + (data[start.start() :] if start else data[:0]), True
            return data[:lt] + data[match.end() :], lit("[") in match.group(0)
        else:
            return data, False  # the root element has begun: there is no DOCTYPE
        if end < 0:
            return data, False
        pos = end + 2


def _short(exc: Exception) -> str:
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return text[:160]
