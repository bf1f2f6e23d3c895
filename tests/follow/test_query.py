"""The query language parser: what users type becomes the AST they meant, or a clear error."""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsdesk.follow.query import QueryError, Since, Term, parse_query, parse_since

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)


def test_words_phrases_fields_exclusions_and_since() -> None:
    q = parse_query(
        'mali "peace talks" author:"Ines Varga" person:Okafor -topic:sport -rumour since:3d'
    )
    assert q.terms == (
        Term("word", "mali"),
        Term("phrase", "peace talks"),
        Term("author", "Ines Varga"),
        Term("person", "Okafor"),
        Term("topic", "sport", negated=True),
        Term("word", "rumour", negated=True),
    )
    assert q.since is not None and q.since.resolve(NOW) == NOW - timedelta(days=3)
    assert [t.value for t in q.text_terms] == ["mali", "peace talks", "rumour"]


def test_field_names_are_case_insensitive_and_values_keep_their_case() -> None:
    q = parse_query("ORG:Harbour-Trust Outlet:tidewater.example")
    assert q.terms == (Term("org", "Harbour-Trust"), Term("outlet", "tidewater.example"))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("90m", timedelta(minutes=90)),
        ("12h", timedelta(hours=12)),
        ("2w", timedelta(weeks=2)),
    ],
)
def test_since_ages(text: str, expected: timedelta) -> None:
    assert parse_since(text).resolve(NOW) == NOW - expected


def test_since_dates_are_utc_unless_an_offset_is_given() -> None:
    assert parse_since("2026-11-28").resolve(NOW) == datetime(2026, 11, 28, tzinfo=UTC)
    moment = parse_since("2026-11-28T06:30+02:00").resolve(NOW)
    assert moment == datetime(2026, 11, 28, 4, 30, tzinfo=UTC)


def test_a_quoted_word_is_a_word_and_lone_punctuation_is_dropped() -> None:
    assert parse_query('"budget" - , mali').terms == (Term("word", "budget"), Term("word", "mali"))


def test_since_alone_is_a_query_but_exclusions_alone_are_not() -> None:
    assert parse_query("since:1d -topic:sport").since == Since(age=timedelta(days=1), text="1d")
    with pytest.raises(QueryError, match="only excludes"):
        parse_query("-sport -topic:weather")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "nothing to look for"),
        ("   ", "nothing to look for"),
        ('"peace talks', "unclosed quote"),
        ("colour:red", "unknown field colour:"),
        ("person:", "person: has no value"),
        ('person:""', "person: has no value"),
        ("since:yesterdayish", "not a date or an age"),
        ("mali since:1d since:2d", "given twice"),
        ("mali -since:1d", "cannot be excluded"),
        ("x " * 40, "terms"),
    ],
)
def test_errors_say_what_is_wrong(text: str, message: str) -> None:
    with pytest.raises(QueryError, match=message) as info:
        parse_query(text)
    assert str(info.value).startswith("follow: ")
    assert info.value.hint


def test_unknown_field_error_suggests_quoting() -> None:
    with pytest.raises(QueryError) as info:
        parse_query("http://x.example")
    assert "quote" in str(info.value)
    assert parse_query('"http://x.example"').terms == (Term("word", "http://x.example"),)


_value = st.text(
    alphabet=st.characters(whitelist_categories=("Lu", "Ll", "Nd"), max_codepoint=0x24F),
    min_size=1,
    max_size=8,
)
_term = st.builds(
    Term,
    st.sampled_from(["word", "phrase", "author", "person", "org", "place", "topic", "outlet"]),
    st.lists(_value, min_size=1, max_size=3).map(" ".join),
    st.booleans(),
).filter(lambda t: (t.kind == "phrase") == (" " in t.value) or t.kind not in ("word", "phrase"))


@given(st.lists(_term, min_size=1, max_size=6))
def test_rendered_queries_parse_back_to_the_same_ast(terms: list[Term]) -> None:
    if all(t.negated for t in terms):
        terms[0] = Term(terms[0].kind, terms[0].value, False)
    query = parse_query(" ".join(t.render() for t in terms))
    assert parse_query(query.render()) == query
    assert query.terms == tuple(terms)


@given(st.text(max_size=200))
def test_any_text_parses_or_raises_a_query_error(text: str) -> None:
    with contextlib.suppress(QueryError):
        parse_query(text)
