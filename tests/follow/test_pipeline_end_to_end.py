"""End to end through the real pipeline: articles stored by ``store_article`` with the language
and stories enrichers running, then a person followed by an alias, a topic-free query, and
Following grouping one event's articles into one entry."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from newsdesk.follow import accounts, follows
from newsdesk.follow.following import load_following
from newsdesk.jobs.pipeline import store_article

T0 = datetime(2026, 11, 20, tzinfo=UTC)


def test_real_pipeline_then_follow_a_person_by_alias(db, corpus) -> None:
    # One event covered by several outlets, plus a few unrelated articles.
    events = [a.event for a in corpus.articles]
    big = max(set(events), key=lambda e: (events.count(e), -e))
    person = corpus.by(event=big)[0].entities[0]
    chosen = corpus.by(event=big) + [a for a in corpus.articles if a.event not in (big,)][:4]
    stored: dict[str, int] = {}
    with db.begin() as conn:
        for item in chosen:
            now = item.article.published + timedelta(minutes=5)
            stored[item.article.canonical_url] = store_article(
                conn, item.article, now=now
            ).article_id
        noor = accounts.create_user(conn, "noor@example.org", now=T0)
        surname = person.name.split()[-1]
        made = follows.follow(conn, noor.id, "person", surname, now=T0)
    assert made.label == person.name  # the alias led to the canonical person
    now = max(a.article.published for a in chosen) + timedelta(hours=1)
    with db.connect() as conn:
        view = load_following(conn, noor.id, now=now, per_follow=100)
    (news,) = view.follows
    naming = {
        stored[a.article.canonical_url]
        for a in chosen
        if person.name in " ".join((a.article.title, *a.article.paragraphs))
    }
    found = {a.id for a in news.articles}
    assert naming and naming <= found
    assert found <= set(stored.values())
    # The event's copies from several outlets came back as few entries, not one per outlet.
    event_ids = {stored[a.article.canonical_url] for a in corpus.by(event=big)}
    entries = [e for e in view.entries if e.lead.id in event_ids]
    assert len(entries) < len(event_ids)
    assert any(e.more_outlets for e in entries)
