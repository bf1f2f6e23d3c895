"""Issue 10, point 7: messages that fit the case, each as it was found."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.conftest import FIXTURES

U = "reader@example.org"


def test_feeds_parse_of_an_empty_local_file(cli: Any, tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    result = cli("feeds", "parse", str(empty))
    assert result.code == 1
    assert "is empty" in result.stderr and "try again later" not in result.stderr


def test_understand_of_a_folder_does_not_name_extract(cli: Any, tmp_path: Path) -> None:
    result = cli("understand", str(tmp_path))
    assert result.code == 1
    assert "is a folder" in result.stderr
    assert "`extract` takes one page" not in result.stderr
    assert "give one page" in result.stderr


def test_ingest_of_a_folder_without_pages_names_every_suffix(cli: Any, tmp_path: Path) -> None:
    (tmp_path / "notes.md").write_text("nothing here")
    result = cli("ingest", str(tmp_path))
    assert result.code == 1
    assert ".html.gz" in result.stderr


def test_articles_list_of_an_unknown_outlet_with_articles_stored(db: Any, cli: Any) -> None:
    pages = sorted((FIXTURES / "text").glob("*.txt"))[:1]
    assert cli("ingest", *map(str, pages)).code == 0
    result = cli("articles", "list", "--outlet", "nosuch")
    assert result.code == 0, result
    assert "no articles from outlet 'nosuch'" in result.stdout
    assert "no articles yet" not in result.stdout


def test_following_and_feed_say_nothing_new(db: Any, cli: Any) -> None:
    assert cli("users", "add", U).code == 0
    nothing = cli("following", "--user", U)
    assert "you follow nothing yet" in nothing.stdout
    assert cli("follow", "author", "Orla Fenwick", "--user", U).code == 0
    assert cli("following", "--user", U, "--mark-checked").code == 0
    again = cli("following", "--user", U)
    assert again.code == 0
    assert "nothing new since" in again.stdout
    feed = cli("feed", "--user", U)
    assert feed.code == 0
    assert "nothing new since" in feed.stdout
