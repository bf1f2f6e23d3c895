"""Page cursors are opaque, round-trip, and a bad one is our own one-line error."""

from __future__ import annotations

import pytest

from newsdesk.errors import InputError
from newsdesk.views.cursor import BadCursorError, decode_cursor, encode_cursor


def test_round_trip_and_opaque() -> None:
    cursor = encode_cursor("articles", ["2026-11-20T10:00:00+00:00", 42])
    assert "42" not in cursor and "=" not in cursor
    assert decode_cursor("articles", cursor, (str, int)) == ("2026-11-20T10:00:00+00:00", 42)


@pytest.mark.parametrize(
    "cursor",
    [
        "",
        "not base64 !!",
        "e30",  # "{}"
        encode_cursor("search", [42]),  # another list's cursor
        encode_cursor("articles", [42, "x"]),  # wrong types
        encode_cursor("articles", ["x", True]),  # a bool is not an id
        encode_cursor("articles", ["x"]),  # wrong length
        "A" * 500,
    ],
)
def test_bad_cursors_are_refused(cursor: str) -> None:
    with pytest.raises(BadCursorError, match="not a page cursor") as caught:
        decode_cursor("articles", cursor, (str, int))
    assert isinstance(caught.value, InputError)
