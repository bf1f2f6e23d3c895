"""Metadata from JSON-LD, OpenGraph, meta tags and plain HTML (pages we write inline)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from lxml.html import document_fromstring

from newsdesk.extract.metadata import (
    date_from_url,
    extract_metadata,
    normalise_language,
    parse_date,
    split_author_names,
)


def _meta(head: str, body: str = "<p>text</p>", *, lang: str = "", url: str | None = None):  # type: ignore[no-untyped-def]
    html = f"<html{f' lang={lang!r}' if lang else ''}><head>{head}</head><body>{body}</body></html>"
    return extract_metadata(document_fromstring(html), url)


def test_json_ld_list_with_several_objects_picks_the_article() -> None:
    meta = _meta("""<script type="application/ld+json">[
      {"@type": "BreadcrumbList", "name": "Home > Weather"},
      {"@type": ["NewsArticle", "Thing"], "headline": "Snow closes the pass",
       "author": {"@type": "Person", "givenName": "Lior", "familyName": "Abend"},
       "datePublished": "2031-01-05T06:00:00Z",
       "publisher": {"@type": "Organization", "name": "Alpine Ledger"}}
    ]</script>""")
    assert meta.title == "Snow closes the pass"
    assert meta.authors == ("Lior Abend",)
    assert meta.published == datetime(2031, 1, 5, 6, 0, tzinfo=UTC)
    assert meta.site_name == "Alpine Ledger"


def test_json_ld_author_string_with_two_names_and_entities_in_headline() -> None:
    meta = _meta("""<script type="application/ld+json">
      {"@type": "BlogPosting", "headline": "&#8216;Quiet&#8217; year for the ferry",
       "author": "By Nell Quarry and Tobias Fenn"}</script>""")
    assert meta.title == "‘Quiet’ year for the ferry"
    assert meta.authors == ("Nell Quarry", "Tobias Fenn")


def test_invalid_json_ld_is_ignored_and_meta_tags_are_used() -> None:
    meta = _meta("""<script type="application/ld+json">{"@type": "NewsArticle", </script>
      <meta property="og:title" content="Bridge reopens">
      <meta name="author" content="Kalle Rinne">
      <meta property="article:published_time" content="2030-05-01T10:00:00+02:00">""")
    assert meta.title == "Bridge reopens"
    assert meta.authors == ("Kalle Rinne",)
    assert meta.published == datetime(2030, 5, 1, 10, 0, tzinfo=timezone(timedelta(hours=2)))


def test_hostile_json_ld_nesting_is_ignored() -> None:
    deep = "[" * 100_000 + "]" * 100_000
    meta = _meta(
        f'<script type="application/ld+json">{deep}</script>'
        '<meta property="og:title" content="Bridge reopens">'
    )
    assert meta.title == "Bridge reopens"


def test_author_values_that_are_links_handles_or_placeholders_are_not_names() -> None:
    link = '<meta property="article:author" content="https://social.example/kalle">'
    assert _meta(link).authors == ()
    assert _meta('<meta name="author" content="admin">').authors == ()
    assert _meta('<meta name="twitter:creator" content="@kalle">').authors == ()
    # The outlet named as author is not a person either.
    meta = _meta(
        '<meta name="author" content="Fjord Times">'
        '<meta property="og:site_name" content="Fjord Times">'
    )
    assert meta.authors == ()


def test_cms_accounts_and_the_outlet_itself_are_not_authors() -> None:
    site = '<meta property="og:site_name" content="Fjord Business">'
    assert _meta(site + '<meta name="author" content="kevin-r">').authors == ()
    assert _meta(site + '<meta name="author" content="Ada Brun, Fjord Business">').authors == (
        "Ada Brun",
    )
    assert _meta(
        '<meta property="og:site_name" content="Fjord"><meta name="author" '
        'content="Ada Brun; Fjord Business">'
    ).authors == ("Ada Brun",)


def test_site_name_given_as_a_url_becomes_the_host() -> None:
    meta = _meta('<meta property="og:site_name" content="https://www.fjordnews.example">')
    assert meta.site_name == "fjordnews.example"


def test_title_falls_back_to_the_title_element_without_the_site_name() -> None:
    meta = _meta(
        "<title>Orchard fire under control | Valley Echo</title>"
        '<meta property="og:site_name" content="Valley Echo">'
    )
    assert meta.title == "Orchard fire under control"
    assert "Orchard fire under control | Valley Echo" in meta.headlines


def test_h1_is_a_headline_when_nothing_else_names_one() -> None:
    meta = _meta("", "<h1>Tram strike ends</h1><p>text</p>")
    assert meta.title == "Tram strike ends"


def test_canonical_link_is_made_absolute_and_must_be_a_web_url() -> None:
    meta = _meta('<link rel="canonical" href="/news/7">', url="https://echo.example/news/7?ref=x")
    assert meta.canonical_url == "https://echo.example/news/7"
    meta = _meta(
        '<link rel="canonical" href="javascript:alert(1)">'
        '<meta property="og:url" content="https://echo.example/og">'
    )
    assert meta.canonical_url == "https://echo.example/og"


def test_language_from_html_attribute_or_og_locale() -> None:
    assert _meta("", lang="pt-BR").language == "pt"
    assert _meta('<meta property="og:locale" content="de_DE">').language == "de"
    assert _meta("").language is None


def test_date_from_time_element_when_no_meta_has_one() -> None:
    meta = _meta("", '<time datetime="2029-12-24T18:30:00+01:00">Christmas Eve</time><p>x</p>')
    assert meta.published == datetime(2029, 12, 24, 17, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2031-03-14T09:30:00Z", datetime(2031, 3, 14, 9, 30, tzinfo=UTC)),
        ("2031-03-14 09:30:00+0100", datetime(2031, 3, 14, 8, 30, tzinfo=UTC)),
        ("2031-03-14", datetime(2031, 3, 14, tzinfo=UTC)),
        ("Fri, 14 Mar 2031 09:30:00 GMT", datetime(2031, 3, 14, 9, 30, tzinfo=UTC)),
        ("1931299200", datetime(2031, 3, 15, 0, 0, tzinfo=UTC)),
        ("1931299200000", datetime(2031, 3, 15, 0, 0, tzinfo=UTC)),
        ("not a date", None),
        ("", None),
        ("0001-01-01T00:00:00Z", None),
    ],
)
def test_parse_date_gives_aware_datetimes(value: str, expected: datetime | None) -> None:
    got = parse_date(value)
    assert got == expected
    if got is not None:
        assert got.tzinfo is not None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Jane Doe", ("Jane Doe",)),
        ("By Jane Doe and Ali Ren", ("Jane Doe", "Ali Ren")),
        ("Jane Doe, Staff Reporter", ("Jane Doe",)),
        ("Mirela Hagen; Oskar Lind", ("Mirela Hagen", "Oskar Lind")),
        ("By NELL QUARRY, Ledger Staff Writer", ("Nell Quarry",)),
        ("Tobias Fenn, ValleyEcho.com", ("Tobias Fenn",)),
        ("Ada Brun | Fjord Media Group", ("Ada Brun",)),
        ("Fjord Wire", ("Fjord Wire",)),
        ("J.R. ODELL", ("J.R. Odell",)),
        ("Analysis by Mira Sol", ("Mira Sol",)),
        ("Ilse Varga, MS, RDN", ("Ilse Varga",)),
        ("Echo Staff Reports", ()),
        ("", ()),
    ],
)
def test_split_author_names(value: str, expected: tuple[str, ...]) -> None:
    assert split_author_names(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("en-GB", "en"),
        ("fr_FR", "fr"),
        ("DE", "de"),
        ("english please", None),
        (None, None),
    ],
)
def test_normalise_language(value: str | None, expected: str | None) -> None:
    assert normalise_language(value) == expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://echo.example/news/2031/03/14/bridge-reopens", datetime(2031, 3, 14, tzinfo=UTC)),
        ("https://echo.example/2031/mar/4/bridge", datetime(2031, 3, 4, tzinfo=UTC)),
        ("https://echo.example/2031/13/40/bridge", None),
        ("https://echo.example/news/bridge-2031", None),
        (None, None),
    ],
)
def test_date_from_url(url: str | None, expected: datetime | None) -> None:
    assert date_from_url(url) == expected
