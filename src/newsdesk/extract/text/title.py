"""The headline of a page saved as text, or one made from the lede when it has none.

A headline sits shortly before the article's first paragraph (counting only
lines that could compete with it: share panels and menus do not), is short,
does not end like a sentence, and is never a call to action, a breadcrumb, a
web address, a date or a byline. It is usually followed by a byline or a date
stamp, names the topic of the body (shares its words), may be repeated once
elsewhere on the page (the browser title) and echoed by the page's URL. What
looks like it but is not: a menu or teaser list (a run of lines of like
length), a kicker over it, a standfirst under it, a person's name alone, the
heading of a newsletter box. Lines are scored on those properties; when none
scores well enough the page has no headline, and one is made from the lede's
first sentence and marked as generated.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from newsdesk.extract.text.byline import name_shaped, parse_header_byline
from newsdesk.extract.text.lines import CAPTION_CREDIT, Line, chrome_kind, count_words

__all__ = ["NEAR", "clean_title", "find_title", "find_title_line", "generate_title"]

LOOKBACK = 60  # lines before the body searched for the headline
MIN_SCORE = 2.0
MAX_WORDS = 30
NEAR = 3  # a byline or date stamp this many lines after a line marks it as the headline
BODY_WORDS = 400  # words of the body a headline is compared with
_SITE_SUFFIX = re.compile(r"\s+[|–—-]\s+[^|–—-]{2,40}$")
_SENTENCE_END = re.compile(r"(?<![A-Z])(?<!\b[A-Z][a-z])(?<!\b(?:Mr|Ms|Dr|St))[.!?。！？](?=\s|$)")
_CLAUSE_STARTS = {
    "after", "before", "while", "because", "when", "since", "although", "though", "despite",
    "amid", "following", "which", "who", "where", "but",
}  # fmt: skip
_WORD = re.compile(r"\w+")
# A line that asks the reader to do something: "Click for full results", "Sign up now".
_CALL_TO_ACTION = re.compile(
    r"(?i)^(?:click|tap|sign\s+up|subscribe|register|join|download|follow|get\s+(?:the|our)"
    r"|learn\s+more|read\s+more|find\s+out|see\s+(?:all|more)|watch|listen|shop|buy|view"
    r"|back\s+to|return\s+to|go\s+to)\b"
)
BARE_NAME_PENALTY = 2.5
SOFT_CHROME_PENALTY = 1.0
PAIR_PENALTY = 2.0
PROMO_PENALTY = 3.0
KICKER_WORDS = 4
LONG_WORDS = 14
# A trail of links ("Home > News > Local", "Home » Sport »"): navigation, not a headline.
_WEB_ADDRESS = re.compile(r"(?i)^(?:https?://|www\.)\S+$")
_BREADCRUMB = re.compile(r"\s[>»›/]\s.*\s[>»›/](?:\s|$)|\s[>»›]\s*$")
_SHORT_WORD = 3  # words this short ("the", "of") say nothing about a headline's topic


@dataclass(frozen=True, slots=True)
class _Context:
    """What every candidate is compared with: the page, the body's words, the URL's words."""

    lines: Sequence[Line]
    body_start: int
    slug: set[str]
    body_words: set[str]
    stamps: frozenset[int]  # indexes of byline and date-stamp lines


def _slug_words(url: str | None) -> set[str]:
    if not url:
        return set()
    path = unquote(urlsplit(url).path)
    return {w for w in _WORD.findall(path.casefold()) if len(w) > 2 and not w.isdigit()}


def _topic_words(text: str) -> set[str]:
    return {
        w
        for w in _WORD.findall(text.casefold())
        if (len(w) > _SHORT_WORD or not w.isascii()) and w not in _COMMON
    }


# Frequent English words longer than _SHORT_WORD letters: shared with any body, they say nothing.
_COMMON = {
    "with", "that", "this", "from", "have", "will", "your", "about", "more", "what", "when",
    "they", "them", "their", "there", "these", "those", "into", "over", "than", "then", "were",
    "been", "being", "also", "just", "only", "some", "such", "very", "most", "much", "many",
    "here", "where", "which", "while", "would", "could", "should", "after", "before", "under",
    "other", "every", "each", "does", "said", "says",
}  # fmt: skip


def _is_stamp(line: Line) -> bool:
    return line.dateline or parse_header_byline(line.text) is not None


def _could_be_title(line: Line, ctx: _Context) -> bool:
    """Hard limits: never a date, a byline, a breadcrumb, a web address, a call to action or chrome
    (but a headline that merely names a share or a tweet is not chrome). Two words make a
    headline only with a date stamp right under them ("Election results" / "May 3, 2026")."""
    if line.dateline or line.words > MAX_WORDS or line.words < 2:
        return False
    if line.words == 2 and line.index + 1 not in ctx.stamps:
        return False
    if line.chrome and not _chrome_by_a_word(line):
        return False
    text = line.text
    if _CALL_TO_ACTION.match(text) or _BREADCRUMB.search(text) or _WEB_ADDRESS.match(text):
        return False
    return parse_header_byline(text) is None


def _chrome_by_a_word(line: Line) -> bool:
    """Judged chrome only for a word inside it ("... shares plunge", "... Twitter name
    switch"): a headline may say anything, so such a line may still be one."""
    if line.hard or line.words < 5 or CAPTION_CREDIT.search(line.text):
        return False
    opening = " ".join(line.text.split()[:3])
    return chrome_kind(opening, 3, False) is None


def _title_like(line: Line, ctx: _Context) -> bool:
    """Shaped like a headline or a standfirst: a few words, no full stop, not a label."""
    return (
        not line.chrome
        and not line.dateline
        and line.index not in ctx.stamps
        and 3 <= line.words <= MAX_WORDS
        and line.repeated <= 3
        and not line.text.endswith(".")
        and not _BREADCRUMB.search(line.text)
    )


def _in_list(line: Line, ctx: _Context) -> bool:
    """One of a run of unpunctuated lines of about its length: a menu, a teaser list, a
    table. (A headline under one-word menu entries is not one of them.)"""
    i, lines = line.index, ctx.lines
    neighbours = [lines[j] for j in (i - 2, i - 1, i + 1, i + 2) if 0 <= j < len(lines)]
    alike = sum(
        1
        for n in neighbours
        if not n.terminal
        and not n.dateline
        and n.index not in ctx.stamps
        and line.words / 2 <= n.words <= line.words * 2
    )
    return alike >= 3


def _heads_a_promotion(line: Line, ctx: _Context) -> bool:
    """The heading of a newsletter or app box: a call to action ("Subscribe", "Get the
    app") follows within two lines, before any byline or date stamp."""
    for nxt in ctx.lines[line.index + 1 : line.index + 3]:
        if nxt.index in ctx.stamps:
            return False
        if _CALL_TO_ACTION.match(nxt.text):
            return True
    return False


def _pair_penalty(line: Line, ctx: _Context) -> float:
    """Of a headline and the line beside it, which is the headline.

    A standfirst follows its headline and a kicker ("EXCLUSIVE", a section
    name) stands over it; both look like headlines and often sit just as close
    to the byline.
    """
    lines, i = ctx.lines, line.index
    if i > 0 and _title_like(lines[i - 1], ctx) and lines[i - 1].words > KICKER_WORDS:
        return PAIR_PENALTY  # a standfirst under its headline
    after = (n for n in lines[i + 1 : i + 3] if n.index not in ctx.stamps)
    nxt = next(after, None)  # the next line, over a date stamp between them
    if (
        line.words <= KICKER_WORDS
        and nxt is not None
        and _title_like(nxt, ctx)
        and nxt.words > line.words
    ):
        return PAIR_PENALTY  # a kicker over the headline
    return 0.0


def _title_score(line: Line, distance: int, ctx: _Context) -> float:
    text = line.text
    lines = ctx.lines
    # How far, counted in lines that could compete (chrome, stamps and labels do not).
    between = lines[line.index + 1 : ctx.body_start]
    competing = sum(1 for b in between if not b.chrome and not b.dateline and b.words >= 3)
    score = 3.0 - 0.25 * competing - 0.02 * distance
    if text.endswith(".") and not text.endswith(".."):
        score -= 3.0  # headlines rarely end with a full stop; standfirsts and captions do
    if line.sentences > 1:
        score -= 2.0
    # A headline says something (kickers and labels are short) in few words (a standfirst
    # or a pull quote runs longer).
    score += 0.12 * min(line.words, LONG_WORDS) - 0.1 * max(0, line.words - LONG_WORDS)
    if 1 < line.repeated <= 3:
        score += 1.5  # the browser title and the headline repeat each other
    elif line.repeated > 3:
        score -= 2.0  # a label repeated all over the page
    if any(j in ctx.stamps for j in range(line.index + 1, line.index + 1 + NEAR)):
        score += 3.0  # a byline or a date stamp follows the headline
    elif line.index - 1 in ctx.stamps:
        score += 1.0  # "Published 2 hours ago" over the headline
    if _in_list(line, ctx):
        score -= 2.0
    if line.chrome:
        score -= SOFT_CHROME_PENALTY
    score -= _pair_penalty(line, ctx)
    if _heads_a_promotion(line, ctx):
        score -= PROMO_PENALTY
    if name_shaped(text):
        score -= BARE_NAME_PENALTY  # "Jane Doe" alone: an author line, or a short label
    words = _topic_words(text)
    if words and ctx.body_words:
        score += 3.0 * len(words & ctx.body_words) / len(words)  # a headline names its topic
    if ctx.slug:
        words = {w for w in _WORD.findall(text.casefold()) if len(w) > 2}
        if words:
            score += 4.0 * len(words & ctx.slug) / len(words)
    return score


def find_title(
    lines: Sequence[Line],
    body_start: int,
    *,
    url: str | None = None,
    body: Sequence[str] = (),
) -> str | None:
    """The headline among the lines before ``body_start``, or None when nothing reads as one."""
    line = find_title_line(lines, body_start, url=url, body=body)
    return None if line is None else clean_title(line.text)


def clean_title(text: str) -> str:
    """The headline without the site's name after a bar or dash."""
    return _SITE_SUFFIX.sub("", text).strip() or text


def find_title_line(
    lines: Sequence[Line],
    body_start: int,
    *,
    url: str | None = None,
    body: Sequence[str] = (),
) -> Line | None:
    """The line that holds the headline (see :func:`find_title`), or None.

    ``body`` (the article's paragraphs) lets a headline be told from a label by
    the words it shares with the article. The first body line itself may be
    the headline when a byline or date stamp follows it (a headline ending in
    "?" reads as a sentence to the body finder).
    """
    first = max(0, body_start - LOOKBACK)
    body_text = " ".join(body)
    stamps = frozenset(
        line.index for line in lines[first : body_start + NEAR + 2] if _is_stamp(line)
    )
    ctx = _Context(
        lines,
        body_start,
        _slug_words(url),
        _topic_words(" ".join(body_text.split()[:BODY_WORDS])),
        stamps,
    )
    candidates = list(lines[first:body_start])
    if body_start < len(lines):
        opener = lines[body_start]
        follows = range(opener.index + 1, opener.index + 1 + NEAR)
        if opener.words <= 20 and opener.sentences == 1 and any(j in stamps for j in follows):
            candidates.append(opener)
    best: tuple[float, Line] | None = None
    for line in candidates:
        if not _could_be_title(line, ctx):
            continue
        score = _title_score(line, max(0, body_start - line.index - 1), ctx)
        if best is None or score > best[0]:
            best = (score, line)
    if best is None or best[0] < MIN_SCORE:
        return None
    return best[1]


def generate_title(lede: str, *, max_words: int = 14) -> str:
    """A headline made from the lede: its first sentence, cut at a clause if it is long."""
    text = " ".join(lede.split())
    end = _SENTENCE_END.search(text)
    sentence = text[: end.start()] if end else text
    words = sentence.split()
    if count_words(sentence) <= max_words and len(words) <= max_words:
        return sentence.rstrip(",;:")
    if len(words) <= max_words:  # long only by its CJK characters: cut by characters
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
