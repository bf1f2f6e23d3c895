"""The commands and flags the issues name are contracts that outside tools call: they must exist."""

from __future__ import annotations

import pytest

COMMANDS = {
    ("extract",): ["--format"],
    ("ingest",): [],
    ("articles", "list"): ["--user", "--unread", "--starred", "--source", "--format"],
    ("mark", "read"): ["--user", "--story", "--source", "--follow", "--all", "--before"],
    ("mark", "unread"): ["--user", "--story", "--source", "--follow", "--all", "--before"],
    ("star",): ["--user"],
    ("unstar",): ["--user"],
    ("unread",): ["--user", "--format"],
    ("articles", "show"): [],
    ("sources", "add"): [],
    ("sources", "list"): [],
    ("sources", "show"): [],
    ("sources", "remove"): [],
    ("sources", "pause"): [],
    ("sources", "resume"): [],
    ("sources", "import"): [],
    ("sources", "export"): [],
    ("feeds", "parse"): ["--format"],
    ("refresh",): [],
    ("serve",): [],
    ("understand",): ["--format"],
    ("stories", "cluster"): [],
    ("stories", "list"): [],
    ("stories", "show"): [],
    ("users", "add"): ["--name", "--tz", "--password-stdin"],
    ("follow",): ["--user"],
    ("unfollow",): ["--user"],
    ("mute",): ["--user"],
    ("following",): ["--user", "--format", "--mark-checked"],
    ("feed",): ["--user"],
    ("search",): ["--user"],
}


@pytest.mark.parametrize("command", sorted(COMMANDS), ids=" ".join)
def test_named_command_and_flags_exist(cli, command):
    result = cli(*command, "--help")
    assert result.code == 0, result
    for flag in COMMANDS[command]:
        assert flag in result.stdout, f"{' '.join(command)} lacks {flag}"


def test_follow_kinds_are_the_named_ones(cli):
    text = cli("follow", "--help").stdout
    for kind in ("author", "person", "org", "place", "topic", "outlet", "story", "search"):
        assert kind in text


def _command_paths() -> list[str]:
    import typer.main

    from newsdesk.cli import app

    root = typer.main.get_command(app)
    paths: list[str] = []
    for name, command in root.commands.items():  # type: ignore[attr-defined]
        subcommands = getattr(command, "commands", None)
        if subcommands:
            paths.extend(f"{name} {sub}" for sub in subcommands)
        else:
            paths.append(name)
    return paths


def test_every_command_is_documented_in_the_readme():
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    missing = []
    for path in _command_paths():
        group, _, sub = path.partition(" ")
        # A group's table row may list its subcommands together: `newsdesk sources list|show`.
        if f"newsdesk {path}" in readme:
            continue
        if sub and f"newsdesk {group} " in readme and sub in readme:
            continue
        missing.append(path)
    assert missing == []
