"""`import newsdesk` and `newsdesk --help` stay cheap: no heavy library is imported."""

from __future__ import annotations

import subprocess
import sys

HEAVY = (
    "spacy",
    "trafilatura",
    "sqlalchemy",
    "httpx",
    "lxml",
    "feedparser",
    "fastapi",
    "datasketch",
)


def _loaded_after(code: str) -> set[str]:
    probe = code + "\nimport sys\nprint(' '.join(sorted(m.split('.')[0] for m in sys.modules)))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return set(out.stdout.split())


def test_import_newsdesk_loads_no_heavy_library():
    loaded = _loaded_after("import newsdesk")
    assert not loaded & set(HEAVY), loaded & set(HEAVY)


def test_help_loads_no_heavy_library():
    code = (
        "import sys\nsys.argv=['newsdesk','--help']\nfrom newsdesk.cli import app\n"
        "try:\n    app()\nexcept SystemExit:\n    pass"
    )
    loaded = _loaded_after(code)
    assert not loaded & set(HEAVY), loaded & set(HEAVY)


def test_public_api_is_reachable_lazily():
    import newsdesk

    assert callable(newsdesk.extract_article)
    assert newsdesk.Article.__name__ == "Article"
