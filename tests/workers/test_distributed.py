"""Real Celery workers on the real Redis and PostgreSQL: faults survived, same result as in-process.

Worker and scheduler processes are started as ``python -m newsdesk worker|scheduler``
subprocesses, on a fresh PostgreSQL database and a Redis database of their own;
the corpus of fictional feeds is served over HTTP on loopback.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, text

from tests.brief.conftest import free_port
from tests.conftest import PG_ADMIN_URL, skip_or_fail
from tests.sources.local_server import LocalServer, Reply
from tests.workers.corpus import feeds

pytestmark = [pytest.mark.workers, pytest.mark.slow]

SRC = str(Path(__file__).resolve().parents[2] / "src")


@pytest.fixture
def redis_url() -> Iterator[str]:
    try:
        import redis
    except ImportError:  # pragma: no cover
        skip_or_fail("the redis client is not installed")
    n = random.randint(1, 15)
    url = f"redis://127.0.0.1:6379/{n}"
    try:
        client = redis.Redis.from_url(url, socket_timeout=3)
        client.flushdb()
    except redis.RedisError as exc:
        skip_or_fail(f"Redis is not reachable at 127.0.0.1:6379: {exc}")
    yield url
    client.flushdb()


def _fresh_pg() -> Iterator[str]:
    import psycopg

    plain = PG_ADMIN_URL.replace("postgresql+psycopg://", "postgresql://")
    name = f"newsdesk_workers_{uuid.uuid4().hex[:10]}"
    try:
        with psycopg.connect(plain, autocommit=True, connect_timeout=3) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as exc:
        skip_or_fail(f"PostgreSQL is not reachable at {plain}: {exc}".splitlines()[0])
    yield f"{plain.rsplit('/', 1)[0]}/{name}"
    from newsdesk.store.db import close_all

    close_all()
    with psycopg.connect(plain, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def pg_url() -> Iterator[str]:
    yield from _fresh_pg()


@pytest.fixture
def pg_url_2() -> Iterator[str]:
    yield from _fresh_pg()


@pytest.fixture
def corpus() -> Iterator[tuple[LocalServer, list[str]]]:
    server = LocalServer()
    urls = [server.set(path, Reply(200, body)) for path, body in feeds().items()]
    yield server, urls
    server.close()


class HoldingMailbox:
    """An aiosmtpd handler that records every message and holds one sender at RCPT.

    The ``hold``-th connection (counting from 0) is kept waiting after RCPT, before DATA,
    until the test releases it: the test kills the worker holding it there, mid-editions.
    """

    def __init__(self, hold: int) -> None:
        self.hold = hold
        self.rcpts = 0
        self.received: list[bytes] = []
        self.held_peer: tuple[str, int] | None = None
        self.release = threading.Event()

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        envelope.rcpt_tos.append(address)
        n, self.rcpts = self.rcpts, self.rcpts + 1
        if n == self.hold:
            self.held_peer = session.peer
            for _ in range(600):  # at most 30 s; the client waits NEWSDESK_SMTP_TIMEOUT
                if self.release.is_set():
                    break
                await asyncio.sleep(0.05)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.received.append(bytes(envelope.original_content or envelope.content))
        return "250 2.0.0 queued"

    def message_ids(self) -> Counter[str]:
        return Counter(
            str(message_from_bytes(raw, policy=policy.default)["Message-ID"])
            for raw in self.received
        )


@pytest.fixture
def mail_server() -> Iterator[tuple[HoldingMailbox, int]]:
    from aiosmtpd.controller import Controller

    mailbox = HoldingMailbox(hold=1)
    port = free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield mailbox, port
    mailbox.release.set()
    controller.stop()


def _env(tmp_path: Path, database_url: str, broker_url: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSDESK_")}
    env.update(
        PYTHONPATH=SRC,
        NEWSDESK_DATA_DIR=str(tmp_path / "data"),
        NEWSDESK_CONFIG=str(tmp_path / "no-config.toml"),
        NEWSDESK_DATABASE_URL=database_url,
        NEWSDESK_ALLOWED_HOSTS='["127.0.0.1"]',
        NEWSDESK_PER_HOST_DELAY="0",
        NEWSDESK_MIN_ARTICLE_WORDS="20",
        NEWSDESK_FETCH_FULL_TEXT="false",
        NEWSDESK_JOB_VISIBILITY_TIMEOUT="8",
        NEWSDESK_LOG_LEVEL="WARNING",
    )
    if broker_url:
        env["NEWSDESK_BROKER_URL"] = broker_url
    return env


def _apply(monkeypatch: pytest.MonkeyPatch, env: dict[str, str]) -> None:
    for key, value in env.items():
        if key.startswith("NEWSDESK_"):
            monkeypatch.setenv(key, value)
    from newsdesk.config import get_settings

    get_settings.cache_clear()


def _start(env: dict[str, str], *args: str, log: Path) -> subprocess.Popen[bytes]:
    handle = log.open("wb")
    return subprocess.Popen(
        [sys.executable, "-m", "newsdesk", *args],
        env=env,
        stdout=handle,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own group: SIGKILL takes the pool children too
    )


def _kill(proc: subprocess.Popen[bytes], sig: int = signal.SIGKILL) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, sig)
    proc.wait(timeout=30)


def _wait_for(check: Callable[[], bool], timeout: float, what: str, logs: list[Path]) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.5)
    tails = "\n".join(f"--- {p.name}\n{p.read_text(errors='replace')[-1500:]}" for p in logs)
    state = f"articles {_article_count()}, waiting enrichment {_waiting()}"
    pytest.fail(f"timed out waiting for {what} ({state})\n{tails}")


def _add_sources(urls: list[str]) -> None:
    from newsdesk.store import sources as repo
    from newsdesk.store.db import open_database

    with open_database().begin() as conn:
        for url in urls:
            repo.add_source(conn, url, now=datetime.now(UTC))


def _snapshot() -> dict[str, Any]:
    """Articles (by source and URL), stories (as sets of article URLs), and counts."""
    from newsdesk.store.db import open_database
    from newsdesk.store.tables import articles, story_members

    with open_database().connect() as conn:
        rows = conn.execute(select(articles.c.id, articles.c.url, articles.c.title)).all()
        by_id = {r.id: r.url for r in rows}
        members = conn.execute(select(story_members.c.story_id, story_members.c.article_id)).all()
        hashes = conn.execute(
            text("SELECT count(*), count(DISTINCT content_hash) FROM articles")
        ).one()
    stories: dict[int, set[str]] = {}
    for m in members:
        stories.setdefault(m.story_id, set()).add(by_id[m.article_id])
    return {
        "articles": sorted((r.url, r.title) for r in rows),
        "urls": [r.url for r in rows],
        "stories": sorted(sorted(s) for s in stories.values()),
        "hashes": tuple(hashes),
    }


def _waiting() -> int:
    from newsdesk.jobs.enrichment import waiting
    from newsdesk.store.db import open_database

    return waiting(open_database())


def _article_count() -> int:
    from newsdesk.store.db import open_database
    from newsdesk.store.tables import articles

    with open_database().connect() as conn:
        return int(conn.scalar(select(func.count()).select_from(articles)) or 0)


MAIL_FROM = "newsdesk <editions@news.example.org>"


def _mail_env(env: dict[str, str], port: int) -> dict[str, str]:
    return env | {
        "NEWSDESK_SMTP_HOST": "127.0.0.1",
        "NEWSDESK_SMTP_PORT": str(port),
        "NEWSDESK_SMTP_TIMEOUT": "40",  # longer than the test holds a sender at RCPT
        "NEWSDESK_SECRET_KEY": "test-secret-for-worker-editions",
        "NEWSDESK_BASE_URL": "https://news.example.org",
        "NEWSDESK_MAIL_FROM": MAIL_FROM,
        "NEWSDESK_EDITION_SEND_CONCURRENCY": "1",
        # A claim left by the killed worker is taken over after 10 s, not the default 15 min.
        "NEWSDESK_EDITION_CLAIM_TIMEOUT": "10",
    }


def _add_readers(count: int, now: datetime, urls: list[str]) -> set[tuple[str, str, str]]:
    """``count`` users with follows; each has a morning edition due a few minutes ago (sent
    by the first round) and an evening one that falls due during the run. Returns the Message-ID
    (email, local date, slot) of each edition due by 90 s from now."""
    from newsdesk.follow import actions
    from newsdesk.jobs.editions import set_user_editions
    from newsdesk.store.db import open_database

    db = open_database()
    morning = (now - timedelta(minutes=3)).strftime("%H:%M")
    evening = (now + timedelta(seconds=90)).strftime("%H:%M")  # due 30 to 90 s from now
    due: set[tuple[str, str, str]] = set()
    for n in range(count):
        email = f"reader{n}@example.org"
        actions.add_user(email, db=db, now=now - timedelta(days=1))
        actions.follow(email, "source", urls[n % len(urls)], window=timedelta(days=2), db=db)
        set_user_editions(email, time_zone="UTC", morning=morning, evening=evening, now=now)
        due.add((email, (now - timedelta(minutes=3)).date().isoformat(), "morning"))
        due.add((email, (now + timedelta(seconds=90)).date().isoformat(), "evening"))
    return due


def _outbox() -> list[tuple[str, str, str, str, str]]:
    """(recipient, local date, slot, status, Message-ID) of every outbox row."""
    from newsdesk.store.db import open_database
    from newsdesk.store.tables.editions import edition_outbox as o

    with open_database().connect() as conn:
        rows = conn.execute(
            select(o.c.recipient, o.c.local_date, o.c.slot, o.c.status, o.c.message_id)
        ).all()
    return [tuple(r) for r in rows]


def _owner_of(port: int, procs: list[subprocess.Popen[bytes]]) -> subprocess.Popen[bytes]:
    """Which of these worker processes (or their pool children) has a TCP socket on ``port``."""
    import psutil

    for proc in procs:
        parent = psutil.Process(proc.pid)
        for p in [parent, *parent.children(recursive=True)]:
            with contextlib.suppress(psutil.Error):
                if any(c.laddr and c.laddr.port == port for c in p.net_connections("tcp")):
                    return proc
    raise AssertionError(f"no worker holds the SMTP connection from port {port}")


def _leader() -> str | None:
    from newsdesk.jobs.workers_status import current_leader
    from newsdesk.store.db import open_database

    with open_database().connect() as conn:
        return current_leader(conn)


def test_two_workers_survive_a_sigkill_and_a_second_scheduler_takes_over(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    redis_url: str,
    pg_url: str,
    corpus: tuple[LocalServer, list[str]],
    mail_server: tuple[HoldingMailbox, int],
) -> None:
    """The SIGKILLed worker is the one in the middle of an editions round (it sent one mail
    and holds the next at RCPT) while the other ingests: afterwards no article is lost or
    duplicated, and every due edition went out exactly once (mails received, outbox rows)."""
    from newsdesk.brief.mail import message_id

    _server, urls = corpus
    mailbox, smtp_port = mail_server
    expected_items = sum(1 for body in feeds().values() for _ in body.split(b"<item>")[1:])
    env = _mail_env(_env(tmp_path, pg_url, redis_url), smtp_port)
    _apply(monkeypatch, env)
    _add_sources(urls)
    due = _add_readers(4, datetime.now(UTC), urls)
    logs = [tmp_path / name for name in ("sched1.log", "sched2.log", "w1.log", "w2.log")]
    sched1 = _start(env, "scheduler", log=logs[0])
    procs = [sched1]
    try:
        _wait_for(lambda: (_leader() or "").endswith(f":{sched1.pid}"), 60, "a leader", logs)
        sched2 = _start(env, "scheduler", log=logs[1])
        procs.append(sched2)
        w1 = _start(env, "worker", "--queues", "fetch,enrich,editions", log=logs[2])
        w2 = _start(env, "worker", "--queues", "fetch,enrich,editions", log=logs[3])
        workers = [w1, w2]
        procs += workers
        # Kill one worker in the middle of the run: after the first articles, before the end,
        # and while it is in the middle of the editions queue (its second mail held at RCPT).
        _wait_for(lambda: mailbox.held_peer is not None, 120, "the second edition's RCPT", logs)
        _wait_for(lambda: _article_count() > 0, 25, "the first articles", logs)
        assert mailbox.held_peer is not None
        victim = _owner_of(mailbox.held_peer[1], workers)
        _kill(victim)
        mailbox.release.set()  # the victim's held mail never reaches DATA: its row stays claimed
        # Kill the leader: the second scheduler must lead within 30 s.
        killed_at = time.monotonic()
        _kill(sched1)
        _wait_for(lambda: (_leader() or "").endswith(f":{sched2.pid}"), 30, "a new leader", logs)
        assert time.monotonic() - killed_at <= 30
        _wait_for(
            lambda: _article_count() >= expected_items and _waiting() == 0,
            120,
            "every article stored and enriched",
            logs,
        )
        _wait_for(
            lambda: sorted(r[3] for r in _outbox()) == ["sent"] * len(due),
            150,
            f"all {len(due)} due editions sent",
            logs,
        )
        time.sleep(5)  # any redelivered job runs again now, and must change nothing
        snap = _snapshot()
        rows = _outbox()
        received = mailbox.message_ids()
    finally:
        for proc in procs:
            if proc.poll() is None:
                _kill(proc, signal.SIGTERM)
    assert len(snap["urls"]) == len(set(snap["urls"])) == expected_items
    assert snap["hashes"][0] == snap["hashes"][1]  # no duplicated content
    # Every due edition: one outbox row, sent, and exactly one mail with its Message-ID.
    assert sorted((r[0], r[1], r[2]) for r in rows) == sorted(due)
    assert {r[3] for r in rows} == {"sent"}
    ids = {(r[0], r[1], r[2]): r[4] for r in rows}
    assert received == Counter({ids[key]: 1 for key in due})
    assert all(ids[(e, d, s)] == message_id(_uid(e), d, s, MAIL_FROM) for e, d, s in due)


def _uid(email: str) -> int:
    from newsdesk.follow.actions import user_id
    from newsdesk.store.db import open_database

    with open_database().connect() as conn:
        return user_id(conn, email)


def test_in_process_and_workers_give_the_same_articles_and_stories(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    redis_url: str,
    pg_url: str,
    pg_url_2: str,
    corpus: tuple[LocalServer, list[str]],
) -> None:
    from newsdesk.jobs.enrichment import enrich_pending
    from newsdesk.jobs.refresh import refresh_due
    from newsdesk.store.db import open_database

    _server, urls = corpus
    # In-process, on one database.
    _apply(monkeypatch, _env(tmp_path / "a", pg_url_2, None))
    _add_sources(urls)
    refresh_due()
    enrich_pending(open_database())
    local = _snapshot()
    # Through a scheduler and two workers, on another.
    env = _env(tmp_path / "b", pg_url, redis_url)
    _apply(monkeypatch, env)
    _add_sources(urls)
    (tmp_path / "b").mkdir(exist_ok=True)
    logs = [tmp_path / "b" / n for n in ("sched.log", "w1.log", "w2.log")]
    procs = [
        _start(env, "scheduler", log=logs[0]),
        _start(env, "worker", "--queues", "fetch", log=logs[1]),
        _start(env, "worker", "--queues", "enrich,editions", log=logs[2]),
    ]
    try:
        _wait_for(
            lambda: _article_count() >= len(local["urls"]) and _waiting() == 0,
            180,
            "the workers to finish",
            logs,
        )
        distributed = _snapshot()
    finally:
        for proc in procs:
            _kill(proc, signal.SIGTERM)
    assert distributed["articles"] == local["articles"]
    assert distributed["stories"] == local["stories"]
