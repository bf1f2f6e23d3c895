"""On the seed page plus our fictional overnight corpus, through the real pipeline (spaCy,
stories): a reader who follows `topic Mali`, and one who follows the saved search `search Mali`,
each get a Morning Update whose "From what you follow" names the Mali withdrawal story and its
summary."""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from newsdesk.models import Article
from tests.conftest import FIXTURES, SHARED

# ../shared beside the checkout; a git worktree under wt/ finds it one level further up.
SEED = next(
    (
        root / "seeds" / "000_255b32e4bf53a0a0.txt"
        for root in (SHARED, Path(__file__).resolve().parents[4] / "shared")
        if (root / "seeds").is_dir()
    ),
    SHARED / "seeds" / "000_255b32e4bf53a0a0.txt",
)
CORPUS = FIXTURES / "editions" / "overnight.json"
MORNING = datetime(2026, 3, 2, 6, 30, tzinfo=UTC)


def _articles() -> list[tuple[Article, datetime]]:
    from newsdesk.extract.text.article import extract_from_text

    if not SEED.exists():
        pytest.skip(f"the seed page is not at {SEED}")
    seed = extract_from_text(SEED.read_text("utf-8"))
    seed = dataclasses.replace(
        seed,
        url="https://northern-ledger.example/world/canada-mali",
        canonical_url="https://northern-ledger.example/world/canada-mali",
        outlet="Northern Ledger",
        published=MORNING - timedelta(hours=8),
    )
    found = [(seed, MORNING - timedelta(hours=8))]
    for item in json.loads(Path(CORPUS).read_text("utf-8")):
        at = MORNING - timedelta(hours=item["hours_before"])
        found.append(
            (
                Article(
                    title=item["title"],
                    paragraphs=tuple(item["paragraphs"]),
                    url=item["url"],
                    canonical_url=item["url"],
                    outlet=item["outlet"],
                    published=at,
                    extraction_method="fixture",
                ),
                at,
            )
        )
    return found


@pytest.mark.slow
def test_topic_and_search_mali_followers_get_the_withdrawal_story_in_the_morning(
    db, smtp_server, cli
) -> None:
    from newsdesk.follow import accounts, follows
    from newsdesk.jobs.pipeline import store_article

    with db.begin() as conn:
        for article, at in _articles():
            outcome = store_article(conn, article, now=at + timedelta(minutes=3))
            assert outcome.status == "stored", outcome
        user = accounts.create_user(conn, "awa@example.org", now=MORNING - timedelta(days=3))
        follows.follow(conn, user.id, "topic", "Mali", now=MORNING - timedelta(days=1))
        accounts.create_user(conn, "oumar@example.org", now=MORNING - timedelta(days=3))
    done = cli("follow", "search", "Mali", "--user", "oumar@example.org")
    assert done.code == 0, done
    from newsdesk.jobs.editions import due_editions

    report = due_editions(MORNING + timedelta(minutes=1))
    assert report.count("sent") == 2, report.to_dict()
    mails = {m["To"]: m for m in smtp_server.mailbox.messages()}
    for email, kind in (("awa@example.org", "topic"), ("oumar@example.org", "search")):
        shown = cli("edition", "show", "--user", email, "--format", "json").json()
        edition = shown["edition"]  # type: ignore[index]
        (section,) = [s for s in edition["following"] if s["label"] == "Mali"]
        assert section["kind"] == kind
        (item,) = [
            i for i in section["items"] if "withdraw" in (i["headline"] + i["summary"]).lower()
        ]
        assert "Mali" in item["headline"] + item["summary"]
        assert item["summary"] and item["outlet_count"] >= 2
        # Nothing of it repeats elsewhere in the edition; the unrelated stories are in the top list.
        keys = [i["story_key"] for i in edition["top"]]
        assert item["story_key"] not in keys
        assert any(
            "ferry" in i["headline"].lower() or "cup" in i["headline"].lower()
            for i in edition["top"]
        )
        text = mails[email].get_body(("plain",)).get_content()
        assert "FROM WHAT YOU FOLLOW" in text
        assert item["headline"] in text and item["summary"] in text
