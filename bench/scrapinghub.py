"""What the two extraction benchmarks share: where the Scrapinghub corpus and the shared
scorer live, how the scorer is loaded, and the product path the scorer calls."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
EVAL = SHARED / "tools" / "extraction_eval.py"
DATA = SHARED / "bench" / "extraction" / "scrapinghub"
QUICK_PAGES = 40


def article_body(raw: bytes, url: str | None = None) -> str:
    """The product's whole path from page bytes to body text (decode, extract, checks)."""
    from newsdesk.errors import NewsdeskError
    from newsdesk.extract import extract_article

    try:
        return extract_article(raw, url=url).body
    except NewsdeskError:
        return ""  # the product refuses the page: an empty prediction, as the scorer counts it


def load_eval() -> ModuleType:
    """The shared scorer, imported from its file (it is a script, not a package)."""
    spec = importlib.util.spec_from_file_location("extraction_eval", EVAL)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["extraction_eval"] = module
    spec.loader.exec_module(module)
    return module
