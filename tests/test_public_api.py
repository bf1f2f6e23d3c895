"""The Python functions the issues name are reachable from the top-level package."""

from __future__ import annotations

import subprocess
import sys


def test_named_functions_are_exported():
    import newsdesk

    for name in ("extract_article", "parse_feed", "understand", "group_stories"):
        assert callable(getattr(newsdesk, name)), name


def test_understand_and_its_batch_twin_both_work_in_a_fresh_process():
    code = (
        "import newsdesk\n"
        "u = newsdesk.understand\n"
        "assert callable(u) and callable(newsdesk.understand.understand_many)\n"
        "assert callable(newsdesk.understand_many)\n"
        "import newsdesk.understand.models\n"
        "assert callable(newsdesk.understand)\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
