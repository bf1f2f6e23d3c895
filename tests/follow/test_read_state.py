"""Read state per user on both engines: every mark form, unread counts, stars and isolation."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from newsdesk.errors import NotFoundError
from newsdesk.follow import accounts, follows
from newsdesk.follow import read_state as rs
from newsdesk.follow.read_state import MarkTarget
from tests.follow.read_state_rows import T0, add_articles, add_source, add_story

NOW = datetime(2026, 12, 1, tzinfo=UTC)


def _user(db, email: str) -> int:
    with db.begin() as conn:
        return accounts.create_user(conn, email, now=T0).id


def _follow(db, user_id: int, kind: str, value: str) -> None:
    with db.begin() as conn:
        follows.follow(conn, user_id, kind, value, now=NOW)


def _mark(db, user_id, target, *, read=True, before=None):
    with db.begin() as conn:
        return rs.mark(conn, user_id, target, read=read, now=NOW, before=before)


def _unread(db, user_id, **kw) -> list[int]:
    with db.connect() as conn:
        items = rs.list_rows(conn, user_id, now=NOW, unread=True, limit=1000, **kw)
    return sorted(i.id for i in items)


def _counts(db, user_id):
    from newsdesk.views.read_state import summarise

    with db.connect() as conn:
        return summarise(rs.counts_data(conn, user_id, now=NOW))


@pytest.fixture
def world(db):
    """Two sources (tagged), an author across both, a story; Noor follows the harbour source."""
    harbour = add_source(db, "https://harbour.example/feed", title="Harbour", tags=["local"])
    wire = add_source(db, "https://wire.example/feed", title="Wire", tags=["world", "local"])
    h = add_articles(db, 5, source_id=harbour, tag="h", start=T0)
    w = add_articles(
        db, 4, source_id=wire, tag="w", authors=["Ines Varga"], start=T0 + timedelta(hours=1)
    )
    story = add_story(db, "s-quay", [h[0], h[1], w[0]])
    noor = _user(db, "noor@example.org")
    _follow(db, noor, "source", str(harbour))
    return {"harbour": harbour, "wire": wire, "h": h, "w": w, "story": story, "noor": noor}


def test_new_articles_are_unread_for_followers_only(db, world) -> None:
    assert _unread(db, world["noor"]) == world["h"]
    other = _user(db, "ade@example.org")
    assert _unread(db, other) == []  # follows nothing: sees nothing
    fresh = add_articles(db, 2, source_id=world["harbour"], tag="h2", start=NOW)
    assert _unread(db, world["noor"]) == world["h"] + fresh


def test_any_matching_follow_makes_an_article_unread(db, world) -> None:
    noor = world["noor"]
    _follow(db, noor, "author", "Ines Varga")
    assert _unread(db, noor) == sorted(world["h"] + world["w"])


def test_mark_ids_read_and_unread_and_the_no_op(db, world) -> None:
    noor, h = world["noor"], world["h"]
    result = _mark(db, noor, MarkTarget("ids", ids=(h[0], h[2])))
    assert result.changed == 2 and not result.noop
    assert _unread(db, noor) == [h[1], h[3], h[4]]
    again = _mark(db, noor, MarkTarget("ids", ids=(h[0], h[2])))
    assert again.changed == 0 and again.noop
    back = _mark(db, noor, MarkTarget("ids", ids=(h[2],)), read=False)
    assert back.changed == 1
    assert _unread(db, noor) == [h[1], h[2], h[3], h[4]]


def test_mark_story_marks_the_articles_of_it_the_user_can_see(db, world) -> None:
    noor, h = world["noor"], world["h"]
    result = _mark(db, noor, MarkTarget("story", story="s-quay"))
    assert result.changed == 2  # w[0] is in the story but Noor does not follow it
    assert _unread(db, noor) == h[2:]
    with pytest.raises(NotFoundError):
        _mark(db, noor, MarkTarget("story", story="s-nothing"))


def test_mark_source_and_follow(db, world) -> None:
    noor = world["noor"]
    _follow(db, noor, "author", "Ines Varga")
    assert _mark(db, noor, MarkTarget("source", source_id=world["harbour"])).changed == 5
    assert _unread(db, noor) == world["w"]
    assert _mark(db, noor, MarkTarget("follow", follow=("author", "Ines Varga"))).changed == 4
    assert _unread(db, noor) == []
    with pytest.raises(NotFoundError):
        _mark(db, noor, MarkTarget("follow", follow=("topic", "fisheries")))
    with pytest.raises(NotFoundError):
        _mark(db, noor, MarkTarget("source", source_id=99999))


def test_mark_all_and_unread_overrides_until_the_next_mark_all(db, world) -> None:
    noor, h = world["noor"], world["h"]
    assert not _mark(db, noor, MarkTarget("all")).noop
    assert _unread(db, noor) == []
    assert _mark(db, noor, MarkTarget("all")).noop  # nothing left to mark
    assert _mark(db, noor, MarkTarget("ids", ids=(h[1],)), read=False).changed == 1
    assert _unread(db, noor) == [h[1]]
    assert _counts(db, noor).total == 1
    assert not _mark(db, noor, MarkTarget("all")).noop  # covers the "unread" set before it
    assert _unread(db, noor) == []
    late = add_articles(db, 2, source_id=world["harbour"], tag="late", start=NOW)
    assert _unread(db, noor) == late


def test_mark_all_before_a_time(db, world) -> None:
    noor, h = world["noor"], world["h"]
    # h[i] arrived at T0 + i minutes: "before T0 + 2m30s" is h[0], h[1], h[2].
    cut = T0 + timedelta(minutes=2, seconds=30)
    _mark(db, noor, MarkTarget("all"), before=cut)
    assert _unread(db, noor) == h[3:]
    # An older cut-off later must not undo what happened since: h[4] unread stays unread.
    _mark(db, noor, MarkTarget("ids", ids=(h[1], h[4])), read=False)
    _mark(db, noor, MarkTarget("all"), before=T0 + timedelta(minutes=1, seconds=30))
    assert _unread(db, noor) == [h[3], h[4]]


def test_scoped_marks_take_before_too(db, world) -> None:
    noor, h = world["noor"], world["h"]
    cut = T0 + timedelta(minutes=1, seconds=30)
    target = MarkTarget("source", source_id=world["harbour"])
    assert _mark(db, noor, target, before=cut).changed == 2
    assert _unread(db, noor) == h[2:]


def test_mark_unread_everything(db, world) -> None:
    noor, h = world["noor"], world["h"]
    _mark(db, noor, MarkTarget("all"))
    assert _mark(db, noor, MarkTarget("all"), read=False).changed == 5
    assert _unread(db, noor) == h


def test_unread_counts_per_source_tag_and_follow(db, world) -> None:
    noor, h, w = world["noor"], world["h"], world["w"]
    _follow(db, noor, "author", "Ines Varga")
    _mark(db, noor, MarkTarget("ids", ids=(h[0], w[0], w[1])))
    counts = _counts(db, noor)
    assert counts.total == 4 + 2
    assert {s.title: s.unread for s in counts.sources} == {"Harbour": 4, "Wire": 2}
    assert {t.tag: t.unread for t in counts.tags} == {"local": 6, "world": 2}
    assert {f.label: f.unread for f in counts.follows} == {"Harbour": 4, "Ines Varga": 2}
    # Below the floor, an "unread" row counts again.
    _mark(db, noor, MarkTarget("all"))
    _mark(db, noor, MarkTarget("ids", ids=(w[3],)), read=False)
    counts = _counts(db, noor)
    assert counts.total == 1
    assert {f.label: f.unread for f in counts.follows} == {"Harbour": 0, "Ines Varga": 1}
    assert counts.to_dict()["sources"] == [{"id": world["wire"], "title": "Wire", "unread": 1}]


def test_list_shows_state_and_filters(db, world) -> None:
    noor, h = world["noor"], world["h"]
    _mark(db, noor, MarkTarget("ids", ids=(h[4],)))
    with db.begin() as conn:
        rs.star(conn, noor, [h[0]], now=NOW)
    with db.connect() as conn:
        items = rs.list_rows(conn, noor, now=NOW)
        starred = rs.list_rows(conn, noor, now=NOW, starred=True)
        wire = rs.list_rows(conn, noor, now=NOW, source_id=world["wire"])
    assert [i.id for i in items] == sorted(h, reverse=True)  # newest first
    assert items[0].read and not items[1].read
    assert items[-1].starred
    assert [i.id for i in starred] == [h[0]]
    assert wire == []


def test_star_and_unstar(db, world) -> None:
    noor, h, w = world["noor"], world["h"], world["w"]
    with db.begin() as conn:
        assert rs.star(conn, noor, [h[1], h[2]], now=NOW).changed == 2
        assert rs.star(conn, noor, [h[1]], now=NOW).noop
        assert rs.unstar(conn, noor, [h[1]], now=NOW).changed == 1
        assert rs.unstar(conn, noor, [h[1]], now=NOW).noop
    with pytest.raises(NotFoundError, match="no such article"), db.begin() as conn:
        rs.star(conn, noor, [w[-1] + 1000], now=NOW)


def test_read_and_star_reach_articles_beyond_the_users_follows(db, world) -> None:
    """A reader opens articles their follows do not reach (search, a story's coverage, an
    outlet page): they can mark and star those, and only their own rows change."""
    noor, w = world["noor"], world["w"]
    ade = _user(db, "ade@example.org")
    _follow(db, ade, "author", "Ines Varga")
    assert _mark(db, noor, MarkTarget("ids", ids=(w[0],))).changed == 1
    with db.begin() as conn:
        assert rs.star(conn, noor, [w[1]], now=NOW).changed == 1
        assert rs.article_state(conn, noor, w[0], now=NOW) == (True, False)
        assert rs.article_state(conn, noor, w[1], now=NOW) == (False, True)
        # Ade follows the wire's author: his state of the same articles is untouched.
        assert rs.article_state(conn, ade, w[0], now=NOW) == (False, False)
        assert rs.article_state(conn, ade, w[1], now=NOW) == (False, False)
    assert _unread(db, ade) == w
    # Noor's list and counts still hold what her follows reach; her star lists it as starred.
    assert _unread(db, noor) == world["h"]
    with db.connect() as conn:
        starred = rs.list_rows(conn, noor, now=NOW, starred=True)
    assert [r.id for r in starred] == [w[1]]
    assert _mark(db, noor, MarkTarget("ids", ids=(w[0],)), read=False).changed == 1
    with db.begin() as conn:
        assert rs.unstar(conn, noor, [w[1]], now=NOW).changed == 1
        with pytest.raises(NotFoundError, match="no such article"):
            rs.article_state(conn, noor, w[-1] + 1000, now=NOW)


def test_isolation_between_users(db, world) -> None:
    noor, h, w = world["noor"], world["h"], world["w"]
    ade = _user(db, "ade@example.org")
    _follow(db, ade, "author", "Ines Varga")
    _mark(db, noor, MarkTarget("ids", ids=(h[0],)))
    with db.begin() as conn:
        rs.star(conn, noor, [h[1]], now=NOW)
    # Ade sees only Ade's articles and none of Noor's state.
    with db.connect() as conn:
        ade_items = rs.list_rows(conn, ade, now=NOW)
        ade_stars = rs.list_rows(conn, ade, now=NOW, starred=True)
    assert sorted(i.id for i in ade_items) == w
    assert all(not i.read and not i.starred for i in ade_items)
    assert ade_stars == []
    # Ade naming Noor's article ids writes Ade's rows only; Noor's state does not move.
    with db.begin() as conn:
        rs.mark(conn, ade, MarkTarget("ids", ids=(h[2],)), read=True, now=NOW)
        rs.mark(conn, ade, MarkTarget("ids", ids=(h[0],)), read=False, now=NOW)
        rs.star(conn, ade, [h[2]], now=NOW)
        assert rs.unstar(conn, ade, [h[1]], now=NOW).noop
        assert rs.article_state(conn, noor, h[2], now=NOW) == (False, False)
        assert rs.article_state(conn, noor, h[0], now=NOW) == (True, False)
        assert rs.article_state(conn, noor, h[1], now=NOW) == (False, True)
    with pytest.raises(NotFoundError), db.begin() as conn:
        rs.mark(
            conn,
            ade,
            MarkTarget("follow", follow=("source", str(world["harbour"]))),
            read=True,
            now=NOW,
        )
    # Ade's sweeping marks touch only Ade's rows.
    _mark(db, ade, MarkTarget("all"))
    _mark(db, ade, MarkTarget("source", source_id=world["harbour"]), read=False)
    _mark(db, ade, MarkTarget("story", story="s-quay"), read=False)
    assert _unread(db, noor) == h[1:]
    assert _counts(db, noor).total == 4
    with db.connect() as conn:
        assert [i.id for i in rs.list_rows(conn, noor, now=NOW, starred=True)] == [h[1]]
    assert _unread(db, ade) == [w[0]]  # the story's one article Ade can see


def test_deleting_a_user_deletes_their_state(db, world) -> None:
    from sqlalchemy import func, select

    from newsdesk.store.tables import article_reads, article_stars, read_marks, users

    noor, h = world["noor"], world["h"]
    _mark(db, noor, MarkTarget("ids", ids=(h[0],)))
    _mark(db, noor, MarkTarget("all"))
    with db.begin() as conn:
        rs.star(conn, noor, [h[1]], now=NOW)
        conn.execute(users.delete().where(users.c.id == noor))
        for table in (article_reads, article_stars, read_marks):
            assert conn.execute(select(func.count()).select_from(table)).scalar_one() == 0


def test_mutes_win_in_lists_and_counts(db, world) -> None:
    noor, h, w = world["noor"], world["h"], world["w"]
    _follow(db, noor, "author", "Ines Varga")
    with db.begin() as conn:
        follows.mute(conn, noor, "source", str(world["wire"]), now=NOW)
    assert _unread(db, noor) == h
    counts = _counts(db, noor)
    assert counts.total == 5
    assert {f.label: f.unread for f in counts.follows} == {"Harbour": 5, "Ines Varga": 0}
    # Below the floor too.
    _mark(db, noor, MarkTarget("all"))
    _mark(db, noor, MarkTarget("ids", ids=(w[0], h[0])), read=False)
    assert _unread(db, noor) == [h[0]]
    assert _counts(db, noor).total == 1


def test_saved_search_follow_reaches_and_marks(db, world) -> None:
    noor, h, w = world["noor"], world["h"], world["w"]
    with db.begin() as conn:
        follows.follow(conn, noor, "search", "note -outlet:nowhere.example", now=NOW)
    everything = sorted(h + w)
    assert _unread(db, noor) == everything  # the search reaches the wire's notes too
    target = MarkTarget("follow", follow=("search", "note -outlet:nowhere.example"))
    assert _mark(db, noor, target).changed == len(everything)
    assert _unread(db, noor) == []
    (search,) = [f for f in _counts(db, noor).follows if f.kind == "search"]
    assert search.unread == 0


def test_one_article_as_a_user_sees_it(db, world) -> None:
    from newsdesk.views.articles import article

    noor, h, w = world["noor"], world["h"], world["w"]
    _mark(db, noor, MarkTarget("ids", ids=(h[0],)))
    with db.begin() as conn:
        rs.star(conn, noor, [h[1]], now=NOW)
    first = article(h[0], email="noor@example.org", db=db)
    assert (first.read, first.starred) == (True, False)
    second = article(h[1], email="noor@example.org", db=db).to_dict()
    assert (second["read"], second["starred"]) == (False, True)
    assert article(h[0], db=db).read is None  # nobody asked about
    beyond = article(w[0], email="noor@example.org", db=db)  # not followed, still hers to mark
    assert (beyond.read, beyond.starred) == (False, False)
    with pytest.raises(NotFoundError, match="no such article"):
        article(w[-1] + 1000, email="noor@example.org", db=db)


def test_an_older_floor_covers_only_the_articles_below_it(db, world) -> None:
    noor, h = world["noor"], world["h"]
    _mark(db, noor, MarkTarget("all"), before=T0 + timedelta(minutes=2, seconds=30))
    _mark(db, noor, MarkTarget("ids", ids=(h[0], h[1])), read=False)
    # A later mark with an older cut-off covers h[0] only: h[1] stays unread.
    _mark(db, noor, MarkTarget("all"), before=T0 + timedelta(seconds=30))
    assert _unread(db, noor) == [h[1], h[3], h[4]]
    assert _counts(db, noor).total == 3
