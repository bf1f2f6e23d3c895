"""Follow: latency of the Following and For-you queries at a million articles.

Generates (deterministic seed) 1,000,000 articles over 60 days from 200 outlets,
5,000 authors, 20,000 people/organisations/places and 300 topics, grouped into
stories of about four articles, and 1,000 users with 30 follows each (authors,
people, organisations, places, topics, outlets, stories; popular things are
followed more often) and two mutes each, with marks set to a check 0.5 to 3
days ago. Rows are bulk-inserted straight into the tables (not through the
language pipeline) in a fresh SQLite file and a fresh PostgreSQL database that
the script creates and drops. The full-text triggers are dropped for the bulk
load (the author index is filled directly): these queries do not use full text,
and saved-search follows are not in the mix.

Then, for a sample of users, it times ``load_following`` (counts since each
mark, newest page per follow, article cards, grouping by story) and
``load_for_you`` (candidates from follows and top stories, mutes, ranking), each
the whole call a page view makes, and prints p50 / p95 in milliseconds.

    python bench/follow_queries.py            # 1,000,000 articles, 1,000 users
    python bench/follow_queries.py --quick    # 50,000 articles, 100 users
    python bench/follow_queries.py --engines sqlite
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

SEED = 20261130
NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
DAYS = 60
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"


def zipf_choice(rng: random.Random, n: int, s: float = 1.1) -> int:
    """An index in [0, n) with a long tail: a few popular things, many rare ones."""
    return min(int(rng.paretovariate(s)) - 1, n - 1) if rng.random() < 0.7 else rng.randrange(n)


def generate(n_articles: int, n_users: int) -> dict[str, list[tuple]]:
    rng = random.Random(SEED)
    n_outlets, n_authors, n_entities, n_topics = 200, 5000, 20000, 300
    span = DAYS * 86400
    rows: dict[str, list[tuple]] = {
        k: []
        for k in (
            "outlets",
            "articles",
            "article_authors",
            "entities",
            "article_entities",
            "topics",
            "article_topics",
            "stories",
            "story_members",
            "users",
            "follows",
            "mutes",
        )
    }
    start = NOW - timedelta(days=DAYS)
    for i in range(1, n_outlets + 1):
        rows["outlets"].append((i, f"Bench Outlet {i}", f"outlet{i}.example", start))
    kinds = ("person", "org", "place")
    for i in range(1, n_entities + 1):
        kind = kinds[i % 3]
        rows["entities"].append((i, kind, f"{kind}:bench entity {i}", f"Bench Entity {i}", start))
    for i in range(1, n_topics + 1):
        rows["topics"].append((i, f"bench topic {i}", f"Bench Topic {i}", start))
    story_id = 0
    story_left = 0
    story_rows: dict[int, list] = {}
    for aid in range(1, n_articles + 1):
        published = start + timedelta(seconds=span * aid / n_articles + rng.randint(0, 120))
        outlet = zipf_choice(rng, n_outlets) + 1
        author = f"Bench Author {zipf_choice(rng, n_authors) + 1}"
        if story_left == 0:
            story_id += 1
            story_left = rng.randint(1, 7)
            story_rows[story_id] = [published, published, 0, set(), rng.random()]
        story_left -= 1
        s = story_rows[story_id]
        s[1] = published
        s[2] += 1
        s[3].add(outlet)
        title = f"Bench headline {aid} about topic {aid % 97}"
        body = f"Body of bench article {aid} written for outlet {outlet}."
        rows["articles"].append(
            (
                aid,
                f"{aid:064x}",
                title,
                json.dumps([author]),
                outlet,
                published,
                published,
                json.dumps([body]),
                body,
                9,
            )
        )
        rows["article_authors"].append((author.lower(), aid))
        for eid in {zipf_choice(rng, n_entities) + 1 for _ in range(2)}:
            rows["article_entities"].append((aid, eid, 0.5, 1, f"Bench Entity {eid}", "[]"))
        rows["article_topics"].append((aid, zipf_choice(rng, n_topics) + 1, 1.0))
        rows["story_members"].append((aid, story_id, published, f"Bench Outlet {outlet}", title))
    for sid, (first, last, size, outlets, importance) in story_rows.items():
        rows["stories"].append(
            (
                sid,
                f"s{sid}",
                f"Bench story {sid}",
                first,
                last,
                size,
                len(outlets),
                json.dumps(sorted(outlets)),
                importance * size,
            )
        )
    last_story = story_id
    for uid in range(1, n_users + 1):
        rows["users"].append((uid, f"user{uid}@bench.example", f"User {uid}", uid == 1, start))
        checked = NOW - timedelta(days=rng.uniform(0.5, 3))
        mark = int(n_articles * (checked - start).total_seconds() / span)
        targets: set[tuple[str, str]] = set()
        while len(targets) < 30:
            roll = rng.random()
            if roll < 0.2:
                targets.add(("author", f"bench author {zipf_choice(rng, n_authors) + 1}"))
            elif roll < 0.5:
                eid = zipf_choice(rng, n_entities) + 1
                targets.add((kinds[eid % 3], str(eid)))
            elif roll < 0.7:
                targets.add(("topic", f"bench topic {zipf_choice(rng, n_topics) + 1}"))
            elif roll < 0.9:
                targets.add(("outlet", str(zipf_choice(rng, n_outlets) + 1)))
            else:
                targets.add(("story", str(last_story - rng.randrange(min(last_story, 5000)))))
        for kind, target in sorted(targets):
            rows["follows"].append((uid, kind, target, f"{kind} {target}", start, mark, checked))
        rows["mutes"].append(
            (uid, "topic", f"bench topic {rng.randrange(n_topics) + 1}", "t", start)
        )
        rows["mutes"].append((uid, "outlet", str(rng.randrange(n_outlets) + 1), "o", start))
    return rows


INSERTS = {
    "outlets": ("outlets", "id, name, domain, created_at"),
    "entities": ("entities", "id, kind, key, name, created_at"),
    "topics": ("topics", "id, key, name, created_at"),
    "articles": (
        "articles",
        "id, content_hash, title, authors, outlet_id, published_at, fetched_at,"
        " paragraphs, body, word_count",
    ),
    "article_authors": ("article_authors", "author_key, article_id"),
    "article_entities": (
        "article_entities",
        "article_id, entity_id, salience, mentions, name, roles",
    ),
    "article_topics": ("article_topics", "article_id, topic_id, score"),
    "stories": (
        "stories",
        "id, key, headline, first_seen, last_seen, size, outlet_count, outlets, importance",
    ),
    "story_members": ("story_members", "article_id, story_id, published_at, outlet, headline"),
    "users": ("users", "id, email, display_name, is_admin, created_at"),
    "follows": ("follows", "user_id, kind, target, label, created_at, mark_article_id, checked_at"),
    "mutes": ("mutes", "user_id, kind, target, label, created_at"),
}
ORDER = (
    "outlets",
    "entities",
    "topics",
    "articles",
    "article_authors",
    "article_entities",
    "article_topics",
    "stories",
    "story_members",
    "users",
    "follows",
    "mutes",
)


def _sqlite_value(v: object) -> object:
    if isinstance(v, datetime):
        return v.astimezone(UTC).replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f")
    return v


def load_sqlite(path: Path, rows: dict[str, list[tuple]]) -> None:
    import sqlite3

    con = sqlite3.connect(path)
    con.execute("PRAGMA synchronous=OFF")
    for trigger in ("articles_follow_ai", "articles_follow_au", "articles_follow_ad"):
        con.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    for name in ORDER:
        table, cols = INSERTS[name]
        n = len(cols.split(","))
        marks = ", ".join("?" * n)
        data = ([_sqlite_value(v) for v in row] for row in rows[name])
        if name == "articles":
            con.executemany(
                f"INSERT INTO articles ({cols}, contributors, credits, title_generated,"
                f" extraction_method, warnings, created_at) VALUES ({marks}, '[]', '[]', 0,"
                " 'bench', '[]', ?)",
                ([*r, r[6]] for r in data),
            )
        elif name == "stories":
            con.executemany(
                f"INSERT INTO stories ({cols}, status, summary, words, counts, entities, topics,"
                f" timeline, factors, created_at, updated_at) VALUES ({marks}, 'open', '', 0,"
                " '{}', '[]', '[]', '[]', '{}', ?, ?)",
                ([*r, r[4], r[4]] for r in data),
            )
        elif name == "story_members":
            con.executemany(
                f"INSERT INTO story_members ({cols}, summary, terms, entities, topics, signature,"
                f" confidence, added_at) VALUES ({marks}, '', '{{}}', '[]', '[]', '[]', 1.0, ?)",
                ([*r, r[2]] for r in data),
            )
        elif name == "users":
            con.executemany(f"INSERT INTO users ({cols}, time_zone) VALUES ({marks}, 'UTC')", data)
        else:
            con.executemany(f"INSERT INTO {table} ({cols}) VALUES ({marks})", data)
        con.commit()
    con.execute("ANALYZE")
    con.commit()
    con.close()


def load_postgres(url: str, rows: dict[str, list[tuple]]) -> None:
    import psycopg

    extra = {
        "articles": (
            ", contributors, credits, title_generated, extraction_method, warnings, created_at",
            lambda r: (*r, "[]", "[]", False, "bench", "[]", r[6]),
        ),
        "stories": (
            ", status, summary, words, counts, entities, topics, timeline, factors,"
            " created_at, updated_at",
            lambda r: (*r, "open", "", 0, "{}", "[]", "[]", "[]", "{}", r[4], r[4]),
        ),
        "story_members": (
            ", summary, terms, entities, topics, signature, confidence, added_at",
            lambda r: (*r, "", "{}", "[]", "[]", "[]", 1.0, r[2]),
        ),
        "users": (", time_zone", lambda r: (*r, "UTC")),
    }
    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as con:
        con.execute("DROP TRIGGER IF EXISTS articles_follow_sync ON articles")
        for name in ORDER:
            table, cols = INSERTS[name]
            more, shape = extra.get(name, ("", lambda r: r))
            with con.cursor() as cur, cur.copy(f"COPY {table} ({cols}{more}) FROM STDIN") as copy:
                for row in rows[name]:
                    copy.write_row(shape(row))
            con.commit()
        for table in (
            "outlets",
            "entities",
            "topics",
            "articles",
            "stories",
            "users",
            "follows",
            "mutes",
        ):
            con.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
                f" (SELECT coalesce(max(id), 1) FROM {table}))"
            )
        con.commit()
        con.autocommit = True
        con.execute("VACUUM ANALYZE")


# The peer: the obvious single-query Following, as a first version would write it: every
# follow joined to all of its articles, filtered by publication date after the last check,
# counted per follow (no id marks, no caps, no mutes, no page of articles: it does less).
NAIVE_FOLLOWING = """
WITH f AS (SELECT id, kind, target, checked_at FROM follows WHERE user_id = :uid),
m AS (
  SELECT f.id AS fid, aa.article_id AS aid FROM f
    JOIN article_authors aa ON f.kind = 'author' AND aa.author_key = f.target
  UNION ALL SELECT f.id, a.id FROM f
    JOIN articles a ON f.kind = 'outlet' AND a.outlet_id = CAST(f.target AS INTEGER)
  UNION ALL SELECT f.id, ae.article_id FROM f
    JOIN article_entities ae ON f.kind IN ('person', 'org', 'place')
     AND ae.entity_id = CAST(f.target AS INTEGER)
  UNION ALL SELECT f.id, at.article_id FROM f
    JOIN topics t ON f.kind = 'topic' AND t.key = f.target
    JOIN article_topics at ON at.topic_id = t.id
  UNION ALL SELECT f.id, sm.article_id FROM f
    JOIN story_members sm ON f.kind = 'story' AND sm.story_id = CAST(f.target AS INTEGER)
)
SELECT m.fid, count(*) FROM m
  JOIN articles a ON a.id = m.aid
  JOIN f ON f.id = m.fid
 WHERE a.published_at > f.checked_at
 GROUP BY m.fid
"""


def time_naive(url: str, users: list[int]) -> list[float]:
    from sqlalchemy import text

    from newsdesk.store.db import Database, make_engine

    db = Database(make_engine(url))
    out = []
    with db.connect() as conn:
        for uid in users:
            t0 = time.perf_counter()
            conn.execute(text(NAIVE_FOLLOWING), {"uid": uid}).all()
            out.append((time.perf_counter() - t0) * 1000)
            conn.rollback()
    db.close()
    return out


def time_queries(url: str, users: list[int]) -> dict[str, list[float]]:
    try:
        from newsdesk.follow.for_you import load_for_you as load_feed
    except ImportError:  # a checkout from before the rename, for the "before" figures
        from newsdesk.follow.feed import load_feed  # type: ignore[no-redef]
    from newsdesk.follow.following import load_following
    from newsdesk.store.db import Database, make_engine

    db = Database(make_engine(url))
    timings: dict[str, list[float]] = {
        "following": [],
        "for_you": [],
        "following_cpu": [],
        "for_you_cpu": [],
    }
    server_ticks = {"following": 0, "for_you": 0}
    with db.connect() as conn:
        load_following(conn, users[0], now=NOW)  # warm the caches once
        load_feed(conn, users[0], now=NOW, window=timedelta(hours=48))
        backend = None
        if conn.dialect.name == "postgresql":
            backend = conn.exec_driver_sql("SELECT pg_backend_pid()").scalar()
        for uid in users:
            s0 = _ticks(backend)
            c0, t0 = time.process_time(), time.perf_counter()
            view = load_following(conn, uid, now=NOW)
            c1, t1 = time.process_time(), time.perf_counter()
            s1 = _ticks(backend)
            feed = load_feed(conn, uid, now=NOW, window=timedelta(hours=48))
            c2, t2 = time.process_time(), time.perf_counter()
            s2 = _ticks(backend)
            conn.rollback()  # each page view is its own transaction
            assert view.follows and feed, f"user {uid} got an empty view"
            timings["following"].append((t1 - t0) * 1000)
            timings["for_you"].append((t2 - t1) * 1000)
            timings["following_cpu"].append((c1 - c0) * 1000)
            timings["for_you_cpu"].append((c2 - c1) * 1000)
            server_ticks["following"] += s1 - s0
            server_ticks["for_you"] += s2 - s1
    if backend is not None:
        tick_ms = 1000 / os.sysconf("SC_CLK_TCK")
        for query, ticks in server_ticks.items():
            timings[query + "_server_mean"] = [ticks * tick_ms / len(users)]
    db.close()
    return timings


def _ticks(pid: int | None) -> int:
    """CPU clock ticks (user + system) a PostgreSQL backend has used so far; 0 for SQLite."""
    if pid is None:
        return 0
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def pct(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="50,000 articles and 100 users")
    parser.add_argument("--engines", default="sqlite,postgresql")
    parser.add_argument("--sample", type=int, default=200, help="users timed per engine")
    parser.add_argument("--pg-admin-url", default=PG_ADMIN)
    parser.add_argument(
        "--baseline-sample", type=int, default=10, help="users timed with the naive peer query"
    )
    parser.add_argument(
        "--keep-sqlite",
        type=Path,
        help="keep the SQLite database at this path (and reuse it when it exists)",
    )
    parser.add_argument(
        "--keep-postgres",
        metavar="NAME",
        help="keep the PostgreSQL database NAME (and reuse it when it exists)",
    )
    args = parser.parse_args()
    n_articles, n_users = (50_000, 100) if args.quick else (1_000_000, 1_000)
    from newsdesk.store.db import make_engine, migrate

    t = time.perf_counter()
    reuse = args.keep_sqlite is not None and args.keep_sqlite.exists()
    rows = {} if reuse and args.engines == "sqlite" else generate(n_articles, n_users)
    print(
        f"generated {n_articles:,} articles, {n_users:,} users x 30 follows "
        f"({sum(len(v) for v in rows.values()):,} rows) in {time.perf_counter() - t:.0f} s"
    )
    sample = random.Random(SEED).sample(range(1, n_users + 1), min(args.sample, n_users))
    results = {}
    pg_reuse = False
    for engine in args.engines.split(","):
        drop = None
        tmp = tempfile.TemporaryDirectory()
        if engine == "sqlite":
            path = args.keep_sqlite or Path(tmp.name) / "bench.db"
            url = f"sqlite:///{path}"
        else:
            import psycopg

            name = args.keep_postgres or f"newsdesk_bench_{uuid.uuid4().hex[:8]}"
            try:
                with psycopg.connect(args.pg_admin_url, autocommit=True, connect_timeout=3) as c:
                    exists = c.execute(
                        "SELECT 1 FROM pg_database WHERE datname = %s", (name,)
                    ).fetchone()
                    if exists is None:
                        c.execute(f'CREATE DATABASE "{name}"')
            except psycopg.OperationalError as exc:
                print(f"postgresql: not reachable at {args.pg_admin_url}: {exc}", file=sys.stderr)
                continue
            url = "postgresql+psycopg://" + args.pg_admin_url.split("://", 1)[1].rsplit("/", 1)[0]
            url += f"/{name}"

            def drop(name: str = name) -> None:
                with psycopg.connect(args.pg_admin_url, autocommit=True) as c:
                    c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

            if args.keep_postgres:
                drop = None
                pg_reuse = exists is not None

        try:
            if not ((engine == "sqlite" and reuse) or (engine != "sqlite" and pg_reuse)):
                engine_obj = make_engine(url)
                migrate(engine_obj)
                engine_obj.dispose()
                t = time.perf_counter()
                if engine == "sqlite":
                    load_sqlite(path, rows)
                else:
                    load_postgres(url, rows)
                print(f"{engine}: loaded in {time.perf_counter() - t:.0f} s")
            results[engine] = time_queries(url, sample)
            if args.baseline_sample:
                naive = time_naive(url, sample[: args.baseline_sample])
                results[engine]["naive_following"] = naive
        finally:
            if drop is not None:
                drop()
            tmp.cleanup()
    print()
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"load average at the end: {load} on {os.cpu_count()} cores")
    print(
        "| engine | query | users timed | p50 ms | p95 ms | goal p95 <= 50 ms |"
        " client CPU p50 ms | client CPU p95 ms | server CPU mean ms |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for engine, timings in results.items():
        for query in ("following", "for_you"):
            values, cpu = timings[query], timings[query + "_cpu"]
            mean = timings.get(query + "_server_mean")
            server = f"{mean[0]:.1f}" if mean else "in client"
            p50, p95 = pct(values, 50), pct(values, 95)
            ok = "met" if p95 <= 50 else "missed"
            print(
                f"| {engine} | {query} | {len(values)} | {p50:.1f} | {p95:.1f} | {ok} |"
                f" {pct(cpu, 50):.1f} | {pct(cpu, 95):.1f} | {server} |"
            )
    print()
    print(
        "| engine | naive Following (peer) p50 ms | users timed | newsdesk Following p50 ms |"
        " peer / newsdesk |"
    )
    print("| --- | --- | --- | --- | --- |")
    for engine, timings in results.items():
        if "naive_following" in timings:
            naive, ours = pct(timings["naive_following"], 50), pct(timings["following"], 50)
            print(
                f"| {engine} | {naive:.1f} | {len(timings['naive_following'])} | {ours:.1f} |"
                f" {naive / ours:.1f}x |"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
