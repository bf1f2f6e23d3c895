"""Articles per second through the whole pipeline: in-process, then 1 and 2 worker processes.

Same run, same machine, same corpus of fictional feeds served on loopback, a
fresh PostgreSQL database for each mode and a Redis database for the workers.
Also a burst of 10,000 refresh jobs (``--quick``: 1,000) of sources that answer
304 from the local server, drained by 1 and then 2 worker processes (concurrency 1
each): the enqueue-to-start latency of every job (p50, p95, max; each worker notes
when a job starts, through a Celery ``task_prerun`` hook) and the oldest waiting
job's age (what ``newsdesk status`` shows), sampled every half second.

    PYTHONPATH=src:. python bench/workers.py --quick [--burst-only]
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

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


#: Runs ``newsdesk worker`` with a Celery ``task_prerun`` hook that notes when each job starts
#: (its source id and the time) in a Redis list: enqueue-to-start, measured where it happens.
PROBE = """
import os, sys, time
from celery.signals import task_prerun
_client = []
@task_prerun.connect
def _started(sender=None, task_id=None, task=None, args=None, **_):
    if not _client:
        import redis
        _client.append(redis.Redis.from_url(os.environ["NEWSDESK_BROKER_URL"]))
    _client[0].rpush("bench:starts", f"{args[0] if args else -1} {time.time()}")
sys.argv = ["newsdesk", *sys.argv[1:]]
from newsdesk.cli import main
main()
"""


def _start_probed(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    handle = log.open("wb")
    return subprocess.Popen(
        [sys.executable, "-c", PROBE, "worker", "--queues", "fetch", "--concurrency", "1"],
        env=env,
        stdout=handle,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def _unchanged_sources(count: int, server: LocalServer) -> list[int]:
    """``count`` sources on the local server that answer 304: their ETag is already stored."""
    from sqlalchemy import update
    from tests.sources.local_server import conditional

    from newsdesk.store import sources as repo
    from newsdesk.store.db import open_database
    from newsdesk.store.tables import sources

    body = feeds(1, 3)[next(iter(feeds(1, 3)))]
    answer = conditional(body, etag='"unchanged"')
    now = datetime.now(UTC)
    ids = []
    with open_database().begin() as conn:
        for i in range(count):
            url = server.set(f"/burst/{i}.rss", answer)
            ids.append(repo.add_source(conn, url, now=now)[0])
        conn.execute(update(sources).values(etag='"unchanged"'))
    return ids


def _worker_cpu(procs: list[subprocess.Popen[bytes]]) -> float:
    """CPU seconds used so far by these worker processes and their pool children."""
    import psutil

    total = 0.0
    for proc in procs:
        parent = psutil.Process(proc.pid)
        for p in [parent, *parent.children(recursive=True)]:
            try:
                times = p.cpu_times()
                total += times.user + times.system
            except psutil.Error:
                pass
    return total


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def burst(
    size: int, workers: int, ids: list[int], env: dict[str, str], tmp: Path
) -> dict[str, Any]:
    """Enqueue ``size`` refresh jobs of unchanged (304) sources at once to ``workers`` worker
    processes (concurrency 1 each): enqueue-to-start latency and the oldest waiting job's age."""
    import redis

    from newsdesk.jobs import celery_app
    from newsdesk.jobs.workers_status import oldest_wait, queue_depths

    client = redis.Redis.from_url(env["NEWSDESK_BROKER_URL"])
    client.flushdb()
    celery_app.configure()
    (tmp / "burst").mkdir(parents=True, exist_ok=True)
    procs = [_start_probed(env, tmp / "burst" / f"w{workers}.{i}.log") for i in range(workers)]
    try:
        # Warm up: every worker process has started and run a job before the burst.
        for sid in ids[: 4 * workers]:
            celery_app.enqueue("newsdesk.refresh_source", sid)
        deadline = time.monotonic() + 300
        while client.llen("bench:starts") < 4 * workers or (queue_depths()["fetch"] or 0) > 0:
            if time.monotonic() > deadline:
                raise SystemExit("the workers did not start")
            time.sleep(0.2)
        time.sleep(2)
        client.delete("bench:starts")
        load_before = os.getloadavg()
        samples: list[tuple[float, float, int]] = []
        enqueued: dict[int, float] = {}
        stop = threading.Event()

        def sample() -> None:
            while not stop.is_set():
                samples.append((time.time(), oldest_wait() or 0.0, queue_depths()["fetch"] or 0))
                stop.wait(0.5)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        worker_cpu = _worker_cpu(procs)
        started, enqueue_cpu = time.time(), time.process_time()
        jobs = [ids[i % len(ids)] for i in range(size)]
        for n, sid in enumerate(jobs):
            enqueued[n] = time.time()
            celery_app.enqueue("newsdesk.refresh_source", sid)
        enqueue_s, enqueue_cpu = time.time() - started, time.process_time() - enqueue_cpu
        deadline = time.monotonic() + 3600
        while client.llen("bench:starts") < size:
            if time.monotonic() > deadline:
                raise SystemExit("the burst did not drain")
            time.sleep(0.5)
        drained_s = time.time() - started
        worker_cpu = _worker_cpu(procs) - worker_cpu
        stop.set()
        sampler.join()
        load_after = os.getloadavg()
        starts = sorted(float(raw.split()[1]) for raw in client.lrange("bench:starts", 0, -1))
    finally:
        for proc in procs:
            harness._kill(proc, signal.SIGTERM)
    # Jobs leave one FIFO queue in order: the n-th start is the n-th job enqueued.
    waits = [starts[n] - enqueued[n] for n in range(size)]
    return {
        "workers": workers,
        "jobs": size,
        "enqueue_per_s": round(size / enqueue_s),
        "enqueue_cpu_ms_per_job": round(1000 * enqueue_cpu / size, 2),
        "worker_cpu_ms_per_job": round(1000 * worker_cpu / size, 1),
        "drain_s": round(drained_s, 1),
        "jobs_per_s": round(size / drained_s, 1),
        "p50_wait_s": round(_percentile(waits, 0.50), 2),
        "p95_wait_s": round(_percentile(waits, 0.95), 2),
        "max_wait_s": round(max(waits), 2),
        "oldest_waiting_peak_s": round(max(s[1] for s in samples), 2),
        "depth_peak": max(s[2] for s in samples),
        "load_before": [round(x, 2) for x in load_before],
        "load_after": [round(x, 2) for x in load_after],
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--burst-only", action="store_true", help="skip the articles/s runs")
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
        if not args.burst_only:
            for workers, name in ((0, "in_process"), (1, "one_worker"), (2, "two_workers")):
                results[f"{name}_articles_per_s"] = round(
                    run_mode(workers, urls, expected, tmp, redis_url), 2
                )
        pg = harness._fresh_pg()
        env = harness._env(tmp / "burst", next(pg), redis_url)
        _set_env(env)
        try:
            ids = _unchanged_sources(min(burst_size, 2000), server)
            bursts: list[dict[str, Any]] = []
            results["burst"] = bursts
            for workers in (2, 1):  # each printed as it ends: the 10,000-job runs are long
                bursts.append(burst(burst_size, workers, ids, env, tmp))
                print(json.dumps(bursts[-1]), file=sys.stderr, flush=True)
        finally:
            from newsdesk.store.db import close_all

            close_all()
            next(pg, None)
            redis.Redis.from_url(redis_url).flushdb()
    server.close()
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
