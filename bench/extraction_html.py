"""Benchmark: newsdesk's HTML extraction beside trafilatura, readability and newspaper4k.

Runs ../shared/tools/extraction_eval.py (the project's shared scorer) on each
extraction set (bench/scrapinghub.py: the human-annotated Scrapinghub pages and
the multilingual Readability test pages) with our whole product path as a
``--callable`` and the peers as ``--tools``, all in the same run. For each set it
prints F1 and speed, F1 on each half of the pages (split once by a hash of the
page id: rules are tuned on half 0, half 1 is held out), on English and on other
languages apart, and every page our product refused with the reason it gave.

    .venv/bin/python bench/extraction_html.py                   # both sets, all pages
    .venv/bin/python bench/extraction_html.py --quick           # the first 40 pages of each
    .venv/bin/python bench/extraction_html.py --sets readability

The corpora stay in ../shared/bench/extraction; without them the script says so and
exits 2. Peers: ``pip install -e '.[bench]'`` (missing ones are skipped by the scorer).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from scrapinghub import EVAL, QUICK_PAGES, SETS, article_body, load_eval, run_sets

#: The name the scorer reports our row under (its --callable MODULE:FUNC).
extract_body = article_body
PEERS = "trafilatura,readability,newspaper4k"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--quick", action="store_true", help=f"only the first {QUICK_PAGES} pages")
    ap.add_argument("--tools", default=PEERS, help=f"peers for extraction_eval (default {PEERS})")
    ap.add_argument("--sets", default=",".join(SETS), help="comma-separated: " + ", ".join(SETS))
    ap.add_argument("--repeat", type=int, default=1, help="time each page N times")
    ap.add_argument("--json", type=Path, help="write the figures here as JSON")
    args = ap.parse_args(argv)
    if not EVAL.exists():
        print(f"benchmark scorer not found: needs {EVAL}; nothing measured", file=sys.stderr)
        return 2
    ev = load_eval()
    results = run_sets(
        ev,
        pages="html",
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
            time_ratio = peer["speed"]["pages_per_s"] / ours["speed"]["pages_per_s"]
            entry.update(f1_ratio=f1_ratio, time_ratio=time_ratio)
            print(
                f"{name}: F1 newsdesk/trafilatura {f1_ratio:.3f}; time per page "
                f"newsdesk/trafilatura {time_ratio:.2f}x"
            )
        summary[name] = entry
    if args.json:
        args.json.write_text(json.dumps(summary, indent=1, sort_keys=True), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
