"""Our own fictional pages in German, Spanish and French (issue 15).

A list-shaped recipe, a forum thread, a list post and a 60-word brief are
articles, not "no article here"; the related box and comment notices around
them go, whatever the language.
"""

from __future__ import annotations

import pytest
from tests.extract.multilingual_pages import (
    BRIEF,
    CHROME,
    FORUM,
    LIST_POST,
    RECIPE,
    Kind,
    page,
    page_text,
)

from newsdesk.extract import extract_article

CASES = [
    (lang, name, kinds[lang])
    for name, kinds in (
        ("recipe", RECIPE),
        ("forum", FORUM),
        ("list_post", LIST_POST),
        ("brief", BRIEF),
    )
    for lang in ("de", "es", "fr")
]


@pytest.mark.parametrize(("lang", "name", "kind"), CASES, ids=[f"{c[0]}-{c[1]}" for c in CASES])
def test_article_kinds_are_extracted_not_refused(lang: str, name: str, kind: Kind) -> None:
    article = extract_article(page(lang, kind).encode(), url=f"https://news.example/{name}")
    for phrase in kind.words:
        assert phrase in article.body, (phrase, article.paragraphs)
    assert article.title == kind.title
    assert article.language == lang


@pytest.mark.parametrize(("lang", "name", "kind"), CASES, ids=[f"{c[0]}-{c[1]}" for c in CASES])
def test_related_box_and_comment_notices_leave_the_body(lang: str, name: str, kind: Kind) -> None:
    chrome = CHROME[lang]
    body = extract_article(page(lang, kind).encode()).body
    for line in (chrome.related_label, *chrome.related, *chrome.comments, chrome.footer):
        assert line not in body, line
    for entry in chrome.menu:
        assert f"\n{entry}\n" not in f"\n{body}\n", entry


def test_the_brief_is_short_but_an_article() -> None:
    for lang in ("de", "es", "fr"):
        article = extract_article(page(lang, BRIEF[lang]).encode())
        assert 40 <= article.word_count + len(article.title.split()) <= 75


@pytest.mark.parametrize(("lang", "name", "kind"), CASES, ids=[f"{c[0]}-{c[1]}" for c in CASES])
def test_the_same_pages_saved_as_text_are_extracted_without_their_chrome(
    lang: str, name: str, kind: Kind
) -> None:
    """Lists and subheadings inside the body stay; the related box and notices go."""
    article = extract_article(page_text(lang, kind).encode(), origin=f"{name}.txt")
    assert article.extraction_method == "text"
    for phrase in kind.words:
        assert phrase in article.body, (phrase, article.paragraphs)
    assert article.title == kind.title
    chrome = CHROME[lang]
    for line in (chrome.related_label, *chrome.related, *chrome.comments, chrome.footer):
        assert line not in article.body, line


def test_a_recipe_saved_as_text_keeps_its_subheadings_and_ingredients() -> None:
    article = extract_article(page_text("fr", RECIPE["fr"]).encode())
    body = article.paragraphs
    assert body[0] == "Une recette simple pour un dîner de semaine."
    assert body.index("Ingrédients") < body.index("3 poireaux") < body.index("Préparation")
