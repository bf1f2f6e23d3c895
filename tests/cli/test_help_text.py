"""Issue 10, point 8: ``--help`` shows no ``<bool>`` beside a flag, and every argument and
option of every command (walked from the Typer app) says what it is for."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest


def _commands() -> Iterator[tuple[tuple[str, ...], Any]]:
    import typer

    from newsdesk.cli import app

    def walk(cmd: Any, path: tuple[str, ...]) -> Iterator[tuple[tuple[str, ...], Any]]:
        if hasattr(cmd, "commands"):
            for name, sub in sorted(cmd.commands.items()):
                yield from walk(sub, (*path, name))
            return
        yield path, cmd

    yield from walk(typer.main.get_command(app), ())


COMMANDS = list(_commands())


def test_every_parameter_has_help() -> None:
    missing = [
        f"{' '.join(path)} {param.name}"
        for path, cmd in COMMANDS
        for param in cmd.params
        if not (param.help or "").strip()
    ]
    assert missing == []


@pytest.mark.parametrize(
    "path", [("unmute",), ("feed",), ("tokens", "revoke"), ("refresh",), ()], ids=str
)
def test_help_shows_no_bool_tag(path: tuple[str, ...], cli: Any) -> None:
    shown = cli(*path, "--help")
    assert shown.code == 0, shown
    assert "<bool>" not in shown.stdout
    assert "--help" in shown.stdout
