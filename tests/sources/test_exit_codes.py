"""Issue 10, point 6: one exit-code rule for every command, as the cases were found.

0 when all the work asked for was done, 1 when any of it failed (a batch still
finishes, then lists the failures), 2 for a usage error; a no-op says so.
"""

from __future__ import annotations

from typing import Any

from newsdesk.config import Settings
from tests.conftest import FIXTURES
from tests.sources.local_server import LocalServer, Reply

GAZETTE = (FIXTURES / "sources" / "harbour_gazette.rss").read_bytes()


def test_refresh_of_a_source_answering_404_exits_1(
    db: Any, cli: Any, server: LocalServer, fast_settings: Settings
) -> None:
    good = server.set("/good.rss", Reply(200, GAZETTE))
    bad = server.set("/gone.rss", Reply(404, b""))
    assert cli("sources", "add", good).code == 0
    assert cli("sources", "add", bad, "--no-check").code == 0
    result = cli("refresh", "2", "--no-enrich")
    assert result.code == 1, result
    assert "1 source: 0 new items" in result.stdout
    assert "failed [2]" in result.stderr and "HTTP 404" in result.stderr
    as_json = cli("refresh", "2", "--all", "--no-enrich", "--format", "json")
    assert as_json.code == 1, as_json
    fine = cli("refresh", "1", "--no-enrich")
    assert fine.code == 0, fine
    assert "1 source: 3 new items" in fine.stdout
    assert cli("refresh", "--no-such-flag").code == 2


def test_revoking_a_revoked_token_says_so(db: Any, cli: Any) -> None:
    user = "reader@example.org"
    assert cli("users", "add", user).code == 0
    assert cli("tokens", "add", "phone", "--user", user).code == 0
    first = cli("tokens", "revoke", "1", "--user", user)
    assert first.code == 0 and "revoked token 1" in first.stdout
    again = cli("tokens", "revoke", "1", "--user", user)
    assert again.code == 0, again
    assert "token 1 was already revoked; nothing changed" in again.stdout
    missing = cli("tokens", "revoke", "9", "--user", user)
    assert missing.code == 1 and "no API token with id 9" in missing.stderr
