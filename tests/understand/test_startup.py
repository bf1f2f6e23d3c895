"""The language model is loaded only when something is understood, never at import or --help."""

from __future__ import annotations

import subprocess
import sys


def _spacy_loaded_after(code: str) -> bool:
    probe = code + "\nimport sys\nprint('spacy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return out.stdout.strip().splitlines()[-1] == "True"


def test_importing_the_understanding_stage_does_not_load_spacy() -> None:
    code = (
        "import newsdesk\nimport newsdesk.understand\nimport newsdesk.understand.models\n"
        "import newsdesk.jobs.enrichers.understanding\nimport newsdesk.store.understanding\n"
        "import newsdesk.jobs.pipeline\nimport newsdesk.cli.understand"
    )
    assert not _spacy_loaded_after(code)


def test_help_of_the_understand_command_does_not_load_spacy() -> None:
    code = (
        "import sys\nsys.argv=['newsdesk','understand','--help']\nfrom newsdesk.cli import app\n"
        "try:\n    app()\nexcept SystemExit:\n    pass"
    )
    assert not _spacy_loaded_after(code)


def test_understanding_loads_it() -> None:
    """The probe above can tell: understanding something does load spaCy."""
    code = "import newsdesk\nnewsdesk.understand('Rain fell on the quiet town.')"
    assert _spacy_loaded_after(code)
