"""`newsdesk extract` on good pages and on every kind of bad input."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, SHARED

PAGES = FIXTURES / "pages"
SEED = SHARED / "seeds" / "000_255b32e4bf53a0a0.txt"


def test_extract_html_article_as_json(cli):
    result = cli("extract", str(PAGES / "article.html"), "--format", "json")
    assert result.code == 0, result
    data = result.json()
    assert data["title"] == "Lanterns return to Port Calloway harbour after twelve-year pause"
    assert data["title_generated"] is False
    assert data["canonical_url"] == "https://harbour-ledger.example/news/lantern-festival-returns"
    assert data["outlet"] == "The Harbour Ledger"
    assert data["language"] == "en"
    assert data["published"].startswith("2026-10-03")
    assert data["body"].startswith("The floating lantern festival will return")
    assert "Tickets for the lantern workshops" in data["body"]
    assert "Most read" not in data["body"]
    assert "Subscribe" not in data["body"]
    assert data["body"] == "\n\n".join(data["paragraphs"])


def test_extract_reads_stdin_by_default(cli):
    html = (PAGES / "article.html").read_bytes()
    result = cli("extract", "--format", "json", input=html)
    assert result.code == 0, result
    assert result.json()["title"].startswith("Lanterns return")


def test_extract_text_format_shows_title_then_body(cli):
    result = cli("extract", str(PAGES / "article.html"))
    assert result.code == 0, result
    lines = result.stdout.splitlines()
    assert lines[0] == "Lanterns return to Port Calloway harbour after twelve-year pause"
    assert "The floating lantern festival will return" in result.stdout


@pytest.mark.skipif(not SEED.exists(), reason=f"the seed page is not at {SEED}")
def test_extract_seed_page_saved_as_text(cli):
    result = cli("extract", str(SEED), "--format", "json")
    assert result.code == 0, result
    data = result.json()
    assert data["title_generated"] is True
    assert data["paragraphs"][0].startswith("Canada will be joining")
    assert data["paragraphs"][-1].endswith("close links to the Kremlin.")
    assert data["contributors"] == ["Steven Chase"]
    for chrome in (
        "Skip to main content",
        "With a report by",
        "Sign up today",
        "Follow the author",
    ):
        assert chrome not in data["body"]


def _error_line(result) -> str:
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result
    return lines[0]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "is empty"),
        (b"   \n\t\n ", "is empty"),
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "binary file"),
        (bytes(range(256)) * 8, "binary file"),
        (b"PK\x03\x04" + bytes(200), "binary file"),
    ],
    ids=["empty", "whitespace", "png", "random-bytes", "zip"],
)
def test_extract_refuses_non_pages_with_one_clear_line(cli, tmp_path: Path, content, expected):
    page = tmp_path / "page.bin"
    page.write_bytes(content)
    result = cli("extract", str(page))
    assert result.code == 1
    line = _error_line(result)
    assert expected in line
    assert str(page) in line


def test_extract_undecodable_bytes(cli, tmp_path: Path):
    # Shift-JIS-looking noise that is neither UTF-8 nor a plausible text in any charset.
    page = tmp_path / "garbled.txt"
    page.write_bytes(bytes([0x81, 0xFF, 0xFE, 0x90, 0x9F, 0xE0, 0x80, 0xC0]) * 300)
    result = cli("extract", str(page))
    assert result.code == 1
    line = _error_line(result)
    assert "cannot be decoded" in line or "binary file" in line


def test_extract_latin1_page_is_decoded(cli, tmp_path: Path):
    text = (
        "Le conseil municipal de Port Calloway a voté jeudi le retour du festival des lanternes, "
        "suspendu depuis douze ans après une tempête qui avait endommagé les pontons du port. "
        "Les organisateurs attendent environ trois mille visiteurs sur deux soirées, et la "
        "capitainerie fermera le bassin intérieur aux bateaux entre dix-neuf et "
        "vingt-trois heures. "
        "« Les gens nous demandaient chaque année quand les lanternes reviendraient », a déclaré "
        "Tobias Wrenfield, président du comité du festival."
    )
    page = tmp_path / "fr.txt"
    page.write_bytes(text.encode("latin-1"))
    result = cli("extract", str(page), "--format", "json")
    assert result.code == 0, result
    data = result.json()
    assert "capitainerie" in data["body"]
    assert data["language"] == "fr"


@pytest.mark.parametrize("name", ["home_page.html", "login_wall.html", "error_page.html"])
def test_extract_page_without_article(cli, name):
    result = cli("extract", str(PAGES / name))
    assert result.code == 1
    line = _error_line(result)
    assert "no article text" in line
    assert "home page, a login wall or an error page" in line


def test_extract_file_over_size_limit(cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("NEWSDESK_MAX_PAGE_BYTES", "1000")
    page = tmp_path / "big.html"
    page.write_bytes((PAGES / "article.html").read_bytes() * 3)
    result = cli("extract", str(page))
    assert result.code == 1
    line = _error_line(result)
    assert "over the 1,000-byte limit" in line
    assert "NEWSDESK_MAX_PAGE_BYTES" in line


def test_extract_gzip_bomb_stops_at_limit(cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("NEWSDESK_MAX_PAGE_BYTES", "100000")
    page = tmp_path / "bomb.html.gz"
    page.write_bytes(gzip.compress(b"<p>" + b"a" * 50_000_000))
    result = cli("extract", str(page))
    assert result.code == 1
    assert "inflates to more than" in _error_line(result)


def test_extract_missing_file(cli, tmp_path: Path):
    result = cli("extract", str(tmp_path / "nope.html"))
    assert result.code == 1
    assert "does not exist" in _error_line(result)


def test_extract_url_that_fails(cli):
    # Port 9 on loopback: refused by the SSRF guard or by the closed port; either way one line.
    result = cli("extract", "http://127.0.0.1:9/article")
    assert result.code == 1
    line = _error_line(result)
    assert line.startswith("error: fetch:")


def test_extract_wrong_format_option(cli):
    result = cli("extract", str(PAGES / "article.html"), "--format", "yaml")
    assert result.code == 2
    assert "yaml" in result.stderr
