"""Issue 10, point 8: ``sources show`` said "next refresh never" where ``sources list`` said
"now" for a source added without a check and never refreshed."""

from __future__ import annotations

from typing import Any


def test_list_and_show_agree_on_next_refresh(db: Any, cli: Any) -> None:
    url = "http://feeds.harbour-gazette.example/news.rss"
    assert cli("sources", "add", url, "--no-check").code == 0
    listed = cli("sources", "list")
    assert listed.code == 0, listed
    shown = cli("sources", "show", "1")
    assert shown.code == 0, shown
    line = next(x for x in shown.stdout.splitlines() if x.startswith("next refresh"))
    assert line.split()[-1] == "now"
    assert "now" in listed.stdout
