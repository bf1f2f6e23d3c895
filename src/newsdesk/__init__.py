"""newsdesk: a self-hosted personal news service.

The public Python API is re-exported here *lazily*: ``import newsdesk`` must
stay cheap (no spaCy, no trafilatura, no database driver) because the CLI's
``--help`` and every short command pay for it. A test guards this.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_LAZY = {
    "extract_article": "newsdesk.extract",
    "parse_feed": "newsdesk.sources.feeds.parse",
    "understand": "newsdesk.understand",
    "understand_many": "newsdesk.understand",
    "group_stories": "newsdesk.stories",
    "Article": "newsdesk.models",
    "Page": "newsdesk.models",
    "Settings": "newsdesk.config",
    "get_settings": "newsdesk.config",
    "NewsdeskError": "newsdesk.errors",
}

__all__ = [
    "Article",
    "NewsdeskError",
    "Page",
    "Settings",
    "__version__",
    "extract_article",
    "get_settings",
    "group_stories",
    "parse_feed",
    "understand",
    "understand_many",
]

if TYPE_CHECKING:  # pragma: no cover
    from newsdesk.config import Settings, get_settings
    from newsdesk.errors import NewsdeskError
    from newsdesk.extract import extract_article
    from newsdesk.models import Article, Page


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'newsdesk' has no attribute {name!r}")
    imported = importlib.import_module(module)
    # The understanding package is itself callable, so ``newsdesk.understand`` stays the
    # package: both ``newsdesk.understand(text)`` and ``newsdesk.understand.understand_many``.
    value = imported if name == "understand" else getattr(imported, name)
    globals()[name] = value
    return value
