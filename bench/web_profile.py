"""Web: single-client latency and SQL statements per page, and a profile of one page.

The load run (``bench/web_load.py``) measures a queue on this shared machine; this
measures what one request costs, which is what a change to the app can move: the
same corpus (``bench/follow_queries.py``), the app in this process (Starlette's
TestClient, no network), one signed-in reader at a time (users in turn), and a
counter of the SQL statements each request sends (a SQLAlchemy cursor event). CPU
time of this process per request (the app's own work; a PostgreSQL server's is not in
it) is the figure that survives a loaded machine best.

    python bench/web_profile.py --quick                      # 10,000 articles, 100 users
    python bench/web_profile.py                              # 100,000 articles, 1,000 users
    python bench/web_profile.py --quick --profile /unread    # pyinstrument text of one page
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
PAGES = ("For you", "Following", "Unread", "Article")


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _paths(name: str, rng: random.Random, newest: int) -> str:
    if name == "For you":
        return "/"
    if name == "Following":
        return "/following"
    if name == "Unread":
        return "/unread"
    return f"/articles/{rng.randint(max(1, newest - 20_000), newest)}"


def measure(url: str, data_dir: Path, sessions: list[str], newest: int, args: Any) -> dict:
    from fastapi.testclient import TestClient
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    from newsdesk.config import load_settings
    from newsdesk.web.app import create_app

    counter = {"n": 0}

    def count(*_: Any) -> None:
        counter["n"] += 1

    event.listen(Engine, "before_cursor_execute", count)
    settings = load_settings(database_url=url, data_dir=data_dir, log_level="ERROR")
    app = create_app(settings)
    client = TestClient(app)
    rng = random.Random(7)
    out: dict[str, dict[str, float]] = {}
    try:
        # Warm up: the first request of a process compiles templates and statements.
        client.cookies.set("nd_session", sessions[0])
        for name in PAGES:
            client.get(_paths(name, rng, newest))
        if args.profile:
            _profile(app, args, newest)
            return {}
        for name in PAGES:
            times, queries, cpu = [], [], []
            for i in range(args.requests):
                client.cookies.set("nd_session", sessions[(i * 7) % len(sessions)])
                path = _paths(name, rng, newest)
                before = counter["n"]
                t, c = time.perf_counter(), time.process_time()
                response = client.get(path)
                times.append((time.perf_counter() - t) * 1000)
                cpu.append((time.process_time() - c) * 1000)
                queries.append(counter["n"] - before)
                assert response.status_code == 200, (path, response.status_code)
            out[name] = {
                "p50": statistics.median(times),
                "p95": _pct(times, 0.95),
                "queries": statistics.mean(queries),
                "cpu": statistics.median(cpu),
            }
    finally:
        event.remove(Engine, "before_cursor_execute", count)
        client.close()
        app.state.db.close()
    return out


def _profile(app: Any, args: Any, newest: int) -> None:
    """pyinstrument over the page's data function, called in this thread (the TestClient
    runs handlers in other threads, which a sampling profiler of this one does not see)."""
    from pyinstrument import Profiler
    from sqlalchemy import select

    from newsdesk.follow.accounts import get_user_by_email
    from newsdesk.store.tables import users
    from newsdesk.web import data

    db, settings = app.state.db, app.state.settings
    with db.connect() as conn:
        emails = [r[0] for r in conn.execute(select(users.c.email).order_by(users.c.id))]
    calls = {
        "/": lambda u: data.for_you(db, u, now=datetime.now(UTC), settings=settings),
        "/following": lambda u: data.following(db, u, now=datetime.now(UTC)),
        "/unread": lambda u: data.unread(db, u),
        "/articles": lambda u: data.article(db, u, newest - random.randrange(min(newest, 20_000))),
    }
    profiler = Profiler(interval=0.0005)
    profiler.start()
    for i in range(args.requests):
        with db.connect() as conn:
            user = get_user_by_email(conn, emails[(i * 7) % len(emails)])
        calls[args.profile](user)
    profiler.stop()
    print(profiler.output_text(unicode=False, color=False, show_all=False))


def run_engine(engine: str, rows: dict[str, list[tuple]], n_users: int, args: Any) -> dict:
    import web_load

    with web_load.scratch_store(engine, args.pg_admin_url, "newsdesk_webprof") as (
        url,
        data_dir,
        path,
    ):
        web_load._build(url, rows, engine, path)
        sessions_file, newest = web_load._sessions(url, n_users, data_dir)
        sessions = json.loads(sessions_file.read_text())
        return measure(url, data_dir, sessions, newest, args)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10,000 articles, 100 users")
    parser.add_argument("--engines", default="sqlite,postgresql")
    parser.add_argument("--requests", type=int, default=40, help="requests per page")
    parser.add_argument("--profile", help="a path to profile with pyinstrument instead")
    parser.add_argument("--pg-admin-url", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--json", help="also write the results here")
    args = parser.parse_args()
    import follow_queries as fq

    n_articles, n_users = (10_000, 100) if args.quick else (100_000, 1_000)
    fq.NOW = datetime.now(UTC)
    rows = fq.generate(n_articles, n_users)
    results = {e: run_engine(e, rows, n_users, args) for e in args.engines.split(",")}
    if args.profile:
        return 0
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"\n{n_articles:,} articles, {n_users:,} users, {args.requests} requests per page, "
        f"one client in process; load average {load} on {os.cpu_count()} cores\n"
    )
    print("| engine | page | p50 ms | p95 ms | CPU ms (median) | SQL statements per request |")
    print("| --- | --- | ---: | ---: | ---: | ---: |")
    for engine, stats in results.items():
        for name in PAGES:
            s = stats[name]
            print(
                f"| {engine} | {name} | {s['p50']:.0f} | {s['p95']:.0f} | {s['cpu']:.0f} "
                f"| {s['queries']:.1f} |"
            )
    if args.json:
        Path(args.json).write_text(json.dumps({"load": load, "results": results}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
