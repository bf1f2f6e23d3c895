"""One fixed split of every dev set into a tuning half and a held-out half.

Why: rules and weights tuned on a whole dev set score higher there than on news
no one has seen (issue 16 measured the drop). Every bench therefore reports
both halves; changes are tuned on ``tune`` only and kept only when they also
help ``held``. The split is by a hash of each item's id, decided once and never
re-drawn: sha1 of ``"newsdesk-holdout:" + id``, even first byte -> ``tune``.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

HALVES = ("tune", "held")


def half_of(item_id: str) -> str:
    """``"tune"`` or ``"held"`` for an item (article id, story id) of a dev set."""
    digest = hashlib.sha1(f"newsdesk-holdout:{item_id}".encode()).digest()
    return "tune" if digest[0] % 2 == 0 else "held"


def shared_dir() -> Path:
    """The shared folder (corpora, scorers): beside the checkout, else /work/shared.

    A git worktree under another folder has no ``../shared`` of its own."""
    here = Path(__file__).resolve().parents[1]
    for candidate in (here.parent / "shared", Path("/work/shared")):
        if candidate.is_dir():
            return candidate
    return here.parent / "shared"
