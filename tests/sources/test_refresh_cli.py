"""``newsdesk refresh``, ``sources list|show|pause|resume|remove`` and ``serve --once``."""

from __future__ import annotations

from typing import Any

from newsdesk.config import Settings
from tests.conftest import FIXTURES
from tests.sources.local_server import LocalServer, Reply

GAZETTE = (FIXTURES / "sources" / "harbour_gazette.rss").read_bytes()


def test_refresh_summary_health_and_pause_resume(
    db: Any, cli: Any, server: LocalServer, fast_settings: Settings
) -> None:
    good = server.set("/good.rss", Reply(200, GAZETTE))
    bad = server.set("/bad.rss", Reply(404, b""))
    assert cli("sources", "add", good).code == 0
    assert cli("sources", "add", bad, "--no-check").code == 0

    result = cli("refresh")
    assert result.code == 1, result  # one source failed: the batch finished, then exit 1
    assert "2 sources: 3 new items (0 updated), 0 unchanged, 1 failed" in result.stdout
    assert "HTTP 404" in result.stderr

    rows = {r["url"]: r for r in cli("sources", "list", "--format", "json").json()}
    assert rows[good]["items"] == 3 and rows[good]["last_success_at"] is not None
    assert rows[bad]["consecutive_failures"] == 1 and "HTTP 404" in rows[bad]["last_error"]
    table = cli("sources", "list").stdout
    assert "404" in table and "Harbour" in table  # (folded to the console width)

    shown = cli("sources", "show", str(rows[good]["id"]), "--format", "json").json()
    assert len(shown["latest_items"]) == 3

    assert cli("sources", "pause", bad, "--reason", "moved to a new site").code == 0
    paused = cli("sources", "show", bad, "--format", "json").json()
    assert paused["paused"] and paused["pause_reason"] == "moved to a new site"
    json_run = cli("refresh", "--all", "--format", "json").json()
    assert json_run["sources"] == 1 and json_run["unchanged"] == 1  # the paused one is skipped

    assert cli("sources", "resume", bad).code == 0
    resumed = cli("sources", "show", bad, "--format", "json").json()
    assert not resumed["paused"] and resumed["consecutive_failures"] == 0

    assert cli("sources", "remove", bad).code == 0
    assert len(cli("sources", "list", "--format", "json").json()) == 1
    missing = cli("sources", "show", "999")
    assert missing.code == 1 and "no source" in missing.stderr


def test_serve_once_refreshes_due_sources(
    db: Any, cli: Any, server: LocalServer, fast_settings: Settings
) -> None:
    url = server.set("/good.rss", Reply(200, GAZETTE))
    cli("sources", "add", url)
    result = cli("serve", "--once")
    assert result.code == 0, result
    [row] = cli("sources", "list", "--format", "json").json()
    assert row["items"] == 3 and row["next_refresh_at"] is not None
