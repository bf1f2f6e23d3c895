"""Two processes on one store, and a refresh killed mid-way (issue 17, point 6).

* Two ``newsdesk ingest`` runs over the same pages: one died with
  ``IntegrityError: UNIQUE constraint failed: articles.content_hash``. A
  duplicate found at insert time is a duplicate.
* Two processes opening a fresh store: one died with "table outlets already
  exists". Migrations take a lock.
* ``kill -9`` of a refresh left its worker processes and the resource tracker
  alive, holding the database. Workers die with their parent.

Each runs on SQLite and PostgreSQL, with real processes.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import textwrap
import time
import uuid
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src"
TOWNS = ["Fennick", "Aldmouth", "Corrow", "Brisk", "Dunhallow", "Emberly", "Galloway", "Harth"]


def _env(db_url: str, data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSDESK_")}
    env.update(
        PYTHONPATH=str(SRC),
        NEWSDESK_DATABASE_URL=db_url,
        NEWSDESK_DATA_DIR=str(data_dir),
        NEWSDESK_CONFIG=str(data_dir / "none.toml"),
    )
    return env


def _pages(folder: Path, count: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(count):
        town = TOWNS[n % len(TOWNS)]
        (folder / f"page{n:02}.txt").write_text(
            f"{town} council agrees budget number {n}\n\n"
            + " ".join(
                f"The council of {town} met on day {n} and sentence {k} records how the harbour, "
                f"the ferry service and the school repairs were argued over at length."
                for k in range(4)
            )
            + "\n",
            encoding="utf-8",
        )


def _fresh_postgres_url(admin_url: str) -> tuple[str, str]:
    import psycopg

    name = f"newsdesk_race_{uuid.uuid4().hex[:8]}"
    plain = admin_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(plain, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return admin_url.rsplit("/", 1)[0] + "/" + name, name


def _drop_postgres(admin_url: str, name: str) -> None:
    import psycopg

    plain = admin_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(plain, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def fresh_url(db_url: str, tmp_path: Path):
    """A store no process has opened yet, on the engine of this run."""
    if db_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'fresh' / 'newsdesk.db'}"
        return
    from tests.conftest import PG_ADMIN_URL

    url, name = _fresh_postgres_url(PG_ADMIN_URL)
    yield url
    from newsdesk.store.db import close_all

    close_all()
    _drop_postgres(PG_ADMIN_URL, name)


def _both(args: list[list[str]], env: dict[str, str]) -> list[subprocess.CompletedProcess[str]]:
    procs = [
        subprocess.Popen(a, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for a in args
    ]
    done = []
    for proc, a in zip(procs, args, strict=True):
        out, err = proc.communicate(timeout=600)
        done.append(subprocess.CompletedProcess(a, proc.returncode, out, err))
    return done


def test_two_processes_migrate_a_fresh_store_at_once(fresh_url, tmp_path):
    env = _env(fresh_url, tmp_path / "data")
    probe = "from newsdesk.store.db import open_database; open_database(); print('ok')"
    for _ in range(3):  # a race: a few tries, each on a store nobody migrated yet
        runs = _both([[sys.executable, "-c", probe]] * 3, env)
        for run in runs:
            assert run.returncode == 0, run.stderr[-2000:]
            assert "already exists" not in run.stderr
        if fresh_url.startswith("sqlite"):
            for leftover in Path(fresh_url.split("///", 1)[1]).parent.glob("newsdesk.db*"):
                if not leftover.name.endswith("migrate-lock"):
                    leftover.unlink()
        else:
            break  # one fresh PostgreSQL database per test


def test_two_ingests_of_the_same_pages_both_finish(fresh_url, tmp_path):
    from sqlalchemy import func, select

    from newsdesk.store.db import open_database
    from newsdesk.store.tables import articles

    pages = tmp_path / "pages"
    _pages(pages, 24)
    env = _env(fresh_url, tmp_path / "data")
    command = [sys.executable, "-m", "newsdesk", "ingest", str(pages)]
    runs = _both([command, command], env)
    stored = duplicates = 0
    for run in runs:
        assert run.returncode == 0, run.stderr[-3000:]
        assert "IntegrityError" not in run.stderr
        counts = dict(
            part.strip().split(" ") for part in run.stdout.strip().splitlines()[-1].split(",")
        )
        stored += int(counts["stored"])
        duplicates += int(counts["duplicates"])
    assert stored == 24 and duplicates == 24
    with open_database(url=fresh_url).connect() as conn:
        assert conn.execute(select(func.count()).select_from(articles)).scalar_one() == 24


_REFRESH_LIKE = textwrap.dedent(
    """
    import asyncio, os, sys, time
    from newsdesk.config import get_settings
    from newsdesk.store.db import open_database
    from newsdesk.jobs.feed_work import FeedWorkers
    from newsdesk.jobs.writer_process import RemoteWriter
    from newsdesk.bounded import BoundedCall
    from newsdesk.errors import ExtractionError

    settings = get_settings()
    open_database(settings)
    workers = FeedWorkers(2, deadline=30, memory_mb=1024)
    feed = b'<rss version="2.0"><channel><title>t</title><item><title>a</title></item>'
    feed += b'</channel></rss>'
    asyncio.run(workers.prepare(feed, "https://news.example/feed", None))
    writer = RemoteWriter(settings.effective_database_url, settings, enrich=False)
    writer._pool.submit(os.getpid).result()
    bounded = BoundedCall(what="x", deadline=30, memory_mb=1024, error=ExtractionError,
                          setting="extract")
    bounded(os.getpid)
    print("ready", flush=True)
    time.sleep(600)
    """
)


def _children(pid: int) -> set[int]:
    found: set[int] = set()
    todo = [pid]
    while todo:
        current = todo.pop()
        try:
            text = Path(f"/proc/{current}/task/{current}/children").read_text()
        except OSError:
            continue
        for child in map(int, text.split()):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_kill_9_of_the_refresh_leaves_no_worker_behind(db_url, db, tmp_path):
    env = _env(db_url, tmp_path / "data")
    parent = subprocess.Popen(
        [sys.executable, "-c", _REFRESH_LIKE],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        assert parent.stdout is not None
        line = parent.stdout.readline()
        assert line.strip() == "ready", parent.stderr.read() if parent.stderr else ""
        children = _children(parent.pid)
        assert len(children) >= 4  # two feed workers, the writer, the bounded child (+ tracker)
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait(timeout=10)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and any(_alive(c) for c in children):
            time.sleep(0.2)
        left = [c for c in children if _alive(c)]
        assert not left, f"still running after the parent's kill -9: {left}"
    finally:
        for child in _children(parent.pid) | {parent.pid}:
            with contextlib.suppress(OSError):
                os.kill(child, signal.SIGKILL)


def test_a_duplicate_found_only_at_insert_time_is_a_duplicate(db, monkeypatch):
    """The race made deterministic: the duplicate check misses a row another writer
    stored a moment before our insert; the article is then reported as its duplicate."""
    from datetime import UTC, datetime

    from newsdesk.jobs.pipeline import store_articles
    from newsdesk.models import Article
    from newsdesk.store import articles as repo

    now = datetime(2031, 3, 14, tzinfo=UTC)
    article = Article(
        title="Fennick council agrees budget",
        paragraphs=("The council of Fennick agreed its budget after a long debate.",),
        url="https://fennickpost.example/budget",
        canonical_url="https://fennickpost.example/budget",
    )
    other = Article(
        title="Aldmouth ferry returns",
        paragraphs=("The Aldmouth ferry returned to service on Tuesday morning.",),
        url="https://fennickpost.example/ferry",
        canonical_url="https://fennickpost.example/ferry",
    )
    with db.begin() as conn:
        [first] = store_articles(conn, [article], now=now, enrich=False)
    real = repo.find_duplicates
    calls = {"n": 0}

    def blind_once(conn, batch, hashes=None):
        calls["n"] += 1
        if calls["n"] == 1:  # the check before the insert sees nothing
            return [None] * len(batch)
        return real(conn, batch, hashes)

    monkeypatch.setattr(repo, "find_duplicates", blind_once)
    with db.begin() as conn:
        outcomes = store_articles(conn, [article, other], now=now, enrich=False)
    assert outcomes[0].status == "duplicate" and outcomes[0].article_id == first.article_id
    assert outcomes[1].status == "stored"
