"""Editions: build a day of Morning and Evening Updates for many readers, and the send rate.

Generates (deterministic seed) a day of 20,000 articles from 200 outlets on 300
topics, grouped into stories of one to eight articles with a long-tailed
importance, and 10,000 readers in eight time zones, each following five
topics or outlets and muting one, with the default 06:30 / 17:30 editions.
Rows are bulk-inserted straight into the tables (not through the language
pipeline) in a fresh SQLite file and a fresh PostgreSQL database that the
script creates and drops.

Then it times, per engine:

* **build**: every edition of the day (two per reader, 20,000) chosen,
  rendered (text + HTML with CSS inlined) and inserted into the outbox, the
  way the scheduler builds them (``newsdesk.brief.outbox.build_many``);
* **round**: one scheduler round (``run_round``) when nothing is due, the
  cost ``newsdesk serve`` pays every 30 seconds;

and once: the **send rate** of the outbox (claim, compose, SMTP, mark sent)
against a local aiosmtpd server, beside the peer in the same run: the same
messages sent by a bare aiosmtplib loop (one connection per mail, as ours).

    python bench/editions.py            # 20,000 articles, 10,000 readers
    python bench/editions.py --quick    # 2,000 articles, 1,000 readers
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import sys
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

SEED = 20261207
DAY = date(2026, 12, 7)
ZONES = (
    "America/Toronto",
    "Europe/Paris",
    "Africa/Bamako",
    "Asia/Kolkata",
    "America/Los_Angeles",
    "Asia/Tokyo",
    "Australia/Sydney",
    "UTC",
)
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"


def generate(n_articles: int, n_users: int) -> dict[str, list[dict[str, Any]]]:
    rng = random.Random(SEED)
    n_outlets, n_topics = 200, 300
    # The day as every zone sees it: from 36 h before UTC midnight to 36 h after.
    start = datetime.combine(DAY, datetime.min.time(), tzinfo=UTC) - timedelta(hours=36)
    span = 72 * 3600
    rows: dict[str, list[dict[str, Any]]] = {
        k: []
        for k in ("outlets", "topics", "articles", "stories", "story_members", "article_topics")
    }
    rows["users"], rows["follows"], rows["mutes"] = [], [], []
    for i in range(1, n_outlets + 1):
        rows["outlets"].append(
            {"id": i, "name": f"Bench Outlet {i}", "domain": f"o{i}.example", "created_at": start}
        )
    for i in range(1, n_topics + 1):
        rows["topics"].append(
            {"id": i, "key": f"bench topic {i}", "name": f"Bench Topic {i}", "created_at": start}
        )
    story_id, left, story_topics, story_outlets = 0, 0, [1], [1]
    for article_id in range(1, n_articles + 1):
        at = start + timedelta(seconds=span * article_id / n_articles)
        if left == 0:
            story_id += 1
            left = min(8, int(rng.paretovariate(1.3)))
            story_topics = rng.sample(range(1, n_topics + 1), 2)
            story_outlets = []
            rows["stories"].append(
                {
                    "id": story_id,
                    "key": f"s{story_id:07d}",
                    "status": "open",
                    "headline": f"Bench story {story_id} headline about topic {story_topics[0]}",
                    "summary": (
                        f"Something happened in bench story {story_id}. Officials said more. "
                        "A third sentence that no edition shows."
                    ),
                    "first_seen": at,
                    "last_seen": at,
                    "size": 0,
                    "words": 0,
                    "outlet_count": 0,
                    "outlets": [],
                    "counts": {},
                    "entities": [],
                    "topics": [f"bench topic {t}" for t in story_topics],
                    "timeline": [],
                    "importance": rng.paretovariate(1.5),
                    "factors": {},
                    "created_at": at,
                    "updated_at": at,
                }
            )
        left -= 1
        outlet = rng.randrange(1, n_outlets + 1)
        story = rows["stories"][-1]
        story_outlets.append(outlet)
        names = sorted({f"Bench Outlet {o}" for o in story_outlets})
        story.update(outlets=names, outlet_count=len(names), size=story["size"] + 1, last_seen=at)
        url = f"https://o{outlet}.example/a/{article_id}"
        rows["articles"].append(
            {
                "id": article_id,
                "canonical_url": url,
                "url": url,
                "content_hash": f"{article_id:064d}",
                "title": f"Article {article_id} of story {story_id}",
                "title_generated": False,
                "authors": [],
                "contributors": [],
                "credits": [],
                "outlet_id": outlet,
                "source_id": None,
                "published_at": at,
                "fetched_at": at,
                "paragraphs": ["Bench text."],
                "body": "Bench text.",
                "word_count": 2,
                "extraction_method": "bench",
                "warnings": [],
                "created_at": at,
            }
        )
        rows["story_members"].append(
            {
                "article_id": article_id,
                "story_id": story_id,
                "published_at": at,
                "outlet": f"Bench Outlet {outlet}",
                "headline": f"Article {article_id} of story {story_id}",
                "summary": "",
                "terms": {},
                "entities": [],
                "topics": [],
                "signature": [],
                "confidence": 1.0,
                "development": {"sentence": f"Article {article_id} adds a detail."},
                "added_at": at,
            }
        )
        for t in story_topics:
            rows["article_topics"].append({"article_id": article_id, "topic_id": t, "score": 1.0})
    for user_id in range(1, n_users + 1):
        rows["users"].append(
            {
                "id": user_id,
                "email": f"reader{user_id}@bench.example",
                "display_name": f"Reader {user_id}",
                "time_zone": ZONES[user_id % len(ZONES)],
                "password_hash": None,
                "is_admin": user_id == 1,
                "created_at": start,
            }
        )
        for k in range(5):
            if k % 2:
                outlet = rng.randrange(1, n_outlets + 1)
                kind, target, label = "outlet", str(outlet), f"Bench Outlet {outlet}"
            else:
                topic = rng.randrange(1, n_topics + 1)
                kind, target, label = "topic", f"bench topic {topic}", f"Bench Topic {topic}"
            rows["follows"].append(
                {
                    "user_id": user_id,
                    "kind": kind,
                    "target": target,
                    "label": label,
                    "created_at": start,
                    "mark_article_id": 0,
                }
            )
        muted = rng.randrange(1, n_topics + 1)
        rows["mutes"].append(
            {
                "user_id": user_id,
                "kind": "topic",
                "target": f"bench topic {muted}",
                "label": f"Bench Topic {muted}",
                "created_at": start,
            }
        )
    # Follows are unique per (user, kind, target): drop the repeats the dice made.
    seen: set[tuple[int, str, str]] = set()
    unique = []
    for f in rows["follows"]:
        key = (f["user_id"], f["kind"], f["target"])
        if key not in seen:
            seen.add(key)
            unique.append(f)
    rows["follows"] = unique
    return rows


def load(db: Any, rows: dict[str, list[dict[str, Any]]]) -> None:
    from sqlalchemy import text

    from newsdesk.store import tables
    from newsdesk.store.tables.accounts import follows, mutes, users
    from newsdesk.store.tables.stories import stories, story_members
    from newsdesk.store.tables.understanding import article_topics, topics

    order = [
        (tables.outlets, "outlets"),
        (topics, "topics"),
        (tables.articles, "articles"),
        (stories, "stories"),
        (story_members, "story_members"),
        (article_topics, "article_topics"),
        (users, "users"),
        (follows, "follows"),
        (mutes, "mutes"),
    ]
    with db.begin() as conn:
        if db.dialect == "sqlite":
            # The full-text triggers index article text; editions never search it.
            for (name,) in conn.execute(
                text("SELECT name FROM sqlite_master WHERE type='trigger' AND tbl_name='articles'")
            ):
                conn.execute(text(f'DROP TRIGGER IF EXISTS "{name}"'))
        else:
            conn.execute(text("SET LOCAL session_replication_role = replica"))  # no triggers
        for table, name in order:
            data = rows[name]
            for i in range(0, len(data), 5000):
                conn.execute(table.insert(), data[i : i + 5000])
        if db.dialect == "postgresql":
            for table, _ in order:
                if "id" in table.c:
                    conn.execute(
                        text(
                            f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                            f"(SELECT max(id) FROM {table.name}))"
                        )
                    )
            conn.execute(text("ANALYZE"))


def day_editions(db: Any) -> list[Any]:
    from newsdesk.brief.schedule import DueEdition, slot_instant
    from newsdesk.store import editions as store

    with db.connect() as conn:
        schedules = store.schedules(conn)
    due = []
    for s in schedules:
        for slot in store.SLOTS:
            hhmm = s.time_of(slot)
            if hhmm:
                at = slot_instant(DAY, hhmm, s.time_zone)
                due.append(DueEdition(s.user_id, DAY.isoformat(), slot, at))
    return due


def _cpu() -> float:
    """CPU seconds of this process and of its finished children (a split build's processes)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def _processes(settings: Any, editions: int) -> int:
    """How many processes the build used (1 in a checkout from before builds were split)."""
    try:
        from newsdesk.brief.outbox import build_processes
    except ImportError:  # --src of an older checkout, to measure "before" in the same session
        return 1
    return build_processes(settings, editions)


def bench_engine(
    url: str, rows: dict[str, list[dict[str, Any]]], processes: int | None = None
) -> dict[str, Any]:
    from newsdesk.brief.outbox import build_many, run_round
    from newsdesk.config import load_settings
    from newsdesk.store.db import open_database

    extra = {} if processes is None else {"edition_build_processes": processes}
    settings = load_settings(database_url=url, secret_key="bench-secret", **extra)
    db = open_database(settings, url=settings.effective_database_url)
    t0 = time.perf_counter()
    load(db, rows)
    load_s = time.perf_counter() - t0
    due = day_editions(db)
    from sqlalchemy import event

    statements = [0]

    def count(*_: Any) -> None:
        statements[0] += 1

    event.listen(db.engine, "before_cursor_execute", count)
    load_before = os.getloadavg()[0]
    t0, c0 = time.perf_counter(), _cpu()
    built = build_many(db, due, now=datetime.now(UTC), settings=settings)
    build_s, build_cpu = time.perf_counter() - t0, _cpu() - c0
    event.remove(db.engine, "before_cursor_execute", count)
    from sqlalchemy import text

    # A round in the middle of the day, once everything due is built and sent: the price of
    # the 30-second heartbeat (every reader's schedule checked, nothing to do).
    with db.begin() as conn:
        conn.execute(text("UPDATE edition_outbox SET status = 'sent'"))
    midday = datetime.combine(DAY, datetime.min.time(), tzinfo=UTC) + timedelta(hours=12)
    t0 = time.perf_counter()
    report = run_round(db, now=midday, settings=settings)
    round_s = time.perf_counter() - t0
    assert report.built == 0 and not report.deliveries, (report.built, len(report.deliveries))

    with db.connect() as conn:
        nonempty = conn.execute(
            text("SELECT count(*) FROM edition_outbox WHERE subject NOT LIKE '%no news'")
        ).scalar_one()
        stored = conn.execute(text("SELECT avg(length(parts)) FROM edition_outbox")).scalar_one()
    db.close()
    return {
        "load_s": round(load_s, 1),
        "editions": built,
        "with_news": int(nonempty),
        "build_s": round(build_s, 1),
        "per_edition_ms": round(build_s / max(1, built) * 1000, 2),
        # CPU time of our process and its build processes: the work itself, without waiting for a
        # CPU on a shared machine (on PostgreSQL the server's share is not in it).
        "build_cpu_s": round(build_cpu, 1),
        "build_processes": _processes(settings, len(due)),
        # Statements the build sent (an executemany counts once): N+1 reads would show here.
        # Only this process's: a split build's processes send theirs unseen (run --processes 1).
        "build_statements": statements[0],
        "load_average_at_build": round(load_before, 2),
        "idle_round_s": round(round_s, 3),
        "archived_bytes_per_edition": int(stored or 0),
    }


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class _Sink:
    def __init__(self) -> None:
        self.count = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.count += 1
        return "250 OK"


def bench_send(n: int) -> dict[str, Any]:
    """Send rate of the outbox against aiosmtpd, beside a bare aiosmtplib loop (the peer)."""
    import aiosmtplib
    from aiosmtpd.controller import Controller

    from newsdesk.config import load_settings
    from newsdesk.store.db import open_database

    sink = _Sink()
    port = _free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            settings = load_settings(
                data_dir=Path(tmp),
                smtp_host="127.0.0.1",
                smtp_port=port,
                secret_key="bench-secret",
            )
            db = open_database(settings)
            rows = generate(200, n)  # two editions a reader: n one at a time, n four at once
            load(db, rows)
            due = day_editions(db)[: 2 * n]
            from newsdesk.brief.outbox import build_many

            build_many(db, due, now=datetime.now(UTC), settings=settings)
            with db.connect() as conn:
                from sqlalchemy import text

                ids = [r[0] for r in conn.execute(text("SELECT id FROM edition_outbox"))]
                from newsdesk.store.editions import unpack_parts

                raw = [
                    (r[0], r[1], unpack_parts(bytes(r[2]))["text"])
                    for r in conn.execute(
                        text("SELECT recipient, subject, parts FROM edition_outbox LIMIT :n"),
                        {"n": n},
                    )
                ]
            from newsdesk.brief.outbox import deliver_many

            half = len(ids) // 2
            rates = {}
            for label, batch, workers in (
                ("one_at_a_time", ids[:half], 1),
                ("four_at_once", ids[half:], 4),
            ):
                tuned = settings.model_copy(update={"edition_send_concurrency": workers})
                t0 = time.perf_counter()
                done = deliver_many(db, batch, now=datetime.now(UTC), settings=tuned)
                rates[label] = round(len(batch) / (time.perf_counter() - t0), 1)
                assert all(d.outcome == "sent" for d in done)
            db.close()

        from email.message import EmailMessage

        async def peer() -> None:
            for to, subject, body in raw:
                message = EmailMessage()
                message["From"] = "bench@example.org"
                message["To"] = to
                message["Subject"] = subject
                message.set_content(body)
                await aiosmtplib.send(message, hostname="127.0.0.1", port=port, start_tls=False)

        t0 = time.perf_counter()
        asyncio.run(peer())
        bare = time.perf_counter() - t0
    finally:
        controller.stop()
    return {
        "mails": len(ids),
        "peer_mails": len(raw),
        "outbox_per_s": rates,
        "bare_aiosmtplib_per_s": round(len(raw) / bare, 1),
        "received": sink.count,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="2,000 articles and 1,000 readers")
    parser.add_argument("--engines", default="sqlite,postgresql")
    parser.add_argument("--send", type=int, default=None, help="mails for the send rate")
    parser.add_argument("--articles", type=int, default=None, help="articles in the day")
    parser.add_argument("--readers", type=int, default=None, help="readers")
    parser.add_argument(
        "--processes",
        type=int,
        default=None,
        help="build processes (NEWSDESK_EDITION_BUILD_PROCESSES; default: one per core)",
    )
    args = parser.parse_args()
    n_articles, n_users = (2000, 1000) if args.quick else (20000, 10000)
    n_articles, n_users = args.articles or n_articles, args.readers or n_users
    sends = args.send or (100 if args.quick else 500)
    os.environ.setdefault("NEWSDESK_LOG_LEVEL", "WARNING")
    rows = generate(n_articles, n_users)
    results: dict[str, Any] = {"articles": n_articles, "readers": n_users}
    results["load_average_before"] = os.getloadavg()[0]
    for engine in args.engines.split(","):
        if engine == "sqlite":
            with tempfile.TemporaryDirectory() as tmp:
                results["sqlite"] = bench_engine(f"sqlite:///{tmp}/bench.db", rows, args.processes)
        elif engine == "postgresql":
            import psycopg

            name = f"newsdesk_bench_{uuid.uuid4().hex[:8]}"
            try:
                with psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=3) as con:
                    con.execute(f'CREATE DATABASE "{name}"')
            except psycopg.OperationalError as exc:
                print(f"PostgreSQL skipped: {exc}".splitlines()[0], file=sys.stderr)
                continue
            try:
                url = PG_ADMIN.rsplit("/", 1)[0] + f"/{name}"
                results["postgresql"] = bench_engine(url, rows, args.processes)
            finally:
                from newsdesk.store.db import close_all

                close_all()
                with psycopg.connect(PG_ADMIN, autocommit=True) as con:
                    con.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        print(json.dumps({engine: results.get(engine)}), file=sys.stderr, flush=True)
    results["send"] = bench_send(sends)
    results["load_average_after"] = os.getloadavg()[0]
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
