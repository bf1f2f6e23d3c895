"""Articles per second through the whole pipeline: in-process, then 1 and 2 worker processes.

Same run, same machine, same corpus of fictional feeds served on loopback, a
fresh PostgreSQL database for each mode and a Redis database for the workers.
Also: how fast a burst of refresh jobs is enqueued and how old its oldest job
gets. ``--quick`` uses a small corpus and a burst of 1,000 (not 10,000).

    PYTHONPATH=src:. python bench/workers.py --quick
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.sources.local_server import LocalServer, Reply
from tests.workers import test_distributed as harness
from tests.workers.corpus import feeds


def _set_env(env: dict[str, str]) -> None:
    for key in [k for k in os.environ if k.startswith("NEWSDESK_")]:
        del os.environ[key]
    for key, value in env.items():
        if key.startswith("NEWSDESK_"):
            os.environ[key] = value
    from newsdesk.config import get_settings

    get_settings.cache_clear()


def _wait_done(expected: int, timeout: float = 600.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if harness._article_count() >= expected and harness._waiting() == 0:
            return
        time.sleep(0.2)
    raise SystemExit("timed out")


def run_mode(workers: int, urls: list[str], expected: int, tmp: Path, redis_url: str) -> float:
    pg = harness._fresh_pg()
    db_url = next(pg)
    env = harness._env(tmp / f"m{workers}", db_url, redis_url if workers else None)
    _set_env(env)
    harness._add_sources(urls)
    started = time.perf_counter()
    procs = []
    try:
        if workers == 0:
            from newsdesk.jobs.enrichment import enrich_pending
            from newsdesk.jobs.refresh import refresh_due
            from newsdesk.store.db import open_database

            refresh_due()
            enrich_pending(open_database())
        else:
            (tmp / f"m{workers}").mkdir(parents=True, exist_ok=True)
            log = tmp / f"m{workers}" / "log"
            procs.append(harness._start(env, "scheduler", log=log.with_suffix(".s")))
            for i in range(workers):
                procs.append(harness._start(env, "worker", log=log.with_suffix(f".w{i}")))
            _wait_done(expected)
        elapsed = time.perf_counter() - started
    finally:
        for proc in procs:
            harness._kill(proc, signal.SIGTERM)
        next(pg, None)
    return expected / elapsed


def burst(size: int, redis_url: str, tmp: Path) -> dict[str, float]:
    """Enqueue ``size`` refresh jobs at once; enqueue rate and the oldest job's age after."""
    import redis

    pg = harness._fresh_pg()
    env = harness._env(tmp / "burst", next(pg), redis_url)
    _set_env(env)
    from newsdesk.jobs import celery_app
    from newsdesk.jobs.workers_status import oldest_wait, queue_depths

    celery_app.configure()
    started = time.perf_counter()
    for i in range(size):
        celery_app.enqueue("newsdesk.refresh_source", i + 1)
    enqueue_s = time.perf_counter() - started
    result = {
        "jobs": size,
        "enqueue_per_s": round(size / enqueue_s),
        "depth": float(queue_depths()["fetch"] or 0),
        "oldest_wait_s": round(oldest_wait() or 0.0, 2),
    }
    redis.Redis.from_url(redis_url).flushdb()
    next(pg, None)
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    count, per_feed, burst_size = (12, 5, 1000) if args.quick else (12, 20, 10000)
    redis_url = "redis://127.0.0.1:6379/14"
    import redis

    redis.Redis.from_url(redis_url).flushdb()
    server = LocalServer()
    corpus = feeds(count, per_feed)
    urls = [server.set(path, Reply(200, body)) for path, body in corpus.items()]
    expected = sum(body.count(b"<item>") for body in corpus.values())
    results: dict[str, object] = {"articles": expected}
    with tempfile.TemporaryDirectory() as tmp_dir:
        tmp = Path(tmp_dir)
        for workers, name in ((0, "in_process"), (1, "one_worker"), (2, "two_workers")):
            results[f"{name}_articles_per_s"] = round(
                run_mode(workers, urls, expected, tmp, redis_url), 2
            )
        results["burst"] = burst(burst_size, redis_url, tmp)
    server.close()
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
