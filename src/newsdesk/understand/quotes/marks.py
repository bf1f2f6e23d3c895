"""Where the quotation marks are: spans of quoted text in an article body.

This is the pure, character-level half of quote finding; who said each span is
decided in :mod:`newsdesk.understand.quotes.find`. Newsrooms and the tools between
them and us mix every quotation style, often within one article: curly “ ”,
straight " ", guillemets « », German „ “, NYT-style ``''…''``, single ‘ ’ or
' ' in British copy and headlines, and even a curly opening mark closed by a
straight one. So marks are read by *position* (an opening mark follows a space
or the start of a paragraph, a closing mark follows text) and paired with a
stack, tolerant of mismatched styles; nested quotations stay inside their
outer quotation. A paragraph that opens a quotation and never closes it
continues into the next paragraph when that one opens with a mark again (the
journalism convention for quotations longer than one paragraph). A paragraph
that starts with a dialogue dash (``— We will stay, said the mayor.``) is a
quotation up to the next spaced dash or comma before the attribution.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

#: A paragraph is a non-empty line (bodies join paragraphs with blank lines).
_PARAGRAPH = re.compile(r"[^\n]+")
_DOUBLE = re.compile(r"``|''|[\"\u201c\u201d\u201e\u201f\u00ab\u00bb]")
_SINGLE_OPEN = "\u2018'\u201a"
_SINGLE_CLOSE = "\u2019'"
_SINGLE_CLOSE_MARK = re.compile("[" + _SINGLE_CLOSE + "]")
_ALWAYS_OPEN = {"\u201c", "\u201e", "\u201f", "\u00ab", "``"}
_ALWAYS_CLOSE = {"\u00bb"}
#: Characters after which a mark starts a quotation.
_OPENERS_BEFORE = set(" \t\u00a0([{\u2014\u2013-/:")
_DASH_START = re.compile(r"\s*[\u2014\u2013\u2015]\s+")
_DASH_END = re.compile(r"\s[\u2014\u2013\u2015]\s|,\s+(?=(?:said|says|asked|he|she|they)\b)")


@dataclass(frozen=True, slots=True)
class QuoteSpan:
    """One quoted stretch of one paragraph; ``start``/``end`` exclude the marks."""

    start: int
    end: int
    outer_start: int  # including the opening mark
    outer_end: int  # including the closing mark (paragraph end when the quote runs on)
    paragraph: int
    run: int  # quotations continued over paragraphs share a run number
    style: str  # the opening mark, or "—" for a dialogue dash


@dataclass(frozen=True, slots=True)
class Paragraph:
    start: int
    end: int
    index: int


def paragraphs(text: str) -> list[Paragraph]:
    """Non-empty lines, numbered; whitespace-only lines do not count."""
    out: list[Paragraph] = []
    for m in _PARAGRAPH.finditer(text):
        if m.group().strip():
            out.append(Paragraph(m.start(), m.end(), len(out)))
    return out


def find_quote_spans(text: str) -> list[QuoteSpan]:
    """Every outermost quotation in ``text``, in order."""
    spans: list[QuoteSpan] = []
    run = 0
    open_run: int | None = None  # run still open at the end of the previous paragraph
    for para in paragraphs(text):
        found, runs_on = _paragraph_spans(text, para)
        if not found:
            found = _dash_span(text, para)
        for i, (s, e, os_, oe, style) in enumerate(found):
            starts_para = not text[para.start : os_].strip()
            if i == 0 and starts_para and open_run is not None:
                this_run = open_run
            else:
                run += 1
                this_run = run
            spans.append(QuoteSpan(s, e, os_, oe, para.index, this_run, style))
        open_run = spans[-1].run if runs_on and spans else None
    return [s for s in spans if any(ch.isalnum() for ch in text[s.start : s.end])]


def _mark_role(text: str, i: int, mark: str, lo: int, hi: int) -> str | None:
    """ "open", "close" or None (cannot tell) for the mark at ``i``."""
    before = text[i - 1] if i > lo else " "
    after = text[i + len(mark)] if i + len(mark) < hi else " "
    if mark in _ALWAYS_OPEN:
        return "open" if not (after.isspace() and not before.isspace()) else "close"
    if mark in _ALWAYS_CLOSE:
        return "close"
    if mark == "\u201d":  # closing curly, sometimes typed as an opener
        return "open" if before in _OPENERS_BEFORE and after.isalnum() else "close"
    can_open = (before in _OPENERS_BEFORE or before in "\u201c\u2018") and not after.isspace()
    can_close = not before.isspace() and (after.isspace() or not after.isalnum())
    if can_open and not can_close:
        return "open"
    if can_close and not can_open:
        return "close"
    if can_open and can_close:  # ""word"" style glued marks: decide by what follows
        return "open" if after.isalnum() else "close"
    return None


def _paragraph_spans(
    text: str, para: Paragraph
) -> tuple[list[tuple[int, int, int, int, str]], bool]:
    """Outermost double-quoted spans of one paragraph, then single-quoted ones in between.

    The flag says the paragraph ends inside a quotation that it opened at its start.
    """
    lo, hi = para.start, para.end
    stack: list[tuple[int, str]] = []
    found: list[tuple[int, int, int, int, str]] = []
    for m in _DOUBLE.finditer(text, lo, hi):
        role = _mark_role(text, m.start(), m.group(), lo, hi)
        if role == "open":
            stack.append((m.start(), m.group()))
        elif role == "close" and stack:
            pos, mark = stack.pop()
            if not stack:
                found.append((pos + len(mark), m.start(), pos, m.end(), mark))
    runs_on = False
    if stack:
        pos, mark = stack[0]
        if not text[lo:pos].strip():  # opened at the paragraph start, never closed
            found.append((pos + len(mark), hi, pos, hi, mark))
            runs_on = True
    found.sort()
    singles: list[tuple[int, int, int, int, str]] = []
    cursor = lo
    for s in [*found, (hi, hi, hi, hi, "")]:
        singles.extend(_single_spans(text, cursor, s[2]))
        cursor = s[3]
    return sorted(found + singles), runs_on


def _single_spans(text: str, lo: int, hi: int) -> list[tuple[int, int, int, int, str]]:
    """Single-quoted spans between ``lo`` and ``hi``; apostrophes are told apart by position."""
    out: list[tuple[int, int, int, int, str]] = []
    closes: list[int] | None = None  # computed on the first opener: most ranges have none
    i = lo
    while i < hi:
        ch = text[i]
        if ch in _SINGLE_OPEN and text[i : i + 2] != "''" and text[i - 1 : i + 1] != "''":
            before = text[i - 1] if i > lo else " "
            after = text[i + 1] if i + 1 < hi else " "
            if (before in _OPENERS_BEFORE or before == '"' or i == lo) and after.isalpha():
                if closes is None:
                    closes = _single_closes(text, lo, hi)
                at = bisect.bisect_left(closes, i + 1)
                close = closes[at] if at < len(closes) else None
                if close is not None and close - i > 2:  # "rock 'n' roll" is no quotation
                    out.append((i + 1, close, i, close + 1, ch))
                    i = close + 1
                    continue
        i += 1
    return out


def _single_closes(text: str, lo: int, hi: int) -> list[int]:
    """Positions in ``lo..hi`` of single marks that can close: after text, not inside a word.

    Whether a mark can close does not depend on the opener, so they are found once per
    range and each opener takes the first one after it (a scan from every opener made
    "'s " x 20,000 quadratic: 57 s).
    """
    out: list[int] = []
    for m in _SINGLE_CLOSE_MARK.finditer(text, lo + 1, hi):
        i = m.start()
        if not text[i - 1].isspace():
            after = text[i + 1] if i + 1 < hi else " "
            if not after.isalnum():
                # "parents' rights": a plural possessive, not a close, when a noun follows directly
                out.append(i)
    return out


def _dash_span(text: str, para: Paragraph) -> list[tuple[int, int, int, int, str]]:
    m = _DASH_START.match(text, para.start, para.end)
    if not m:
        return []
    start = m.end()
    end_m = _DASH_END.search(text, start, para.end)
    end = end_m.start() if end_m else para.end
    return [(start, end, para.start + (m.start() - para.start), end, "\u2014")]
