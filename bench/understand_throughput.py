"""Understanding throughput: newsdesk.understand_many beside spaCy's nlp.pipe alone, same texts.

Texts: the 149 real news articles of ../shared/bench/summaries/frank/items.jsonl (read from
there), cycled to 1,000 (a text seen twice costs the same: spaCy keeps no per-document
cache). Three timed passes over the same list, each after a short warm-up:

  spaCy alone (full)   ``en_core_web_sm`` as shipped, every pipe, ``nlp.pipe`` (batch 64)
  spaCy alone (ours)   the pipeline newsdesk loads (lemmatizer excluded, paragraph breaks),
                       ``nlp.pipe`` only
  newsdesk             ``understand_many``: the same parse plus entities, quotes, salience,
                       figures, summary, headline and topics

The goal is newsdesk at most 1.5x the cost of spaCy alone (full). The machine is shared,
so the three runs are interleaved: the texts go in chunks of 100, each chunk through all
three runs in a rotating order, and each run's times are summed. A burst of someone else's
load then lands on all three alike instead of on whichever pass happened to be running.

    python bench/understand_throughput.py            # 1,000 articles
    python bench/understand_throughput.py --quick    # 150 articles
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
from holdout import shared_dir  # noqa: E402

CORPUS = shared_dir() / "bench" / "summaries" / "frank" / "items.jsonl"


def load_texts(path: Path, count: int) -> list[str]:
    if not path.exists():
        sys.exit(f"throughput bench: corpus not found at {path} (it lives in ../shared/bench)")
    lines = path.read_text(encoding="utf-8").splitlines()
    articles = [json.loads(line)["article"] for line in lines if line]
    return [articles[i % len(articles)] for i in range(count)]


def timed(run: Callable[[list[str]], object], chunk: list[str]) -> float:
    started = time.perf_counter()
    run(chunk)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="150 articles")
    parser.add_argument("--count", type=int, default=None, help="articles (default 1000)")
    parser.add_argument("--chunk", type=int, default=100, help="texts per interleaved chunk")
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    args = parser.parse_args()
    count = args.count or (150 if args.quick else 1000)

    import importlib

    from newsdesk.understand import understand_many
    from newsdesk.understand.analyse import _prepare
    from newsdesk.understand.nlp import MODEL_PACKAGES, get_nlp, parse_many

    texts = load_texts(args.corpus, count)
    words = sum(len(t.split()) for t in texts)
    full = None
    for name in MODEL_PACKAGES:
        try:
            full = importlib.import_module(name).load()
            break
        except ImportError:
            continue
    if full is None:
        sys.exit("throughput bench: the en_core_web_sm model package is not installed")
    ours = get_nlp()

    def spacy_full(chunk: list[str]) -> None:
        for _ in full.pipe([_prepare(t).body for t in chunk], batch_size=64):
            pass

    def spacy_ours(chunk: list[str]) -> None:
        for _ in parse_many([_prepare(t).body for t in chunk]):
            pass

    def newsdesk(chunk: list[str]) -> None:
        understand_many(chunk)

    runs = [
        ("spaCy alone (full en_core_web_sm)", spacy_full),
        ("spaCy alone (newsdesk's pipeline)", spacy_ours),
        ("newsdesk understand_many", newsdesk),
    ]
    for _, run in runs:  # warm-up: first batches allocate
        run(texts[:16])
    del ours
    totals = [0.0, 0.0, 0.0]
    for n, start in enumerate(range(0, count, args.chunk)):
        chunk = texts[start : start + args.chunk]
        for k in range(3):
            which = (n + k) % 3
            totals[which] += timed(runs[which][1], chunk)
    rows = [(name, seconds) for (name, _), seconds in zip(runs, totals, strict=True)]
    base = rows[0][1]
    print(f"\n{count} articles, {words:,} words, interleaved in chunks of {args.chunk}\n")
    print("| run | seconds | articles/s | words/s | cost vs spaCy alone (full) |")
    print("| --- | --- | --- | --- | --- |")
    for name, seconds in rows:
        print(
            f"| {name} | {seconds:.1f} | {count / seconds:.1f} | {words / seconds:,.0f} "
            f"| {seconds / base:.2f}x |"
        )
    post = rows[2][1] - rows[1][1]
    share = post / rows[2][1]
    print(f"\nnewsdesk's own steps after the parse: {post:.1f} s ({share:.0%} of its time)")


if __name__ == "__main__":
    main()
