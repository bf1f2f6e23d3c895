"""The distributed-mode commands: a clear refusal without PostgreSQL, and status as JSON."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.mark.parametrize("command", [["worker"], ["scheduler"], ["status"]])
def test_a_broker_with_sqlite_is_refused_in_one_line(
    cli: Any, monkeypatch: pytest.MonkeyPatch, command: list[str]
) -> None:
    monkeypatch.setenv("NEWSDESK_BROKER_URL", "redis://127.0.0.1:6379/9")
    from newsdesk.config import get_settings

    get_settings.cache_clear()
    result = cli(*command)
    assert result.code == 1
    assert result.stderr.strip().count("\n") == 0
    assert "a broker needs PostgreSQL" in result.stderr


@pytest.mark.workers
def test_status_as_json_names_queues_jobs_and_leader(
    cli: Any, monkeypatch: pytest.MonkeyPatch, postgres_url: str
) -> None:
    import redis

    try:
        redis.Redis.from_url("redis://127.0.0.1:6379/9", socket_timeout=3).flushdb()
    except redis.RedisError as exc:
        from tests.conftest import skip_or_fail

        skip_or_fail(f"Redis is not reachable at 127.0.0.1:6379: {exc}")
    monkeypatch.setenv("NEWSDESK_BROKER_URL", "redis://127.0.0.1:6379/9")
    monkeypatch.setenv("NEWSDESK_DATABASE_URL", postgres_url)
    from newsdesk.config import get_settings

    get_settings.cache_clear()
    data = cli("status", "--format", "json").json()
    assert data["queues"] == {"fetch": 0, "fulltext": 0, "enrich": 0, "stories": 0, "editions": 0}
    assert set(data) >= {"running", "failed", "retried", "leader", "oldest_waiting_seconds"}
    assert data["leader"] is None
