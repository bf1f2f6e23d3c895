"""Passwords an attacker tries first, and addresses that are not addresses (issue 17, point 7)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from newsdesk.errors import InputError
from newsdesk.follow.accounts import check_password, create_user, normalise_email

NOW = datetime(2031, 3, 14, tzinfo=UTC)


@pytest.mark.parametrize(
    "password", ["password", "12345678", "        ", "\t\t\t\t\t\t\t\t", "qwertyuiop", "iloveyou1"]
)
def test_common_and_blank_passwords_are_refused(password: str) -> None:
    with pytest.raises(InputError):
        check_password(password)


@pytest.mark.parametrize(
    "password", ["harbour-ferry-quay-42", "Kestrel Point gulls at dawn", "tV8#qLm2!xRz"]
)
def test_uncommon_passwords_are_accepted(password: str) -> None:
    check_password(password)


def test_a_huge_password_is_refused_quickly() -> None:
    with pytest.raises(InputError):
        check_password("a" * 100_000)


def test_a_long_password_is_judged_on_its_start_only() -> None:
    check_password("Kestrel Point gulls at dawn " * 30)  # zxcvbn sees the first 64 characters


@pytest.mark.parametrize(
    "address",
    [
        "x@y.z<script>",
        "jane@",
        "@news.example",
        "jane@news..example",
        "jane news@example.org",
        "jane@exa mple.org",
        "a@b",
        "jane@news.example\x1b[2J",
    ],
)
def test_addresses_that_are_not_addresses_are_refused(address: str) -> None:
    with pytest.raises(InputError) as caught:
        normalise_email(address)
    assert "\n" not in str(caught.value)


def test_a_good_address_is_normalised() -> None:
    assert normalise_email("  Jane.Doe@News.Example.ORG ") == "jane.doe@news.example.org"


def test_create_user_refuses_a_common_password(db) -> None:
    with db.begin() as conn, pytest.raises(InputError):
        create_user(conn, "jane@news.example.org", now=NOW, password="password")
