"""Opaque page cursors: a keyset position (newest-first lists) a client hands back unread.

A cursor is base64url of a small JSON array tagged with the list it belongs
to, so a search cursor cannot be replayed against another list, and anything
that does not decode to the expected shape is a ``BadCursorError`` (one line,
our own type), never a traceback or a silently wrong page.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence

from newsdesk.errors import InputError

Key = int | str
MAX_CURSOR_CHARS = 200


class BadCursorError(InputError):
    """A page cursor that this list did not hand out."""


def encode_cursor(kind: str, keys: Sequence[Key]) -> str:
    """The cursor for the position just after ``keys`` in the list called ``kind``."""
    raw = json.dumps([kind, *keys], separators=(",", ":")).encode("utf-8")
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def decode_cursor(kind: str, cursor: str, shape: Sequence[type]) -> tuple[Key, ...]:
    """The keys in ``cursor``, checked against ``kind`` and the types in ``shape``."""
    bad = BadCursorError(
        f"not a page cursor of this list: {cursor[:40]!r}",
        hint="pass the next_cursor value of the previous page exactly, or leave it out",
    )
    if not cursor or len(cursor) > MAX_CURSOR_CHARS:
        raise bad
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        data = json.loads(raw.decode("utf-8"))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise bad from None
    if not isinstance(data, list) or len(data) != len(shape) + 1 or data[0] != kind:
        raise bad
    keys = data[1:]
    for value, expected in zip(keys, shape, strict=True):
        if type(value) is not expected:  # bool is not an int here
            raise bad
    return tuple(keys)
