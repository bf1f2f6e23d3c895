"""Calls a deadline can really stop (issue 17, point 1): a child process under a
deadline and a memory bound, killed and replaced on overrun."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from newsdesk.bounded import BoundedCall
from newsdesk.errors import ExtractionError, UnderstandError


def spin(seconds: float) -> int:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        pass
    return os.getpid()


def hog(megabytes: int) -> int:
    block = bytearray(megabytes * 1024 * 1024)
    return len(block)


def pid() -> int:
    return os.getpid()


@pytest.fixture
def runner():
    call = BoundedCall(
        what="extracting the page",
        deadline=2.0,
        memory_mb=512,
        error=ExtractionError,
        setting="extract",
    )
    yield call
    call.close()


def test_a_call_within_its_bounds_returns_its_value(runner) -> None:
    assert runner(pid) != os.getpid()  # ran in the child
    assert runner(hog, 10) == 10 * 1024 * 1024


def test_an_overrun_is_stopped_with_one_clear_error_and_the_next_call_works(runner) -> None:
    first = runner(pid)
    started = time.monotonic()
    with pytest.raises(ExtractionError) as caught:
        runner(spin, 60)
    assert time.monotonic() - started < 30  # stopped near its 2 s deadline, not after 60 s
    assert "longer than 2 s" in str(caught.value)
    assert "NEWSDESK_EXTRACT_DEADLINE" in str(caught.value)
    second = runner(pid)
    assert second != first  # a fresh child replaced the killed one
    stat = Path(f"/proc/{first}/stat")
    assert not stat.exists() or ") Z " in stat.read_text()


def test_memory_past_the_bound_is_stopped(runner) -> None:
    with pytest.raises(ExtractionError) as caught:
        runner(hog, 2048)
    assert "512 MB" in str(caught.value)
    assert runner(hog, 10) == 10 * 1024 * 1024  # the next input goes on


def test_enrichment_in_serve_fails_one_article_not_the_batch(db, monkeypatch) -> None:
    """A batch whose understanding overruns is redone article by article; only the
    article that overruns fails, with the reason."""
    from newsdesk.jobs import enrichment
    from newsdesk.models import Article

    calls: list[int] = []

    class FakeRunner:
        def __call__(self, fn, articles):
            calls.append(len(articles))
            if any("hostile" in a.title for a in articles):
                raise UnderstandError("understanding took longer than 1 s and was stopped")
            return [{} for _ in articles]

    monkeypatch.setattr(enrichment, "_bounded", FakeRunner())
    good = Article(title="Harbour budget", paragraphs=("The harbour board met.",))
    bad = Article(title="hostile input", paragraphs=("'s " * 10,))
    out = enrichment._prepare([good, bad, good], lambda a: [])
    assert calls == [3, 1, 1, 1]
    assert out[0] == {} and out[2] == {}
    assert isinstance(out[1], UnderstandError)
