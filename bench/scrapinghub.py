"""What the two extraction benchmarks share: where the corpora and the shared scorer live,
how the scorer is loaded, the product path the scorer calls, and how every set is split.

Two sets, same layout (``html/``, ``text/``, ``ground-truth.json``):

- ``scrapinghub``: 181 English news pages with human-annotated bodies;
- ``readability``: Mozilla Readability's 130 test pages in 8 languages (the truth is
  Readability.js's output; ``languages.tsv`` gives each page's language). It is for
  measuring only: no rule is written against one of its pages.

Every set is split once into two halves by a hash of the page id (:func:`half`):
rules are tuned looking at half 0 only; half 1 is held out, and a rule is kept only
when it helps half 1 too. Each run also records the pages our product refuses and
the reason it gives (:data:`REFUSALS`), since a refused article scores 0.
"""

from __future__ import annotations

import csv
import hashlib
import importlib.util
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]
#: The shared folder: beside the repository (main checkout) or the fixed path (worktrees).
SHARED = next(
    (p for p in (ROOT.parent / "shared", Path("/work/shared")) if (p / "tools").is_dir()),
    ROOT.parent / "shared",
)
EVAL = SHARED / "tools" / "extraction_eval.py"
SETS = {
    "scrapinghub": SHARED / "bench" / "extraction" / "scrapinghub",
    "readability": SHARED / "bench" / "extraction" / "readability-tests",
}
DATA = SETS["scrapinghub"]
QUICK_PAGES = 40
#: Page id -> the reason the product gave for refusing it, filled by :func:`article_body`.
REFUSALS: dict[str, str] = {}
_CURRENT: dict[str, str] = {}


def half(page_id: str) -> int:
    """0 (tuning half) or 1 (held-out half), fixed by a hash of the page id."""
    return int(hashlib.md5(page_id.encode()).hexdigest(), 16) % 2


def article_body(raw: bytes, url: str | None = None) -> str:
    """The product's whole path from page bytes to body text (decode, extract, checks)."""
    from newsdesk.errors import NewsdeskError
    from newsdesk.extract import extract_article

    try:
        return extract_article(raw, url=url).body
    except NewsdeskError as exc:
        REFUSALS[_CURRENT.get(_key(raw), "?")] = str(exc)
        return ""  # the product refuses the page: an empty prediction, as the scorer counts it


def _key(raw: bytes) -> str:
    return hashlib.md5(raw).hexdigest()


def remember_pages(pages: list[object]) -> None:
    """Let :data:`REFUSALS` name pages by id (the scorer passes only bytes and URL)."""
    for page in pages:
        _CURRENT[_key(page.raw)] = page.id  # type: ignore[attr-defined]


SYNTHETIC = "synthetic"


def languages(data: Path, truth: dict[str, str]) -> dict[str, str]:
    """Page id -> language, or "synthetic" for a made-up test fixture (lorem ipsum).

    From the set's ``languages.tsv`` where it has one, else detected from the truth.
    """
    table = data / "languages.tsv"
    if table.exists():
        with table.open(encoding="utf-8") as f:
            return {
                row["page"]: SYNTHETIC if row["kind"] == SYNTHETIC else row["lang"]
                for row in csv.DictReader(f, delimiter="\t")
            }
    from newsdesk.extract.language import detect_language

    return {k: detect_language(v) or "-" for k, v in truth.items()}


def split_scores(
    ev: ModuleType, truth: dict[str, str], outputs: dict[str, str], langs: dict[str, str]
) -> dict[str, float]:
    """F1 on each half, on English, on other languages and on synthetic pages; empty outputs."""
    groups = {
        "half0": lambda k: half(k) == 0,
        "half1": lambda k: half(k) == 1,
        "en": lambda k: langs.get(k) == "en",
        "other": lambda k: langs.get(k) not in ("en", SYNTHETIC),
        SYNTHETIC: lambda k: langs.get(k) == SYNTHETIC,
    }
    out: dict[str, float] = {}
    for name, keep in groups.items():
        keys = [k for k in outputs if k in truth and keep(k)]
        if keys:
            scored = ev.score({k: truth[k] for k in keys}, {k: outputs[k] for k in keys}, 4, 0)
            out[name] = scored["f1"]
            out[f"{name}_pages"] = len(keys)
    out["empty"] = sum(1 for k, v in outputs.items() if k in truth and not v.strip())
    return out


def run_sets(
    ev: ModuleType, *, pages: str, tools: str, quick: bool, repeat: int, sets: list[str]
) -> dict[str, dict[str, object]]:
    """Run the scorer on each set with our product path and the peers, in the same run.

    Returns, per set: the scorer's rows, each tool's :func:`split_scores`, and the
    pages our product refused with the reason it gave.
    """
    import json
    import tempfile

    sys.path.insert(0, str(ROOT / "bench"))
    out: dict[str, dict[str, object]] = {}
    for name in sets:
        data = SETS[name]
        if not (data / "ground-truth.json").exists():
            print(f"skipping {name}: {data} not found", file=sys.stderr)
            continue
        loaded, truth_all = ev.load_scrapinghub(data, QUICK_PAGES if quick else None, pages)
        remember_pages(loaded)
        REFUSALS.clear()
        with tempfile.TemporaryDirectory() as tmp:
            rows_path, save_dir = Path(tmp) / "rows.json", Path(tmp) / "out"
            eval_args = ["--data", str(data), "--pages", pages, "--tools", tools]
            eval_args += ["--callable", "scrapinghub:article_body", "--json", str(rows_path)]
            eval_args += ["--save-dir", str(save_dir), "--repeat", str(repeat)]
            if quick:
                eval_args += ["--limit", str(QUICK_PAGES), "--bootstrap", "100"]
            ev.main(eval_args)
            rows = json.loads(rows_path.read_text(encoding="utf-8"))
            truth = {p.id: truth_all[p.id] for p in loaded}
            langs = languages(data, truth)
            splits = {}
            for path in sorted(save_dir.glob("*.json")):
                outputs, _ = ev.load_predictions(path)
                splits[path.stem] = split_scores(ev, truth, outputs, langs)
        refused = {k: v for k, v in REFUSALS.items() if k in truth}
        out[name] = {"rows": rows, "splits": splits, "refused": refused, "langs": langs}
        _print_set(name, pages, out[name])
    return out


def _print_set(name: str, pages: str, result: dict[str, object]) -> None:
    rows: list[dict[str, object]] = result["rows"]  # type: ignore[assignment]
    splits: dict[str, dict[str, float]] = result["splits"]  # type: ignore[assignment]
    refused: dict[str, str] = result["refused"]  # type: ignore[assignment]
    langs: dict[str, str] = result["langs"]  # type: ignore[assignment]
    print(f"\n{name}, pages as {pages}: F1 by half (0 tuned on, 1 held out) and by language")
    print("| extractor | F1 | half 0 | half 1 | English | other languages | synthetic | empty |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for row in rows:
        tool = str(row["tool"])
        s = splits.get(tool, {})
        shown = "**newsdesk**" if tool == "article_body" else f"{tool} {row['version']}"
        cells = [f"{s[g]:.3f} ({int(s[g + '_pages'])})" if g in s else "-" for g in _GROUPS]
        metrics: dict[str, float] = row["metrics"]  # type: ignore[assignment]
        print(f"| {shown} | {metrics['f1']:.3f} | " + " | ".join(cells) + f" | {int(s['empty'])} |")
    print(f"newsdesk refused {len(refused)} page(s):")
    for page, reason in sorted(refused.items()):
        print(f"  {page} [{langs.get(page, '-')}, half {half(page)}]: {reason}")


_GROUPS = ("half0", "half1", "en", "other", SYNTHETIC)


def load_eval() -> ModuleType:
    """The shared scorer, imported from its file (it is a script, not a package)."""
    spec = importlib.util.spec_from_file_location("extraction_eval", EVAL)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["extraction_eval"] = module
    spec.loader.exec_module(module)
    return module
