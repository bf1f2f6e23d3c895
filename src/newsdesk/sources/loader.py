"""Reading what a user names on the command line: a path, a folder, a URL or stdin.

This is the edge where bytes enter: sizes are checked *before* reading, so an
oversized file or stream never lands in memory, and compressed files are
inflated with the same cap so a gzip bomb stops at the limit.
"""

from __future__ import annotations

import stat
import sys
import zlib
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

from newsdesk.config import Settings, get_settings
from newsdesk.errors import InputError, NewsdeskError
from newsdesk.models import ItemFailure, Page

#: Files taken from a folder; anything else there (images, scripts) is ignored.
PAGE_SUFFIXES = (".html", ".htm", ".xhtml", ".txt", ".text", ".html.gz", ".htm.gz", ".txt.gz")


def is_url(source: str) -> bool:
    return source.lower().startswith(("http://", "https://"))


def _read_capped(stream: BinaryIO, limit: int, origin: str) -> bytes:
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise InputError(
            f"{origin} is over the {limit:,}-byte limit",
            hint="raise NEWSDESK_MAX_PAGE_BYTES if this really is one article",
        )
    return data


def _inflate_capped(data: bytes, limit: int, origin: str) -> bytes:
    decomp = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = decomp.decompress(data, limit + 1)
    except zlib.error as exc:
        raise InputError(f"{origin} is not a valid gzip file: {exc}") from exc
    if len(out) > limit or decomp.unconsumed_tail:
        raise InputError(
            f"{origin} inflates to more than the {limit:,}-byte limit",
            hint="a compressed page this large is refused as a possible decompression bomb",
        )
    return out


def read_file(path: Path, settings: Settings | None = None) -> Page:
    settings = settings or get_settings()
    origin = str(path)
    try:
        info = path.stat()
    except FileNotFoundError:
        raise InputError(f"{origin} does not exist", hint="check the path") from None
    except OSError as exc:  # name too long, a symlink loop, a folder we may not enter
        raise InputError(f"cannot read {origin}: {exc.strerror}", hint="check the path") from None
    if stat.S_ISDIR(info.st_mode):
        raise InputError(
            f"{origin} is a folder",
            hint="give one page (a file, a URL or -); `newsdesk ingest` takes folders",
        )
    limit = settings.max_page_bytes
    size = info.st_size
    compressed = path.suffix == ".gz"
    if not compressed and size > limit:
        raise InputError(
            f"{origin} is {size:,} bytes, over the {limit:,}-byte limit",
            hint="raise NEWSDESK_MAX_PAGE_BYTES if this really is one article",
        )
    try:
        with path.open("rb") as fh:
            data = _read_capped(fh, limit, origin)
    except OSError as exc:
        raise InputError(f"cannot read {origin}: {exc.strerror}") from exc
    if compressed or data[:2] == b"\x1f\x8b":
        data = _inflate_capped(data, limit, origin)
    return Page(content=data, url=None, origin=origin, fetched_at=datetime.now(UTC))


def read_stdin(settings: Settings | None = None) -> Page:
    settings = settings or get_settings()
    stream = getattr(sys.stdin, "buffer", None)
    if stream is None:  # pragma: no cover - stdin replaced by a text-only object
        raise InputError("standard input is not readable as bytes")
    data = _read_capped(stream, settings.max_page_bytes, "standard input")
    if data[:2] == b"\x1f\x8b":
        data = _inflate_capped(data, settings.max_page_bytes, "standard input")
    return Page(content=data, url=None, origin="-", fetched_at=datetime.now(UTC))


def read_source(source: str = "-", settings: Settings | None = None) -> Page:
    """One page from a path, a URL or ``-`` (stdin)."""
    if source == "-":
        return read_stdin(settings)
    if is_url(source):
        from newsdesk.sources.fetch.client import fetch_page

        return fetch_page(source, settings)
    return read_file(Path(source), settings)


def _is_folder(path: Path) -> bool:
    """True for a folder; a path that cannot be looked at is left for read_file to report."""
    try:
        return path.is_dir()
    except OSError:
        return False


def expand_sources(sources: list[str]) -> list[str]:
    """Folders become their page files (sorted, recursive); paths and URLs stay as given."""
    expanded: list[str] = []
    for source in sources:
        path = Path(source)
        if source != "-" and not is_url(source) and _is_folder(path):
            found = sorted(
                str(p)
                for p in path.rglob("*")
                if p.is_file() and p.name.lower().endswith(PAGE_SUFFIXES)
            )
            expanded.extend(found)
        else:
            expanded.append(source)
    return expanded


def iter_pages(
    sources: list[str], settings: Settings | None = None
) -> Iterator[Page | ItemFailure]:
    """Each source read in turn; an unreadable one becomes an ItemFailure, not an exception."""
    for source in sources:
        try:
            yield read_source(source, settings)
        except NewsdeskError as exc:
            yield ItemFailure(source, str(exc))
