"""View tests read the follow tests' generated corpus."""

from __future__ import annotations

import pytest

from tests.fixtures.follow.corpus import Corpus, build_corpus


@pytest.fixture(scope="session")
def corpus() -> Corpus:
    return build_corpus()
