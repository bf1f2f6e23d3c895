"""Issue 10, point 5: every command, run against a data folder or database newsdesk cannot
use, ends in one line naming what to fix and a non-zero exit, never a traceback.

The commands are found by walking the Typer app, so a command added later is covered
without touching this test. Required arguments get a plausible value by their name.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import FIXTURES

USER = "reader@example.org"
#: Commands that read no store and no data folder: they may succeed (exit 0).
STORELESS = {"config"}
#: Commands that run until stopped; they get a separate, bounded run below.
LONG_RUNNING = {"serve"}


def _value(name: str) -> list[str]:
    page = str(FIXTURES / "text" / sorted(p.name for p in (FIXTURES / "text").iterdir())[0])
    return {
        "kind": ["author"],
        "value": ["Steven Chase"],
        "user": ["--user", USER],
        "sources": [page],
        "query": ["Mali"],
        "ids": ["1"],
        "url": ["http://news.example/feed.xml"],
        "source": ["1"],
        "path": [str(FIXTURES / "sources" / "missing.opml")],
        "article_id": ["1"],
        "key": ["1"],
        "email": [USER],
        "name": ["phone"],
        "token_id": ["1"],
    }.get(name, ["1"])


def _commands() -> Iterator[tuple[str, ...]]:
    import typer

    from newsdesk.cli import app

    def walk(cmd: Any, path: tuple[str, ...]) -> Iterator[tuple[str, ...]]:
        if hasattr(cmd, "commands"):
            for name, sub in sorted(cmd.commands.items()):
                yield from walk(sub, (*path, name))
            return
        args: list[str] = list(path)
        options: list[str] = []
        for param in cmd.params:
            if not param.required and param.name != "ids":  # `mark` needs something to mark
                continue
            (options if param.param_type_name == "option" else args).extend(_value(param.name))
        yield (*args, *options)

    yield from walk(typer.main.get_command(app), ())


COMMANDS = [c for c in _commands() if c[0] not in LONG_RUNNING]


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(params=["file-as-folder", "missing-parent", "unwritable", "unreachable-db"])
def broken(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A data folder or database newsdesk cannot use; returns the setting it should name."""
    if request.param == "file-as-folder":
        a_file = tmp_path / "a-file"
        a_file.write_text("not a folder")
        monkeypatch.setenv("NEWSDESK_DATA_DIR", str(a_file))
        return "NEWSDESK_DATA_DIR"
    if request.param == "missing-parent":
        monkeypatch.setenv("NEWSDESK_DATA_DIR", "/proc/nope")
        return "NEWSDESK_DATA_DIR"
    if request.param == "unwritable":
        # /proc is a folder no one (root included) may create files in.
        monkeypatch.setenv("NEWSDESK_DATA_DIR", "/proc")
        return "NEWSDESK_DATA_DIR"
    port = _closed_port()
    monkeypatch.setenv(
        "NEWSDESK_DATABASE_URL", f"postgresql+psycopg://postgres@127.0.0.1:{port}/newsdesk"
    )
    return "NEWSDESK_DATABASE_URL"


def test_every_command_is_walked() -> None:
    names = {
        " ".join(c[:2]) if c[0] in {"sources", "articles", "tokens"} else c[0] for c in COMMANDS
    }
    assert {"ingest", "follow", "articles list", "tokens revoke", "sources add"} <= names


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c[:2]))
def test_command_with_an_unusable_store(broken: str, command: tuple[str, ...], cli) -> None:  # type: ignore[no-untyped-def]
    result = cli(*command, input="")
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert "Traceback" not in result.stderr + result.stdout, result
    if command[0] in STORELESS:
        return
    assert result.code != 0, result
    assert len(lines) == 1, result


@pytest.mark.parametrize("data_dir", ["file", "/proc/nope", "/proc"])
def test_serve_with_an_unusable_data_folder(data_dir: str, tmp_path: Path) -> None:
    """``serve`` runs until stopped, so it runs in its own process under a deadline."""
    import os
    import subprocess
    import sys

    if data_dir == "file":
        (tmp_path / "a-file").write_text("not a folder")
        data_dir = str(tmp_path / "a-file")
    env = {**os.environ, "NEWSDESK_DATA_DIR": data_dir}
    env["PYTHONPATH"] = str(Path(__file__).resolve().parents[2] / "src")
    done = subprocess.run(
        [sys.executable, "-m", "newsdesk", "serve", "--no-web"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert done.returncode == 1, done
    assert "Traceback" not in done.stderr, done
    assert len(lines) == 1 and "NEWSDESK_DATA_DIR is unusable" in lines[0], done
