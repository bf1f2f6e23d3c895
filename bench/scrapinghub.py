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


def languages(data: Path, truth: dict[str, str]) -> dict[str, str]:
    """Page id -> language: the set's ``languages.tsv`` where it has one, else detected."""
    table = data / "languages.tsv"
    if table.exists():
        with table.open(encoding="utf-8") as f:
            return {row["page"]: row["lang"] for row in csv.DictReader(f, delimiter="\t")}
    from newsdesk.extract.language import detect_language

    return {k: detect_language(v) or "-" for k, v in truth.items()}


def split_scores(
    ev: ModuleType, truth: dict[str, str], outputs: dict[str, str], langs: dict[str, str]
) -> dict[str, float]:
    """F1 on each half, on English and on other languages, and pages left empty."""
    groups = {
        "half0": lambda k: half(k) == 0,
        "half1": lambda k: half(k) == 1,
        "en": lambda k: langs.get(k) == "en",
        "other": lambda k: langs.get(k) != "en",
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


def load_eval() -> ModuleType:
    """The shared scorer, imported from its file (it is a script, not a package)."""
    spec = importlib.util.spec_from_file_location("extraction_eval", EVAL)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["extraction_eval"] = module
    spec.loader.exec_module(module)
    return module
