"""Reading a response body within a byte limit, decompression included.

The limit applies to the *decoded* size, checked as the bytes are inflated,
so a small gzip body that would inflate to gigabytes (a decompression bomb)
stops at the limit instead of filling memory.
"""

from __future__ import annotations

import zlib
from typing import Any

from newsdesk.errors import FetchError


class BodyDecoder:
    """Content-Encoding decoding with a cap on the *decoded* size (the bomb guard)."""

    def __init__(self, encoding: str, limit: int, url: str) -> None:
        self.encoding = encoding
        self.limit = limit
        self.url = url
        self.size = 0
        self._zlib: Any = None
        if encoding in ("gzip", "x-gzip"):
            self._zlib = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif encoding not in ("", "identity", "deflate"):
            raise FetchError(
                f"{url} came with an unsupported Content-Encoding {encoding!r}",
                hint="the server ignored our Accept-Encoding; report it to the publisher",
            )

    def _too_big(self) -> FetchError:
        what = "inflates to" if self.encoding not in ("", "identity") else "is"
        return FetchError(
            f"{self.url} {what} more than the {self.limit:,}-byte limit",
            hint="raise NEWSDESK_MAX_FEED_BYTES / NEWSDESK_MAX_PAGE_BYTES if it is genuine",
        )

    def feed(self, chunk: bytes) -> bytes:
        if self.encoding in ("", "identity"):
            self.size += len(chunk)
            if self.size > self.limit:
                raise self._too_big()
            return chunk
        if self._zlib is None:  # deflate: zlib-wrapped per the RFC, raw in practice too
            wbits = zlib.MAX_WBITS if chunk[:1] and (chunk[0] & 0x0F) == 8 else -zlib.MAX_WBITS
            self._zlib = zlib.decompressobj(wbits)
        parts: list[bytes] = []
        data = chunk
        try:
            while data:
                room = self.limit - self.size
                out = self._zlib.decompress(data, room + 1)
                self.size += len(out)
                if self.size > self.limit:
                    raise self._too_big()
                parts.append(out)
                data = self._zlib.unconsumed_tail
                if not out and data:  # no progress possible
                    break
        except zlib.error as exc:
            raise FetchError(f"{self.url} sent a corrupt {self.encoding} body: {exc}") from exc
        return b"".join(parts)

    def finish(self) -> bytes:
        if self._zlib is None:
            return b""
        out: bytes = self._zlib.flush()
        self.size += len(out)
        if self.size > self.limit:
            raise self._too_big()
        return out
