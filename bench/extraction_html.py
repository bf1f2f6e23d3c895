"""Benchmark: newsdesk's HTML extraction beside trafilatura and readability, same run.

Runs ../shared/tools/extraction_eval.py (the project's shared scorer) on the
Scrapinghub article-extraction pages with our extractor as a ``--callable``
and the peers as ``--tools``, then prints F1 and speed with ratios to
trafilatura, and the F1 on each half of the pages (split by a hash of the page
id) so a rule tuned to one half can be seen failing on the other.

    .venv/bin/python bench/extraction_html.py            # all 181 pages
    .venv/bin/python bench/extraction_html.py --quick    # the first 40 pages

The corpus stays in ../shared/bench/extraction/scrapinghub; without it the
script says so and exits 2. Peers: ``pip install -e '.[bench]'``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tempfile
from pathlib import Path

from scrapinghub import DATA, EVAL, QUICK_PAGES, ROOT, article_body, load_eval

#: The name the scorer reports our row under (its --callable MODULE:FUNC).
extract_body = article_body
PEERS = "trafilatura,readability"


def _halves(ev, save_dir: Path, truth: dict[str, str]) -> dict[str, dict[str, float]]:  # type: ignore[no-untyped-def]
    out: dict[str, dict[str, float]] = {}
    for path in sorted(save_dir.glob("*.json")):
        outputs, _ = ev.load_predictions(path)
        row = {}
        for half in (0, 1):
            keys = [k for k in outputs if int(hashlib.md5(k.encode()).hexdigest(), 16) % 2 == half]
            scored = ev.score({k: truth[k] for k in keys}, {k: outputs[k] for k in keys}, 4, 0)
            row[f"half{half}"] = scored["f1"]
        out[path.stem] = row
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--quick", action="store_true", help=f"only the first {QUICK_PAGES} pages")
    ap.add_argument("--tools", default=PEERS, help=f"peers for extraction_eval (default {PEERS})")
    ap.add_argument("--repeat", type=int, default=1, help="time each page N times")
    ap.add_argument("--json", type=Path, help="write the figures here as JSON")
    args = ap.parse_args(argv)
    if not EVAL.exists() or not (DATA / "ground-truth.json").exists():
        print(
            f"benchmark data not found: needs {EVAL} and {DATA} (the shared folder beside the "
            "repository); nothing measured",
            file=sys.stderr,
        )
        return 2
    ev = load_eval()
    sys.path.insert(0, str(ROOT / "bench"))
    with tempfile.TemporaryDirectory() as tmp:
        rows_path, save_dir = Path(tmp) / "rows.json", Path(tmp) / "out"
        eval_args = [
            "--tools",
            args.tools,
            "--callable",
            "extraction_html:extract_body",
            "--json",
            str(rows_path),
            "--save-dir",
            str(save_dir),
            "--repeat",
            str(args.repeat),
        ]
        if args.quick:
            eval_args += ["--limit", str(QUICK_PAGES), "--bootstrap", "100"]
        ev.main(eval_args)
        rows = json.loads(rows_path.read_text())
        truth_all = json.loads((DATA / "ground-truth.json").read_text(encoding="utf-8"))
        truth = {k: v.get("articleBody") or "" for k, v in truth_all.items()}
        halves = _halves(ev, save_dir, truth)
    by_name = {r["tool"]: r for r in rows}
    ours = by_name["extract_body"]
    peer = by_name.get("trafilatura")
    print("\nnewsdesk (extract_body) against the peers, same run:")
    for row in rows:
        name = "newsdesk" if row["tool"] == "extract_body" else row["tool"]
        h = halves.get(row["tool"], {})
        print(
            f"  {name:<14} F1 {row['metrics']['f1']:.3f}  (halves {h.get('half0', 0):.3f} / "
            f"{h.get('half1', 0):.3f})  {row['speed']['pages_per_s']:.1f} pages/s"
        )
    summary: dict[str, object] = {"pages": ours["metrics"]["pages"], "rows": rows, "halves": halves}
    if peer:
        f1_ratio = ours["metrics"]["f1"] / peer["metrics"]["f1"]
        time_ratio = peer["speed"]["pages_per_s"] / ours["speed"]["pages_per_s"]
        summary.update(f1_ratio=f1_ratio, time_ratio=time_ratio)
        print(
            f"  F1 ratio newsdesk/trafilatura {f1_ratio:.3f}; time per page newsdesk/trafilatura "
            f"{time_ratio:.2f}x (acceptance: <= 1.3x)"
        )
    if args.json:
        args.json.write_text(json.dumps(summary, indent=1, sort_keys=True), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
