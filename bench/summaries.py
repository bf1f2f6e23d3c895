"""Extractive summaries: newsdesk beside Lead-3 / Lead-1, ROUGE computed in the same run.

Corpus: ../shared/bench/summaries/frank/items.jsonl (FRANK validation slice: 75 CNN/DailyMail
and 74 XSum test articles with their reference summaries; read from there, never copied
into the repository). Scoring follows its README: Google ``rouge-score`` with the Porter
stemmer, ROUGE-1 / ROUGE-2 / ROUGE-Lsum F1 x 100, predictions and references one sentence
per line, averaged over articles, CNN/DM and XSum reported separately.

Rows:
  newsdesk           the summary ``newsdesk.understand`` returns (1-3 sentences, ~75 words)
  newsdesk top-1     its best-ranked sentence alone (the fair peer of XSum's one-line Lead-1)
  Lead-3 / Lead-1    the first 3 / 1 of FRANK's own article sentences
  published systems  the abstractive outputs stored with each article (for context)

    python bench/summaries.py            # all 149 articles
    python bench/summaries.py --quick    # the first 20 of each dataset
    python bench/summaries.py --half tune --set WORD_BUDGET=80   # a try, on the tuning half

Every table is given for the tuning half, the held-out half (``bench/holdout.py``,
split once by a hash of the article id) and both together.

Needs ``pip install -e '.[bench]'`` (rouge-score).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
from holdout import HALVES, half_of, shared_dir  # noqa: E402

CORPUS = shared_dir() / "bench" / "summaries" / "frank" / "items.jsonl"
SYSTEMS = {"cnndm": ("bart", "bert_sum", "pgn"), "xsum": ("BERTS2S", "PtGen")}
_PTB_QUOTES = re.compile(r"``|''|\\'\\'|\\`\\`")


def load(path: Path, quick: bool) -> list[dict[str, Any]]:
    if not path.exists():
        sys.exit(f"summaries bench: corpus not found at {path} (it lives in ../shared/bench)")
    items = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    if quick:
        kept: list[dict[str, Any]] = []
        for dataset in ("cnndm", "xsum"):
            kept += [i for i in items if i["dataset"] == dataset][:20]
        items = kept
    return items


def reference_lines(reference: str) -> str:
    """The reference one sentence per line (split after " .", " !", " ?"), PTB quotes gone."""
    text = _PTB_QUOTES.sub("", reference)
    return "\n".join(s.strip() for s in re.split(r"(?<= [.!?])\s+", text) if s.strip())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="20 articles of each dataset")
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--half", choices=HALVES, help="only this half of the articles")
    parser.add_argument(
        "--vectors",
        type=float,
        metavar="WEIGHT",
        help="add a row: newsdesk's summary with sentence-vector centrality at this weight",
    )
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="override a constant of newsdesk.understand.summary for a try",
    )
    args = parser.parse_args()
    try:
        from rouge_score import rouge_scorer
    except ImportError:
        sys.exit("summaries bench: needs rouge-score (pip install -e '.[bench]')")

    from newsdesk.understand import summary as summary_module
    from newsdesk.understand.analyse import _prepare, analyse
    from newsdesk.understand.nlp import get_nlp, parse_many
    from newsdesk.understand.summary import summarise

    for setting in args.set:
        name, _, value = setting.partition("=")
        setattr(summary_module, name, type(getattr(summary_module, name))(float(value)))
    items = load(args.corpus, args.quick)
    if args.half:
        items = [i for i in items if half_of(i["id"]) == args.half]
    get_nlp()
    started = time.perf_counter()
    inputs = [_prepare(item["article"]) for item in items]
    ours: list[str] = []
    top1: list[str] = []
    vectored: list[str] = []
    encode_seconds = 0.0
    for doc, item in zip(parse_many(i.body for i in inputs), inputs, strict=True):
        understanding = analyse(doc, item)  # exactly what newsdesk.understand returns
        ours.append("\n".join(understanding.sentences[i] for i in understanding.summary_sentences))
        sents = [s for s in doc.sents if s.text.strip()]
        if args.vectors is not None:
            from newsdesk.understand.encoder import embed

            t0 = time.perf_counter()
            vectors = embed([s.text.strip() for s in sents])
            encode_seconds += time.perf_counter() - t0
            summary_module.VECTOR_CENTRALITY_WEIGHT = args.vectors
            picked = summarise(sents, vectors=vectors)
            summary_module.VECTOR_CENTRALITY_WEIGHT = 0.0
            vectored.append("\n".join(understanding.sentences[i] for i in picked.sentences))
        best = summarise(sents, max_sentences=1, word_budget=10_000)
        top1.append("\n".join(understanding.sentences[i] for i in best.sentences))
    seconds = time.perf_counter() - started

    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeLsum"], use_stemmer=True)

    def score(prediction: str, reference: str) -> tuple[float, float, float]:
        s = scorer.score(reference_lines(reference), prediction)
        return tuple(s[k].fmeasure * 100 for k in ("rouge1", "rouge2", "rougeLsum"))  # type: ignore[return-value]

    for dataset, lead_k in (("cnndm", 3), ("xsum", 1)):
        label = "CNN/DM" if dataset == "cnndm" else "XSum"
        for half in (*HALVES, "both"):
            rows: dict[str, list[tuple[float, float, float]]] = {}
            words: dict[str, list[int]] = {}
            for n, item in enumerate(items):
                if item["dataset"] != dataset or half not in ("both", half_of(item["id"])):
                    continue
                ref = item["reference"]
                preds = {
                    "newsdesk": ours[n],
                    "newsdesk top-1": top1[n],
                    **({"newsdesk + vector centrality": vectored[n]} if vectored else {}),
                    f"Lead-{lead_k}": "\n".join(item["article_sentences"][:lead_k]),
                }
                for system in SYSTEMS[dataset]:
                    if item["systems"].get(system):
                        # Stored as one tokenised line: split like the references for R-Lsum.
                        preds[f"{system} (published)"] = reference_lines(item["systems"][system])
                for name, pred in preds.items():
                    rows.setdefault(name, []).append(score(pred, ref))
                    words.setdefault(name, []).append(len(pred.split()))
            count = len(rows.get("newsdesk", []))
            if not count:
                continue
            which = "both halves" if half == "both" else f"{half} half"
            print(f"\n{label}, {which} ({count} articles)\n")
            print("| summary | R-1 | R-2 | R-Lsum | words |")
            print("| --- | --- | --- | --- | --- |")
            lead = [sum(c) / len(c) for c in zip(*rows[f"Lead-{lead_k}"], strict=True)]
            for name, scores in rows.items():
                r1, r2, rl = (sum(c) / len(c) for c in zip(*scores, strict=True))
                mean_words = sum(words[name]) / len(words[name])
                print(f"| {name} | {r1:.2f} | {r2:.2f} | {rl:.2f} | {mean_words:.0f} |")
            ours_avg = [sum(c) / len(c) for c in zip(*rows["newsdesk"], strict=True)]
            diff = ", ".join(f"{a - b:+.2f}" for a, b in zip(ours_avg, lead, strict=True))
            print(f"\n{label} {half}: newsdesk minus Lead-{lead_k} (R-1, R-2, R-Lsum): {diff}")
    if vectored:
        print(f"\nsentence vectors for the centrality row: {encode_seconds:.1f} s")
    print(f"\nunderstood {len(items)} articles in {seconds:.1f} s (parse included)")


if __name__ == "__main__":
    main()
