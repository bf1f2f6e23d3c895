"""`newsdesk ingest` and `newsdesk articles`: batches, duplicates, bad items, no half-writes."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.conftest import FIXTURES

PAGES = FIXTURES / "pages"


def _batch(tmp_path: Path) -> Path:
    folder = tmp_path / "inbox"
    folder.mkdir()
    shutil.copy(PAGES / "article.html", folder / "a.html")
    shutil.copy(PAGES / "home_page.html", folder / "home.html")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "notes.png").write_bytes(b"\x89PNG not taken from a folder")
    return folder


def test_ingest_batch_goes_on_past_bad_items_and_lists_them(cli, db, tmp_path: Path):
    folder = _batch(tmp_path)
    result = cli("ingest", str(folder), str(tmp_path / "missing.html"))
    assert result.code == 1, result
    assert "stored 1, duplicates 0, failed 3" in result.stdout
    assert "home.html has no article text" in result.stderr
    assert "empty.txt is empty" in result.stderr
    assert "missing.html does not exist" in result.stderr
    listed = cli("articles", "list", "--format", "json").json()
    assert [a["title"] for a in listed] == [
        "Lanterns return to Port Calloway harbour after twelve-year pause"
    ]


def test_ingest_is_idempotent(cli, db, tmp_path: Path):
    page = tmp_path / "a.html"
    shutil.copy(PAGES / "article.html", page)
    first = cli("ingest", str(page))
    assert first.code == 0, first
    assert "stored 1, duplicates 0, failed 0" in first.stdout
    again = cli("ingest", str(page))
    assert "stored 0, duplicates 1, failed 0" in again.stdout
    assert len(cli("articles", "list", "--format", "json").json()) == 1


def test_same_content_under_another_url_is_a_duplicate(cli, db, tmp_path: Path):
    html = (PAGES / "article.html").read_text()
    (tmp_path / "a.html").write_text(html)
    (tmp_path / "b.html").write_text(
        html.replace(
            "https://harbour-ledger.example/news/lantern-festival-returns",
            "https://mirror.example/lanterns",
        )
    )
    result = cli("ingest", str(tmp_path / "a.html"), str(tmp_path / "b.html"))
    assert "stored 1, duplicates 1, failed 0" in result.stdout


def test_articles_show(cli, db, tmp_path: Path):
    cli("ingest", str(PAGES / "article.html"))
    [row] = cli("articles", "list", "--format", "json").json()
    shown = cli("articles", "show", str(row["id"]), "--format", "json")
    assert shown.code == 0, shown
    data = shown.json()
    assert data["id"] == row["id"]
    assert data["authors"] == ["Maren Holloway"]
    assert data["outlet"] == "The Harbour Ledger"
    missing = cli("articles", "show", "9999")
    assert missing.code == 1
    assert "no article with id 9999" in missing.stderr


def test_articles_list_empty_store_says_what_to_do(cli, db):
    result = cli("articles", "list")
    assert result.code == 0
    assert "newsdesk ingest" in result.stdout


def test_ingest_with_nothing_found(cli, db, tmp_path: Path):
    empty = tmp_path / "nothing"
    empty.mkdir()
    result = cli("ingest", str(empty))
    assert result.code == 1
    assert "no pages found" in result.stderr
