"""Benchmark: newsdesk on pages saved as text, beside the HTML peers, in the same run.

Runs ../shared/tools/extraction_eval.py --pages text (the shared scorer) on the
Scrapinghub pages as a browser saves them as text (``text/*.txt``): our
extractor gets each page's bytes through the product's own entry point
(``newsdesk.extract.extract_article``: decode, extract, checks, language), the
peers get the same text as one ``<p>`` per blank-line block. It prints token
F1 and speed with ratios to trafilatura, and F1 on each half of the pages:
the rules were developed looking only at the pages in even positions (sorted
by id), so the odd half is held out and shows whether they generalise.

    .venv/bin/python bench/extraction_text.py            # all 181 pages
    .venv/bin/python bench/extraction_text.py --quick    # the first 40 pages

The corpus stays in ../shared/bench/extraction/scrapinghub; without it the
script says so and exits 2. Peers that are not installed are skipped (the
scorer says which); ``pip install -e '.[bench]'`` brings them.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path
from types import ModuleType

from scrapinghub import DATA, EVAL, QUICK_PAGES, ROOT, article_body, load_eval

PEERS = "default"
OURS = "extract_text_body"
extract_text_body = article_body  # the name the scorer reports our row under


def _halves(ev: ModuleType, save_dir: Path, truth: dict[str, str]) -> dict[str, dict[str, float]]:
    """F1 on the development half (even positions) and the held-out half (odd positions)."""
    out: dict[str, dict[str, float]] = {}
    for path in sorted(save_dir.glob("*.json")):
        outputs, _ = ev.load_predictions(path)
        keys = sorted(outputs)
        row = {}
        for name, part in (("dev", keys[0::2]), ("held_out", keys[1::2])):
            scored = ev.score({k: truth[k] for k in part}, {k: outputs[k] for k in part}, 4, 0)
            row[name] = scored["f1"]
        out[path.stem] = row
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--quick", action="store_true", help=f"only the first {QUICK_PAGES} pages")
    ap.add_argument("--tools", default=PEERS, help=f"peers for extraction_eval (default {PEERS})")
    ap.add_argument("--repeat", type=int, default=1, help="time each page N times, keep the best")
    ap.add_argument("--json", type=Path, help="write the figures here as JSON")
    ap.add_argument(
        "--no-html", action="store_true", help="skip timing trafilatura on the same pages as HTML"
    )
    args = ap.parse_args(argv)
    needed = (EVAL, DATA / "ground-truth.json", DATA / "text")
    if not all(path.exists() for path in needed):
        print(
            f"benchmark data not found: needs {EVAL} and {DATA}/text (the shared folder beside "
            "the repository); nothing measured",
            file=sys.stderr,
        )
        return 2
    ev = load_eval()
    sys.path.insert(0, str(ROOT / "bench"))
    with tempfile.TemporaryDirectory() as tmp:
        rows_path, save_dir = Path(tmp) / "rows.json", Path(tmp) / "out"
        eval_args = [
            "--pages",
            "text",
            "--tools",
            args.tools,
            "--callable",
            f"extraction_text:{OURS}",
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
        rows = json.loads(rows_path.read_text(encoding="utf-8"))
        truth_all = json.loads((DATA / "ground-truth.json").read_text(encoding="utf-8"))
        truth = {k: v.get("articleBody") or "" for k, v in truth_all.items()}
        halves = _halves(ev, save_dir, truth)
        html_rows: list[dict[str, object]] = []
        if not args.no_html:  # the same pages as HTML, for how much cheaper text is
            html_path = Path(tmp) / "html.json"
            html_args = [
                "--pages",
                "html",
                "--tools",
                "trafilatura",
                "--json",
                str(html_path),
                "--repeat",
                str(args.repeat),
                "--bootstrap",
                "0",
            ]
            if args.quick:
                html_args += ["--limit", str(QUICK_PAGES)]
            ev.main(html_args)
            html_rows = json.loads(html_path.read_text(encoding="utf-8"))
    by_name = {r["tool"]: r for r in rows}
    ours = by_name[OURS]
    peer = by_name.get("trafilatura")
    print("\nnewsdesk on pages saved as text against the peers, same run:")
    for row in rows:
        name = "newsdesk" if row["tool"] == OURS else row["tool"]
        h = halves.get(row["tool"], {})
        print(
            f"  {name:<17} F1 {row['metrics']['f1']:.3f}  (dev half {h.get('dev', 0):.3f}, "
            f"held-out half {h.get('held_out', 0):.3f})  "
            f"{row['speed']['pages_per_s']:.1f} pages/s"
        )
    summary: dict[str, object] = {"pages": ours["metrics"]["pages"], "rows": rows, "halves": halves}
    if peer:
        f1_ratio = ours["metrics"]["f1"] / peer["metrics"]["f1"]
        speed_ratio = ours["speed"]["pages_per_s"] / peer["speed"]["pages_per_s"]
        summary.update(f1_ratio=f1_ratio, speed_ratio=speed_ratio)
        print(
            f"  F1 newsdesk/trafilatura {f1_ratio:.2f}x; pages/s newsdesk/trafilatura "
            f"{speed_ratio:.2f}x (acceptance: F1 >= 0.90)"
        )
    if html_rows:
        html_peer = html_rows[0]
        html_speed = html_peer["speed"]["pages_per_s"]  # type: ignore[index]
        summary["html_trafilatura_pages_per_s"] = html_speed
        ratio = ours["speed"]["pages_per_s"] / html_speed
        summary["speed_ratio_vs_html"] = ratio
        print(
            f"  trafilatura on the same pages as HTML: {html_speed:.1f} pages/s; newsdesk on "
            f"the text is {ratio:.1f}x as fast"
        )
    if args.json:
        args.json.write_text(json.dumps(summary, indent=1, sort_keys=True), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
