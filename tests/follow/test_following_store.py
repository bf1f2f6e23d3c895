"""Following on both engines, over the generated corpus: authors, outlets, saved searches,
"new since last check", mutes, and one user never seeing another's follows or marks."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from newsdesk.errors import NotFoundError
from newsdesk.follow import accounts, follows
from newsdesk.follow.following import load_following, mark_following_checked
from newsdesk.follow.query import parse_query
from newsdesk.store import cards as store_cards
from newsdesk.store import follows as store
from newsdesk.store import search
from tests.follow.conftest import load

WINDOW = timedelta(days=7)
T0 = datetime(2026, 11, 20, tzinfo=UTC)


def _now(corpus) -> datetime:
    return corpus.articles[-1].article.published + timedelta(hours=1)


def _user(db, email: str):
    with db.begin() as conn:
        return accounts.create_user(conn, email, now=T0)


def _view(db, user, now):
    with db.connect() as conn:
        return load_following(conn, user.id, now=now, per_follow=100)


def _news(view, label):
    (item,) = [n for n in view.follows if n.follow.label == label]
    return item


def _text(item) -> str:
    return " ".join((item.article.title, *item.article.paragraphs))


def test_author_follow_finds_the_journalist_at_every_outlet(db, corpus) -> None:
    ids = load(db, corpus.articles)
    noor = _user(db, "noor@example.org")
    with db.begin() as conn:
        follows.follow(conn, noor.id, "author", "ines varga", now=T0)
    expected = {
        ids[a.article.canonical_url] for a in corpus.articles if "Ines Varga" in a.article.authors
    }
    assert {a.outlet.name for a in corpus.articles if "Ines Varga" in a.article.authors} == {
        "Tidewater Post",
        "Lindenfield Herald",
    }
    # typed in lower case, labelled with the name as the bylines credit it
    news = _news(_view(db, noor, _now(corpus)), "Ines Varga")
    assert {a.id for a in news.articles} == expected
    assert news.new_count == len(expected)
    assert [a.id for a in news.articles] == sorted(expected, reverse=True)


def test_outlet_follow_and_new_since_last_check(db, corpus) -> None:
    cut = corpus.articles[0].article.published + timedelta(days=2)
    early = [a for a in corpus.articles if a.article.published < cut]
    late = [a for a in corpus.articles if a.article.published >= cut]
    load(db, early)
    noor = _user(db, "noor@example.org")
    with db.begin() as conn:
        follows.follow(conn, noor.id, "outlet", "kestrel-daily.example", now=T0)

    def kestrel(items):
        return len([a for a in items if a.outlet.name == "Kestrel Daily"])

    view = _view(db, noor, cut)
    assert _news(view, "Kestrel Daily").new_count == kestrel(early) > 0
    with db.begin() as conn:
        mark_following_checked(conn, noor.id, upto_article_id=view.upto_article_id, now=cut)
    assert _news(_view(db, noor, cut), "Kestrel Daily").new_count == 0

    load(db, late)
    after = _view(db, noor, _now(corpus))
    news = _news(after, "Kestrel Daily")
    assert news.new_count == kestrel(late) > 0
    assert all(a.outlet == "Kestrel Daily" and a.published_at >= cut for a in news.articles)
    assert news.follow.checked_at == cut


def test_checking_keeps_articles_stored_after_the_view_new(db, corpus) -> None:
    first, rest = corpus.articles[:100], corpus.articles[100:]
    load(db, first)
    noor = _user(db, "noor@example.org")
    with db.begin() as conn:
        follows.follow(conn, noor.id, "author", "Meridian Wire", now=T0)
    view = _view(db, noor, _now(corpus))
    load(db, rest)  # arrives while the user is reading
    with db.begin() as conn:
        mark_following_checked(
            conn, noor.id, upto_article_id=view.upto_article_id, now=_now(corpus)
        )
    news = _news(_view(db, noor, _now(corpus)), "Meridian Wire")
    assert news.new_count == len([a for a in rest if a.wire])


def test_saved_search_follow_returns_exactly_the_matching_articles(db, corpus) -> None:
    ids = load(db, corpus.articles)
    noor = _user(db, "noor@example.org")
    with db.begin() as conn:
        follows.follow(conn, noor.id, "search", 'gales -outlet:"Kestrel Daily"', now=T0)
    expected = {
        ids[a.article.canonical_url]
        for a in corpus.articles
        if re.search(r"\bgales\b", _text(a), re.IGNORECASE) and a.outlet.name != "Kestrel Daily"
    }
    assert expected
    news = _news(_view(db, noor, _now(corpus)), 'gales -outlet:"Kestrel Daily"')
    assert {a.id for a in news.articles} == expected
    assert news.new_count == len(expected)


def test_search_with_phrase_author_and_since(db, corpus) -> None:
    ids = load(db, corpus.articles)
    now = _now(corpus)
    query = parse_query('"tram line" -author:"Meridian Wire" since:1d')
    with db.connect() as conn:
        found = set(search.search_ids(conn, query, now=now, limit=500))
    expected = {
        ids[a.article.canonical_url]
        for a in corpus.articles
        if "tram line" in _text(a).lower()
        and a.article.authors != ("Meridian Wire",)
        and a.article.published >= now - timedelta(days=1)
    }
    assert found == expected


def test_mutes_always_win(db, corpus) -> None:
    load(db, corpus.articles)
    noor = _user(db, "noor@example.org")
    with db.begin() as conn:
        follows.follow(conn, noor.id, "author", "Tobias Wren", now=T0)
        follows.follow(conn, noor.id, "outlet", "Copperline News", now=T0)
        follows.mute(conn, noor.id, "outlet", "copperline-news.example", now=T0)
    view = _view(db, noor, _now(corpus))
    wren = _news(view, "Tobias Wren")
    expected = [a for a in corpus.articles if "Tobias Wren" in a.article.authors]
    assert {a.outlet.name for a in expected} == {"Northgate Courier", "Copperline News"}
    assert wren.new_count == len([a for a in expected if a.outlet.name != "Copperline News"])
    assert {a.outlet for a in wren.articles} == {"Northgate Courier"}
    assert _news(view, "Copperline News").new_count == 0
    assert all(e.lead.outlet != "Copperline News" for e in view.entries)
    with db.connect() as conn:
        mutes = store.list_mutes(conn, noor.id)
        hits = search.search_ids(
            conn, parse_query("Wren"), now=_now(corpus), mute_list=mutes, limit=500
        )
        cards = store_cards.article_cards(conn, hits)
    assert hits and all(c.outlet != "Copperline News" for c in cards.values())


def test_users_never_see_each_others_follows_marks_or_searches(db, corpus) -> None:
    load(db, corpus.articles)
    noor, ilse = _user(db, "noor@example.org"), _user(db, "ilse@example.org")
    with db.begin() as conn:
        follows.follow(conn, noor.id, "author", "Ines Varga", now=T0)
        follows.follow(conn, noor.id, "search", "strike", now=T0)
        follows.follow(conn, ilse.id, "outlet", "Saltmarsh Gazette", now=T0)
    now = _now(corpus)
    noor_view, ilse_view = _view(db, noor, now), _view(db, ilse, now)
    assert {n.follow.label for n in noor_view.follows} == {"Ines Varga", "strike"}
    assert {n.follow.label for n in ilse_view.follows} == {"Saltmarsh Gazette"}
    assert all("Saltmarsh Gazette" not in e.follows for e in noor_view.entries)
    with db.connect() as conn:
        assert [name for _, name, _ in store.list_saved_searches(conn, ilse.id)] == []
        noor_search = store.list_saved_searches(conn, noor.id)[0][0]
        with pytest.raises(NotFoundError):
            store.get_saved_search(conn, ilse.id, noor_search)
    noor_follow_ids = [n.follow.id for n in noor_view.follows]
    with pytest.raises(NotFoundError), db.begin() as conn:
        mark_following_checked(
            conn,
            ilse.id,
            upto_article_id=ilse_view.upto_article_id,
            now=now,
            follow_ids=noor_follow_ids,
        )
    with db.begin() as conn:
        mark_following_checked(conn, ilse.id, upto_article_id=ilse_view.upto_article_id, now=now)
    assert _view(db, ilse, now).total_new == 0
    assert _view(db, noor, now).total_new == noor_view.total_new > 0


def test_combined_view_groups_one_story_and_is_newest_first(db, corpus) -> None:
    load(db, corpus.articles)
    noor = _user(db, "noor@example.org")
    with db.begin() as conn:
        follows.follow(conn, noor.id, "author", "Meridian Wire", now=T0)
    view = _view(db, noor, _now(corpus))
    whens = [e.lead.when for e in view.entries]
    assert whens == sorted(whens, reverse=True)


def test_following_unknown_things_says_what_to_do(db) -> None:
    noor = _user(db, "noor@example.org")
    with db.begin() as conn:
        with pytest.raises(NotFoundError, match="no outlet"):
            follows.follow(conn, noor.id, "outlet", "nowhere.example", now=T0)
        with pytest.raises(Exception, match="cannot follow 'colour'"):
            follows.follow(conn, noor.id, "colour", "red", now=T0)
        with pytest.raises(Exception, match="unclosed quote"):
            follows.follow(conn, noor.id, "search", '"half a phrase', now=T0)
        with pytest.raises(NotFoundError, match="do not follow"):
            follows.unfollow(conn, noor.id, "author", "Ines Varga")
        assert store.list_follows(conn, noor.id) == []
