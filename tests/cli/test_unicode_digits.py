"""A Unicode digit ("¹", "٣") passes str.isdigit() but int() refuses it: ids and numbers read
from users and servers must be ASCII digits, or a lookup became a traceback (found by
schemathesis on /api/v1/mutes)."""

from __future__ import annotations

from typing import Any

import pytest

U = "reader@news.example"


@pytest.mark.parametrize("value", ["¹", "٣", "²3"])
def test_a_unicode_digit_is_a_name_not_a_crash(cli: Any, db: Any, value: str) -> None:
    assert cli("users", "add", U).code == 0
    for args in (
        ("mute", "source", value),
        ("follow", "source", value),
        ("stories", "show", value),
    ):
        result = cli(*args, *(("--user", U) if args[0] != "stories" else ()))
        assert "Traceback" not in result.stderr + result.stdout
        assert result.code in (0, 1, 2), result
