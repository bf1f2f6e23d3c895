"""Read state in the edition: a story the reader read that took new articles is "Developing",
saying what is new; what the reader has already read is left out."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from newsdesk.follow import accounts, follows
from newsdesk.jobs.editions import due_editions
from tests.brief.conftest import SmtpServer
from tests.brief.newsroom import Newsroom

MORNING = datetime(2026, 5, 5, 6, 30, tzinfo=UTC)


def test_developing_says_what_is_new_and_read_stories_stay_out(
    db, smtp_server: SmtpServer, cli
) -> None:
    room = Newsroom(db)
    for n, outlet in enumerate(("Harbour Gazette", "Delta Wire")):
        room.article(
            "ferry",
            headline="Ferry crews strike over rosters",
            outlet=outlet,
            at=MORNING - timedelta(hours=30, minutes=n),
            summary="Crews walked out at the north harbour.",
            topics_=("ferries",),
            importance=5.0,
        )
    with db.begin() as conn:
        user = accounts.create_user(conn, "noa@example.org", now=MORNING - timedelta(days=5))
        follows.follow(conn, user.id, "topic", "Ferries", now=MORNING - timedelta(days=2))
    done = cli("mark", "read", "--user", "noa@example.org", "--story", room.story_key("ferry"))
    assert done.code == 0, done
    # Overnight: the strike story moves on; another ferry story arrives, which the reader reads.
    room.article(
        "ferry",
        headline="Ferry talks resume as strike enters second day",
        outlet="Island Times",
        at=MORNING - timedelta(hours=2),
        summary="Talks resumed on Monday night.",
        topics_=("ferries",),
        development="Union and harbour board agreed to resume talks on Tuesday.",
    )
    council = room.article(
        "council-ferry",
        headline="Council debates ferry subsidy",
        outlet="Valley Echo",
        at=MORNING - timedelta(hours=3),
        summary="The council debated a ferry subsidy.",
        topics_=("ferries",),
        importance=4.0,
    )
    done = cli("mark", "read", "--user", "noa@example.org", str(council))
    assert done.code == 0, done

    report = due_editions(MORNING + timedelta(minutes=1))
    assert report.count("sent") == 1, report.to_dict()
    edition = cli("edition", "show", "--user", "noa@example.org", "--format", "json").json()[
        "edition"
    ]  # type: ignore[index]
    (dev,) = edition["developing"]
    assert dev["story_key"] == room.story_key("ferry")
    assert dev["new_articles"] == 1
    assert dev["new"][0]["text"] == "Union and harbour board agreed to resume talks on Tuesday."
    assert dev["new"][0]["outlet"] == "Island Times"
    shown = [i["story_key"] for i in edition["top"]]
    shown += [i["story_key"] for s in edition["following"] for i in s["items"]]
    assert room.story_key("council-ferry") not in shown  # read already, and not developing
    assert room.story_key("ferry") not in shown  # once, in Developing
    (mail,) = smtp_server.mailbox.messages()
    assert "DEVELOPING" in mail.get_body(("plain",)).get_content()


def test_read_states_agree_with_read_state_for_every_article(db, cli) -> None:
    """The editions' bulk read of read state says "read" exactly where read state does."""
    from newsdesk.store import editions as store
    from newsdesk.store import read_state

    room = Newsroom(db)
    ids = [
        room.article(
            f"s{i}",
            headline=f"Story {i}",
            outlet="Lake Wire",
            at=MORNING - timedelta(hours=20 - i),
            topics_=("lake",),
        )
        for i in range(8)
    ]
    with db.begin() as conn:
        user = accounts.create_user(conn, "kim@example.org", now=MORNING - timedelta(days=5))
        follows.follow(conn, user.id, "topic", "Lake", now=MORNING - timedelta(days=2))
    user_arg = ("--user", "kim@example.org")
    assert cli("mark", "read", *user_arg, str(ids[6])).code == 0  # above any floor
    assert cli("mark", "read", *user_arg, "--all").code == 0  # floor at the newest
    assert cli("mark", "unread", *user_arg, str(ids[2])).code == 0  # an exception below it
    new = room.article("s9", headline="Story 9", outlet="Lake Wire", at=MORNING, topics_=("lake",))
    assert cli("mark", "read", *user_arg, str(new)).code == 0
    with db.connect() as conn:
        found, keys = store.read_states(
            conn, [user.id], ids[0], new, since=MORNING - timedelta(days=3)
        )[user.id]
        for article_id in [*ids, new]:
            state = read_state.state_of(conn, user.id, article_id, [])
            assert state is not None
            assert (article_id in found) == state[1], article_id
    assert keys == {room.story_key("s6"), room.story_key("s9")}


def test_read_sets_of_many_users_agree_with_read_state(db, cli) -> None:
    """Several readers at once, each with floors and exceptions of their own: the bulk read
    (``store.read_state.read_sets``) says "read" exactly where ``state_of`` does, per user."""
    from newsdesk.store import read_state

    room = Newsroom(db)
    ids = [
        room.article(
            f"m{i}",
            headline=f"Marsh story {i}",
            outlet="Marsh Wire",
            at=MORNING - timedelta(hours=20 - i),
            topics_=("marsh",),
        )
        for i in range(10)
    ]
    emails = ["ada@example.org", "ben@example.org", "cy@example.org"]
    with db.begin() as conn:
        users = [accounts.create_user(conn, e, now=MORNING - timedelta(days=5)) for e in emails]
        for user in users:
            follows.follow(conn, user.id, "topic", "Marsh", now=MORNING - timedelta(days=2))
    steps = {
        "ada@example.org": [("read", str(ids[1])), ("read", str(ids[8]))],
        "ben@example.org": [
            ("unread", str(ids[3])),  # an "unread" row below no floor yet: says nothing
            ("read", "--all"),  # a floor above it covers it
            ("unread", str(ids[5])),  # an exception below the floor
            ("read", str(ids[5])),  # taken back
            ("unread", str(ids[6])),
        ],
        "cy@example.org": [],
    }
    for email, marks in steps.items():
        for verb, what in marks:
            done = cli("mark", verb, "--user", email, what)
            assert done.code == 0, done
    with db.connect() as conn:
        found = read_state.read_sets(conn, [u.id for u in users], ids[0], ids[-1])
        for user in users:
            for article_id in ids:
                state = read_state.state_of(conn, user.id, article_id, [])
                assert state is not None
                assert (article_id in found[user.id]) == state[1], (user.email, article_id)
    assert found[users[2].id].nothing_read and not found[users[1].id].nothing_read
