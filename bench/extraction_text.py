"""Benchmark: newsdesk on pages saved as text, beside the HTML peers, in the same run.

Runs ../shared/tools/extraction_eval.py --pages text (the shared scorer) on each
extraction set's pages as a browser saves them as text (``text/*.txt``; see
bench/scrapinghub.py for the sets): our extractor gets each page's bytes through
the product's own entry point (``newsdesk.extract.extract_article``: decode,
extract, checks, language), the peers get the same text as one ``<p>`` per
blank-line block. For each set it prints token F1 and speed, F1 on each half of
the pages (split once by a hash of the page id: rules are tuned on half 0, half 1
is held out), on English and on other languages apart, and every page our product
refused with the reason it gave.

    .venv/bin/python bench/extraction_text.py            # both sets, all pages
    .venv/bin/python bench/extraction_text.py --quick    # the first 40 pages of each

The corpora stay in ../shared/bench/extraction; without them the script says so
and exits 2. Peers that are not installed are skipped (the scorer says which);
``pip install -e '.[bench]'`` brings them.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from scrapinghub import EVAL, QUICK_PAGES, SETS, article_body, load_eval, run_sets

PEERS = "trafilatura,readability,newspaper4k,html_text"
extract_text_body = article_body  # kept for callers that name the old row


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--quick", action="store_true", help=f"only the first {QUICK_PAGES} pages")
    ap.add_argument("--tools", default=PEERS, help=f"peers for extraction_eval (default {PEERS})")
    ap.add_argument("--sets", default=",".join(SETS), help="comma-separated: " + ", ".join(SETS))
    ap.add_argument("--repeat", type=int, default=1, help="time each page N times, keep the best")
    ap.add_argument("--json", type=Path, help="write the figures here as JSON")
    args = ap.parse_args(argv)
    if not EVAL.exists():
        print(f"benchmark scorer not found: needs {EVAL}; nothing measured", file=sys.stderr)
        return 2
    ev = load_eval()
    results = run_sets(
        ev,
        pages="text",
        tools=args.tools,
        quick=args.quick,
        repeat=args.repeat,
        sets=args.sets.split(","),
    )
    if not results:
        print("no benchmark data found; nothing measured", file=sys.stderr)
        return 2
    summary: dict[str, object] = {}
    for name, result in results.items():
        by_name = {r["tool"]: r for r in result["rows"]}  # type: ignore[attr-defined]
        ours, peer = by_name["article_body"], by_name.get("trafilatura")
        entry = {k: v for k, v in result.items() if k != "langs"}
        if peer:
            f1_ratio = ours["metrics"]["f1"] / peer["metrics"]["f1"]
            speed_ratio = ours["speed"]["pages_per_s"] / peer["speed"]["pages_per_s"]
            entry.update(f1_ratio=f1_ratio, speed_ratio=speed_ratio)
            print(
                f"{name}: F1 newsdesk/trafilatura {f1_ratio:.2f}x; pages/s "
                f"newsdesk/trafilatura {speed_ratio:.2f}x"
            )
        summary[name] = entry
    if args.json:
        args.json.write_text(json.dumps(summary, indent=1, sort_keys=True), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
