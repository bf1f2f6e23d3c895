"""Pages saved as text: the article's paragraphs in order, the chrome gone, credits split out.

Each ``tests/fixtures/text/NAME.txt`` is a page we wrote (fictional outlets and
people) with the chrome real pages carry; ``NAME.expected.json`` beside it is
what a reader would want back.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsdesk.errors import ExtractionError
from newsdesk.extract import extract_article
from newsdesk.extract.text.article import extract_from_text

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "text"
PAGES = sorted(p for p in FIXTURES.glob("*.txt"))
SEED = next(
    (
        p / "seeds" / "000_255b32e4bf53a0a0.txt"
        for p in (Path(__file__).resolve().parents[3] / "shared", Path("/work/shared"))
        if (p / "seeds").is_dir()
    ),
    Path(__file__).resolve().parents[3] / "shared" / "seeds" / "000_255b32e4bf53a0a0.txt",
)
FIELDS = (
    "title",
    "title_generated",
    "paragraphs",
    "authors",
    "contributors",
    "credits",
    "published",
    "outlet",
)


def test_there_are_fixture_pages() -> None:
    assert len(PAGES) >= 5


@pytest.mark.parametrize("page", PAGES, ids=[p.stem for p in PAGES])
def test_page_gives_its_expected_article(page: Path) -> None:
    expected = json.loads(page.with_suffix(".expected.json").read_text(encoding="utf-8"))
    article = extract_from_text(page.read_text(encoding="utf-8")).to_dict()
    for field in FIELDS:
        assert article[field] == expected[field], field
    assert article["extraction_method"] == "text"


@pytest.mark.parametrize("page", PAGES, ids=[p.stem for p in PAGES])
def test_no_chrome_line_reaches_the_body(page: Path) -> None:
    body = extract_from_text(page.read_text(encoding="utf-8")).body.casefold()
    for chrome in (
        "skip to",
        "sign up",
        "subscribe",
        "cookie",
        "follow the author",
        "©",
        "related articles",
        "says:",
        "share this",
        "abonnieren",
        "mehr zum thema",
    ):
        assert chrome not in body


def test_generated_title_is_marked_and_comes_from_the_lede() -> None:
    page = (FIXTURES / "ferry_strike_no_headline.txt").read_text(encoding="utf-8")
    article = extract_from_text(page)
    assert article.title_generated
    assert article.paragraphs[0].startswith(article.title.rstrip("…"))
    assert any("headline" in w for w in article.warnings)


def test_found_headline_is_not_marked_generated() -> None:
    article = extract_from_text((FIXTURES / "harbour_vote.txt").read_text(encoding="utf-8"))
    assert not article.title_generated
    assert article.warnings == ()


def test_body_sentences_that_mention_widgets_stay() -> None:
    paragraphs = [
        "The council said on Monday that it would share the survey results with residents "
        "on Twitter and in its printed newsletter before the public meeting in April.",
        "Residents who want to comment can register at the town hall or follow the meeting "
        "on the council's own radio channel, which has broadcast every session since 2019.",
        "The survey found that most households would pay a small fee for a weekly collection "
        "of garden waste, but only if the collection ran all year round.",
    ]
    page = "Home\nNews\nSport\n\n" + "\n\n".join(paragraphs) + "\n\nPrivacy\nTerms\n"
    assert extract_from_text(page).paragraphs == tuple(paragraphs)


def test_single_paragraph_without_line_breaks_is_kept() -> None:
    text = (
        "The lighthouse keeper's cottage on Skerry Point will open as a small museum in May, "
        "the island trust said, after two years of repairs paid for by a public appeal."
    )
    article = extract_from_text(text)
    assert article.paragraphs == (text,)
    assert article.title_generated


@pytest.mark.parametrize(
    "page",
    [
        "Home\nNews\nSport\nWeather\nSign in\nSubscribe\nPrivacy policy\n© 2026 Nowhere Media",
        "Skip to main content\n\nLog in\n\nRegister\n\nCookie settings",
        "   \n\n  \n",
    ],
)
def test_page_of_chrome_gives_no_paragraphs(page: str) -> None:
    assert extract_from_text(page).paragraphs == ()


def test_page_of_chrome_is_reported_as_no_article() -> None:
    page = "Home\nNews\nSport\nWeather\nSign in\nSubscribe\nPrivacy policy\n© 2026 Nowhere Media\n"
    with pytest.raises(ExtractionError, match="no article"):
        extract_article(page.encode(), origin="home.txt")


def test_non_english_page_is_extracted_and_its_language_detected() -> None:
    page = (FIXTURES / "stadtbahn_de.txt").read_bytes()
    article = extract_article(page, origin="stadtbahn_de.txt")
    assert article.language == "de"
    assert article.authors == ("Anna Kessler",)
    assert len(article.paragraphs) == 5


@pytest.mark.skipif(not SEED.exists(), reason="the shared seed page is not beside the project")
def test_seed_page() -> None:
    article = extract_article(SEED.read_bytes(), origin=SEED.name)
    assert article.paragraphs[0].startswith("Canada will be joining")
    assert article.paragraphs[-1].endswith("close links to the Kremlin.")
    assert article.contributors == ("Steven Chase",)
    assert article.title_generated
    # The page names itself: "he told The Globe and Mail", and "Your Globe", "Interact with
    # The Globe" in its chrome (issue 10, point 4).
    assert article.outlet == "The Globe and Mail"
    body = article.body
    chrome_lines = ("Skip to main", "Sign up today", "Follow the author", "With a report by")
    for chrome in chrome_lines:
        assert chrome not in body


@settings(max_examples=150, deadline=None)
@given(st.lists(st.text(min_size=0, max_size=120), max_size=30))
def test_any_text_gives_lines_of_the_page_in_order(lines: list[str]) -> None:
    page = "\n".join(lines)
    article = extract_from_text(page)
    normalised = [
        " ".join(line.replace("\u00a0", " ").replace("\u200b", "").split())
        for line in page.splitlines()
    ]
    position = 0
    for paragraph in article.paragraphs:
        position = normalised.index(paragraph, position) + 1


def test_picture_captions_closed_by_a_credit_leave_the_body() -> None:
    paragraphs = [
        "The new footbridge over the Mill Race opened on Saturday morning, three months later "
        "than planned, after the steel deck arrived from the foundry in two halves.",
        "Hundreds of people crossed it in the first hour, many of them pushing prams and bicycles "
        "over a river they used to reach by a detour of almost a mile.",
        "The council said the bridge cost 2.1 million crowns, slightly under its budget.",
    ]
    captions = [
        "Walkers cross the new footbridge over the Mill Race on Saturday. Credit: Tomas Lind",
        "The steel deck being lifted into place in May. (Photo: Harbour Engineering)",
    ]
    page = "\n\n".join([paragraphs[0], captions[0], paragraphs[1], captions[1], paragraphs[2]])
    assert extract_from_text(page).paragraphs == tuple(paragraphs)


def test_page_in_an_unspaced_script_keeps_its_paragraphs() -> None:
    paragraphs = [
        "北浜町の市営フェリーは来月から夜間の便を一日二往復増やすと、町の交通課が十日発表した。"
        "通勤客の増加に対応するためで、費用は町の予算でまかなう。",
        "交通課によると、昨年の夜間の利用者は前の年より三割多く、最終便が満員で乗れない客も出ていた。",
        "新しい時刻表は来週から港の窓口と町のウェブサイトで公開される予定だ。",
    ]
    chrome_top = "ホーム\nニュース\n地域\nログイン\n\n"
    chrome_bottom = "\n\nシェア\n© 2026 北浜新報"
    page = chrome_top + "\n\n".join(paragraphs) + chrome_bottom
    article = extract_from_text(page)
    assert article.paragraphs == tuple(paragraphs)
    assert article.title_generated
    assert paragraphs[0].startswith(article.title.rstrip("…"))


_BODY = [
    "The Corran ferry will run a second evening crossing from May, the island council said on "
    "Tuesday, after a winter in which the last boat was full on most nights.",
    "The extra crossing will leave the pier at half past nine and return at ten, and the council "
    "will pay for it from the harbour fund for the first season.",
    "Crews said they had asked for a later boat for years, and that the new timetable would let "
    "people who work on the mainland come home without staying overnight.",
]


def test_by_on_a_line_of_its_own_credits_the_name_under_it() -> None:
    header = "Home\nIslands\nCorran ferry adds a second evening crossing\nBy\nMorag Pettigrew\n"
    article = extract_from_text(header + "\n" + "\n\n".join(_BODY))
    assert article.title == "Corran ferry adds a second evening crossing"
    assert article.authors == ("Morag Pettigrew",)
    assert article.paragraphs == tuple(_BODY)


def test_byline_under_a_standfirst_taken_into_the_body_leaves_it() -> None:
    standfirst = (
        "Islanders who work on the mainland have asked for a later boat for years, and the "
        "council has now found the money for one season."
    )
    page = (
        "Home\nIslands\nCorran ferry adds a second evening crossing\n\n"
        + standfirst
        + "\n\nMorag Pettigrew @moragwrites\n\n"
        + "\n\n".join(_BODY)
    )
    article = extract_from_text(page)
    assert article.authors == ("Morag Pettigrew",)
    assert all("@moragwrites" not in p for p in article.paragraphs)
    assert article.paragraphs[-3:] == tuple(_BODY)


def test_a_paragraph_between_two_subheadings_inside_the_body_stays() -> None:
    """Damping never drops a paragraph of 20 or more words between body paragraphs."""
    body = [
        "The Marlow harbour board approved the tidal barrier on Monday after a debate that "
        "lasted well into the evening, its chair said.",
        "Work starts in the spring and should take three years, according to the plans the "
        "board published after the vote.",
        "Costs",
        "The barrier will cost about forty million, shared between the town, the county and "
        "a fund for coastal defences.",
        "Objections",
        "Fishermen fear the gates will slow the boats at low tide, and asked the board for a "
        "second lock that stays open all year.",
        "The board said it would study the request before the summer and answer each of the "
        "letters it received.",
    ]
    page = "Home\nNews\nSport\n\nHarbour board backs tidal barrier\n\n" + "\n\n".join(body)
    page += "\n\nMost read\nFerry fares rise\n© 2031 Marlow Courier\n"
    article = extract_article(page.encode())
    assert list(article.paragraphs) == body


def test_a_page_saved_as_text_that_shows_markup_is_still_read_as_text() -> None:
    """An advert's snippet or a code sample in the text is not an HTML page (issue 15)."""
    snippet = (
        '<div><a href="https://ads.example/x"><img src="https://ads.example/x.gif" /></a></div>'
    )
    lines = [
        "Marlow Courier",
        "Harbour board backs tidal barrier",
        "The Marlow harbour board approved the tidal barrier on Monday after a debate that "
        "lasted well into the evening, its chair said.",
        snippet,
        snippet,
        "Work starts in the spring and should take three years, according to the plans the "
        "board published after the vote on Monday evening.",
        snippet,
        "Fishermen fear the gates will slow the boats at low tide, and asked the board for a "
        "second lock that stays open all year.",
    ]
    article = extract_article("\n\n".join(lines).encode())
    assert article.extraction_method == "text"
    assert article.paragraphs[0].startswith("The Marlow harbour board approved")
    assert article.paragraphs[-1].startswith("Fishermen fear")


def test_a_paragraph_wrapped_by_hand_is_read_as_one() -> None:
    """Lines cut inside a sentence (``<pre>`` text, ``<br>`` runs) are joined back (issue 15)."""
    paragraphs = [
        "The Marlow harbour board approved the tidal barrier on Monday after a\n"
        "debate that lasted well into the evening, its chair said, and the work\n"
        "starts in the spring.",
        "Fishermen fear the gates will slow the boats at low tide, and asked\n"
        "the board for a second lock that stays open all year; the board said\n"
        "it would answer each of the letters it received before the summer.",
        "The barrier will cost about forty million, shared between the town,\n"
        "the county and a fund for coastal defences, according to the plans\n"
        "the board published after the vote.",
    ]
    page = "Home\nNews\nSport\n\nHarbour board backs tidal barrier\n\n" + "\n\n".join(paragraphs)
    page += "\n\nMost read\nFerry fares rise\n© 2031 Marlow Courier\n"
    article = extract_article(page.encode())
    assert list(article.paragraphs) == [" ".join(p.split()) for p in paragraphs]


def test_a_sentence_cut_around_a_formula_is_one_line() -> None:
    """A formula laid out symbol by symbol sits inside its sentence, not as a menu."""
    page = (
        "Notes on the tide tables\n\n"
        "When the gate is shut the basin holds\nx\n=\n2\nmetres of water, and the board\n"
        "said the level stays there until the next tide comes in over the sill.\n\n"
        "The keepers check the level every hour through the night and write it in the log "
        "that the harbour master reads each morning before the boats go out.\n"
    )
    article = extract_article(page.encode())
    assert article.paragraphs[0] == (
        "When the gate is shut the basin holds x = 2 metres of water, and the board said "
        "the level stays there until the next tide comes in over the sill."
    )


def test_a_numbered_list_of_headlines_is_not_joined() -> None:
    """A "most read" box numbered 1, 2, 3 is no sentence: its lines stay apart."""
    from newsdesk.extract.text.lines import classify_lines

    lines = classify_lines("Most read\n1\nFerry fares rise\n2\nNew lifeboat named\n")
    assert [line.text for line in lines] == [
        "Most read",
        "1",
        "Ferry fares rise",
        "2",
        "New lifeboat named",
    ]


def test_a_french_paragraph_cut_by_line_breaks_is_read_as_one() -> None:
    """The join reads case and punctuation, not words: it holds in other languages."""
    paragraphs = [
        "Le conseil du port de Marlow a approuvé lundi la construction\n"
        "de la barrière contre les marées, après un débat qui a duré\n"
        "jusque tard dans la soirée, a indiqué sa présidente.",
        "Les pêcheurs craignent que les portes ne ralentissent les bateaux\n"
        "à marée basse, et ont demandé au conseil une seconde écluse\n"
        "ouverte toute l'année; le conseil répondra avant l'été.",
    ]
    page = "Accueil\nActualités\nSport\n\nLe port adopte la barrière\n\n" + "\n\n".join(paragraphs)
    page += "\n\nLes plus lus\nLes tarifs du ferry augmentent\n© 2031 Courrier de Marlow\n"
    article = extract_article(page.encode())
    assert list(article.paragraphs) == [" ".join(p.split()) for p in paragraphs]
