"""From bytes to text, refusing what is not a page: empty, binary, undecodable, too large."""

from __future__ import annotations

import codecs
import re

from newsdesk.errors import InputError

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.I)
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Magic numbers of formats people hand us by mistake.
_BINARY_MAGIC = (
    b"%PDF",
    b"\x89PNG",
    b"GIF8",
    b"\xff\xd8\xff",
    b"PK\x03\x04",
    b"\x1f\x8b",
    b"BZh",
    b"\x7fELF",
    b"MZ",
    b"\x00\x00\x01\x00",
    b"RIFF",
    b"OggS",
    b"ID3",
    b"\xfd7zXZ",
)


_TEXT_BYTES = bytes([9, 10, 11, 12, 13, *range(32, 256)])


def check_size(size: int, limit: int, origin: str) -> None:
    if size > limit:
        raise InputError(
            f"{origin} is {size:,} bytes, over the {limit:,}-byte limit",
            hint="raise NEWSDESK_MAX_PAGE_BYTES if this really is one article",
        )


def looks_binary(data: bytes) -> bool:
    """A file format by its magic number, or control bytes a text page never has."""
    if data.startswith(_BINARY_MAGIC):
        return True
    sample = data[:8192]
    if any(sample.startswith(bom) for bom, _ in _BOMS):
        return False
    if b"\x00" in sample:
        return True
    # Deleting every byte that may appear in text leaves only the control bytes.
    control = len(sample.translate(None, _TEXT_BYTES))
    return control > len(sample) * 0.02


def decode_page(data: bytes, origin: str = "page", declared: str | None = None) -> str:
    """Decode page bytes: BOM, then declared/meta charset, then UTF-8, then detection."""
    if not data.strip():
        raise InputError(f"{origin} is empty", hint="nothing to extract; check the file or URL")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                break
    if looks_binary(data):
        raise InputError(
            f"{origin} is a binary file, not a web page or text",
            hint="give newsdesk an HTML page, a page saved as text, or a feed",
        )
    candidates: list[str] = []
    if declared:
        candidates.append(declared)
    meta = _META_CHARSET.search(data[:4096])
    if meta:
        candidates.append(meta.group(1).decode("ascii", "ignore"))
    candidates.append("utf-8")
    for encoding in candidates:
        try:
            return data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None or best.chaos > 0.3:
        raise InputError(
            f"{origin} cannot be decoded as text in any known character set",
            hint="save the page again as UTF-8",
        )
    return str(best)


def is_html(text: str) -> bool:
    """Markup, not prose: a doctype or html/head/body tag, or many tags near the top."""
    head = text[:4096].lstrip().lower()
    if head.startswith(("<!doctype html", "<html", "<?xml")) and "<html" in text[:20000].lower():
        return True
    if re.search(r"<(html|head|body)[\s>]", head):
        return True
    tags = list(re.finditer(r"</?(p|div|span|a|article|section|br|h[1-6])[\s>/]", head))
    if len(tags) < 5:
        return False
    if head.startswith("<"):
        return True
    # A page saved as text can show markup a script would have run (an advert's snippet)
    # after its menu and headline: markup only when it starts before most of the prose.
    return tags[0].start() < len(head) // 4
