"""/healthz, /readyz and /metrics answer without a session, on both stores."""

from __future__ import annotations

from typing import Any

import httpx


def test_readyz_checks_the_database_and_metrics_are_prometheus_text(live: Any) -> None:
    assert httpx.get(f"{live.url}/healthz", timeout=5).json() == {"ok": True}
    ready = httpx.get(f"{live.url}/readyz", timeout=5)
    assert ready.status_code == 200
    assert ready.json() == {"ready": True, "checks": {"database": "ok"}}
    metrics = httpx.get(f"{live.url}/metrics", timeout=5)
    assert metrics.status_code == 200
    assert metrics.headers["content-type"].startswith("text/plain")
    assert "newsdesk_articles_stored" in metrics.text
    assert "newsdesk_job_seconds" in metrics.text
