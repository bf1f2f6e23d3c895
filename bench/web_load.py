"""Web: page latency under load, on SQLite and PostgreSQL.

Builds the corpus of ``bench/follow_queries.py`` (articles from 200 outlets with authors,
entities, topics and stories; users with 30 follows and two mutes each), dated up to
now, in a fresh SQLite file and a fresh PostgreSQL database. Starts the web app with
uvicorn in its own process on 127.0.0.1 (one process, as ``newsdesk serve`` runs it)
and points locust (headless) at it: 50 concurrent signed-in readers for 60 s, each
loading For you, Following, Unread and article pages (HTML) with a think time of
0.5-1.5 s between pages. Prints p50, p95 and the error count per page and overall.

    python bench/web_load.py            # 100,000 articles, 1,000 users, 50 clients, 60 s
    python bench/web_load.py --quick    # 10,000 articles, 100 users, 50 clients, 20 s
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _build(url: str, rows: dict[str, list[tuple]], engine: str, path: Path | None) -> None:
    import follow_queries as fq
    from newsdesk.store.db import make_engine, migrate

    engine_obj = make_engine(url)
    migrate(engine_obj)
    engine_obj.dispose()
    if engine == "sqlite":
        assert path is not None
        fq.load_sqlite(path, rows)
    else:
        fq.load_postgres(url, rows)


def _sessions(url: str, n_users: int, data_dir: Path) -> tuple[Path, int]:
    from newsdesk.follow.accounts import create_session
    from newsdesk.store.db import Database, make_engine
    from newsdesk.store.follows import max_article_id

    db = Database(make_engine(url))
    now = datetime.now(UTC)
    with db.begin() as conn:
        tokens = [
            create_session(conn, uid, now=now, lifetime=timedelta(days=1))
            for uid in range(1, n_users + 1)
        ]
        newest = max_article_id(conn)
    db.close()
    out = data_dir / "sessions.json"
    out.write_text(json.dumps(tokens))
    return out, newest


def serve(url: str, port: int, data_dir: str) -> None:
    """The child process: the web app over ``url`` on 127.0.0.1:port."""
    import uvicorn

    from newsdesk.config import load_settings
    from newsdesk.web.app import create_app

    settings = load_settings(database_url=url, data_dir=Path(data_dir), log_level="ERROR")
    app = create_app(settings)
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


def _wait(port: int, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit("the web server exited early")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("the web server did not start")


@contextlib.contextmanager
def scratch_store(
    engine: str, pg_admin_url: str, prefix: str
) -> Iterator[tuple[str, Path, Path | None]]:
    """A throwaway store and data folder: (database URL, data folder, SQLite file or None).

    The PostgreSQL database is created under ``prefix`` and dropped on the way out, so an
    interrupted bench leaves nothing behind; web_profile.py uses the same one.
    """
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp)
        if engine == "sqlite":
            path = data_dir / "bench.db"
            yield f"sqlite:///{path}", data_dir, path
            return
        import psycopg

        name = f"{prefix}_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(pg_admin_url, autocommit=True, connect_timeout=3) as c:
            c.execute(f'CREATE DATABASE "{name}"')
        url = "postgresql+psycopg://" + pg_admin_url.split("://", 1)[1].rsplit("/", 1)[0]
        try:
            yield f"{url}/{name}", data_dir, None
        finally:
            with psycopg.connect(pg_admin_url, autocommit=True) as c:
                c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run_engine(
    engine: str, rows: dict[str, list[tuple]], n_users: int, args: argparse.Namespace
) -> dict[str, dict[str, float]]:
    with scratch_store(engine, args.pg_admin_url, "newsdesk_webbench") as (url, data_dir, path):
        return _load_run(engine, url, data_dir, path, rows, n_users, args)


def _load_run(
    engine: str,
    url: str,
    data_dir: Path,
    path: Path | None,
    rows: dict[str, list[tuple]],
    n_users: int,
    args: argparse.Namespace,
) -> dict[str, dict[str, float]]:
    proc = None
    try:
        t = time.perf_counter()
        _build(url, rows, engine, path)
        sessions, newest = _sessions(url, n_users, data_dir)
        print(f"{engine}: loaded in {time.perf_counter() - t:.0f} s", flush=True)
        port = _free_port()
        env = {**os.environ, "PYTHONPATH": os.environ.get("PYTHONPATH", "src")}
        proc = subprocess.Popen(
            [
                *(sys.executable, __file__, "--serve", url),
                *("--port", str(port), "--data", str(data_dir)),
            ],
            env=env,
        )
        _wait(port, proc)
        prefix = data_dir / "locust"
        subprocess.run(
            [
                sys.executable,
                "-m",
                "locust",
                "-f",
                str(HERE / "web_locustfile.py"),
                "--headless",
                "--only-summary",
                "--loglevel",
                "ERROR",
                "-u",
                str(args.clients),
                "-r",
                str(args.clients),
                "-t",
                f"{args.seconds}s",
                "--host",
                f"http://127.0.0.1:{port}",
                "--csv",
                str(prefix),
            ],
            env={
                **env,
                "WEB_LOAD_SESSIONS": str(sessions),
                "WEB_LOAD_MAX_ARTICLE": str(newest),
            },
            # Locust exits 1 when any request failed: the errors are in the table, and the
            # next engine still runs.
            check=False,
            stdout=subprocess.DEVNULL,
        )
        return _read_stats(Path(f"{prefix}_stats.csv"))
    finally:
        if proc is not None:
            proc.terminate()
            proc.wait(timeout=30)


def _read_stats(path: Path) -> dict[str, dict[str, float]]:
    out = {}
    with path.open() as f:
        for row in csv.DictReader(f):
            out[row["Name"]] = {
                "requests": float(row["Request Count"]),
                "failures": float(row["Failure Count"]),
                "p50": float(row["50%"]),
                "p95": float(row["95%"]),
                "rps": float(row["Requests/s"]),
            }
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10,000 articles, 100 users, 20 s")
    parser.add_argument("--engines", default="sqlite,postgresql")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=None)
    parser.add_argument("--pg-admin-url", default=PG_ADMIN)
    parser.add_argument("--serve", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--data", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve, args.port, args.data)
        return 0
    import follow_queries as fq

    n_articles, n_users = (10_000, 100) if args.quick else (100_000, 1_000)
    args.seconds = args.seconds or (20 if args.quick else 60)
    fq.NOW = datetime.now(UTC)  # the corpus ends now, so For you has recent stories
    t = time.perf_counter()
    rows = fq.generate(n_articles, n_users)
    spent = time.perf_counter() - t
    print(f"generated {n_articles:,} articles, {n_users:,} users in {spent:.0f} s")
    results = {}
    for engine in args.engines.split(","):
        results[engine] = run_engine(engine, rows, n_users, args)
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"\nload average at the end: {load} on {os.cpu_count()} cores")
    print(
        f"{args.clients} clients, {args.seconds} s, think time 0.5-1.5 s, "
        f"{n_articles:,} articles, {n_users:,} users\n"
    )
    print("| engine | page | requests | errors | p50 ms | p95 ms | req/s |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: |")
    for engine, stats in results.items():
        for name in ("For you", "Following", "Unread", "Article", "Aggregated"):
            s = stats.get(name)
            if s is None:
                continue
            print(
                f"| {engine} | {name} | {s['requests']:.0f} | {s['failures']:.0f} | "
                f"{s['p50']:.0f} | {s['p95']:.0f} | {s['rps']:.1f} |"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
