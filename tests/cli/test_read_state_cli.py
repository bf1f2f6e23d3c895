"""``newsdesk mark``, ``star``, ``unstar``, ``unread`` and ``articles list --user`` end to end."""

from __future__ import annotations

import ast
from datetime import timedelta
from pathlib import Path

import pytest

from tests.follow.read_state_rows import T0, add_articles, add_source, add_story

EMAIL = "noor@example.org"


@pytest.fixture
def setup(db, cli):
    harbour = add_source(db, "https://harbour.example/feed", title="Harbour", tags=["local"])
    wire = add_source(db, "https://wire.example/feed", title="Wire", tags=["world"])
    h = add_articles(db, 4, source_id=harbour, tag="h")
    w = add_articles(
        db, 3, source_id=wire, tag="w", authors=["Ines Varga"], start=T0 + timedelta(hours=1)
    )
    add_story(db, "s-quay", [h[0], w[0]])
    for args in (
        ("users", "add", EMAIL),
        ("users", "add", "ade@example.org"),
        ("follow", "source", str(harbour), "--user", EMAIL),
        ("follow", "author", "Ines Varga", "--user", EMAIL),
    ):
        assert cli(*args).code == 0
    return {"harbour": harbour, "wire": wire, "h": h, "w": w}


def _unread_ids(cli) -> list[int]:
    result = cli("articles", "list", "--user", EMAIL, "--unread", "--format", "json")
    assert result.code == 0, result
    return sorted(a["id"] for a in result.json())


def test_list_json_is_the_records_to_dict(cli, setup) -> None:
    from newsdesk.views.read_state import user_articles

    result = cli("articles", "list", "--user", EMAIL, "--format", "json")
    assert result.code == 0, result
    assert result.json() == user_articles(EMAIL).to_dict()["items"]
    assert {a["read"] for a in result.json()} == {False}
    only = cli("articles", "list", "--user", EMAIL, "--source", str(setup["wire"]), "-f", "json")
    assert sorted(a["id"] for a in only.json()) == setup["w"]


def test_mark_forms_and_no_op(cli, setup) -> None:
    h, w = setup["h"], setup["w"]
    result = cli("mark", "read", "--user", EMAIL, str(h[0]), str(h[1]))
    assert (result.code, result.stdout.strip()) == (
        0,
        f"marked articles {h[0]}, {h[1]} read (2 changed)",
    )
    again = cli("mark", "read", "--user", EMAIL, str(h[0]))
    assert again.code == 0 and "nothing to mark" in again.stdout
    assert cli("mark", "read", "--user", EMAIL, "--story", "s-quay").code == 0
    assert w[0] not in _unread_ids(cli)
    assert cli("mark", "read", "--user", EMAIL, "--source", str(setup["harbour"])).code == 0
    assert _unread_ids(cli) == w[1:]
    assert cli("mark", "read", "--user", EMAIL, "--follow", "author", "Ines Varga").code == 0
    assert _unread_ids(cli) == []
    assert cli("mark", "unread", "--user", EMAIL, "--all").code == 0
    assert _unread_ids(cli) == sorted(h + w)
    assert (
        cli("mark", "read", "--user", EMAIL, "--all", "--before", "2026-11-01T00:02:30").code == 0
    )
    assert _unread_ids(cli) == sorted(h[3:] + w)
    assert cli("mark", "read", "--user", EMAIL, "--all").code == 0
    assert _unread_ids(cli) == []
    noop = cli("mark", "read", "--user", EMAIL, "--all")
    assert noop.code == 0 and "nothing to mark" in noop.stdout


@pytest.mark.parametrize(
    "args",
    [
        ("mark", "read", "--user", EMAIL),
        ("mark", "read", "--user", EMAIL, "1", "--all"),
        ("mark", "read", "--user", EMAIL, "--story", "s-quay", "--source", "1"),
        ("mark", "read", "--user", EMAIL, "--all", "--before", "last tuesday"),
        ("mark", "read", "--user", EMAIL, "x"),
        ("mark", "sideways", "--user", EMAIL, "--all"),
        ("mark", "read", "--all"),
        ("star", "--user", EMAIL),
        ("articles", "list", "--unread"),
    ],
)
def test_usage_errors_exit_2(cli, setup, args) -> None:
    result = cli(*args)
    assert result.code == 2, result


def test_failures_are_one_line_and_exit_1(cli, setup) -> None:
    for args in (
        ("mark", "read", "--user", EMAIL, "99999"),
        ("mark", "read", "--user", "nobody@example.org", "--all"),
        ("mark", "read", "--user", EMAIL, "--follow", "topic", "fisheries"),
        ("mark", "read", "--user", EMAIL, "--story", "s-none"),
        ("star", "99999", "--user", EMAIL),
    ):
        result = cli(*args)
        assert result.code == 1, result
        assert len(result.stderr.strip().splitlines()) == 1, result
        assert "Traceback" not in result.stderr


def test_marks_on_articles_beyond_ones_follows_are_ones_own(cli, setup) -> None:
    h = setup["h"]
    for args in (
        ("mark", "read", "--user", "ade@example.org", str(h[0])),
        ("star", str(h[0]), "--user", "ade@example.org"),
    ):
        assert cli(*args).code == 0, cli(*args)
    assert _unread_ids(cli) == sorted(h + setup["w"])  # Noor's state untouched
    for args in (
        ("mark", "read", "--user", "ade@example.org", "99999"),
        ("star", "99999", "--user", "ade@example.org"),
    ):
        result = cli(*args)
        assert result.code == 1 and "no such article" in result.stderr, result
    assert cli("mark", "read", "--user", "ade@example.org", "--all").code == 0
    assert _unread_ids(cli) == sorted(h + setup["w"])  # Noor's state untouched


def test_star_unstar_and_starred_list(cli, setup) -> None:
    h = setup["h"]
    assert cli("star", str(h[1]), str(h[2]), "--user", EMAIL).stdout.strip() == "starred 2"
    assert "nothing to do" in cli("star", str(h[1]), "--user", EMAIL).stdout
    starred = cli("articles", "list", "--user", EMAIL, "--starred", "--format", "json").json()
    assert sorted(a["id"] for a in starred) == [h[1], h[2]]
    assert cli("unstar", str(h[1]), "--user", EMAIL).stdout.strip() == "unstarred 1"


def test_unread_counts_json_is_the_records_to_dict(cli, setup) -> None:
    from newsdesk.views.read_state import unread_counts

    cli("mark", "read", "--user", EMAIL, str(setup["h"][0]))
    result = cli("unread", "--user", EMAIL, "--format", "json")
    assert result.code == 0, result
    data = result.json()
    assert data == unread_counts(EMAIL).to_dict()
    assert data["total"] == 6
    assert {t["tag"]: t["unread"] for t in data["tags"]} == {"local": 3, "world": 3}
    text = cli("unread", "--user", EMAIL)
    assert text.code == 0 and "unread: 6" in text.stdout


def test_the_read_state_cli_imports_neither_sqlalchemy_nor_the_store() -> None:
    import newsdesk.cli.read_state as module

    tree = ast.parse(Path(module.__file__).read_text())
    names = [
        alias.name if isinstance(node, ast.Import) else (node.module or "")
        for node in ast.walk(tree)
        if isinstance(node, (ast.Import, ast.ImportFrom))
        for alias in node.names
    ]
    assert not [n for n in names if n.startswith(("sqlalchemy", "newsdesk.store"))]


def test_user_list_pages_with_a_cursor(cli, setup) -> None:
    first = cli("articles", "list", "--user", EMAIL, "-n", "4", "--format", "json")
    assert first.code == 0, first
    cursor = first.stderr.strip().split("--cursor ", 1)[1]
    rest = cli("articles", "list", "--user", EMAIL, "-n", "4", "--cursor", cursor, "-f", "json")
    ids = [a["id"] for a in first.json()] + [a["id"] for a in rest.json()]
    assert ids == sorted(setup["h"] + setup["w"], reverse=True)
    assert rest.stderr == ""
    bad = cli("articles", "list", "--user", EMAIL, "--cursor", "nonsense")
    assert bad.code == 1 and len(bad.stderr.strip().splitlines()) == 1
