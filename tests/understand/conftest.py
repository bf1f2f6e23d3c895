"""The language model is loaded once per test session (it takes about a second)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from newsdesk.models import Article
from newsdesk.understand.models import Understanding


@pytest.fixture(scope="session")
def nlp() -> object:
    from newsdesk.understand.nlp import get_nlp

    return get_nlp()


@pytest.fixture(scope="session")
def understood(nlp: object) -> Callable[..., Understanding]:
    """``understood(*paragraphs, headline="")``: an Article we wrote, understood."""
    from newsdesk.understand import understand

    def run(*paragraphs: str, headline: str = "") -> Understanding:
        article = Article(
            title=headline or paragraphs[0][:80],
            paragraphs=tuple(paragraphs),
            title_generated=not headline,
        )
        return understand(article)

    return run
