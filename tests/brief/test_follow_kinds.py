"""Every follow kind reaches "From what you follow": author, person, org, place, topic, outlet,
source, saved search and story, each followed through the CLI, on both engines.

A saved search is not a key an article carries: its query is run over the
edition's window with the same search code Following uses.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from newsdesk.follow import accounts
from newsdesk.jobs.editions import due_editions
from tests.brief.conftest import SmtpServer
from tests.brief.newsroom import Newsroom

MORNING = datetime(2026, 5, 5, 6, 30, tzinfo=UTC)
SINCE = MORNING - timedelta(days=3)

# kind -> (story, headline, what the reader types after the kind)
KINDS: dict[str, tuple[str, str, str]] = {
    "author": ("harbour", "Harbour pilots vote on new shifts", "Ines Okafor"),
    "person": ("council", "Councillor Wrenfield resigns over budget", "Tobias Wrenfield"),
    "org": ("rail", "Lakeside Rail Authority orders new trams", "Lakeside Rail Authority"),
    "place": ("storm", "Storm closes the road to Port Alder", "Port Alder"),
    "topic": ("bridge", "Old swing bridge reopens after repairs", "Bridges"),
    "outlet": ("fjord", "Fjord ferry timetable changes in June", "fjordcourier.example"),
    "source": ("valley", "Valley orchards expect an early harvest", "https://feeds.example/v.xml"),
    "search": ("glacier", "Meltwater lake forms below the Sorrel glacier", "glacier"),
    "story": ("museum", "Maritime museum finds a lost logbook", ""),
}


def _newsroom(db: object) -> Newsroom:
    room = Newsroom(db)
    plain = {"outlet": "Desk Wire", "at": MORNING - timedelta(hours=3)}
    room.article(
        "harbour",
        headline=KINDS["author"][1],
        summary="Pilots voted.",
        authors=("Ines Okafor",),
        **plain,  # type: ignore[arg-type]
    )
    room.article(
        "council",
        headline=KINDS["person"][1],
        summary="He resigned on Monday.",
        entities_=(("person", "Tobias Wrenfield"),),
        **plain,  # type: ignore[arg-type]
    )
    room.article(
        "rail",
        headline=KINDS["org"][1],
        summary="Twelve trams were ordered.",
        entities_=(("org", "Lakeside Rail Authority"),),
        **plain,  # type: ignore[arg-type]
    )
    room.article(
        "storm",
        headline=KINDS["place"][1],
        summary="The coast road is shut.",
        entities_=(("place", "Port Alder"),),
        **plain,  # type: ignore[arg-type]
    )
    room.article(
        "bridge",
        headline=KINDS["topic"][1],
        summary="The bridge swung open again.",
        topics_=("bridges",),
        **plain,  # type: ignore[arg-type]
    )
    room.article(
        "fjord",
        headline=KINDS["outlet"][1],
        summary="Sailings move by an hour.",
        outlet="Fjord Courier",
        at=MORNING - timedelta(hours=3),
    )
    room.article(
        "valley",
        headline=KINDS["source"][1],
        summary="Growers expect to pick in August.",
        source=KINDS["source"][2],
        **plain,  # type: ignore[arg-type]
    )
    room.article(
        "glacier",
        headline=KINDS["search"][1],
        summary="A lake has formed below the ice.",
        body="Rangers found a meltwater lake below the Sorrel glacier on Sunday.",
        **plain,  # type: ignore[arg-type]
    )
    room.article(
        "museum",
        headline=KINDS["story"][1],
        summary="The logbook was in a loft.",
        **plain,  # type: ignore[arg-type]
    )
    # Louder stories the top list takes: nothing followed must land there instead.
    for n in range(10):
        room.article(
            f"loud{n}",
            headline=f"Loud story number {n}",
            summary="Everyone reads this.",
            outlet="Big Wire",
            at=MORNING - timedelta(hours=2),
            importance=50.0 + n,
        )
    return room


def _following(cli: object, email: str) -> list[dict[str, object]]:
    shown = cli("edition", "show", "--user", email, "--format", "json")  # type: ignore[operator]
    assert shown.code == 0, shown
    edition = shown.json()["edition"]
    return list(edition["following"])


def test_every_follow_kind_reaches_from_what_you_follow(db, smtp_server: SmtpServer, cli) -> None:
    room = _newsroom(db)
    with db.begin() as conn:
        for kind in KINDS:
            accounts.create_user(conn, f"{kind}@example.org", now=SINCE)
        accounts.create_user(conn, "all@example.org", now=SINCE)
    for kind, (story, _, value) in KINDS.items():
        value = value or str(room.story_ids[story])
        for email in (f"{kind}@example.org", "all@example.org"):
            done = cli("follow", kind, value, "--user", email)
            assert done.code == 0, (kind, done)

    report = due_editions(MORNING + timedelta(minutes=1))
    assert report.count("sent") == len(KINDS) + 1, report.to_dict()

    for kind, (story, headline, _) in KINDS.items():
        sections = _following(cli, f"{kind}@example.org")
        assert [s["kind"] for s in sections] == [kind], (kind, sections)
        (item,) = sections[0]["items"]  # type: ignore[index]
        assert item["story_key"] == room.story_key(story), kind
        assert item["headline"] == headline and item["summary"], kind

    everything = _following(cli, "all@example.org")
    assert sorted(str(s["kind"]) for s in everything) == sorted(KINDS)
    reached = {i["story_key"] for s in everything for i in s["items"]}  # type: ignore[attr-defined]
    assert reached == {room.story_key(story) for story, _, _ in KINDS.values()}
    # The search section is labelled with its query, and its mail names the story.
    (search,) = [s for s in everything if s["kind"] == "search"]
    assert search["label"] == "glacier"
    mails = {m["To"]: m for m in smtp_server.mailbox.messages()}
    text = mails["search@example.org"].get_body(("plain",)).get_content()
    assert "FROM WHAT YOU FOLLOW" in text and KINDS["search"][1] in text


def test_a_saved_search_reaches_only_the_window_and_respects_mutes(
    db, smtp_server: SmtpServer, cli
) -> None:
    """The search runs over the edition's window: an older match is not news; a muted outlet's
    match stays out, as for every follow."""
    room = Newsroom(db)
    room.article(
        "old-glacier",
        headline="Glacier retreat measured last year",
        summary="An older glacier story.",
        outlet="Desk Wire",
        at=MORNING - timedelta(days=2),
    )
    room.article(
        "muted-glacier",
        headline="Glacier tours sell out",
        summary="Tour operators are busy.",
        outlet="Noisy Times",
        at=MORNING - timedelta(hours=4),
    )
    room.article(
        "new-glacier",
        headline="Glacier lake drained safely",
        summary="Engineers drained the lake.",
        outlet="Desk Wire",
        at=MORNING - timedelta(hours=2),
    )
    with db.begin() as conn:
        accounts.create_user(conn, "sol@example.org", now=SINCE)
    assert cli("follow", "search", "glacier", "--user", "sol@example.org").code == 0
    assert cli("mute", "outlet", "noisytimes.example", "--user", "sol@example.org").code == 0

    report = due_editions(MORNING + timedelta(minutes=1))
    assert report.count("sent") == 1, report.to_dict()
    (section,) = _following(cli, "sol@example.org")
    assert section["kind"] == "search"
    assert [i["story_key"] for i in section["items"]] == [  # type: ignore[attr-defined]
        room.story_key("new-glacier")
    ]


@pytest.mark.parametrize("text", ["glacier", "glacier since:1d"])
def test_a_plain_or_relative_saved_search_reaches_the_edition(
    db, smtp_server: SmtpServer, cli, text: str
) -> None:
    room = Newsroom(db)
    room.article(
        "glacier",
        headline="Glacier lake drained safely",
        summary="Engineers drained the lake.",
        outlet="Desk Wire",
        at=MORNING - timedelta(hours=2),
    )
    with db.begin() as conn:
        accounts.create_user(conn, "ren@example.org", now=SINCE)
    assert cli("follow", "search", text, "--user", "ren@example.org").code == 0
    report = due_editions(MORNING + timedelta(minutes=1))
    assert report.count("sent") == 1, report.to_dict()
    (section,) = _following(cli, "ren@example.org")
    assert section["items"][0]["story_key"] == room.story_key("glacier")  # type: ignore[index]
