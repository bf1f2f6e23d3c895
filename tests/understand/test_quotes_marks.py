"""Finding quoted spans by their marks alone (no language model): apostrophes are not quotes."""

from __future__ import annotations

from newsdesk.understand.quotes.marks import find_quote_spans


def quoted(text: str) -> list[str]:
    return [text[s.start : s.end] for s in find_quote_spans(text)]


def test_apostrophes_in_words_and_decades_are_not_quotation_marks() -> None:
    text = (
        "The Orrin Valley growers’ co-op, founded in the ’90s, didn’t sell rock 'n' roll "
        "records, and the farmers' market stays open."
    )
    assert quoted(text) == []


def test_single_quotes_in_a_headline_and_double_quotes_nested() -> None:
    assert quoted("Quill: ferry terminal is ‘a gift to Lunport’") == ["a gift to Lunport"]
    assert quoted("He said: “They told me ‘wait’ and I waited.”") == [
        "They told me ‘wait’ and I waited."
    ]


def test_mismatched_styles_pair_by_position() -> None:
    text = 'There was “no evidence" of a leak, and it would take "more hours” to know.'
    assert quoted(text) == ["no evidence", "more hours"]


def test_open_quote_runs_on_only_into_a_paragraph_that_reopens() -> None:
    text = "“First part of it.\n\n“Second part,” she said.\n\nPlain paragraph."
    spans = find_quote_spans(text)
    assert [text[s.start : s.end] for s in spans] == ["First part of it.", "Second part,"]
    assert spans[0].run == spans[1].run
    assert [s.paragraph for s in spans] == [0, 1]


def test_unbalanced_mark_in_the_middle_of_a_paragraph_is_ignored() -> None:
    assert quoted("The sign read “closed for the season and nobody came.") == []


def test_any_text_gives_spans_inside_their_paragraph() -> None:
    from hypothesis import given, settings
    from hypothesis import strategies as st

    alphabet = st.sampled_from([*"ab .,\n“”\"'‘’«»„—", " said Ann Lee", "''", "``"])

    @settings(max_examples=300, deadline=None)
    @given(st.lists(alphabet, max_size=60).map("".join))
    def check(text: str) -> None:
        for s in find_quote_spans(text):
            assert s.outer_start <= s.start < s.end <= s.outer_end <= len(text)
            assert "\n" not in text[s.outer_start : s.outer_end]
            assert any(ch.isalnum() for ch in text[s.start : s.end])

    check()
