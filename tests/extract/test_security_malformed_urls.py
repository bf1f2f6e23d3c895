"""Pages carrying URLs that Python's URL parser rejects ("http://[::1"): ignored, never a crash."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

from newsdesk.extract import extract_article
from newsdesk.extract.sanitize import sanitize_html

_PARAGRAPH = (
    "The harbour council of Port Fennick met on Tuesday evening to settle the winter ferry "
    "timetable, after a month in which islanders wrote more than two hundred letters about "
    "the early crossing and the fate of the last boat home on Saturdays."
)


def _page(canonical: str) -> bytes:
    return f"""<!doctype html><html lang="en"><head><title>Winter ferry timetable agreed</title>
<link rel="canonical" href="{canonical}"><meta property="og:url" content="{canonical}">
<meta property="og:site_name" content="{canonical}"></head>
<body><article><h1>Winter ferry timetable agreed</h1>
<p>{_PARAGRAPH}</p><p>{_PARAGRAPH.replace("Tuesday", "Monday")}</p>
<p>{_PARAGRAPH.replace("letters", "postcards")}</p></article></body></html>""".encode()


@pytest.mark.parametrize(
    "bad", ["http://[::1", "https://[fennick.example/ferry", "http://a:99999/"]
)
def test_a_malformed_canonical_link_is_ignored(bad: str) -> None:
    article = extract_article(_page(bad), url="https://fennick-post.example/ferry", origin="test")
    assert article.title == "Winter ferry timetable agreed"
    assert article.canonical_url == "https://fennick-post.example/ferry"


def test_a_malformed_canonical_link_without_a_page_url_is_no_url() -> None:
    article = extract_article(_page("http://[::1"), origin="saved page")
    assert article.canonical_url is None


def test_ingest_of_a_saved_page_with_a_malformed_canonical_link(cli, db, tmp_path: Path):
    page = tmp_path / "ferry.html"
    page.write_bytes(_page("http://[::1"))
    result = cli("ingest", str(page))
    assert result.code == 0, result
    assert "stored 1, duplicates 0, failed 0" in result.stdout


def test_sanitizing_with_a_malformed_base_url_drops_the_link_quietly(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    raised: list[Any] = []
    monkeypatch.setattr(sys, "unraisablehook", raised.append)
    html = sanitize_html('<p><a href="/ferry">timetable</a></p>', base_url="http://[::1")
    assert html == '<p><a rel="noopener noreferrer nofollow">timetable</a></p>'
    assert raised == []  # no exception escaped into nh3's callback
