"""The follow stage's commands, run through the real entry point on both engines."""

from __future__ import annotations

import pytest

from tests.follow.conftest import load


@pytest.fixture(autouse=True)
def wide_windows(monkeypatch: pytest.MonkeyPatch) -> None:
    """The CLI reads the real clock; windows of a century keep the 2026 corpus in view."""
    monkeypatch.setenv("NEWSDESK_FOLLOWING_WINDOW_DAYS", "36500")
    monkeypatch.setenv("NEWSDESK_FEED_WINDOW_HOURS", str(36500 * 24))


def _setup(cli, db, corpus, count: int = 60) -> None:
    load(db, corpus.articles[:count])
    assert (
        cli("users", "add", "noor@example.org", "--name", "Noor", "--tz", "Europe/Oslo").code == 0
    )
    made = cli("users", "add", "ilse@example.org", "--password-stdin", input="long enough secret\n")
    assert made.code == 0, made
    assert "admin" not in made.stdout


def test_users_add_makes_the_first_user_admin(cli, db) -> None:
    first = cli("users", "add", "noor@example.org", "--name", "Noor")
    assert first.code == 0 and "(admin)" in first.stdout
    listed = cli("users", "list", "--format", "json").json()
    assert listed == [
        {**listed[0], "email": "noor@example.org", "display_name": "Noor", "is_admin": True}
    ]
    again = cli("users", "add", "NOOR@example.org")
    assert again.code == 1 and "already exists" in again.stderr
    bad = cli("users", "add", "ilse@example.org", "--tz", "Nowhere/Land")
    assert bad.code == 1 and "unknown time zone" in bad.stderr


def test_following_json_counts_and_mark_checked(cli, db, corpus) -> None:
    _setup(cli, db, corpus)
    assert cli("follow", "author", "Meridian Wire", "--user", "noor@example.org").code == 0
    assert cli("follow", "search", "quay -sport", "--user", "noor@example.org").code == 0
    first = cli("following", "--user", "noor@example.org", "--format", "json", "--mark-checked")
    assert first.code == 0, first
    data = first.json()
    wire = next(f for f in data["follows"] if f["kind"] == "author")
    assert wire["new_count"] == len([a for a in corpus.articles[:60] if a.wire]) > 0
    assert {a["id"] for a in wire["articles"]} <= {a["article"]["id"] for a in data["entries"]} | {
        o["id"] for e in data["entries"] for o in e["other_articles"]
    }
    again = cli("following", "--user", "noor@example.org", "--format", "json").json()
    assert again["total_new"] == 0
    load(db, corpus.articles[60:80])
    later = cli("following", "--user", "noor@example.org", "--format", "json").json()
    wire = next(f for f in later["follows"] if f["kind"] == "author")
    assert wire["new_count"] == len([a for a in corpus.articles[60:80] if a.wire])


def test_users_only_see_their_own_follows_feed_searches_and_tokens(cli, db, corpus) -> None:
    _setup(cli, db, corpus)
    assert cli("follow", "outlet", "Kestrel Daily", "--user", "noor@example.org").code == 0
    assert cli("follow", "search", '"tram line"', "--user", "noor@example.org").code == 0
    assert cli("follow", "author", "Ines Varga", "--user", "ilse@example.org").code == 0
    token = cli("tokens", "add", "phone", "--user", "noor@example.org").stdout.strip()
    assert token.startswith("nd_")

    noor = cli("following", "--user", "noor@example.org", "--format", "json").json()
    ilse = cli("following", "--user", "ilse@example.org", "--format", "json").json()
    assert {f["label"] for f in noor["follows"]} == {"Kestrel Daily", '"tram line"'}
    assert {f["label"] for f in ilse["follows"]} == {"Ines Varga"}
    assert all(set(e["follows"]) <= {"Ines Varga"} for e in ilse["entries"])
    feed = cli("feed", "--user", "ilse@example.org", "--format", "json")
    assert feed.code == 0, feed
    assert all(not r.startswith("you follow Kestrel") for e in feed.json() for r in e["reasons"])

    assert cli("tokens", "list", "--user", "ilse@example.org", "--format", "json").json() == []
    noor_tokens = cli("tokens", "list", "--user", "noor@example.org", "--format", "json").json()
    assert [t["name"] for t in noor_tokens] == ["phone"] and token not in str(noor_tokens)
    stolen = cli("tokens", "revoke", str(noor_tokens[0]["id"]), "--user", "ilse@example.org")
    assert stolen.code == 1 and "no API token" in stolen.stderr
    gone = cli("unfollow", "outlet", "Kestrel Daily", "--user", "ilse@example.org")
    assert gone.code == 1 and "do not follow" in gone.stderr
    still = cli("following", "--user", "noor@example.org", "--format", "json").json()
    assert {f["label"] for f in still["follows"]} == {"Kestrel Daily", '"tram line"'}


def test_search_and_mute_from_the_command_line(cli, db, corpus) -> None:
    _setup(cli, db, corpus, count=len(corpus.articles))
    everyone = cli("search", "gales", "--format", "json")
    assert everyone.code == 0, everyone
    outlets = {a["outlet"] for a in everyone.json()}
    muted_outlet = sorted(outlets)[0]
    assert cli("mute", "outlet", muted_outlet, "--user", "noor@example.org").code == 0
    noor = cli("search", "gales", "--user", "noor@example.org", "--format", "json").json()
    assert noor and muted_outlet not in {a["outlet"] for a in noor}
    assert len(noor) == len([a for a in everyone.json() if a["outlet"] != muted_outlet])
    ilse = cli("search", "gales", "--user", "ilse@example.org", "--format", "json").json()
    assert len(ilse) == len(everyone.json())
    bad = cli("search", "colour:red")
    assert bad.code == 1 and "unknown field colour:" in bad.stderr
    unknown = cli("following", "--user", "nobody@example.org")
    assert unknown.code == 1 and "no user with email" in unknown.stderr
