"""Hostile inputs of issue 17: time and peak memory of each, one fresh process per case.

Each case is a small input built here that used to cost time growing with the
square of its size. It runs in a child process (so peak memory is its own and a
case that hangs can be killed), through the product's public entry points:
``parse_feed`` + ``article_from_item`` for feeds, ``extract_article`` for pages,
``understand`` for text, ``feed_links`` for discovery.

    python bench/hostile.py                # every case at the issue's sizes
    python bench/hostile.py --quick        # a tenth of the sizes (seconds)
    python bench/hostile.py --src ../base/src --timeout 60   # another checkout

The child prints nothing but its outcome; the parent reads the child's peak RSS
from ``wait4``.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _rss(title: str = "t", description: str = "d", items: int = 1) -> bytes:
    item = f"<item><title>{title}</title><link>https://news.example/a</link><description>{description}</description></item>"
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Hostile</title>'
        "<link>https://news.example/</link>" + item * items + "</channel></rss>"
    ).encode()


def _text_page(line: str) -> str:
    prose = (
        "The harbour board of Fennick agreed a new budget on Tuesday after a long debate "
        "about the ferry service and the repairs to the north quay. "
    )
    return "Harbour budget agreed\n\n" + prose * 4 + "\n\n" + line + "\n\n" + prose * 4 + "\n"


def _feed_case(data: bytes) -> Callable[[], object]:
    def run() -> object:
        try:  # the layout since the service-layer refactor, else the one before it
            from newsdesk.extract.feed_entry import article_from_item
            from newsdesk.sources.feeds.parse import parse_feed
        except ImportError:
            from newsdesk.sources.item_article import (  # type: ignore[import-not-found,no-redef]
                article_from_item,
            )

            from newsdesk.sources.feeds import parse_feed  # type: ignore[attr-defined,no-redef]

        parsed = parse_feed(data, url="https://news.example/feed")
        return [article_from_item(item, parsed.feed) for item in parsed.entries]

    return run


def _page_case(page: str) -> Callable[[], object]:
    def run() -> object:
        from newsdesk.errors import NewsdeskError
        from newsdesk.extract import extract_article

        try:
            return extract_article(page, url="https://news.example/a")
        except NewsdeskError as exc:
            return exc

    return run


def _understand_case(text: str) -> Callable[[], object]:
    def run() -> object:
        from newsdesk.understand import understand

        return understand(text)

    return run


def _discover_case(links: int) -> Callable[[], object]:
    page = (
        "<html><head>"
        + "".join(
            f'<link rel="alternate" type="application/rss+xml" href="/feed{i}.xml">'
            for i in range(links)
        )
        + "</head><body></body></html>"
    ).encode()

    def run() -> object:
        from newsdesk.sources.discover import feed_links

        return feed_links(page, "https://news.example/")

    return run


def cases(scale: float) -> dict[str, tuple[str, Callable[[], object]]]:
    """name -> (what it is, the call); ``scale`` shrinks every size for --quick."""

    def n(size: int) -> int:
        return max(1, int(size * scale))

    return {
        "rss-title-tags": (
            f'an RSS title of "<a" x {n(30_000):,}',
            _feed_case(_rss(title="&lt;a" * n(30_000))),
        ),
        "description-scripts": (
            f'a description of "<script>" x {n(20_000):,}',
            _feed_case(_rss(description="&lt;script&gt;" * n(20_000))),
        ),
        "text-dashes": (
            f'a text page with a line of {n(30_000):,} "-"',
            _page_case(_text_page("-" * n(30_000))),
        ),
        "text-bars": (
            f'a text page with a line of "| " x {n(10_000):,}',
            _page_case(_text_page("| " * n(10_000))),
        ),
        "text-copyright": (
            f'a text page with a line of "© " x {n(20_000):,}',
            _page_case(_text_page("© " * n(20_000))),
        ),
        "understand-possessive": (
            f'"\'s " x {n(20_000):,} through understand',
            _understand_case("'s " * n(20_000)),
        ),
        "discover-links": (
            f'{n(40_000):,} <link rel="alternate">',
            _discover_case(n(40_000)),
        ),
        "discover-links-160k": (
            f'{n(160_000):,} <link rel="alternate">',
            _discover_case(n(160_000)),
        ),
        "html-paragraphs": (
            f"{n(600_000):,} <p>",
            _page_case("<html><body>" + "<p>x</p>" * n(600_000) + "</body></html>"),
        ),
        "html-sibling-divs": (
            f"{n(690_000):,} sibling <div>",
            _page_case("<html><body>" + "<div>x</div>" * n(690_000) + "</body></html>"),
        ),
    }


def _child(name: str, scale: float) -> None:
    _, call = cases(scale)[name]
    cases(1e-9)[name][1]()  # imports and the language model loaded first, untimed
    start = time.perf_counter()
    outcome = call()
    elapsed = time.perf_counter() - start
    kind = type(outcome).__name__
    print(f"{elapsed:.3f} {kind}")


def _measure(name: str, scale: float, src: Path, timeout: float) -> tuple[float | None, float, str]:
    """(seconds or None, peak MB, outcome) of one case in a fresh process; None when it failed."""
    import tempfile

    env = dict(os.environ, PYTHONPATH=str(src))
    env.setdefault("NEWSDESK_CONFIG", os.devnull)  # no config file of the user's
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(
            [sys.executable, __file__, "--child", name, "--scale", str(scale)],
            env=env,
            stdout=out,
            stderr=err,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                os.killpg(proc.pid, signal.SIGKILL)
                _, status, usage = os.wait4(proc.pid, 0)
                proc.returncode = -9
                return None, usage.ru_maxrss / 1024, "killed"
            time.sleep(0.05)
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        lines = out.read().decode().strip().splitlines()
        problem = err.read().decode().strip().splitlines()
    peak = usage.ru_maxrss / 1024
    if proc.returncode != 0 or not lines:
        return None, peak, "error: " + (problem[-1:] or ["?"])[0][:80]
    seconds, outcome = lines[-1].split()
    return float(seconds), peak, outcome


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a tenth of the sizes")
    parser.add_argument("--src", type=Path, default=ROOT / "src", help="src folder to measure")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds before a kill")
    parser.add_argument("--only", action="append", help="run only these cases")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--scale", type=float, default=1.0, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        _child(args.child, args.scale)
        return 0
    scale = 0.1 if args.quick else 1.0
    print(f"| input | time | peak memory | outcome |  ({args.src})")
    print("| --- | --- | --- | --- |")
    for name, (label, _) in cases(scale).items():
        if args.only and name not in args.only:
            continue
        seconds, peak, outcome = _measure(name, scale, args.src.resolve(), args.timeout)
        if seconds is not None:
            shown = f"{seconds:.2f} s"
        elif outcome == "killed":
            shown = f"> {args.timeout:.0f} s (killed)"
        else:
            shown = "failed"
        print(f"| {label} | {shown} | {peak:.0f} MB | {outcome} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
