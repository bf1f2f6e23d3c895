"""Story clustering: newsdesk's grouping beside a TF-IDF + average-link baseline, same run.

Corpus: ../shared/bench/clustering/uci-news-aggregator/stories.csv (real headlines with
the aggregator's gold story ids; read from there, never copied into the repository).
As its README asks, rows are shuffled with a fixed seed, ids are replaced by a hash of
the URL, and timestamps are hidden (coarsened to the day only for the streaming check).
Only TITLE and PUBLISHER reach the clusterers.

Reports B-cubed and pairwise precision / recall / F1 for both, throughput, and a
streaming check that memory stays bounded by the time window (the same corpus
replayed as several weeks of news; the number of open stories and the peak of
traced memory should not grow with the length of the stream).

    python bench/clustering.py            # both halves and the whole bench, streaming check
    python bench/clustering.py --quick    # the tuning half only, no streaming check
    python bench/clustering.py --sweep    # also vector weights and floors
    python bench/clustering.py --words-only   # no sentence vectors (the default install)

The stories are split once into a tuning and a held-out half (``bench/holdout.py``, by a
hash of the gold story id); each half is clustered as its own batch, then the whole bench.
Every run first scores our own headline sets (tests/fixtures/stories/devset*.tsv, written
for newsdesk). newsdesk's default is words only (``group_stories(..., semantic=False)``,
with ``WORD_PARAMS``: names told from event words by the batch's own casing); the vector row
(``semantic=True``, the packaged MiniLM in numpy or ONNX Runtime) includes the encoder's time.

The baseline needs scikit-learn: ``pip install -e '.[bench]'``.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import random
import sys
import time
import tracemalloc
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
from holdout import HALVES, half_of, shared_dir  # noqa: E402

CORPUS = shared_dir() / "bench" / "clustering" / "uci-news-aggregator" / "stories.csv"
SEED = 20140310
BASELINE_CUTS = (0.90, 0.95, 0.98)
BASELINE_STOP = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "for",
        "from",
        "has",
        "have",
        "in",
        "is",
        "it",
        "its",
        "of",
        "on",
        "or",
        "that",
        "the",
        "to",
        "was",
        "were",
        "will",
        "with",
        "after",
        "over",
        "new",
        "says",
        "said",
    ]
)


# --- data ---------------------------------------------------------------------------


def load(path: Path, half: str | None = None) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """Items (hidden ids, shuffled) and their gold story ids.

    ``half`` keeps the stories of that half (``bench/holdout.py``, by a hash of the
    gold story id); None keeps the whole bench.
    """
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    if half is not None:
        rows = [r for r in rows if half_of(r["STORY"]) == half]
    rng = random.Random(SEED)
    rng.shuffle(rows)
    items, gold = [], {}
    for row in rows:
        hidden = hashlib.sha1(row["URL"].encode()).hexdigest()[:16]
        day = datetime.fromtimestamp(int(row["TIMESTAMP"]) / 1000, UTC).replace(
            hour=0, minute=0, second=0, microsecond=0
        )
        items.append({"id": hidden, "title": row["TITLE"], "outlet": row["PUBLISHER"], "day": day})
        gold[hidden] = row["STORY"]
    return items, gold


DEVSETS = ("devset.tsv", "devset_wide.tsv")


def load_dev(name: str) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """One of our headline sets (story, outlet, headline per line), shuffled like the bench."""
    path = ROOT / "tests" / "fixtures" / "stories" / name
    items, gold = [], {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
        if not line.strip() or line.startswith("#"):
            continue
        story, outlet, title = line.split("\t")
        item_id = hashlib.sha1(f"{name}:{number}".encode()).hexdigest()[:16]
        items.append({"id": item_id, "title": title, "outlet": outlet})
        gold[item_id] = f"{name}:{story}"
    random.Random(SEED).shuffle(items)
    return items, gold


def dev_report(vectors: bool = True) -> None:
    """B-cubed F1 on our own sets, each alone and both as one batch (where choices were made)."""
    sets = [load_dev(name) for name in DEVSETS]
    both = ([i for items, _ in sets for i in items], {k: v for _, g in sets for k, v in g.items()})
    names = [*DEVSETS, "both as one batch"]
    print("our headline sets (B3 P / R / F1):\n")
    print("| method | " + " | ".join(names) + " |")
    print("| --- |" + " --- |" * len(names))
    methods: list[tuple[str, Any]] = [
        *([("newsdesk with vectors", lambda it: run_newsdesk(it))] if vectors else []),
        ("newsdesk, words only", lambda it: run_newsdesk(it, semantic=False)),
    ]
    if "sklearn" in sys.modules or _has_sklearn():
        for cut in BASELINE_CUTS:
            methods.append(
                (f"TF-IDF + average link, cut {cut}", lambda it, c=cut: run_baseline(it, c))
            )
    for name, method in methods:
        cells = []
        for items, gold in [*sets, both]:
            p, r, f = bcubed(method(items), gold)
            cells.append(f"{p:.3f} / {r:.3f} / **{f:.3f}**")
        print(f"| {name} | " + " | ".join(cells) + " |")
    print()


def _has_sklearn() -> bool:
    try:
        import sklearn  # noqa: F401
    except ImportError:
        return False
    return True


# --- metrics ------------------------------------------------------------------------


def bcubed(pred: Mapping[str, str], gold: Mapping[str, str]) -> tuple[float, float, float]:
    pred_size = Counter(pred.values())
    gold_size = Counter(gold.values())
    both = Counter((pred[i], gold[i]) for i in gold)
    p = sum(both[(pred[i], gold[i])] / pred_size[pred[i]] for i in gold) / len(gold)
    r = sum(both[(pred[i], gold[i])] / gold_size[gold[i]] for i in gold) / len(gold)
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def pairwise(pred: Mapping[str, str], gold: Mapping[str, str]) -> tuple[float, float, float]:
    def pairs(n: int) -> int:
        return n * (n - 1) // 2

    tp = sum(pairs(n) for n in Counter((pred[i], gold[i]) for i in gold).values())
    predicted = sum(pairs(n) for n in Counter(pred[i] for i in gold).values())
    actual = sum(pairs(n) for n in Counter(gold.values()).values())
    p = tp / predicted if predicted else 1.0
    r = tp / actual if actual else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


# --- the two clusterers -------------------------------------------------------------


def run_newsdesk(
    items: Sequence[dict[str, Any]], params: Any = None, *, semantic: bool = True
) -> dict[str, str]:
    from newsdesk.stories import group_stories

    return group_stories(
        [{"id": i["id"], "title": i["title"], "outlet": i["outlet"]} for i in items],
        params,
        semantic=semantic,
    )


def run_baseline(items: Sequence[dict[str, Any]], cut: float) -> dict[str, str]:
    import numpy as np
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(
        lowercase=True,
        token_pattern=r"[A-Za-z0-9]+",
        stop_words=sorted(BASELINE_STOP),
        sublinear_tf=True,
        norm="l2",
    )
    matrix = vectorizer.fit_transform([i["title"] for i in items])
    distance = 1.0 - (matrix @ matrix.T).toarray()
    np.clip(distance, 0.0, 2.0, out=distance)
    labels = AgglomerativeClustering(
        n_clusters=None, metric="precomputed", linkage="average", distance_threshold=cut
    ).fit_predict(distance)
    return {item["id"]: f"b{label}" for item, label in zip(items, labels, strict=True)}


# --- streaming memory check ----------------------------------------------------------


def streaming_check(
    items: Sequence[dict[str, Any]], weeks: int, trace: bool
) -> tuple[int, float, float]:
    """Replay the corpus ``weeks`` times, a week apart: (open stories peak, MiB peak, art/s).

    Closed stories are handed over and forgotten as the stream moves on (as ingest
    does by writing them to the store), so what stays in memory is the open window.
    """
    from newsdesk.stories.batch import BatchClusterer
    from newsdesk.stories.cluster import Params, TermStats
    from newsdesk.stories.fingerprint import fingerprint

    params = Params()
    base = [fingerprint(i["id"], i["title"], published=i["day"], outlet=i["outlet"]) for i in items]
    stats = TermStats.from_fingerprints(base)
    clusterer = BatchClusterer(stats, params)
    peak_open = 0
    stream = [
        replace(fp, id=f"{week}-{fp.id}", published=fp.published + timedelta(days=7 * week))
        for week in range(weeks)
        for fp in base
    ]
    stream.sort(key=lambda fp: fp.sort_key)
    if trace:
        tracemalloc.start()
    started = time.perf_counter()
    for count, fp in enumerate(stream):
        if count % 128 == 0:
            clusterer.close_before(fp.published)
            clusterer.drain_closed()
        clusterer.place(fp)
        peak_open = max(peak_open, len(clusterer.open))
    elapsed = time.perf_counter() - started
    peak = 0
    if trace:
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return peak_open, peak / 2**20, len(stream) / elapsed


# --- report -------------------------------------------------------------------------


def row(name: str, pred: Mapping[str, str], gold: Mapping[str, str], seconds: float) -> str:
    bp, br, bf = bcubed(pred, gold)
    pp, pr, pf = pairwise(pred, gold)
    clusters = len(set(pred.values()))
    rate = len(gold) / seconds if seconds else float("inf")
    return (
        f"| {name} | {clusters} | {bp:.3f} / {br:.3f} / **{bf:.3f}** | "
        f"{pp:.3f} / {pr:.3f} / {pf:.3f} | {rate:,.0f} |"
    )


def table(
    label: str,
    items: list[dict[str, Any]],
    gold: dict[str, str],
    sweep: bool = False,
    vectors: bool = True,
) -> None:
    """newsdesk (default, then words only) beside the TF-IDF baseline on one batch."""
    print(f"\n{label}: {len(items)} headlines, {len(set(gold.values()))} gold stories\n")
    print("| method | clusters | B3 P / R / F1 | pairwise P / R / F1 | articles/s |")
    print("| --- | --- | --- | --- | --- |")
    if vectors:
        started = time.perf_counter()
        pred = run_newsdesk(items)
        label_ = "newsdesk with vectors (`semantic=True`)"
        print(row(label_, pred, gold, time.perf_counter() - started))
    started = time.perf_counter()
    pred = run_newsdesk(items, semantic=False)
    print(row("newsdesk, words only (`semantic=False`)", pred, gold, time.perf_counter() - started))
    from newsdesk.stories.cluster import Params

    started = time.perf_counter()
    pred = run_newsdesk(items, Params(), semantic=False)
    label_ = "words only, MStream settings without names (`Params()`, before)"
    print(row(label_, pred, gold, time.perf_counter() - started))
    if "sklearn" in sys.modules or _has_sklearn():
        for cut in BASELINE_CUTS:
            started = time.perf_counter()
            base = run_baseline(items, cut)
            print(
                row(f"TF-IDF + average link, cut {cut}", base, gold, time.perf_counter() - started)
            )
    else:
        print("| baseline | skipped: scikit-learn missing (pip install -e '.[bench]') | | | |")
    if sweep:
        for weight, floor in ((20.0, 0.30), (80.0, 0.30), (40.0, 0.35), (40.0, 0.40)):
            started = time.perf_counter()
            params = Params(semantic_weight=weight, semantic_floor=floor)
            pred = run_newsdesk(items, params)
            label_ = f"newsdesk, vector weight {weight:g}, floor {floor:g} (sweep)"
            print(row(label_, pred, gold, time.perf_counter() - started))


def encoder_rates(items: Sequence[dict[str, Any]], chunk: int = 200) -> dict[str, float]:
    """Headlines per second through the sentence encoder alone, per backend (numpy, and ONNX
    Runtime where installed), models loaded first; chunks alternate which backend goes
    first, so load on this shared machine lands on both alike."""
    from newsdesk.understand import encoder_onnx
    from newsdesk.understand.encoder import Encoder

    backends = ["numpy", *(["onnx"] if encoder_onnx.available() else [])]
    encoders = {name: Encoder(backend=name) for name in backends}  # type: ignore[arg-type]
    titles = [i["title"] for i in items]
    seconds = dict.fromkeys(backends, 0.0)
    for n, start in enumerate(range(0, len(titles), chunk)):
        order = backends if n % 2 == 0 else backends[::-1]
        for name in order:
            started = time.perf_counter()
            encoders[name].encode(titles[start : start + chunk])
            seconds[name] += time.perf_counter() - started
    return {name: len(titles) / spent for name, spent in seconds.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="the tuning half only")
    parser.add_argument("--sweep", action="store_true", help="also vector weights and floors")
    parser.add_argument("--no-dev", action="store_true", help="skip our own headline sets")
    parser.add_argument(
        "--words-only", action="store_true", help="no sentence vectors (the default install)"
    )
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    args = parser.parse_args()
    if not args.corpus.is_file():
        print(f"corpus not found: {args.corpus} (it lives in ../shared/bench, outside the repo)")
        return 2
    vectors = not args.words_only
    if vectors:
        from newsdesk.stories.semantic import embed

        embed(["warm-up"])  # one-time model load, kept out of the timing
    import datasketch  # noqa: F401  (one-time import, about a second, kept out of the timing)

    if not args.no_dev:
        dev_report(vectors)
    halves = ("tune",) if args.quick else (*HALVES, None)
    for half in halves:
        items, gold = load(args.corpus, half)
        label = f"{half} half (stories split by hash)" if half else "whole bench as one batch"
        table(label, items, gold, sweep=args.sweep, vectors=vectors)
    items, _gold = load(args.corpus, None)
    if vectors:
        rates = encoder_rates(items[:600])
        print(
            "\nsentence encoder alone (same run, interleaved): "
            + ", ".join(f"{name} {rate:,.0f} headlines/s" for name, rate in rates.items())
        )
    if not args.quick:
        print("\nstreaming (online pass only, window 72 h, corpus replayed once a week):")
        for weeks in (1, 4, 8):
            open_peak, mib, _rate = streaming_check(items, weeks, trace=True)
            _open, _mib, rate = streaming_check(items, weeks, trace=False)
            print(
                f"- {weeks} week(s), {weeks * len(items)} articles: peak open stories "
                f"{open_peak}, peak traced memory {mib:.1f} MiB (placing only), "
                f"{rate:,.0f} articles/s placed"
            )
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "src"))
    sys.exit(main())
