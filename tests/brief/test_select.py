"""Edition selection is pure: window news + reader in, edition out."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from newsdesk.brief.models import outlets_line
from newsdesk.brief.select import EditionRequest, select_edition, short_summary
from newsdesk.store.editions import ReaderRecord, WindowArticle, WindowNews, WindowStory

END = datetime(2026, 5, 4, 6, 30, tzinfo=UTC)
REQ = EditionRequest(1, "morning", "2026-05-04", "UTC", "https://n.example", top_n=3)


def _article(
    i: int, story: int, *keys: tuple[str, str], outlet: str = "Tide Post"
) -> WindowArticle:
    return WindowArticle(
        id=i,
        story_id=story,
        headline=f"Headline {i}",
        outlet=outlet,
        url=f"https://o.example/{i}",
        added_at=END - timedelta(minutes=i),
        development=f"What article {i} added.",
        keys=frozenset({("story", str(story)), *keys}),
    )


def _story(sid: int, importance: float, *articles: WindowArticle) -> WindowStory:
    return WindowStory(
        id=sid,
        key=f"k{sid}",
        headline=f"Story {sid}",
        summary=f"Story {sid} happened. It matters a lot. A third sentence nobody reads.",
        outlets=("Reuters", "Le Monde", "Tide Post", "Lake Wire", "Hill Times"),
        outlet_count=5,
        importance=importance,
        articles=articles,
    )


NEWS = WindowNews(
    END - timedelta(hours=12),
    END,
    (
        _story(1, 9.0, _article(11, 1, ("topic", "place:mali"))),
        _story(2, 8.0, _article(21, 2, ("entity", "42"))),
        _story(3, 7.0, _article(31, 3, ("topic", "sport")), _article(32, 3)),
        _story(4, 6.0, _article(41, 4, ("outlet", "9"), outlet="Muted Daily")),
        _story(5, 5.0, _article(51, 5), _article(52, 5)),
        _story(6, 4.0, _article(61, 6)),
    ),
)


def test_outlets_line_names_two_and_counts_the_rest() -> None:
    assert outlets_line(("Reuters", "Le Monde", "A", "B", "C"), 5) == "Reuters, Le Monde and 3 more"
    assert outlets_line(("Reuters", "Le Monde"), 2) == "Reuters and Le Monde"
    assert outlets_line(("Reuters",), 1) == "Reuters"


def test_summary_is_one_or_two_sentences() -> None:
    assert short_summary("One. Two two. Three.") == "One. Two two."
    assert short_summary("word " * 200).endswith("…")


def test_follows_first_then_top_no_story_twice_mutes_win() -> None:
    reader = ReaderRecord(
        follows=(("topic", "place:mali", "Mali"), ("person", "42", "Ines Varga")),
        mutes=(("topic", "sport", "Sport"), ("outlet", "9", "Muted Daily")),
    )
    edition = select_edition(NEWS, reader, REQ)
    labels = [(s.label, [i.story_key for i in s.items]) for s in edition.following]
    assert labels == [("Mali", ["k1"]), ("Ines Varga", ["k2"])]
    # Story 3 is muted by its topic, story 4's only article by its outlet.
    assert [i.story_key for i in edition.top] == ["k5", "k6"]
    keys = edition.story_keys
    assert len(keys) == len(set(keys))
    item = edition.following[0].items[0]
    assert item.story_url == "https://n.example/stories/k1"
    assert item.original_url == "https://o.example/11"
    assert item.summary == "Story 1 happened. It matters a lot."
    assert item.outlets_line == "Reuters, Le Monde and 3 more" and item.outlet_count == 5
    assert edition.to_dict()["following"][0]["items"][0]["outlets_line"] == item.outlets_line


def test_read_stories_leave_unless_developing() -> None:
    edition = select_edition(
        NEWS,
        ReaderRecord(),
        REQ,
        read_article_ids={11, 51},  # story 1 fully read; story 5 read, and 52 is new
        read_story_keys={"k1", "k5"},
    )
    assert [d.item.story_key for d in edition.developing] == ["k5"]
    (dev,) = edition.developing
    assert dev.new_articles == 1 and dev.new[0].text == "What article 52 added."
    assert "k1" not in edition.story_keys
    assert [i.story_key for i in edition.top] == ["k2", "k3", "k4"]


def test_no_news_is_an_empty_edition() -> None:
    empty = select_edition(WindowNews(NEWS.start, END, ()), ReaderRecord(), REQ)
    assert empty.is_empty and empty.to_dict()["empty"] is True


def test_subject_is_one_line_whatever_the_headline() -> None:
    from dataclasses import replace

    from newsdesk.brief.render import subject_of

    edition = select_edition(NEWS, ReaderRecord(), REQ)
    first = replace(edition.top[0], headline="Line one\r\nBcc: victim@example.org")
    subject = subject_of(replace(edition, top=(first, *edition.top[1:])))
    assert "\n" not in subject and "\r" not in subject
    assert subject.endswith("Line one Bcc: victim@example.org")


def test_edition_json_is_its_dict_and_survives_the_archive() -> None:
    """The JSON written from shared pieces is exactly ``to_dict()``, and unpacks to it."""
    import json

    from newsdesk.store.editions import pack_parts, unpack_parts
    from tests.brief.sample_edition import sample_edition

    edition = sample_edition()
    assert edition.to_json() == json.dumps(edition.to_dict(), ensure_ascii=False)
    parts = unpack_parts(pack_parts("text «1»", '<p>"html"</p>', edition.to_json()))
    assert parts == {"text": "text «1»", "html": '<p>"html"</p>', "edition": edition.to_dict()}


def test_editions_archived_before_the_framed_format_still_read() -> None:
    import json
    import zlib

    from newsdesk.store.editions import unpack_parts

    old = {"text": "t", "html": "<p>h</p>", "edition": {"top": []}}
    blob = zlib.compress(json.dumps(old).encode("utf-8"), 1)
    assert unpack_parts(blob) == old
