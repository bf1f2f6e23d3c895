"""The outlet of a page saved as text when the page names itself (issue 10, point 4).

Fictional pages: a name the body cites as the one spoken to counts only when the
page's own chrome repeats it; an agency quoted in the body is not the outlet.
"""

from __future__ import annotations

from newsdesk.extract import extract_article
from newsdesk.extract.text.outlet import cited_outlet

_BODY = [
    "The harbour board of Marlow approved the new tidal barrier on Monday after a long debate "
    "that lasted well into the evening, members said.",
    "\u201cWe waited ten years for this,\u201d the board's chair, Odile Brack, told the Marlow "
    "Courier. \u201cThe town can finally plan for the winter storms.\u201d",
    "Work starts in the spring and should take three years, the board said in a statement "
    "published after the vote, which passed by nine votes to two.",
]


def _page(chrome_top: list[str], chrome_bottom: list[str], body: list[str]) -> str:
    return "\n".join(chrome_top) + "\n\n" + "\n\n".join(body) + "\n\n" + "\n".join(chrome_bottom)


def test_a_name_the_body_was_told_and_the_chrome_repeats_is_the_outlet() -> None:
    page = _page(
        ["Skip to main content", "Marlow Courier", "Sections", "Harbour board backs tidal barrier"],
        ["Your Courier", "Newsletters", "Interact with the Courier", "Contact us"],
        _BODY,
    )
    article = extract_article(page.encode())
    assert article.outlet == "Marlow Courier"


def test_an_agency_quoted_in_the_body_is_not_the_outlet() -> None:
    body = [p.replace("the Marlow Courier", "Northwire") for p in _BODY]
    page = _page(
        ["Skip to main content", "Sections", "Harbour board backs tidal barrier"],
        ["Newsletters", "Contact us"],
        body,
    )
    assert extract_article(page.encode()).outlet is None


def test_cited_outlet_needs_two_chrome_mentions_in_any_language() -> None:
    body = [
        "\u00abEs ist ein guter Tag\u00bb, sagte sie, wie sie dem Kellbrunner Anzeiger "
        "sagte, und told Kellbrunner Anzeiger again."
    ]
    assert cited_outlet(body, ["Anzeiger Plus", "Mein Anzeiger"]) == "Kellbrunner Anzeiger"
    assert cited_outlet(body, ["Anzeiger Plus"]) is None
    assert cited_outlet(body, []) is None
