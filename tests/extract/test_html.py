"""HTML pages we wrote (fictional outlets and people) against their expected articles."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsdesk.errors import ExtractionError
from newsdesk.extract import extract_article
from newsdesk.extract.html.article import extract_from_html
from newsdesk.extract.sanitize import paragraphs_to_html

PAGES = Path(__file__).resolve().parents[1] / "fixtures" / "html"
NAMES = sorted(p.stem for p in PAGES.glob("*.html"))
FIELDS = (
    "title",
    "authors",
    "contributors",
    "outlet",
    "published",
    "language",
    "canonical_url",
    "description",
    "credits",
    "paragraphs",
)


def _expected(name: str) -> dict[str, object]:
    return json.loads((PAGES / f"{name}.expected.json").read_text(encoding="utf-8"))


def test_every_page_has_its_expected_output() -> None:
    assert len(NAMES) >= 6
    for name in NAMES:
        assert (PAGES / f"{name}.expected.json").exists(), name


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("field", FIELDS)
def test_page_extracts_as_expected(name: str, field: str) -> None:
    article = extract_article((PAGES / f"{name}.html").read_bytes()).to_dict()
    assert article[field] == _expected(name)[field]
    assert article["extraction_method"] == "html"


def test_json_ld_gives_authors_date_outlet_and_canonical_url() -> None:
    article = extract_article((PAGES / "jsonld_article.html").read_bytes())
    assert article.authors == ("Odile Brack", "Ravi Penhallow")
    assert article.published is not None and article.published.utcoffset() is not None
    assert article.published.isoformat() == "2031-03-14T09:30:00+01:00"
    assert article.outlet == "The Marlow Gazette"  # the publisher, not the WebSite's name
    # The byline paragraph and the repeated headline are not body text.
    assert not any(p.startswith("By Odile") for p in article.paragraphs)
    assert article.title not in article.paragraphs


def test_relative_canonical_link_is_resolved_against_the_page_url() -> None:
    article = extract_from_html(
        (PAGES / "jsonld_article.html").read_text(encoding="utf-8"),
        url="https://mirror.example/a/b?utm=x",
    )
    assert (
        article.canonical_url == "https://mirror.example/2031/03/14/marlow-tidal-barrier-approved"
    )


def test_byline_lines_leave_the_body_and_become_credits() -> None:
    article = extract_article((PAGES / "byline_in_body.html").read_bytes())
    assert article.authors == ("Tomas Veld",)
    assert article.contributors == ("Petra Lund",)
    assert not any("Tomas Veld" in p or "Petra Lund" in p for p in article.paragraphs)
    lund = next(c for c in article.credits if c.name == "Petra Lund")
    assert (lund.kind, lund.place) == ("contributor", "Halden")


def test_language_is_detected_from_the_text_not_the_template() -> None:
    page = (PAGES / "non_english.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in page  # the template claims English
    assert extract_from_html(page).language == "fr"


@pytest.mark.parametrize(
    "chrome",
    [
        "cookies",
        "Accept all",
        "Subscribe",
        "newsletter",
        "Five pies",
        "Comments",
        "Widow's Lantern in his garden",
        "Share on",
        "Privacy policy",
        "All rights reserved",
        "Breaking:",
        "Never miss a story",
    ],
)
def test_page_chrome_is_not_in_the_body(chrome: str) -> None:
    article = extract_article((PAGES / "heavy_chrome.html").read_bytes())
    assert chrome.lower() not in article.body.lower()
    assert article.body.startswith("A cooperative of orchard owners")
    assert article.body.endswith("a new nursery bed.")


def test_hostile_markup_never_reaches_any_field() -> None:
    article = extract_article((PAGES / "hostile.html").read_bytes())
    dumped = json.dumps(article.to_dict(), ensure_ascii=False)
    assert "INJECTED" not in dumped
    for needle in ("<script", "javascript:", "onerror", "document.cookie", "<iframe"):
        assert needle not in dumped
    assert "Read the full timetable on the operator's noticeboard" in article.body
    shown = paragraphs_to_html(article.paragraphs)
    assert "<script" not in shown and "javascript:" not in shown


def test_broken_json_ld_falls_back_to_opengraph() -> None:
    page = (
        (PAGES / "opengraph_only.html")
        .read_text(encoding="utf-8")
        .replace(
            "</head>",
            '<script type="application/ld+json">{"@type": "NewsArticle", "headline": '
            "</script></head>",
        )
    )
    article = extract_from_html(page)
    assert article.title == "Night buses return to Northfield after drivers' deal"
    assert article.authors == ("Ines Karro",)


def test_page_without_an_article_is_a_clear_error() -> None:
    links = "".join(f'<li><a href="/s/{i}">Section {i}</a></li>' for i in range(40))
    page = f"<html><head><title>Home</title></head><body><ul>{links}</ul></body></html>"
    with pytest.raises(ExtractionError, match="no article text"):
        extract_article(page.encode())


def test_markup_without_body_gives_an_empty_article_not_a_crash() -> None:
    article = extract_from_html("<html><head><title>t</title></head></html>")
    assert article.paragraphs == ()
    assert article.extraction_method == "html"


def test_body_split_over_sibling_blocks_is_joined_in_order() -> None:
    page = (PAGES / "split_body.html").read_text(encoding="utf-8")
    article = extract_from_html(page)
    assert article.paragraphs[0].startswith("When the first survey team")
    assert article.paragraphs[-1].startswith("The reservoir at Holme Ley")
    assert len(article.paragraphs) == 10
    assert "Advertisement" not in article.body and "Solar park" not in article.body
    assert any("joined" in w for w in article.warnings)


def test_teasers_of_other_stories_are_not_taken_as_more_body() -> None:
    teasers = "".join(
        f'<article class="card"><p>Teaser {i} of another story about the fen and its many new '
        f"projects that runs on for a while before it stops …</p></article>"
        for i in range(8)
    )
    page = (
        (PAGES / "heavy_chrome.html")
        .read_text(encoding="utf-8")
        .replace(
            '<section class="newsletter-box">',
            f'<section class="teasers">{teasers}</section><section class="newsletter-box">',
        )
    )
    article = extract_from_html(page)
    assert "Teaser" not in article.body
    assert not any("joined" in w for w in article.warnings)


def test_date_comes_from_a_dated_url_when_the_page_has_none() -> None:
    page = (PAGES / "hostile.html").read_text(encoding="utf-8")
    article = extract_from_html(page, url="https://herald.example/2031/11/02/ferry-winter")
    assert article.published is not None
    assert article.published.date().isoformat() == "2031-11-02"
    assert extract_from_html(page).published is None  # nothing on the page itself says when
