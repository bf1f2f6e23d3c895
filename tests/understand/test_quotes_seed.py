"""Quote attribution on the project's seed page (read from ../shared; skipped when absent)."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsdesk.understand.models import Quote

SEED = Path(__file__).resolve().parents[3] / "shared" / "seeds" / "000_255b32e4bf53a0a0.txt"


@pytest.fixture(scope="module")
def seed_quotes() -> list[Quote]:
    if not SEED.exists():
        pytest.skip(f"the seed page is not at {SEED}")
    from newsdesk.extract import extract_article
    from newsdesk.understand.nlp import parse
    from newsdesk.understand.quotes.find import find_quotes

    article = extract_article(SEED.read_bytes(), origin=str(SEED))
    return find_quotes(parse("\n\n".join(article.paragraphs)))


def by_speaker(quotes: list[Quote]) -> dict[str | None, list[str]]:
    out: dict[str | None, list[str]] = {}
    for q in quotes:
        out.setdefault(q.speaker, []).append(q.text)
    return out


def test_each_speaker_has_their_own_quotes(seed_quotes: list[Quote]) -> None:
    said = by_speaker(seed_quotes)
    assert set(said) == {"Emmanuel Macron", "Anita Anand", "Bruno Charbonneau", None}
    assert [q[:30] for q in said["Emmanuel Macron"]] == [
        "We cannot remain militarily en",
        "I completely reject this term,",
    ]
    assert [q[:30] for q in said["Bruno Charbonneau"]] == [
        "In the short term, it’s very l",
        "MINUSMA will adapt if it loses",
        "Both operations share bases in",
    ]
    anand = said["Anita Anand"]
    assert any(q.startswith("We are also very concerned") for q in anand)
    assert any(q.startswith("Their presence represents") for q in anand)


def test_the_joint_statement_is_nobodys_personal_quote(seed_quotes: list[Quote]) -> None:
    statement = [q for q in seed_quotes if q.text.startswith("Due to multiple obstructions")]
    assert len(statement) == 1
    assert statement[0].speaker is None
    assert statement[0].cue == "said"


def test_quoted_words_in_anands_paraphrase_stay_hers(seed_quotes: list[Quote]) -> None:
    """“unreasonable proposal” sits inside "She said they were troubled by ...": a fragment
    of her own words, credited to her; it is not a quotation of the junta."""
    fragment = [q for q in seed_quotes if q.text == "unreasonable proposal"]
    assert [(q.speaker, q.cue) for q in fragment] == [("Anita Anand", "said")]
