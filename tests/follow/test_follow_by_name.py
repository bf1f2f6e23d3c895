"""Issue 10, point 3: one identity rule for every kind of follow. A person, organisation,
place, topic or author no stored article names yet is followed all the same (a reader may
follow someone before they are in the news), with a note; once an article naming them is
ingested the follow reaches it with nothing for the reader to do, and Following, For you,
search, unfollow and mute treat it like any other follow. Written the way the case was
found (``follow person "Nobody Atall"`` was refused), through the CLI, on both engines."""

from __future__ import annotations

import json
from typing import Any

from tests.conftest import FIXTURES

U = "reader@example.org"
V = "other@example.org"
PAGE = FIXTURES / "follow" / "quillan_pilots.txt"
HEADLINE = "Harbour pilots in Port Quillan vote to strike over night shifts"
NAMES = [
    ("person", "Ottoline Varnsby", "Ottoline Varnsby"),
    ("org", "Quillan Pilots Guild", "Quillan Pilots Guild"),
    ("place", "Port Quillan", "Port Quillan"),
    ("topic", "Harbour", "harbour"),
    ("author", "Marisol Q. Ebbington", "Marisol Ebbington"),  # credited without the initial
]


def _follows(cli: Any, user: str = U) -> list[dict[str, Any]]:
    shown = cli("following", "--user", user, "--format", "json")
    assert shown.code == 0, shown
    found: list[dict[str, Any]] = json.loads(shown.stdout)["follows"]
    return found


def _edition_reaches_every_follow(db: Any) -> None:
    """The edition selection matches follows by the keys each article carries: a bound
    follow's target is one of the article's keys (an edition's window is a clock, so the
    selection is checked by its keys rather than by the time of day the test runs)."""
    from datetime import UTC, datetime, timedelta

    from newsdesk.store import editions
    from newsdesk.store.tables.accounts import users

    now = datetime.now(UTC)
    with db.connect() as conn:
        (uid,) = conn.execute(users.select().with_only_columns(users.c.id)).scalars()
        reader = editions.readers(conn, [uid])[uid]
        window = editions.load_window(conn, now - timedelta(days=1), now + timedelta(minutes=5))
    (article,) = [a for s in window.stories for a in s.articles]
    for kind, target, _ in reader.follows:
        assert not target.startswith("name:")
        key = ("entity" if kind in ("person", "org", "place") else kind, target)
        assert key in article.keys, (key, article.keys)


def test_unknown_names_are_followed_and_reach_the_article_that_names_them(db, cli) -> None:  # type: ignore[no-untyped-def]
    assert cli("users", "add", U).code == 0
    for kind, typed, _ in NAMES:
        made = cli("follow", kind, typed, "--user", U)
        assert made.code == 0, made
        assert f"following {kind} {typed}" in made.stdout
        assert "yet; new articles that do will match" in made.stdout, made.stdout
    # A surname followed before the news names anyone by it: one person once they are named.
    assert cli("follow", "person", "Varnsby", "--user", U).code == 0
    waiting = _follows(cli)
    assert len(waiting) == len(NAMES) + 1
    assert all(f["pending"] and f["new_count"] == 0 for f in waiting)

    ingested = cli("ingest", str(PAGE))
    assert ingested.code == 0, ingested

    shown = cli("following", "--user", U)
    assert shown.code == 0, shown
    for kind, _, name in NAMES:
        assert f"{kind} {name}: 1 new" in shown.stdout, shown.stdout
    assert HEADLINE in shown.stdout
    bound = _follows(cli)
    assert sorted((f["kind"], f["label"]) for f in bound) == sorted(
        (kind, name) for kind, _, name in NAMES
    )  # "Varnsby" joined "Ottoline Varnsby": one follow, not two
    assert not any(f["pending"] for f in bound)
    assert all(f["new_count"] == 1 for f in bound)

    feed = cli("feed", "--user", U)
    assert feed.code == 0, feed
    assert HEADLINE in feed.stdout
    assert "you follow Ottoline Varnsby" in feed.stdout
    _edition_reaches_every_follow(db)
    for query in (
        "person:Varnsby",
        'person:"Ottoline Varnsby"',
        'org:"Quillan Pilots Guild"',
        'place:"Port Quillan"',
        "topic:harbour",
        "author:Ebbington",
    ):
        found = cli("search", query, "--format", "json")
        assert found.code == 0, found
        assert len(found.json()) == 1, (query, found)  # type: ignore[arg-type]

    # Following the same person again, now by a name the news uses: still one follow.
    again = cli("follow", "person", "Varnsby", "--user", U)
    assert again.code == 0 and "following person Ottoline Varnsby" in again.stdout
    assert "yet" not in again.stdout
    assert [f["kind"] for f in _follows(cli)].count("person") == 1

    assert cli("unfollow", "person", "Ottoline Varnsby", "--user", U).code == 0
    assert cli("unfollow", "topic", "harbour", "--user", U).code == 0
    left = {(f["kind"], f["label"]) for f in _follows(cli)}
    assert left == {
        ("org", "Quillan Pilots Guild"),
        ("place", "Port Quillan"),
        ("author", "Marisol Ebbington"),
    }
    gone = cli("unfollow", "person", "Ottoline Varnsby", "--user", U)
    assert gone.code == 1
    assert "you do not follow person 'Ottoline Varnsby'" in gone.stderr


def test_an_unknown_name_is_unfollowed_and_muted_by_its_name(db, cli) -> None:  # type: ignore[no-untyped-def]
    assert cli("users", "add", U).code == 0
    assert cli("follow", "person", "Nobody Atall", "--user", U).code == 0
    again = cli("follow", "person", "nobody  ATALL", "--user", U)  # the same name, typed again
    assert again.code == 0, again
    assert len(_follows(cli)) == 1
    assert cli("unfollow", "person", "Nobody Atall", "--user", U).code == 0
    assert _follows(cli) == []
    gone = cli("unfollow", "person", "Nobody Atall", "--user", U)
    assert gone.code == 1 and "you do not follow" in gone.stderr
    for kind, name in (("person", "Nobody Atall"), ("org", "Nowhere Works"), ("topic", "Zzyzx")):
        muted = cli("mute", kind, name, "--user", U)
        assert muted.code == 0, muted
        assert "yet; new articles that do stay hidden" in muted.stdout
        assert cli("unmute", kind, name, "--user", U).code == 0
        assert cli("unmute", kind, name, "--user", U).code == 1


def test_a_name_muted_before_the_news_hides_the_article_once_it_arrives(db, cli) -> None:  # type: ignore[no-untyped-def]
    assert cli("users", "add", V).code == 0
    assert cli("follow", "place", "Port Quillan", "--user", V).code == 0
    assert cli("mute", "person", "Ottoline Varnsby", "--user", V).code == 0
    assert cli("ingest", str(PAGE)).code == 0
    shown = cli("following", "--user", V)
    assert shown.code == 0, shown
    assert "place Port Quillan: 0 new" in shown.stdout  # the mute wins
    assert HEADLINE not in cli("feed", "--user", V).stdout
    assert cli("unmute", "person", "Varnsby", "--user", V).code == 0
    assert "place Port Quillan: 1 new" in cli("following", "--user", V).stdout
