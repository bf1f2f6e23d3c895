"""Hostile input costs time in proportion to its size (issue 17, point 1).

Two kinds of test, every input generated here:

* each input the attack found quadratic runs, at the size found, in under 5 s of
  CPU time (process time, so a loaded machine does not make it flaky);
* a property test over short patterns repeated up to 100 KB drives every text
  entry point (feed fields, HTML pages, text pages, understanding) and checks
  that doubling the input at most about triples the time (best of a few runs).
"""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsdesk.errors import NewsdeskError

CPU_SECONDS = 5.0


def _rss(title: str = "t", description: str = "d") -> bytes:
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Hostile</title>'
        "<link>https://news.example/</link><item><title>"
        + title
        + "</title><link>https://news.example/a</link><description>"
        + description
        + "</description></item></channel></rss>"
    ).encode()


def _escaped(text: str) -> str:
    from xml.sax.saxutils import escape

    return escape(text)


def feed_fields(text: str) -> object:
    """The text as an RSS title and description, parsed and turned into an article."""
    from newsdesk.extract.feed_entry import article_from_item
    from newsdesk.sources.feeds.parse import parse_feed

    body = _escaped(text)
    parsed = parse_feed(_rss(body, body), url="https://news.example/feed")
    return [article_from_item(item, parsed.feed) for item in parsed.entries]


def html_page(text: str) -> object:
    from newsdesk.extract import extract_article

    page = (
        "<html><head><title>t</title></head><body><article><p>"
        + text
        + "</p></article></body></html>"
    )
    try:
        return extract_article(page, url="https://news.example/a")
    except NewsdeskError as exc:
        return exc


_PROSE = (
    "The harbour board of Fennick agreed a new budget on Tuesday after a long debate "
    "about the ferry service and the repairs to the north quay. "
)


def text_page(text: str) -> object:
    from newsdesk.extract import extract_article

    page = "Harbour budget agreed\n\n" + _PROSE * 4 + "\n\n" + text + "\n\n" + _PROSE * 4
    try:
        return extract_article(page.encode(), url="https://news.example/a")
    except NewsdeskError as exc:
        return exc


def understanding(text: str) -> object:
    from newsdesk.understand import understand

    try:
        return understand(_PROSE + "\n\n" + text)
    except NewsdeskError as exc:
        return exc


def discovery(text: str) -> object:
    from newsdesk.sources.discover import feed_links

    return feed_links(("<html><head>" + text + "</head></html>").encode(), "https://news.example/")


def _cpu(call: Callable[[], object]) -> float:
    start = time.process_time()
    call()
    return time.process_time() - start


@pytest.fixture(scope="module", autouse=True)
def _warm() -> None:
    """Imports and the language model loaded before anything is timed."""
    for entry in (feed_fields, html_page, text_page, understanding, discovery):
        entry("warm up")


def _links(count: int) -> str:
    return "".join(
        f'<link rel="alternate" type="application/rss+xml" href="/f{i}.xml">' for i in range(count)
    )


ISSUE_CASES: dict[str, Callable[[], object]] = {
    "rss title '<a' x 30,000": lambda: feed_fields("<a" * 30_000),
    "description '<script>' x 20,000": lambda: feed_fields("<script>" * 20_000),
    "text line of 30,000 '-'": lambda: text_page("-" * 30_000),
    "text line of '| ' x 10,000": lambda: text_page("| " * 10_000),
    "text line of '© ' x 20,000": lambda: text_page("© " * 20_000),
    'understand "\'s " x 20,000': lambda: understanding("'s " * 20_000),
    "40,000 <link rel=alternate>": lambda: discovery(_links(40_000)),
    "160,000 <link rel=alternate>": lambda: discovery(_links(160_000)),
    "600,000 <p>": lambda: html_page("</p>" + "<p>x</p>" * 600_000 + "<p>"),
    "690,000 sibling <div>": lambda: html_page("</p>" + "<div>x</div>" * 690_000 + "<p>"),
}


@pytest.mark.parametrize("case", list(ISSUE_CASES))
def test_each_quadratic_case_of_the_issue_runs_in_seconds(case: str) -> None:
    spent = _cpu(ISSUE_CASES[case])
    assert spent < CPU_SECONDS, f"{case}: {spent:.1f} s of CPU"


def test_a_huge_page_fails_with_one_clear_reason() -> None:
    outcome = html_page("<div>x</div>" * 200_000)
    assert isinstance(outcome, NewsdeskError)
    assert "HTML elements" in str(outcome)


# --- linear growth ----------------------------------------------------------------

_ALPHABET = [
    *list("<>/\"'!-|=&;#:. \n\tax1©’"),
    "<a",
    "<p>",
    "</",
    "<!--",
    "'s ",
    "&lt;",
    "<script>",
]
_ENTRIES: dict[str, tuple[Callable[[str], object], int]] = {
    # entry point -> the larger size in characters (understanding is capped in tokens)
    "feed fields": (feed_fields, 100_000),
    "html page": (html_page, 100_000),
    "text page": (text_page, 100_000),
    "understand": (understanding, 12_000),
    "discovery": (discovery, 100_000),
}


def _best(call: Callable[[], object], runs: int) -> float:
    return min(_cpu(call) for _ in range(runs))


def _grows_linearly(entry: Callable[[str], object], pattern: str, size: int) -> tuple[bool, str]:
    big = pattern * max(2, size // len(pattern))
    small = big[: len(big) // 2]
    for runs in (2, 5):  # a second, longer look before calling it a failure
        t_small = _best(lambda: entry(small), runs)
        t_big = _best(lambda: entry(big), runs)
        # 20 ms of slack: below that, timer resolution and the machine's noise dominate
        if t_big <= 3 * t_small + 0.02:
            return True, ""
    return False, f"{len(small)} chars: {t_small:.3f} s, {len(big)} chars: {t_big:.3f} s"


@pytest.mark.parametrize("entry_name", list(_ENTRIES))
@settings(
    max_examples=6,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(pattern=st.lists(st.sampled_from(_ALPHABET), min_size=1, max_size=4).map("".join))
def test_time_grows_linearly_with_repeated_patterns(entry_name: str, pattern: str) -> None:
    entry, size = _ENTRIES[entry_name]
    ok, detail = _grows_linearly(entry, pattern, size)
    assert ok, f"{entry_name} with {pattern!r} repeated: {detail}"
