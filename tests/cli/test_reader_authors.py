"""Issue 10, points 2 and 3: the seed page's "With a report by Steven Chase in Ottawa" makes
him an author of the piece, found by following him, by ``author:`` search, by his surname
alone; an author's name resolves like a person's, and a name nobody is credited by yet is
accepted with a note."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import SHARED

SEED = next(
    (
        root / "seeds" / "000_255b32e4bf53a0a0.txt"
        for root in (SHARED, Path(__file__).resolve().parents[4] / "shared")
        if (root / "seeds").is_dir()
    ),
    SHARED / "seeds" / "000_255b32e4bf53a0a0.txt",
)
U = "reader@example.org"


@pytest.fixture
def seeded(db: object, cli) -> object:  # type: ignore[no-untyped-def]
    if not SEED.exists():
        pytest.skip(f"the seed page is not at {SEED}")
    assert cli("users", "add", U).code == 0
    result = cli("ingest", str(SEED))
    assert result.code == 0, result
    return db


def test_following_a_contributor_reaches_the_seed(seeded: object, cli) -> None:  # type: ignore[no-untyped-def]
    made = cli("follow", "author", "Steven Chase", "--user", U)
    assert made.code == 0, made
    assert "following author Steven Chase" in made.stdout
    shown = cli("following", "--user", U)
    assert shown.code == 0, shown
    assert "author Steven Chase: 1 new" in shown.stdout
    assert "withdrawal of a French-led military contingent from Mali" in shown.stdout
    for query in ('author:"Steven Chase"', "author:Chase", 'author:"steven chase"'):
        found = cli("search", query, "--format", "json")
        assert found.code == 0, found
        assert len(found.json()) == 1, (query, found)  # type: ignore[arg-type]
    # The record keeps the credit's kind and role.
    shown = cli("articles", "show", "1", "--format", "json")
    credits = shown.json()["credits"]  # type: ignore[index]
    assert any(c["name"] == "Steven Chase" and c["kind"] == "contributor" for c in credits)


def test_an_author_resolves_like_a_person(seeded: object, cli) -> None:  # type: ignore[no-untyped-def]
    by_surname = cli("follow", "author", "Chase", "--user", U)
    assert by_surname.code == 0, by_surname
    assert "following author Steven Chase" in by_surname.stdout
    assert "'Chase' matched Steven Chase (credited on 1 article)" in by_surname.stdout
    with_initial = cli("follow", "author", "Steven Q. Chase", "--user", U)
    assert with_initial.code == 0, with_initial
    assert "following author Steven Chase" in with_initial.stdout
    assert "author Steven Chase: 1 new" in cli("following", "--user", U).stdout
    unknown = cli("follow", "author", "Nobody Person", "--user", U)
    assert unknown.code == 0, unknown
    assert "new articles that do will match" in unknown.stdout
    gone = cli("unfollow", "author", "Someone Else", "--user", U)
    assert gone.code == 1
    assert "you do not follow author 'Someone Else'" in gone.stderr


def test_articles_show_tells_what_was_understood(seeded: object, cli) -> None:  # type: ignore[no-untyped-def]
    """Issue 10, point 9: the seed's understanding, not only its stored body."""
    shown = cli("articles", "show", "1")
    assert shown.code == 0, shown
    text = shown.stdout
    assert "with Steven Chase" in text
    assert "summary: Canada will be joining" in text
    assert "people:" in text and "Emmanuel Macron" in text
    assert "places:" in text and "Mali" in text
    assert "topics:" in text
    assert "— Emmanuel Macron" in text  # a quote with its speaker
    assert "2,400 French troops" in text
    assert "story: " in text and "other outlets: " in text
