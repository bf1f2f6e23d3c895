"""A saved-search follow on the command line: Following, ``feed`` and ``for-you`` (issue 10, 1)."""

from __future__ import annotations

from tests.follow.conftest import load


def test_follow_search_then_for_you_from_the_command_line(cli, db, corpus, monkeypatch) -> None:
    """The reported case: ``follow search Mali`` then ``feed`` (and its new name, ``for-you``)."""
    monkeypatch.setenv("NEWSDESK_FOLLOWING_WINDOW_DAYS", "36500")
    monkeypatch.setenv("NEWSDESK_FEED_WINDOW_HOURS", str(36500 * 24))
    load(db, corpus.articles[:60])
    assert cli("users", "add", "u@example.org").code == 0
    assert cli("follow", "search", "gales", "--user", "u@example.org").code == 0
    assert cli("follow", "search", "nothing-matches-this", "--user", "u@example.org").code == 0
    assert cli("follow", "outlet", "kestrel-daily.example", "--user", "u@example.org").code == 0
    for command in ("feed", "for-you"):
        shown = cli(command, "--user", "u@example.org", "--format", "json")
        assert shown.code == 0, shown
        assert any("you follow gales" in e["reasons"] for e in shown.json())
        text = cli(command, "--user", "u@example.org")
        assert text.code == 0 and "Traceback" not in text.stderr, text
    following = cli("following", "--user", "u@example.org", "--format", "json")
    assert following.code == 0, following
    counts = {f["label"]: f["new_count"] for f in following.json()["follows"]}
    assert counts["gales"] > 0 and counts["nothing-matches-this"] == 0
