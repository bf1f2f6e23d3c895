"""``newsdesk.understand``: the public entry point, on Articles and plain text."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

import newsdesk
from newsdesk.errors import UnderstandError
from newsdesk.models import Article
from newsdesk.understand.models import Understanding
from tests.understand.articles import FERRY, FERRY_HEADLINE, MISSION, QUIET

SEED = Path(__file__).resolve().parents[3] / "shared" / "seeds" / "000_255b32e4bf53a0a0.txt"
Understood = Callable[..., Understanding]


def test_plain_text_with_a_headline_line(nlp: object) -> None:
    text = FERRY_HEADLINE + "\n\n" + "\n\n".join(FERRY)
    u = newsdesk.understand(text)
    assert u.headline == FERRY_HEADLINE and not u.headline_generated
    assert u.entities[0].name == "Clara Ostrowski"
    assert u.to_dict()["quotes"][0]["speaker"] == "Clara Ostrowski"


def test_package_stays_callable_after_a_submodule_import(nlp: object) -> None:
    import newsdesk.understand.models  # binds the package to newsdesk.understand

    u = newsdesk.understand("\n\n".join(QUIET))
    assert isinstance(u, Understanding)


def test_summary_is_cited_sentences_in_article_order(understood: Understood) -> None:
    u = understood(*FERRY, headline=FERRY_HEADLINE)
    assert 1 <= len(u.summary_sentences) <= 3
    assert list(u.summary_sentences) == sorted(u.summary_sentences)
    assert u.summary == " ".join(u.sentences[i] for i in u.summary_sentences)
    assert u.summary_sentences[0] == 0  # the lede leads
    assert "delay its new ferry contract" in u.summary


def test_bare_quotation_is_not_the_summary_lead(understood: Understood) -> None:
    u = understood(
        "“We are ready,” the captain shouted as the ferry left.",
        "The Marisol ferry left Halifax on Sunday with 300 passengers after a two-week strike "
        "by deckhands ended.",
        "The strike had stranded travellers across the province and cost the operator "
        "about $2-million.",
        "Deckhands won a raise of 4 per cent.",
    )
    assert u.summary_sentences[0] == 1


def test_headline_is_generated_when_the_article_has_none(understood: Understood) -> None:
    u = understood(*MISSION)
    assert u.headline_generated
    assert "COMIK will end its patrols" in u.headline or "end its patrols" in u.headline
    assert "said" not in u.headline  # the attribution is dropped
    assert len(u.headline.split()) <= 18


def test_topics_are_normalised_keys(understood: Understood) -> None:
    u = understood(
        "Voters in Osterby will go to the polls as elections for the regional council open.",
        "The elections were delayed twice by the military junta, which seized power in March.",
        "Observers said the military junta had promised free elections and an end to curfews.",
        "The election commission said 40 polling stations would open.",
    )
    keys = {t.key for t in u.topics}
    assert "election" in keys
    assert "military junta" in keys
    assert all(t.key == t.key.lower() for t in u.topics)


def test_text_without_entities_or_quotes(nlp: object) -> None:
    u = newsdesk.understand(" ".join(QUIET))
    assert (u.entities, u.quotes, u.figures) == ((), (), ())
    assert u.headline_generated and u.headline


def test_empty_text_is_a_clear_error(nlp: object) -> None:
    with pytest.raises(UnderstandError, match="empty"):
        newsdesk.understand("   \n\n ")


def test_batch_matches_one_by_one(nlp: object) -> None:
    from newsdesk.understand import understand_many

    texts = ["\n\n".join(FERRY), "\n\n".join(MISSION), "\n\n".join(QUIET)]
    batch = understand_many(texts)
    assert [u.to_dict() for u in batch] == [newsdesk.understand(t).to_dict() for t in texts]


@pytest.fixture(scope="module")
def seed(nlp: object) -> Understanding:
    if not SEED.exists():
        pytest.skip(f"the seed page is not at {SEED}")
    from newsdesk.extract import extract_article

    return newsdesk.understand(extract_article(SEED.read_bytes(), origin=str(SEED)))


def test_seed_people_organisations_places(seed: Understanding) -> None:
    names = {k: {e.name for e in seed.entities if e.kind == k} for k in ("person", "org", "place")}
    people = {
        "Emmanuel Macron",
        "Anita Anand",
        "Bruno Charbonneau",
        "Olivier Salgado",
        "Assimi Goita",
    }
    assert people <= names["person"]
    assert {"Wagner Group", "MINUSMA"} <= names["org"]
    assert {"Mali", "Canada", "France", "Niger"} <= names["place"]


def test_seed_figures_and_summary(seed: Understanding) -> None:
    figures = {(f.text, f.value, f.counts) for f in seed.figures}
    assert ("2,400", 2400.0, "French troops") in figures
    assert ("$1.6-billion", 1.6e9, "development aid") in figures
    assert "Canada will be joining the withdrawal" in seed.summary
    assert "Mali" in seed.summary


def test_seed_quoted_speakers(seed: Understanding) -> None:
    speakers = {q.speaker for q in seed.quotes}
    assert {"Emmanuel Macron", "Anita Anand", "Bruno Charbonneau"} <= speakers


def test_title_case_first_line_with_a_full_stop_is_the_headline(nlp: object) -> None:
    from newsdesk.understand.analyse import split_plain_text

    headline, paragraphs = split_plain_text(
        "Harbour Council Votes To Keep The Night Ferry.\n\n"
        "The harbour council voted on Tuesday to keep the night ferry running for two more years, "
        "after a petition signed by 3,000 residents.\n\nThe vote was 7 to 2."
    )
    assert headline == "Harbour Council Votes To Keep The Night Ferry"
    assert paragraphs[0].startswith("The harbour council voted")
    lede_only, _ = split_plain_text(
        "The harbour council voted on Tuesday to keep the night ferry running for two more "
        "years, after a petition.\n\nThe vote was 7 to 2."
    )
    assert lede_only == ""


def test_article_in_another_language_gets_no_entities(nlp: object) -> None:
    article = Article(
        title="Le conseil du port garde le traversier de nuit",
        paragraphs=(
            "Le conseil du port de Saint-Aubin a voté mardi pour garder le traversier de nuit.",
            "« Nous avons écouté les habitants », a déclaré la mairesse Odile Brassard.",
        ),
        language="fr",
    )
    u = newsdesk.understand(article)
    assert (u.entities, u.quotes, u.figures, u.topics) == ((), (), (), ())
    assert u.headline == article.title
    assert u.summary.startswith("Le conseil du port")


def test_cut_headline_closes_an_open_quotation() -> None:
    from newsdesk.understand.summary import _balance_quotes

    assert _balance_quotes('The mayor told the council "the pier is safe') == (
        'The mayor told the council "the pier is safe"'
    )
    assert _balance_quotes("Harbour “reopens” today") == "Harbour “reopens” today"
    assert _balance_quotes("The mayor said “the pier") == "The mayor said “the pier”"


def test_summary_leaves_out_a_sentence_repeating_the_lede(understood: Understood) -> None:
    u = understood(
        "The Osterby harbour council voted on Tuesday to keep the night ferry running until 2030.",
        "On Tuesday the Osterby harbour council voted to keep the night ferry running.",
        "The ferry carries about 300 shift workers a night between the island and the mainland.",
        "Its operator had asked for a subsidy of $2-million a year to keep it afloat.",
    )
    assert 0 in u.summary_sentences
    assert 1 not in u.summary_sentences
