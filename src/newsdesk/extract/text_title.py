"""The headline of a page saved as text, or one made from the lede when it has none.

A headline sits shortly before the article's first paragraph, is short, does
not end like a sentence, is not a call to action or a date, and is often
followed by a byline or a date stamp, repeated elsewhere on the page (the
breadcrumb, the browser title) or echoed by the words of the page's URL.
Lines are scored on those properties; when none scores well enough the page
has no headline, and one is made from the lede's first sentence and marked as
generated.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from urllib.parse import unquote, urlsplit

from newsdesk.extract.byline import parse_credit_line
from newsdesk.extract.text_lines import Line, count_words

__all__ = ["find_title", "generate_title"]

LOOKBACK = 25  # lines before the body searched for the headline
MIN_SCORE = 2.0
_SITE_SUFFIX = re.compile(r"\s+[|–—-]\s+[^|–—-]{2,40}$")
_SENTENCE_END = re.compile(r"(?<![A-Z])(?<!\b[A-Z][a-z])(?<!\b(?:Mr|Ms|Dr|St))[.!?。！？](?=\s|$)")
_CLAUSE_STARTS = {
    "after", "before", "while", "because", "when", "since", "although", "though", "despite",
    "amid", "following", "which", "who", "where", "but",
}  # fmt: skip
_WORD = re.compile(r"\w+")


def _slug_words(url: str | None) -> set[str]:
    if not url:
        return set()
    path = unquote(urlsplit(url).path)
    return {w for w in _WORD.findall(path.casefold()) if len(w) > 2 and not w.isdigit()}


def _title_score(line: Line, distance: int, lines: Sequence[Line], slug: set[str]) -> float:
    text = line.text
    if line.chrome or line.dateline or not 3 <= line.words <= 30:
        return float("-inf")
    if parse_credit_line(text) is not None:
        return float("-inf")
    score = 3.0 - 0.25 * distance
    if text.endswith(".") and not text.endswith(".."):
        score -= 3.0  # headlines rarely end with a full stop; standfirsts and captions do
    if line.sentences > 1:
        score -= 2.0
    score += 0.12 * min(line.words, 16)  # a headline says something; kickers and labels are short
    if line.repeated > 1:
        score += 1.5  # breadcrumb, browser title and headline repeat each other
    following = lines[line.index + 1 : line.index + 4]
    if any(parse_credit_line(f.text) is not None or f.dateline for f in following):
        score += 2.0
    if slug:
        words = {w for w in _WORD.findall(text.casefold()) if len(w) > 2}
        if words:
            score += 4.0 * len(words & slug) / len(words)
    return score


def find_title(lines: Sequence[Line], body_start: int, *, url: str | None = None) -> str | None:
    """The headline among the lines before ``body_start``, or None when nothing reads as one."""
    slug = _slug_words(url)
    best: tuple[float, str] | None = None
    first = max(0, body_start - LOOKBACK)
    for line in lines[first:body_start]:
        score = _title_score(line, body_start - line.index - 1, lines, slug)
        if best is None or score > best[0]:
            best = (score, line.text)
    if best is None or best[0] < MIN_SCORE:
        return None
    return _SITE_SUFFIX.sub("", best[1]).strip() or best[1]


def generate_title(lede: str, *, max_words: int = 14) -> str:
    """A headline made from the lede: its first sentence, cut at a clause if it is long."""
    text = " ".join(lede.split())
    end = _SENTENCE_END.search(text)
    sentence = text[: end.start()] if end else text
    words = sentence.split()
    if count_words(sentence) <= max_words and len(words) <= max_words:
        return sentence.rstrip(",;:")
    if len(words) < 3:  # one long run of CJK text: cut by characters
        return sentence[: max_words * 2].rstrip() + "…"
    cut = max_words
    for i in range(max_words, max_words // 2, -1):
        if words[i].casefold().strip(",") in _CLAUSE_STARTS or words[i - 1].endswith((",", ";")):
            cut = i
            break
    kept = words[:cut]
    while len(kept) > 3 and kept[-1].casefold() in _TRAILING_SMALL_WORDS:
        kept.pop()  # "... in forty years on" reads as cut off mid-phrase
    head = " ".join(kept).rstrip(",;:")
    return head + ("" if cut < max_words else "…")


_TRAILING_SMALL_WORDS = {
    "a", "an", "the", "of", "on", "in", "at", "to", "for", "by", "with", "and", "or", "from",
    "its", "his", "her", "their", "our", "this", "that", "de", "la", "le", "der", "die", "das",
}  # fmt: skip
