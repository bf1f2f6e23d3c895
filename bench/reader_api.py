"""Reader apps: Google Reader API latency for a user with 500 subscriptions, SQLite and PostgreSQL.

Builds a fresh store on each engine: 500 fictional sources (10 folders), N articles spread
over them in arrival order, one user following all 500, who has read everything up to
the middle (one "mark all read" before a time) and a few hundred single articles above it.
Then calls the app in-process (FastAPI TestClient: the app, the store and the JSON, not
the network) and reports p50 and p95 of:

- ``stream/contents`` of the reading list with ``n=1000`` (first page and a continuation),
- ``stream/contents`` of one folder with ``n=1000`` and ``xt=read``,
- ``unread-count``.

    python bench/reader_api.py            # 1,000,000 articles, 30 calls each
    python bench/reader_api.py --quick    # 100,000 articles, 15 calls each
    python bench/reader_api.py --reuse    # build each store once, keep it, reuse it next time

``--reuse`` keeps the SQLite file under ``--cache`` and a PostgreSQL database named
``bench_reader_<N>``; a later run migrates them (new indexes) and measures without rebuilding.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
SOURCES = 500
EMAIL = "reader@example.org"


def _articles(db: object, n: int, start: datetime) -> None:
    from newsdesk.store.tables import sources

    t0 = start
    with db.begin() as conn:  # type: ignore[attr-defined]
        conn.execute(
            sources.insert(),
            [
                {
                    "url": f"https://outlet{i}.example/feed",
                    "kind": "feed",
                    "title": f"Outlet {i} Courier",
                    "tags": [f"folder{i % 10}"],
                    "created_at": t0,
                    "updated_at": t0,
                }
                for i in range(SOURCES)
            ],
        )
    cols = (
        "url, content_hash, title, title_generated, authors, contributors, credits, source_id,"
        " published_at, fetched_at, language, paragraphs, body, word_count, extraction_method,"
        " warnings, created_at"
    )
    chunk = 20_000
    with db.begin() as conn:  # type: ignore[attr-defined]
        pg = conn.dialect.name == "postgresql"
        marks = ", ".join(["%s" if pg else "?"] * 17)
        # The search and author indexes' insert trigger is off for the bulk load (8x faster;
        # the reader API never reads those indexes) and back on after it.
        if pg:
            conn.exec_driver_sql("ALTER TABLE articles DISABLE TRIGGER articles_follow_sync")
            restore = ["ALTER TABLE articles ENABLE TRIGGER articles_follow_sync"]
        else:
            restore = [
                str(r[0])
                for r in conn.exec_driver_sql(
                    "SELECT sql FROM sqlite_master WHERE type = 'trigger'"
                    " AND name = 'articles_follow_ai'"
                )
            ]
            conn.exec_driver_sql("DROP TRIGGER IF EXISTS articles_follow_ai")
        for base in range(0, n, chunk):
            rows = []
            for i in range(base, min(n, base + chunk)):
                when = start + timedelta(seconds=30 * i)
                stamp = when if pg else when.strftime("%Y-%m-%d %H:%M:%S.%f")
                rows.append(
                    (
                        f"https://outlet{i % SOURCES}.example/a/{i}",
                        f"bench-{i}",
                        f"Harbour council note number {i}",
                        False,
                        '["Ines Varga"]',
                        "[]",
                        "[]",
                        (i % SOURCES) + 1,
                        stamp,
                        stamp,
                        "en",
                        '["A short fictional note about the harbour.", "A second paragraph."]',
                        "A short fictional note about the harbour.",
                        9,
                        "bench",
                        "[]",
                        stamp,
                    )
                )
            conn.exec_driver_sql(f"INSERT INTO articles ({cols}) VALUES ({marks})", rows)
        for statement in restore:
            conn.exec_driver_sql(statement)


def _token(db: object) -> str | None:
    """A fresh app password of the bench user of a kept store (None: the store is not built)."""
    from sqlalchemy import select

    from newsdesk.follow.accounts import create_api_token
    from newsdesk.store.tables.accounts import users

    with db.begin() as conn:  # type: ignore[attr-defined]
        found = conn.execute(select(users.c.id).where(users.c.email == EMAIL)).scalar()
        if found is None:
            return None
        return create_api_token(conn, int(found), "bench", now=datetime.now(UTC))


def _built(db: object, n: int) -> bool:
    from sqlalchemy import func, select

    from newsdesk.store.tables import articles

    with db.begin() as conn:  # type: ignore[attr-defined]
        return int(conn.execute(select(func.count()).select_from(articles)).scalar_one()) == n


def _user(db: object, n: int, start: datetime) -> str:
    from newsdesk.follow import follows
    from newsdesk.follow import read_state as rs
    from newsdesk.follow.accounts import create_api_token, create_user

    now = datetime.now(UTC)
    with db.begin() as conn:  # type: ignore[attr-defined]
        user = create_user(conn, EMAIL, now=now)
        for i in range(1, SOURCES + 1):
            follows.follow(conn, user.id, "source", str(i), now=now, window=timedelta(days=1))
        token = create_api_token(conn, user.id, "bench", now=now)
        middle = start + timedelta(seconds=30 * (n // 2))
        rs.mark(conn, user.id, rs.MarkTarget("all"), read=True, now=now, before=middle)
        ids = tuple(range(n // 2 + 10, n, max(1, n // 1000)))[:300]
        rs.mark(conn, user.id, rs.MarkTarget("ids", ids=ids), read=True, now=now)
    return token


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def _time(call: object, runs: int) -> tuple[float, float, float, float]:
    """p50 and p95 of wall time, then of this process's CPU time (every thread: the app's
    and the client's), in ms. On a shared, loaded machine wall time waits for a core;
    CPU time is what one call costs."""
    times, cpu = [], []
    for _ in range(runs):
        t, c = time.perf_counter(), time.process_time()
        got = call()  # type: ignore[operator]
        times.append((time.perf_counter() - t) * 1000)
        cpu.append((time.process_time() - c) * 1000)
        assert got.status_code == 200, got.text[:300]
    return statistics.median(times), _p95(times), statistics.median(cpu), _p95(cpu)


def run(url: str, n: int, runs: int, *, reuse: bool = False) -> dict[str, object]:
    from fastapi.testclient import TestClient

    from newsdesk.config import get_settings
    from newsdesk.store.db import Database, make_engine, migrate
    from newsdesk.web.app import create_app

    engine = make_engine(url)
    migrate(engine)
    db = Database(engine)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    t = time.perf_counter()
    token = _token(db) if reuse else None
    if token is None:
        if not (reuse and _built(db, n)):  # a kept store cut short after its articles
            _articles(db, n, start)
        token = _user(db, n, start)
    build_s = time.perf_counter() - t
    if engine.dialect.name == "postgresql":
        # a live database's autovacuum keeps statistics and the visibility map (index-only
        # scans) current; a bulk load has neither until it runs, so run it once here
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE")
    client = TestClient(create_app(get_settings(), db=db))
    auth = {"Authorization": f"GoogleLogin auth={token}"}
    g = "/api/greader/reader/api/0"
    first = client.get(
        g + "/stream/contents/user/-/state/com.google/reading-list?n=1000", headers=auth
    ).json()
    assert len(first["items"]) == 1000
    cont = first["continuation"]
    load = os.getloadavg()[0]
    results = {
        "reading-list n=1000": _time(
            lambda: client.get(
                g + "/stream/contents/user/-/state/com.google/reading-list",
                params={"n": 1000},
                headers=auth,
            ),
            runs,
        ),
        "reading-list n=1000 continuation": _time(
            lambda: client.get(
                g + "/stream/contents/user/-/state/com.google/reading-list",
                params={"n": 1000, "c": cont},
                headers=auth,
            ),
            runs,
        ),
        "folder n=1000 xt=read": _time(
            lambda: client.get(
                g + "/stream/contents/user/-/label/folder3",
                params={"n": 1000, "xt": "user/-/state/com.google/read"},
                headers=auth,
            ),
            runs,
        ),
        "unread-count": _time(lambda: client.get(g + "/unread-count", headers=auth), runs),
    }
    unread = client.get(g + "/unread-count", headers=auth).json()["max"]
    engine.dispose()
    return {
        "build_s": round(build_s, 1),
        "unread": unread,
        "load_before": round(load, 1),
        "load_after": round(os.getloadavg()[0], 1),
        **{
            k: {
                "p50_ms": round(v[0], 1),
                "p95_ms": round(v[1], 1),
                "cpu_p50_ms": round(v[2], 1),
                "cpu_p95_ms": round(v[3], 1),
            }
            for k, v in results.items()
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--articles", type=int)
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--no-sqlite", action="store_true")
    parser.add_argument("--runs", type=int, help="calls per measure (15 quick, 30 full)")
    parser.add_argument("--reuse", action="store_true", help="keep the built stores and reuse them")
    parser.add_argument("--cache", default="/tmp/newsdesk-bench", help="where --reuse keeps SQLite")
    args = parser.parse_args()
    n = args.articles or (100_000 if args.quick else 1_000_000)
    runs = args.runs or (15 if args.quick else 30)
    out: dict[str, object] = {"articles": n, "sources": SOURCES, "runs": runs}
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["NEWSDESK_DATA_DIR"] = tmp
        os.environ["NEWSDESK_LOG_LEVEL"] = "WARNING"
        if not args.no_sqlite:
            folder = Path(args.cache) if args.reuse else Path(tmp)
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / f"reader_api_{n}.db"
            out["sqlite"] = run(f"sqlite:///{path}", n, runs, reuse=args.reuse)
        if not args.no_postgres:
            import psycopg

            name = f"bench_reader_{n}" if args.reuse else "bench_reader_" + uuid.uuid4().hex[:8]
            with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
                there = admin.execute(
                    "SELECT 1 FROM pg_database WHERE datname = %s", (name,)
                ).fetchone()
                if there is None:
                    admin.execute(f"CREATE DATABASE {name}")
            try:
                out["postgresql"] = run(
                    f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}",
                    n,
                    runs,
                    reuse=args.reuse,
                )
            finally:
                if not args.reuse:
                    with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
                        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    json.dump(out, sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    main()
