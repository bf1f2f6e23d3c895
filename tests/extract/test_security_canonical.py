"""A page cannot take over another outlet's article (issue 17, point 5).

A page on any host could claim another site's canonical URL and name; it was
then filed under that outlet, and the genuine article, arriving later, was
dropped as its duplicate. A canonical URL and a site name are believed only on
the page's own site (its registrable domain); otherwise the fetched URL stays
and the extraction warnings say so.
"""

from __future__ import annotations

from datetime import UTC, datetime

from newsdesk.extract import extract_article

NOW = datetime(2031, 3, 14, 9, 0, tzinfo=UTC)
BODY = "".join(
    f"<p>The harbour board of Fennick agreed its budget on Tuesday, paragraph {n}, after a long "
    "debate about the ferry service and the repairs to the north quay.</p>"
    for n in range(4)
)


def _page(canonical: str, site_name: str) -> str:
    return (
        "<html><head><title>Harbour budget agreed</title>"
        f'<link rel="canonical" href="{canonical}">'
        f'<meta property="og:url" content="{canonical}">'
        f'<meta property="og:site_name" content="{site_name}">'
        "</head><body><article><h1>Harbour budget agreed</h1>" + BODY + "</article></body></html>"
    )


def test_another_sites_canonical_and_name_are_not_believed():
    fetched = "https://copycat.example/2031/03/14/harbour"
    article = extract_article(
        _page("https://www.fennickpost.example/news/harbour-budget", "Fennick Post"), url=fetched
    )
    assert article.canonical_url == fetched
    assert article.outlet is None
    joined = " ".join(article.warnings)
    assert "canonical URL" in joined and "Fennick Post" in joined


def test_a_canonical_on_the_same_site_is_kept():
    article = extract_article(
        _page("https://www.fennickpost.example/news/harbour-budget", "Fennick Post"),
        url="https://amp.fennickpost.example/news/harbour-budget?utm_source=x",
    )
    assert article.canonical_url == "https://www.fennickpost.example/news/harbour-budget"
    assert article.outlet == "Fennick Post"
    assert not any("canonical" in w for w in article.warnings)


def test_a_suffix_shared_by_many_sites_is_no_site(monkeypatch):
    # a.github.io and b.github.io belong to different people (a private suffix)
    article = extract_article(
        _page("https://fennick.github.io/harbour", "Fennick"), url="https://copycat.github.io/h"
    )
    assert article.canonical_url == "https://copycat.github.io/h"


def test_the_genuine_article_arriving_later_is_not_a_duplicate(db):
    from newsdesk.jobs.pipeline import store_articles

    genuine_url = "https://www.fennickpost.example/news/harbour-budget"
    copy = extract_article(
        _page(genuine_url, "Fennick Post"), url="https://copycat.example/harbour"
    )
    genuine_page = _page(genuine_url, "Fennick Post").replace("Tuesday", "Tuesday evening")
    genuine = extract_article(genuine_page, url=genuine_url)
    with db.begin() as conn:
        first = store_articles(conn, [copy], now=NOW, enrich=False)[0]
        second = store_articles(conn, [genuine], now=NOW, enrich=False)[0]
    assert first.status == "stored" and second.status == "stored"
    assert first.article_id != second.article_id
