"""Understanding stage: who and what an article is about.

``newsdesk.understand(article_or_text)`` returns an
:class:`~newsdesk.understand.models.Understanding` (headline, summary,
entities, topics, quotes, figures); ``understand_many`` does the same for a
batch with one pass of ``nlp.pipe``. spaCy is imported only when one of them
runs, never by importing this package.

The package itself is callable (``newsdesk.understand(text)`` works even after
a submodule such as ``newsdesk.understand.models`` was imported, which makes
Python bind the package, not the function, to ``newsdesk.understand``).
"""

from __future__ import annotations

import sys
import types
from typing import TYPE_CHECKING, Any

from newsdesk.understand.models import (
    Entity,
    Figure,
    Mention,
    Quote,
    Topic,
    Understanding,
)

if TYPE_CHECKING:  # pragma: no cover
    from newsdesk.models import Article

__all__ = [
    "Entity",
    "Figure",
    "Mention",
    "Quote",
    "Topic",
    "Understanding",
    "understand",
    "understand_many",
]


def understand(article_or_text: Article | str) -> Understanding:
    """Who and what ``article_or_text`` (an Article or plain text) is about."""
    from newsdesk.understand.analyse import understand as run

    return run(article_or_text)


def understand_many(items: Any, *, n_process: int = 1) -> list[Understanding]:
    """``understand`` for many Articles or texts, parsed in batches (much faster per article).

    ``n_process`` > 1 parses in that many worker processes.
    """
    from newsdesk.understand.analyse import understand_many as run

    return run(items, n_process=n_process)


class _CallableModule(types.ModuleType):
    def __call__(self, article_or_text: Article | str) -> Understanding:
        return understand(article_or_text)


sys.modules[__name__].__class__ = _CallableModule
