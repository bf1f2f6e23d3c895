"""What one job of each kind costs: CPU ms, SQL statements, rows and bytes written in PostgreSQL.

The capacity model in docs/scaling.md multiplies these by the job rates of a
100,000-source, 10,000-user instance. Each kind is the same ``jobs`` unit a
Celery task calls, run here in this process on a fresh PostgreSQL database:

* ``refresh_new``: refresh a source whose feed has new items (fetch, parse, extract, store);
* ``refresh_304``: refresh an unchanged source (a conditional request answered 304);
* ``full_text``: the extra cost of fetching and extracting one linked page (a refresh of a
  summary-only feed with full text on, less a refresh of the same feed with it off);
* ``enrich``: enrich a batch (understand, then group into stories), per batch and per article;
* ``group``: the story grouping step alone (timed inside ``enrich`` by wrapping its enricher);
* ``edition``: build and send one edition (``send_edition``), to an aiosmtpd sink;
* ``editions_round``: the scheduler's round, building and sending many editions at once.

What is counted, and how:

* CPU: this process's CPU time (``time.process_time``: every thread) over the phase. The
  HTTP server and the SMTP server run in other processes, so their CPU is not counted.
* Queries: SQLAlchemy ``before_cursor_execute`` events (an ``executemany`` counts once).
* Rows written: ``n_tup_ins + n_tup_upd + n_tup_del`` summed over this database's tables
  (``pg_stat_user_tables``; the pool is closed after each phase so its counters are flushed).
* Bytes stored: ``pg_total_relation_size`` summed over the tables, before and after (tables,
  indexes and TOAST; grows by whole 8 KiB pages, so small phases round up or down).
* WAL bytes: ``pg_current_wal_insert_lsn`` before and after. The WAL is the whole server's,
  shared with other sessions on this machine, so read it as an upper bound.

    PYTHONPATH=src:. python bench/job_costs.py --quick
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import resource
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.workers import test_distributed as harness
from tests.workers.corpus import EVENTS, FILLER, feeds

STORY_TABLES = ("stories", "story_members")


# --- the peers in processes of their own (their CPU is not the job's) ---------------------


def _page(n: int) -> bytes:
    title, lead = EVENTS[n % len(EVENTS)]
    paragraphs = "".join(
        f"<p>{lead} {FILLER} Paragraph {k} of the full report, number {n}.</p>" for k in range(6)
    )
    return (
        f"<!doctype html><html><head><title>{title}</title></head><body>"
        f"<header><nav><a href='/'>Home</a></nav></header><article><h1>{title}</h1>"
        f"<p class='byline'>By Odile Marchetti</p>{paragraphs}</article>"
        "<footer>Fictional outlet for newsdesk's benchmarks</footer></body></html>"
    ).encode()


def _summary_feed(base: str, count: int, folder: str = "pages") -> bytes:
    items = "".join(
        f"<item><title>{EVENTS[n % len(EVENTS)][0]} ({folder} {n})</title>"
        f"<link>{base}/{folder}/{n}</link><guid>{base}/{folder}/{n}</guid>"
        f"<description>Short note {n}.</description></item>"
        for n in range(count)
    )
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Full-text desk</title>'
        f"<link>{base}/</link><description>Summaries only</description>{items}</channel></rss>"
    ).encode()


def _serve(conn: Any, count: int, per_feed: int, pages: int) -> None:
    """The HTTP peer: the corpus feeds (with ETags, so a second fetch is a 304) and pages."""
    from tests.sources.local_server import LocalServer, Reply, conditional

    server = LocalServer()
    urls = [
        server.set(path, conditional(body, etag=f'"{abs(hash(body))}"'))
        for path, body in feeds(count, per_feed).items()
    ]
    for n in range(pages):
        for folder in ("pages", "warm"):
            server.set(f"/{folder}/{n}", Reply(200, _page(n), {"Content-Type": "text/html"}))
    summary = server.set("/summaries.rss", Reply(200, _summary_feed(server.base, pages)))
    # Warms the fetch and extraction code on pages of its own (not measured).
    plain = server.set("/warm.rss", Reply(200, _summary_feed(server.base, 2, "warm")))
    conn.send((urls, summary, plain))
    conn.recv()  # until told to stop
    server.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# --- measuring -------------------------------------------------------------------------------


@dataclass
class Counters:
    queries: int = 0
    phase_queries: dict[str, int] = field(default_factory=dict)


COUNTERS = Counters()


def _count_queries() -> None:
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    def before(*_args: Any) -> None:
        COUNTERS.queries += 1

    event.listen(Engine, "before_cursor_execute", before)


class Stats:
    """This database's counters, read over a psycopg connection of its own (not counted)."""

    def __init__(self, url: str) -> None:
        import psycopg

        self.conn = psycopg.connect(url, autocommit=True)

    def read(self) -> dict[str, Any]:
        rows = self.conn.execute(
            "SELECT relname, n_tup_ins + n_tup_upd + n_tup_del, pg_total_relation_size(relid) "
            "FROM pg_stat_user_tables"
        ).fetchall()
        (lsn,) = self.conn.execute("SELECT pg_current_wal_insert_lsn()").fetchone()  # type: ignore[misc]
        return {
            "rows": {r[0]: int(r[1]) for r in rows},
            "bytes": {r[0]: int(r[2]) for r in rows},
            "lsn": str(lsn),
        }

    def wal_between(self, a: str, b: str) -> int:
        (diff,) = self.conn.execute("SELECT pg_wal_lsn_diff(%s, %s)", (b, a)).fetchone()  # type: ignore[misc]
        return int(diff)


def _flush_pool() -> None:
    """Close the pool's connections: a backend flushes its table counters when it exits."""
    from newsdesk.store.db import open_database

    open_database().engine.dispose()
    time.sleep(0.5)


def _cpu() -> float:
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


@dataclass
class Phase:
    name: str
    jobs: int
    cpu_s: float
    queries: int
    rows: dict[str, int]
    bytes: dict[str, int]
    wal: int
    wall_s: float
    unit: str = "job"
    extra: dict[str, Any] = field(default_factory=dict)

    def per_job(self, tables: tuple[str, ...] | None = None) -> dict[str, Any]:
        rows = sum(v for k, v in self.rows.items() if tables is None or k in tables)
        size = sum(v for k, v in self.bytes.items() if tables is None or k in tables)
        n = max(self.jobs, 1)
        return {
            "jobs": self.jobs,
            "unit": self.unit,
            "cpu_ms": round(1000 * self.cpu_s / n, 1),
            "queries": round(self.queries / n, 1),
            "rows_written": round(rows / n, 1),
            "bytes_stored": round(size / n),
            "wal_bytes_upper_bound": round(self.wal / n),
            "wall_ms": round(1000 * self.wall_s / n, 1),
            **self.extra,
        }


@contextmanager
def measure(stats: Stats, name: str, jobs: int, out: list[Phase], **extra: Any) -> Iterator[None]:
    _flush_pool()
    before = stats.read()
    queries, cpu, wall = COUNTERS.queries, _cpu(), time.perf_counter()
    yield
    cpu, wall = _cpu() - cpu, time.perf_counter() - wall
    queries = COUNTERS.queries - queries
    _flush_pool()
    after = stats.read()
    out.append(
        Phase(
            name,
            jobs,
            cpu,
            queries,
            {k: v - before["rows"].get(k, 0) for k, v in after["rows"].items()},
            {k: v - before["bytes"].get(k, 0) for k, v in after["bytes"].items()},
            stats.wal_between(before["lsn"], after["lsn"]),
            wall,
            extra=extra,
        )
    )


# --- the run ---------------------------------------------------------------------------------


def _set_env(env: dict[str, str]) -> None:
    for key in [k for k in os.environ if k.startswith("NEWSDESK_")]:
        del os.environ[key]
    os.environ.update({k: v for k, v in env.items() if k.startswith("NEWSDESK_")})
    from newsdesk.config import get_settings

    get_settings.cache_clear()


def _source_ids(urls: list[str]) -> list[int]:
    from sqlalchemy import select

    from newsdesk.store.db import open_database
    from newsdesk.store.tables import sources

    with open_database().connect() as conn:
        rows = conn.execute(select(sources.c.id, sources.c.url)).all()
    by_url = {r.url: int(r.id) for r in rows}
    return [by_url[u] for u in urls]


def _readers(count: int, urls: list[str], slot: str, now: datetime, tag: str) -> list[int]:
    from newsdesk.follow import actions
    from newsdesk.jobs.editions import set_user_editions
    from newsdesk.store.db import open_database

    db = open_database()
    ids = []
    hhmm = (now - timedelta(minutes=5)).strftime("%H:%M")
    off = "off"
    for n in range(count):
        email = f"{tag}{n}@example.org"
        ids.append(actions.add_user(email, db=db, now=now - timedelta(days=1)).id)
        for k in range(3):
            url = urls[(n + k) % len(urls)]
            actions.follow(email, "source", url, window=timedelta(days=2), db=db)
        set_user_editions(
            email,
            time_zone="UTC",
            morning=hhmm if slot == "morning" else off,
            evening=hhmm if slot == "evening" else off,
            now=now,
        )
    return ids


def run(count: int, per_feed: int, pages: int, users: int) -> dict[str, Any]:
    from newsdesk.jobs import pipeline
    from newsdesk.jobs.enrichers.stories import assign_article

    ctx = multiprocessing.get_context("fork")
    parent, child = ctx.Pipe()
    http = ctx.Process(target=_serve, args=(child, count, per_feed, pages), daemon=True)
    http.start()  # forked before this process starts any thread
    urls, summary_url, plain_url = parent.recv()
    smtp_port = _free_port()
    smtp = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "aiosmtpd",
            "-n",
            "-c",
            "aiosmtpd.handlers.Sink",
            "-l",
            f"127.0.0.1:{smtp_port}",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    pg = harness._fresh_pg()
    db_url = next(pg)
    phases: list[Phase] = []
    try:
        with tempfile.TemporaryDirectory() as tmp:
            env = harness._env(Path(tmp), db_url, None) | {
                "NEWSDESK_SMTP_HOST": "127.0.0.1",
                "NEWSDESK_SMTP_PORT": str(smtp_port),
                "NEWSDESK_SECRET_KEY": "bench-secret-for-job-costs",
                "NEWSDESK_BASE_URL": "https://news.example.org",
                "NEWSDESK_MAIL_FROM": "newsdesk <editions@news.example.org>",
            }
            _set_env(env)
            _count_queries()
            stats = Stats(db_url)
            harness._add_sources([*urls, summary_url, plain_url])
            ids = _source_ids(urls)
            from newsdesk.jobs.refresh import refresh_source

            with measure(stats, "refresh_new", len(ids), phases, items_per_job=per_feed):
                for source_id in ids:
                    refresh_source(source_id, enrich=True)
            with measure(stats, "refresh_304", len(ids), phases):
                for source_id in ids:
                    refresh_source(source_id, enrich=True)
            _set_env(env | {"NEWSDESK_FETCH_FULL_TEXT": "true"})
            # Warm the imports of fetching and extraction on a feed that is not measured.
            refresh_source(_source_ids([plain_url])[0], enrich=True)
            (summary_id,) = _source_ids([summary_url])
            with measure(stats, "refresh_full_text", 1, phases, pages_per_job=pages):
                refresh_source(summary_id, enrich=True)
            _set_env(env)
            # Understanding loads its model on first use: load it before measuring.
            from newsdesk.understand.nlp import get_nlp

            get_nlp()
            from newsdesk.jobs.enrichment import BATCH_SIZE, enrich_batch, waiting
            from newsdesk.store.db import open_database

            group = {"cpu": 0.0, "queries": 0, "calls": 0}

            def timed_assign(ictx: Any) -> None:
                q, c = COUNTERS.queries, time.process_time()
                assign_article(ictx)
                group["cpu"] += time.process_time() - c
                group["queries"] += COUNTERS.queries - q
                group["calls"] += 1

            enrichers = pipeline.ENRICHERS
            pipeline.ENRICHERS = tuple(
                timed_assign if e is assign_article else e for e in enrichers
            )
            articles = waiting(open_database())
            batches = 0
            try:
                with measure(stats, "enrich", 0, phases, articles=articles):
                    while waiting(open_database()):
                        enrich_batch(BATCH_SIZE)
                        batches += 1
            finally:
                pipeline.ENRICHERS = enrichers
            enrich = phases[-1]
            enrich.jobs = batches
            enrich.unit = f"batch of up to {BATCH_SIZE}"
            enrich.extra["articles_per_batch"] = round(articles / max(batches, 1), 1)
            # Grouping: CPU and queries timed inside; rows and bytes are the story tables'.
            grouping = Phase(
                "group",
                int(group["calls"]),
                float(group["cpu"]),
                int(group["queries"]),
                {k: v for k, v in enrich.rows.items() if k in STORY_TABLES},
                {k: v for k, v in enrich.bytes.items() if k in STORY_TABLES},
                0,
                0.0,
                unit="article",
            )
            from newsdesk.jobs.editions import due_editions, send_edition

            now = datetime.now(UTC)
            solo = _readers(users, urls, "morning", now, "solo")
            day = (now - timedelta(minutes=5)).date().isoformat()
            with measure(stats, "edition", len(solo), phases):
                sent = [send_edition(uid, day, "morning", now=now).outcome for uid in solo]
            phases[-1].extra["sent"] = sent.count("sent")
            _readers(users, urls, "evening", now, "round")
            with measure(stats, "editions_round", users, phases):
                report = due_editions(now)
            phases[-1].extra["sent"] = report.count("sent")
            phases[-1].unit = "edition (in a round)"
            stats.conn.close()
    finally:
        from newsdesk.store.db import close_all

        close_all()
        next(pg, None)
        parent.send("stop")
        http.join(timeout=10)
        smtp.terminate()
        smtp.wait(timeout=10)
    by_name = {p.name: p for p in phases}
    result: dict[str, Any] = {p.name: p.per_job() for p in phases}
    # Grouping's WAL and wall time cannot be told apart from the rest of its batch.
    result["group"] = grouping.per_job() | {"wal_bytes_upper_bound": None, "wall_ms": None}
    result["enrich_per_article"] = enrich.per_job() | {"jobs": articles}
    for key in ("cpu_ms", "queries", "rows_written", "bytes_stored", "wal_bytes_upper_bound"):
        result["enrich_per_article"][key] = round(
            result["enrich"][key] * batches / max(articles, 1), 1
        )
    result["enrich_per_article"]["unit"] = "article"
    ft, plain = by_name["refresh_full_text"].per_job(), result["refresh_new"]
    result["full_text_page"] = {
        "unit": "page (CPU: the full-text refresh less a plain refresh of as many items)",
        "cpu_ms": round((ft["cpu_ms"] - plain["cpu_ms"] / per_feed * pages) / pages, 1),
        **{k: round(ft[k] / pages, 1) for k in ("queries", "rows_written", "bytes_stored")},
    }
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    count, per_feed, pages, users = (12, 5, 10, 10) if args.quick else (12, 20, 20, 50)
    load = os.getloadavg()
    started = time.perf_counter()
    result = run(count, per_feed, pages, users)
    print(
        json.dumps(
            {
                "sizes": {
                    "feeds": count,
                    "items_per_feed": per_feed,
                    "pages": pages,
                    "users": users,
                },
                "load_before": [round(x, 2) for x in load],
                "load_after": [round(x, 2) for x in os.getloadavg()],
                "seconds": round(time.perf_counter() - started, 1),
                "per_job": result,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
