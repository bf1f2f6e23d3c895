"""Refresh benchmark: 2,000 generated feeds of 25 items each, served from this machine.

What it measures, each phase in its own child process so peak memory is its own:

* ``newsdesk`` first refresh: every feed fetched (with the default politeness:
  2 requests per host, 0.5 s between requests to one host), parsed, and every
  entry stored as a feed item plus an article in SQLite, each article queued
  for the enrichers (as ``newsdesk refresh`` does: storing never waits on NLP);
* ``newsdesk`` second refresh: the same feeds, all answered 304 to our
  conditional requests;
* the deferred enrichment of a sample of the queued articles (``--enrich``,
  500 by default, 100 with ``--quick``): understanding (spaCy, batched) and
  stories, as ``newsdesk refresh`` runs it after storing; in its own process;
* the peer: a naive sequential loop of ``httpx.get`` + ``feedparser.parse``
  over the same feeds, storing nothing.

The feeds are served by a small HTTP/1.1 server in a subprocess, listening
only on loopback addresses (the feeds are spread over 127.0.0.1-127.0.0.N so
that per-host politeness works as it does with real, many-host subscriptions).
The server stops itself when idle, when its parent is gone, or after 15 minutes.
The feeds are generated text of our own (fictional outlets), nothing is downloaded.

    .venv/bin/python bench/refresh.py            # 2,000 feeds
    .venv/bin/python bench/refresh.py --quick    # 200 feeds
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

ITEMS_PER_FEED = 25
WORDS = [
    "harbour",
    "council",
    "ferry",
    "museum",
    "orchard",
    "market",
    "bridge",
    "library",
    "choir",
    "station",
    "river",
    "quarry",
    "festival",
    "school",
    "budget",
    "mayor",
    "farmers",
    "cooperative",
    "tram",
    "night",
    "bus",
    "valley",
    "coast",
    "lighthouse",
    "vote",
    "repairs",
    "winter",
    "spring",
    "grant",
    "traders",
    "workers",
    "residents",
    "county",
    "board",
    "plan",
    "road",
    "tunnel",
    "island",
    "storm",
    "harvest",
    "apples",
    "cider",
    "bakery",
    "theatre",
    "park",
    "square",
]
MAX_LIFETIME = 15 * 60


# --- the feeds ---------------------------------------------------------------


def feed_xml(index: int) -> bytes:
    """Feed ``index``: 25 items of generated text, the same bytes every time."""
    rng = random.Random(index)
    outlet = f"Outlet {index:04d} Courier"
    start = datetime(2026, 11, 1, tzinfo=UTC)
    items = []
    for j in range(ITEMS_PER_FEED):
        title = " ".join(rng.choice(WORDS) for _ in range(8)).capitalize()
        paragraphs = "".join(
            "<p>" + " ".join(rng.choice(WORDS) for _ in range(45)).capitalize() + ".</p>"
            for _ in range(3)
        )
        when = format_datetime(start + timedelta(hours=index % 24 + j * 7))
        items.append(
            f"<item><title>{title} {index}-{j}</title>"
            f"<link>https://outlet-{index}.example/story/{j}</link>"
            f'<guid isPermaLink="false">o{index}-s{j}</guid><pubDate>{when}</pubDate>'
            f"<description>{title}.</description>"
            f"<content:encoded><![CDATA[{paragraphs}<p>Story {index}-{j}.</p>]]></content:encoded>"
            "</item>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">'
        f"<channel><title>{outlet}</title><link>https://outlet-{index}.example/</link>"
        f"<description>Generated feed {index}</description>{''.join(items)}</channel></rss>"
    ).encode()


def feed_url(index: int, hosts: int, port: int) -> str:
    return f"http://127.0.0.{1 + index % hosts}:{port}/feeds/{index}.xml"


# --- the server (subprocess) ---------------------------------------------------


def serve(feeds: int, hosts: int, idle: float) -> None:
    """Serve the feeds with ETag/304 on 127.0.0.1..N; print the port, then run until told."""
    stats = {"ok": 0, "not_modified": 0, "conditional": 0, "other": 0}
    cache: dict[int, bytes] = {}
    last = time.monotonic()
    parent = os.getppid()
    stamp = "Wed, 25 Nov 2026 07:00:00 GMT"

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal last
        try:
            while True:
                line = await reader.readline()
                if not line:
                    break
                headers: dict[str, str] = {}
                while True:
                    h = await reader.readline()
                    if h in (b"\r\n", b"\n", b""):
                        break
                    name, _, value = h.decode("latin-1").partition(":")
                    headers[name.strip().lower()] = value.strip()
                last = time.monotonic()
                path = line.split()[1].decode()
                status, body, extra = 404, b"", ""
                if path == "/__stats":
                    status, body = 200, json.dumps(stats).encode()
                elif path.startswith("/feeds/") and path.endswith(".xml"):
                    index = int(path[7:-4])
                    if 0 <= index < feeds:
                        etag = f'"feed-{index}-v1"'
                        extra = f"ETag: {etag}\r\nLast-Modified: {stamp}\r\n"
                        if "if-none-match" in headers or "if-modified-since" in headers:
                            stats["conditional"] += 1
                        if headers.get("if-none-match") == etag:
                            status = 304
                            stats["not_modified"] += 1
                        else:
                            status = 200
                            stats["ok"] += 1
                            body = cache.get(index) or cache.setdefault(index, feed_xml(index))
                if status == 404:
                    stats["other"] += 1
                reason = {200: "OK", 304: "Not Modified", 404: "Not Found"}[status]
                head = (
                    f"HTTP/1.1 {status} {reason}\r\nContent-Type: application/rss+xml\r\n"
                    f"Content-Length: {len(body) if status != 304 else 0}\r\n{extra}\r\n"
                )
                writer.write(head.encode() + (body if status != 304 else b""))
                await writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            writer.close()

    async def main() -> None:
        first = await asyncio.start_server(handle, "127.0.0.1", 0, backlog=1024)
        port = first.sockets[0].getsockname()[1]
        servers = [first]
        for h in range(2, hosts + 1):
            servers.append(await asyncio.start_server(handle, f"127.0.0.{h}", port, backlog=256))
        print(port, flush=True)
        started = time.monotonic()
        while True:
            await asyncio.sleep(0.5)
            now = time.monotonic()
            if now - last > idle or now - started > MAX_LIFETIME or os.getppid() != parent:
                break
        for s in servers:
            s.close()

    asyncio.run(main())


# --- the phases (each a child process) -------------------------------------------


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def phase_ours(feeds: int, hosts: int, port: int) -> dict[str, object]:
    data_dir = tempfile.mkdtemp(prefix="newsdesk-bench-refresh-")
    os.environ["NEWSDESK_DATA_DIR"] = data_dir
    os.environ["NEWSDESK_ALLOWED_HOSTS"] = '["127.0.0.0/8"]'
    os.environ["NEWSDESK_CONFIG"] = str(Path(data_dir) / "none.toml")
    os.environ.pop("NEWSDESK_DATABASE_URL", None)
    from newsdesk.config import get_settings
    from newsdesk.jobs.refresh import refresh
    from newsdesk.logs import configure_logging
    from newsdesk.store import sources as repo
    from newsdesk.store.db import open_database

    settings = get_settings()
    configure_logging(settings.log_level, json=settings.log_json)
    db = open_database(settings)
    now = datetime.now(UTC)
    with db.begin() as conn:
        for i in range(feeds):
            repo.add_source(conn, feed_url(i, hosts, port), now=now)
    base_mib = peak_mib()
    t0 = time.perf_counter()
    first = refresh(db, settings, force=True)
    t1 = time.perf_counter()
    second = refresh(db, settings, force=True)
    t2 = time.perf_counter()
    from newsdesk.jobs.enrichment import waiting

    return {
        "data_dir": data_dir,
        "queued_for_enrichment": waiting(db),
        "first_s": t1 - t0,
        "second_s": t2 - t1,
        "new_items": first.new_items,
        "first_failed": len(first.failed),
        "failures": [o.error for o in first.failed[:3]],
        "second_new_items": second.new_items,
        "second_unchanged": second.count("unchanged"),
        "peak_mib": peak_mib(),
        "worker_peak_mib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
        "peak_before_refresh_mib": base_mib,
        "first_cpu_s": first.cpu_seconds,
        "second_cpu_s": second.cpu_seconds,
        "settings": {
            "per_host_concurrency": settings.per_host_concurrency,
            "per_host_delay": settings.per_host_delay,
            "fetch_concurrency": settings.fetch_concurrency,
        },
    }


def phase_enrich(data_dir: str, count: int) -> dict[str, object]:
    """The deferred enrichment of ``count`` queued articles from the first refresh's store."""
    os.environ["NEWSDESK_DATA_DIR"] = data_dir
    os.environ["NEWSDESK_CONFIG"] = str(Path(data_dir) / "none.toml")
    os.environ.pop("NEWSDESK_DATABASE_URL", None)
    from newsdesk.config import get_settings
    from newsdesk.jobs.enrichment import enrich_pending
    from newsdesk.logs import configure_logging
    from newsdesk.store.db import open_database

    settings = get_settings()
    configure_logging(settings.log_level, json=settings.log_json)
    db = open_database(settings)
    t0 = time.perf_counter()
    cpu0 = time.process_time()
    report = enrich_pending(db, limit=count)
    seconds = time.perf_counter() - t0
    return {
        "seconds": seconds,
        "cpu_s": time.process_time() - cpu0,
        "enriched": report.enriched,
        "failed": report.failed,
        "per_second": report.enriched / seconds if seconds else 0.0,
        "understand_s": report.understand_seconds,
        "write_s": report.write_seconds,
        "peak_mib": peak_mib(),
    }


def phase_fetch(feeds: int, hosts: int, port: int) -> dict[str, object]:
    """newsdesk's fetch + parse layer alone (same politeness settings), storing nothing."""
    os.environ["NEWSDESK_ALLOWED_HOSTS"] = '["127.0.0.0/8"]'
    from newsdesk.config import get_settings
    from newsdesk.sources.feeds.parse import parse_feed
    from newsdesk.sources.fetch.client import FEED_ACCEPT, Fetcher

    settings = get_settings()

    async def run() -> int:
        async with Fetcher(settings) as fetcher:

            async def one(i: int) -> int:
                result = await fetcher.get(
                    feed_url(i, hosts, port), max_bytes=settings.max_feed_bytes, accept=FEED_ACCEPT
                )
                return len(parse_feed(result.content, url=result.final_url).entries)

            return sum(await asyncio.gather(*(one(i) for i in range(feeds))))

    t0 = time.perf_counter()
    entries = asyncio.run(run())
    return {"seconds": time.perf_counter() - t0, "entries": entries, "peak_mib": peak_mib()}


def phase_peer(feeds: int, hosts: int, port: int) -> dict[str, object]:
    import feedparser
    import httpx

    t0 = time.perf_counter()
    entries = 0
    with httpx.Client(timeout=30) as client:
        for i in range(feeds):
            response = client.get(feed_url(i, hosts, port))
            entries += len(feedparser.parse(response.content).entries)
    return {"seconds": time.perf_counter() - t0, "entries": entries, "peak_mib": peak_mib()}


def run_phase(name: str, feeds: int, hosts: int, port: int, *extra: str) -> dict[str, object]:
    cmd = [
        sys.executable,
        __file__,
        "--phase",
        name,
        "--feeds",
        str(feeds),
        "--hosts",
        str(hosts),
        "--port",
        str(port),
        *extra,
    ]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=MAX_LIFETIME)
    if done.returncode != 0:
        raise SystemExit(f"phase {name} failed:\n{done.stderr[-3000:]}")
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def stats(port: int) -> dict[str, int]:
    import httpx

    data: dict[str, int] = httpx.get(f"http://127.0.0.1:{port}/__stats", timeout=5).json()
    return data


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="200 feeds instead of 2,000")
    parser.add_argument("--feeds", type=int, default=None)
    parser.add_argument("--hosts", type=int, default=None, help="loopback addresses to spread over")
    parser.add_argument("--no-peer", action="store_true", help="skip the feedparser loop")
    parser.add_argument(
        "--enrich",
        type=int,
        default=None,
        help="queued articles to enrich after the refresh (default 500, --quick 100; 0: none)",
    )
    parser.add_argument(
        "--phase", choices=["serve", "ours", "fetch", "peer", "enrich"], help=argparse.SUPPRESS
    )
    parser.add_argument("--port", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--data-dir", default="", help=argparse.SUPPRESS)
    parser.add_argument("--idle", type=float, default=120.0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    feeds = args.feeds or (200 if args.quick else 2000)
    hosts = args.hosts or max(1, min(250, feeds // 5))

    if args.phase == "serve":
        serve(feeds, hosts, args.idle)
        return
    if args.phase == "ours":
        print(json.dumps(phase_ours(feeds, hosts, args.port)))
        return
    if args.phase == "peer":
        print(json.dumps(phase_peer(feeds, hosts, args.port)))
        return
    if args.phase == "enrich":
        print(json.dumps(phase_enrich(args.data_dir, args.enrich or 0)))
        return
    if args.phase == "fetch":
        print(json.dumps(phase_fetch(feeds, hosts, args.port)))
        return

    server = subprocess.Popen(
        [
            sys.executable,
            __file__,
            "--phase",
            "serve",
            "--feeds",
            str(feeds),
            "--hosts",
            str(hosts),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        port = int(server.stdout.readline())
        ours = run_phase("ours", feeds, hosts, port)
        served = stats(port)
        sample = args.enrich if args.enrich is not None else (100 if args.quick else 500)
        enriched = None
        if sample:
            extra = ("--enrich", str(sample), "--data-dir", str(ours["data_dir"]))
            enriched = run_phase("enrich", feeds, hosts, port, *extra)
        fetch_only = run_phase("fetch", feeds, hosts, port)
        peer = None if args.no_peer else run_phase("peer", feeds, hosts, port)
    finally:
        server.terminate()
        server.wait(timeout=10)
    items = feeds * ITEMS_PER_FEED
    print(
        f"feeds: {feeds} x {ITEMS_PER_FEED} items over {hosts} loopback hosts "
        f"({os.cpu_count()} CPUs)"
    )
    print(
        f"newsdesk first refresh:  {ours['first_s']:.1f} s, {ours['new_items']} of {items} "
        f"items stored, {ours['first_failed']} feeds failed {ours['failures'] or ''}"
    )
    print(
        f"newsdesk second refresh: {ours['second_s']:.1f} s, {ours['second_unchanged']} of "
        f"{feeds} feeds unchanged, {ours['second_new_items']} new items; server saw "
        f"{served['conditional']} conditional requests, answered {served['not_modified']} x 304"
    )
    cpu = {k: round(v, 1) for k, v in ours["first_cpu_s"].items()}  # type: ignore[attr-defined]
    print(f"newsdesk first refresh CPU seconds by step: {cpu}")
    print(
        f"newsdesk peak memory:    {ours['peak_mib']:.0f} MiB "
        f"({ours['peak_before_refresh_mib']:.0f} MiB before refreshing; the largest worker "
        f"process, parse or writer: {ours['worker_peak_mib']:.0f} MiB)"
    )
    print(
        f"newsdesk fetch + parse only (no store): {fetch_only['seconds']:.1f} s, "
        f"{fetch_only['entries']} entries, {fetch_only['peak_mib']:.0f} MiB"
    )
    if enriched is not None:
        print(
            f"deferred enrichment (understanding + stories) of {enriched['enriched']} of the "
            f"{ours['queued_for_enrichment']} queued articles: {enriched['seconds']:.1f} s "
            f"({enriched['per_second']:.1f} articles/s, {enriched['cpu_s']:.1f} s CPU, "
            f"{enriched['failed']} failed; understanding {enriched['understand_s']:.1f} s, "
            f"writes with stories {enriched['write_s']:.1f} s, the rest loading), "
            f"{enriched['peak_mib']:.0f} MiB"
        )
    shutil.rmtree(str(ours["data_dir"]), ignore_errors=True)
    if peer is not None:
        fetch_ratio = float(peer["seconds"]) / float(fetch_only["seconds"])  # type: ignore[arg-type]
        print(f"ratio peer / newsdesk fetch + parse: {fetch_ratio:.2f}x")
    if peer is not None:
        ratio = float(peer["seconds"]) / float(ours["first_s"])  # type: ignore[arg-type]
        print(
            f"peer (sequential httpx.get + feedparser.parse, stores nothing): "
            f"{peer['seconds']:.1f} s, {peer['entries']} entries, {peer['peak_mib']:.0f} MiB"
        )
        print(f"ratio peer / newsdesk first refresh: {ratio:.2f}x")
    print(
        json.dumps(
            {
                "feeds": feeds,
                "hosts": hosts,
                "ours": ours,
                "server": served,
                "fetch_only": fetch_only,
                "enrichment": enriched,
                "peer": peer,
            }
        )
    )


if __name__ == "__main__":
    main()
