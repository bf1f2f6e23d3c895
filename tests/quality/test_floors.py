"""Quality floors: extraction and quote attribution F1 on the shared corpora never fall.

Each floor is a stored minimum just under the figure measured when it was set
(BENCHMARKS.md has the full runs beside their peers); a change that costs
accuracy fails here instead of going unnoticed until the next benchmark run.
The corpora and scorers live in ``../shared`` beside the project: without them
these tests skip with the reason, except in CI (``CI=true``), where they fail.
Scored with the shared scorers' own functions, on the product's own path
(``bench/scrapinghub.article_body`` and ``bench/quotes.predict``). Each figure is
also held on both halves: the pages or articles at even and at odd positions.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from tests.conftest import SHARED, skip_or_fail

BENCH = Path(__file__).resolve().parents[2] / "bench"
TOOLS = SHARED / "tools"
SCRAPINGHUB = SHARED / "bench" / "extraction" / "scrapinghub"
POLNEAR = SHARED / "bench" / "quotes" / "polnear-dev" / "polnear-dev.jsonl"

#: An F1 on all items, on the even half and on the odd half (items sorted by id).
Figures = tuple[float, float, float]

#: (all, even half, odd half): 4-token shingle F1 of the body on all 181 pages. Set 2026-12-07
#: at HTML 0.9753 / 0.9760 / 0.9745 and text 0.9352 / 0.9454 / 0.9248.
HTML_FLOOR: Figures = (0.970, 0.970, 0.969)
TEXT_FLOOR: Figures = (0.930, 0.940, 0.920)
#: (all, even half, odd half): attribution F1 (name or alias, micro) on all 26 articles.
#: Set 2026-12-07 at 0.8547 / 0.9341 / 0.7692.
QUOTE_ARTICLES = 26
QUOTE_FLOOR: Figures = (0.845, 0.925, 0.760)

pytestmark = pytest.mark.slow


def _module(name: str, path: Path) -> ModuleType:
    """A script (scorer or bench helper) imported from its file, once."""
    if name in sys.modules:
        return sys.modules[name]
    if not path.exists():
        skip_or_fail(
            f"{path} is missing: the shared corpora and scorers are not beside the project"
        )
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def _halves(keys: list[str]) -> tuple[list[str], list[str]]:
    ordered = sorted(keys)
    return ordered[0::2], ordered[1::2]


def _extraction_f1(kind: str) -> Figures:
    if not (SCRAPINGHUB / "ground-truth.json").exists():
        skip_or_fail(f"the Scrapinghub corpus is not at {SCRAPINGHUB}")
    ev = _module("extraction_eval", TOOLS / "extraction_eval.py")
    bench = _module("newsdesk_bench_scrapinghub", BENCH / "scrapinghub.py")
    pages, truth = ev.load_scrapinghub(SCRAPINGHUB, kind=kind)
    outputs = {page.id: bench.article_body(page.raw, page.url) for page in pages}

    def f1(keys: list[str]) -> float:
        scored = ev.score({k: truth[k] for k in keys}, {k: outputs[k] for k in keys}, 4, 0)
        return float(scored["f1"])

    even, odd = _halves(list(outputs))
    return f1(list(outputs)), f1(even), f1(odd)


def _assert_floor(name: str, got: Figures, floor: Figures) -> None:
    labels = ("all", "even half", "odd half")
    rows = zip(labels, got, floor, strict=True)
    report = ", ".join(f"{lab} {g:.4f} (floor {f:.3f})" for lab, g, f in rows)
    assert all(g >= f for g, f in zip(got, floor, strict=True)), f"{name} F1 fell: {report}"


def test_html_extraction_f1_holds_its_floor() -> None:
    _assert_floor("HTML extraction", _extraction_f1("html"), HTML_FLOOR)


def test_text_page_extraction_f1_holds_its_floor() -> None:
    _assert_floor("text page extraction", _extraction_f1("text"), TEXT_FLOOR)


def test_quote_attribution_f1_holds_its_floor() -> None:
    if not POLNEAR.exists():
        skip_or_fail(f"the PolNeAR dev slice is not at {POLNEAR}")
    qe = _module("quote_eval", TOOLS / "quote_eval.py")
    bench = _module("newsdesk_bench_quotes", BENCH / "quotes.py")
    lines = POLNEAR.read_text(encoding="utf-8").splitlines()
    items = [json.loads(line) for line in lines if line.strip()][:QUOTE_ARTICLES]
    rows, _seconds = bench.predict(items)
    predicted = {str(row["id"]): row["predictions"] for row in rows}
    gold = {str(it["id"]): it for it in qe.load_gold(str(POLNEAR), QUOTE_ARTICLES)}

    def f1(keys: list[str]) -> float:
        preds: dict[str, Any] = {}
        for key in keys:
            found, bad = qe.clean_predictions(predicted[key])
            preds[key] = (found, None, bad)
        metrics, _details = qe.score([gold[k] for k in keys], preds, None, 0.5)
        return float(metrics["attribution"]["f1"])

    even, odd = _halves(list(gold))
    _assert_floor("quote attribution", (f1(list(gold)), f1(even), f1(odd)), QUOTE_FLOOR)
