"""Hostile runs of punctuation: the tokenizer never gets an unbroken run it chews quadratically.

spaCy strips prefix and suffix punctuation one character at a time, so a
single 20,000-character run of quote marks cost over 30 s (and grows with the
square of its length). The check here is on what reaches the tokenizer, not on
time: no token longer than ``LONG_RUN`` and the text's length, so its offsets,
unchanged.
"""

from __future__ import annotations

from newsdesk.understand.nlp import LONG_RUN, clip, parse


def test_long_runs_are_broken_and_offsets_kept() -> None:
    text = "Ana Wren said so. " + '"' * 5_000 + " The ferry ran. " + "(" * 999
    clipped = clip(text)
    assert len(clipped) == len(text)
    assert max(len(word) for word in clipped.split()) < LONG_RUN
    assert clipped.startswith("Ana Wren said so. ") and " The ferry ran. " in clipped


def test_ordinary_text_and_long_urls_within_the_limit_are_untouched() -> None:
    url = "https://fennick-post.example/2031/03/14/" + "ferry-" * 20
    text = f"Ana Wren, the harbour master, said the ferry would run again. See {url} for more."
    assert clip(text) == text


def test_the_parsed_document_has_no_giant_token() -> None:
    doc = parse("Ana Wren spoke. " + '"' * 3_000)
    assert max(len(token.text) for token in doc) < LONG_RUN
    assert doc.text.startswith("Ana Wren spoke. ")
