"""Quote attribution on the PolNeAR dev slice, beside the scorer's trivial baseline.

Runs :func:`newsdesk.understand.quotes.find.find_quotes` over every article of
``../shared/bench/quotes/polnear-dev/polnear-dev.jsonl`` in one process (spaCy
loads once), writes the predictions as a ``--pred`` file, and scores ours and
the scorer's built-in baseline with ``../shared/tools/quote_eval.py`` in the same run.

Each corpus text starts with its title line; the title is dropped before
parsing, as our extraction stage keeps the headline apart from the body, and
the remaining lines are joined with blank lines, our body format.

    python bench/quotes.py            # all 26 articles
    python bench/quotes.py --quick    # the first 5
    python bench/quotes.py --dump /tmp/quotes-dump.jsonl   # per-quote matches and misses
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from newsdesk.understand.models import Entity

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
from holdout import HALVES, half_of, shared_dir  # noqa: E402

SHARED = shared_dir()
GOLD = SHARED / "bench" / "quotes" / "polnear-dev" / "polnear-dev.jsonl"
EVAL = SHARED / "tools" / "quote_eval.py"
QUICK = 5


def body_of(item: dict[str, object]) -> str:
    """The article text without its title line, paragraphs joined by blank lines."""
    lines = [ln.strip() for ln in str(item["text"]).split("\n") if ln.strip()]
    title = str(item.get("title") or "").strip()
    if lines and title and lines[0] == title:
        lines = lines[1:]
    return "\n\n".join(lines)


def entities_for(doc: Doc) -> list[Entity]:
    """The entity stage's canonical entities, as the understanding stage passes them."""
    from newsdesk.understand.entities import find_entities

    sentence_of = [0] * len(doc)
    for n, sent in enumerate(doc.sents):
        for i in range(sent.start, sent.end):
            sentence_of[i] = n
    return find_entities(doc, sentence_of)


def predict(items: list[dict[str, object]]) -> tuple[list[dict[str, object]], dict[str, float]]:
    """Predictions per article, and seconds spent in each step (parse, entities, quotes)."""
    from newsdesk.understand.nlp import parse_many
    from newsdesk.understand.quotes.find import find_quotes

    bodies = [body_of(it) for it in items]
    t0 = time.perf_counter()
    docs = list(parse_many(bodies))
    t1 = time.perf_counter()
    entities = [entities_for(doc) for doc in docs]
    t2 = time.perf_counter()
    found = [find_quotes(doc, ents) for doc, ents in zip(docs, entities, strict=True)]
    t3 = time.perf_counter()
    rows: list[dict[str, object]] = [
        {"id": it["id"], "predictions": [{"quote": q.text, "speaker": q.speaker} for q in qs]}
        for it, qs in zip(items, found, strict=True)
    ]
    return rows, {"parse": t1 - t0, "entities": t2 - t1, "quotes": t3 - t2}


def score(args: list[str], gold: Path = GOLD) -> dict[str, object]:
    out = subprocess.run(
        [sys.executable, str(EVAL), "--gold", str(gold), "--json", *args],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout)


def report(
    label: str, items: list[dict[str, object]], ours: dict[str, object], base: dict[str, object]
) -> None:
    gold_quotes = sum(len(it["quotes"]) for it in items)  # type: ignore[arg-type]
    print(f"\nquote attribution, {label}: {len(items)} articles, {gold_quotes} gold quotes")
    print(f"{'metric':<24} {'ours P/R/F1':>22} {'baseline P/R/F1':>22} {'F1 ratio':>9}")
    for key in ("quotes_exact", "quotes_overlap", "attribution", "attribution_full_name"):
        o, b = ours[key], base[key]
        ratio = o["f1"] / b["f1"] if b["f1"] else float("inf")  # type: ignore[index,operator]
        print(
            f"{key:<24} {o['p']:.3f}/{o['r']:.3f}/{o['f1']:.3f}{'':>4} "  # type: ignore[index]
            f"{b['p']:.3f}/{b['r']:.3f}/{b['f1']:.3f}{'':>4} {ratio:>8.2f}x"  # type: ignore[index]
        )
    print(f"by gold speaker type (ours): {json.dumps(ours['by_gold_speaker'])}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help=f"only the first {QUICK} articles")
    ap.add_argument("--dump", help="write the scorer's per-item matches and misses here")
    ap.add_argument("--half", choices=HALVES, help="only this half of the articles")
    ap.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="MODULE.NAME=VALUE",
        help="override a constant for a try, e.g. speakers.SPEAKER_FIRST=1",
    )
    args = ap.parse_args(argv)
    import importlib

    for setting in args.set:
        target, _, value = setting.partition("=")
        module_name, _, name = target.rpartition(".")
        module = importlib.import_module(f"newsdesk.understand.quotes.{module_name}")
        kind = type(getattr(module, name))
        setattr(module, name, bool(int(value)) if kind is bool else kind(value))
    if not GOLD.exists() or not EVAL.exists():
        print(f"quotes bench: corpus or scorer missing ({GOLD}, {EVAL}); nothing measured")
        return 2
    items = [
        json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    if args.half:
        items = [it for it in items if half_of(str(it["id"])) == args.half]
    if args.quick:
        items = items[:QUICK]
    rows, secs = predict(items)
    groups = [(h, [it for it in items if half_of(str(it["id"])) == h]) for h in HALVES]
    groups = [(h, g) for h, g in groups if g] + ([("both", items)] if not args.half else [])
    with tempfile.TemporaryDirectory() as tmp:
        for name, group in groups:
            ids = {it["id"] for it in group}
            gold = Path(tmp) / f"gold-{name}.jsonl"
            pred = Path(tmp) / f"pred-{name}.jsonl"
            gold.write_text(
                "".join(json.dumps(it, ensure_ascii=False) + "\n" for it in group), encoding="utf-8"
            )
            pred.write_text(
                "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows if r["id"] in ids),
                encoding="utf-8",
            )
            limit = ["--limit", str(len(group))]
            extra = ["--dump", f"{args.dump}.{name}"] if args.dump else []
            ours = score(["--pred", str(pred), *limit, *extra], gold)
            base = score(["--baseline", *limit], gold)
            report(f"{name} half" if name in HALVES else "all", group, ours, base)
    print(
        f"time: spaCy parse {secs['parse']:.2f} s, entities {secs['entities']:.2f} s, "
        f"quote finding {secs['quotes']:.2f} s = {secs['quotes'] / secs['parse']:.1%} of the "
        f"parse ({len(items)} articles)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
