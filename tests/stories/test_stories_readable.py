"""Issue 10, point 8, as it was found: at 80 columns ``stories list`` wrapped a headline one
word per line over 11 rows; ``stories show`` printed raw ISO times, importance as a JSON
dict, "1 articles from 0 outlets" and ``?:`` for an unknown outlet."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.stories.conftest import load_jsonl
from tests.stories.test_store_ingest import NOW, ingest

LONG = (
    "Ferry operator on the Ostrel estuary suspends every crossing for the rest of the week "
    "after a second engine fire in as many days leaves two hundred passengers waiting"
)


def _ingest_unnamed_outlet(db) -> None:
    """A page with no outlet (a text page that names none), as the issue found it."""
    from datetime import datetime

    from newsdesk.jobs.enrichers.stories import assign_article
    from newsdesk.jobs.pipeline import IngestContext, store_article
    from newsdesk.models import Article

    article = Article(
        title=LONG,
        paragraphs=("The Ostrel ferry operator said all crossings would stop until Sunday. " * 3,),
        published=datetime.fromisoformat("2026-03-02T09:00:00+00:00"),
    )
    with db.begin() as conn:
        outcome = store_article(conn, article, now=NOW, enrich=False)
        assign_article(IngestContext(conn, outcome.article_id, article, NOW))


def _newsdesk(*args: str, columns: int = 80) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": str(columns)}
    env["PYTHONPATH"] = str(Path(__file__).resolve().parents[2] / "src")
    return subprocess.run(
        [sys.executable, "-m", "newsdesk", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_each_story_fits_two_lines_at_80_columns(db, cli):
    ingest(db, load_jsonl("event.jsonl"))
    _ingest_unnamed_outlet(db)
    count = len(cli("stories", "list", "--json").json())
    listed = _newsdesk("stories", "list")
    assert listed.returncode == 0, listed
    lines = listed.stdout.splitlines()
    assert len(lines) == 2 * count, listed.stdout
    assert all(len(line) <= 80 for line in lines), listed.stdout
    assert any("Ferry operator on the Ostrel estuary" in line for line in lines)
    assert "covered by 4 outlets" in listed.stdout
    assert "{" not in listed.stdout


def test_story_show_reads_as_text(db, cli):
    _ingest_unnamed_outlet(db)
    [story] = cli("stories", "list", "--json").json()
    shown = cli("stories", "show", story["key"])
    assert shown.code == 0, shown
    text = shown.stdout
    assert "1 article from 0 outlets" in text or "1 article from 1 outlet" in text
    assert "articles from" not in text.replace("1 article from", "")
    assert "?:" not in text
    assert "why it matters: covered by" in text
    assert "{" not in text and "T09:00:00" not in text
