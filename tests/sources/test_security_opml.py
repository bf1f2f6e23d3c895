"""OPML export must always import again, whatever characters feed titles carried."""

from __future__ import annotations

from datetime import UTC, datetime

from newsdesk.sources.opml import OpmlFeed, parse_opml, render_opml

NOW = datetime(2031, 3, 14, 9, 0, tzinfo=UTC)


def test_control_characters_in_titles_and_tags_do_not_break_the_export() -> None:
    feeds = [
        OpmlFeed(
            "https://tides.example/feed.xml",
            title="Tide\x01s\x0b Weekly",
            site_url="https://tides.example/",
            tags=("Coast\x02al",),
        ),
        OpmlFeed("https://plain.example/rss", title="Plain Notes"),
    ]
    data = render_opml(feeds, now=NOW)
    back = {feed.url: feed for feed in parse_opml(data)}
    assert back["https://tides.example/feed.xml"].title == "Tides Weekly"
    assert back["https://tides.example/feed.xml"].tags == ("Coastal",)
    assert back["https://plain.example/rss"].title == "Plain Notes"


def test_the_export_of_stored_sources_with_a_control_character_imports_again(
    cli, db, tmp_path
) -> None:
    from newsdesk.store import sources as repo

    with db.begin() as conn:
        repo.add_source(conn, "https://tides.example/feed.xml", now=NOW, title="Tide\x01s Weekly")
    target = tmp_path / "subscriptions.opml"
    assert cli("sources", "export", str(target)).code == 0
    assert parse_opml(target.read_bytes())[0].title == "Tides Weekly"
