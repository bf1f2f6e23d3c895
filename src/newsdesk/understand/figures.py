"""Numeric facts: "2,400 French troops", "$1.6-billion in development aid", "four to six months".

A briefing wants the numbers that matter with what they count, so each figure
carries its normalised value (or range), its unit, the noun phrase it counts
and whether the article hedged it ("about", "an estimated"). Numbers are found
with a pattern over the text (fast and predictable); the parse is used only to
read the noun phrase after the number and to leave out calendar dates
("since 2013", "August, 2020"), which are not facts worth listing.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from newsdesk.understand.models import Figure

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Doc, Token

_WORDS = {
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "hundred": 100,
    "a hundred": 100,
    "dozen": 12,
    "a dozen": 12,
    "one": 1,
}
_SCALES = {
    "thousand": 1e3,
    "k": 1e3,
    "million": 1e6,
    "m": 1e6,
    "mn": 1e6,
    "billion": 1e9,
    "bn": 1e9,
    "b": 1e9,
    "trillion": 1e12,
    "tn": 1e12,
}
_CURRENCIES = {
    "us$": "USD",
    "c$": "CAD",
    "ca$": "CAD",
    "a$": "AUD",
    "nz$": "NZD",
    "$": "$",
    "€": "EUR",
    "£": "GBP",
    "¥": "JPY",
    "₹": "INR",
}
_APPROX = (
    r"(?:about|around|approximately|roughly|nearly|almost|some|an estimated|estimated|"
    r"more than|over|fewer than|less than|under|up to|at least|close to|upwards of)"
)
_WORD_NUM = (
    r"(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:-(?:one|two|three|four|"
    r"five|six|seven|eight|nine))?|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    r"thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|a hundred|hundred|a dozen|"
    r"dozen)"
)
_NUM = rf"(?:\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?|{_WORD_NUM})"
_CUR = r"(?:US\$|C\$|CA\$|A\$|NZ\$|\$|€|£|¥|₹)"
_SCALE = r"(?:[\s-]?(?:thousand|million|billion|trillion|bn|mn|tn|[kmb])\b)"
_PCT = r"(?:\s?%|\s(?:per ?cent|percent)\b)"
_ONE = rf"(?P<curN>{_CUR})?(?P<numN>{_NUM})(?P<scaleN>{_SCALE})?(?P<pctN>{_PCT})?"
FIGURE_RE = re.compile(
    rf"(?<![\w$€£¥₹.,/-])(?P<approx>{_APPROX}\s+)?"
    + _ONE.replace("N>", "1>")
    + rf"(?:\s?(?:to|-|–|—)\s?(?:{_APPROX}\s+)?"
    + _ONE.replace("N>", "2>")
    + r")?(?![\w,]*\d)(?!:\d)",
    re.IGNORECASE,
)
_DURATION = re.compile(r"\b(?:second|minute|hour|day|week|month|year|decade|centur)", re.I)
_COUNT_POS = {"ADJ", "NOUN", "PROPN"}


def find_figures(doc: Doc, sentence_starts: Sequence[int]) -> list[Figure]:
    """Every numeric fact in ``doc`` (``sentence_starts``: character offset of each sentence)."""
    text = doc.text
    starts: dict[int, Token] = {}  # filled lazily: most tokens are never looked up
    figures: list[Figure] = []
    for match in FIGURE_RE.finditer(text):
        figure = _figure(doc, text, match, starts, sentence_starts)
        if figure is not None:
            figures.append(figure)
    return figures


def _figure(
    doc: Doc,
    text: str,
    match: re.Match[str],
    starts: dict[int, Token],
    sentence_starts: Sequence[int],
) -> Figure | None:
    num1, num2 = match["num1"], match["num2"]
    is_word = not num1[0].isdigit()
    money = bool(match["cur1"] or match["cur2"])
    pct = bool(match["pct1"] or match["pct2"])
    scale1 = _scale(match["scale1"] or (match["scale2"] if num2 else None))
    if is_word and num1.lower() == "one" and not (money or num2):
        return None  # "one of the biggest" is not a figure
    if (match["scale1"] or "").strip().lower() in {"m", "k", "b"} and not money:
        return None  # "5 m" of distance, "3 b" grade: only money takes a letter scale
    low = _value(num1) * scale1
    high = _value(num2) * _scale(match["scale2"]) if num2 else None
    num_start = match.start("cur1") if match["cur1"] else match.start("num1")
    first = _token_at(doc, starts, num_start)
    if first is not None and _is_calendar(first, num1, num2, money, pct):
        return None
    after = _next_token(doc, starts, match.end())
    counts, head = _counted(after) if after is not None else (None, None)
    if money:
        unit = _CURRENCIES.get((match["cur1"] or match["cur2"] or "$").lower(), "$")
        if counts is None and after is not None and after.lower_ in {"in", "of", "for"}:
            counts, _ = _counted(_next(after))
    elif pct:
        unit = "%"
        if counts is None and after is not None and after.lower_ == "of":
            counts, _ = _counted(_next(after))
    elif re.match(r"-year-old\b", text[match.end() :]):
        unit, counts = "years old", None
    elif head is not None:
        unit = head.lower_
    else:
        unit = None
    if unit is None and not is_word and counts is None and len(num1) == 4 and not num2:
        return None  # a bare four-digit number with nothing counted is most likely a year
    sentence = max(0, bisect.bisect_right(sentence_starts, match.start()) - 1)
    written = match.group(0).strip()
    written_number = written[len(match["approx"]) :].strip() if match["approx"] else written
    return Figure(
        text=written_number,
        value=low if high is None else None,
        unit=unit,
        counts=counts,
        low=low if high is not None else None,
        high=high,
        approximate=bool(match["approx"]),
        sentence=sentence,
    )


def _value(num: str) -> float:
    lowered = num.lower()
    if lowered in _WORDS:
        return float(_WORDS[lowered])
    if "-" in lowered and lowered.split("-")[0] in _WORDS:
        tens, ones = lowered.split("-", 1)
        return float(_WORDS[tens] + _WORDS.get(ones, 0))
    return float(num.replace(",", ""))


def _scale(scale: str | None) -> float:
    if not scale:
        return 1.0
    return _SCALES.get(scale.strip(" -").lower(), 1.0)


def _token_at(doc: Doc, starts: dict[int, Token], offset: int) -> Token | None:
    tok = starts.get(offset)
    if tok is None:
        span = doc.char_span(offset, offset + 1, alignment_mode="expand")
        tok = span[0] if span is not None and len(span) else None
        if tok is not None:
            starts[offset] = tok
    return tok


def _next_token(doc: Doc, starts: dict[int, Token], end: int) -> Token | None:
    """The first whole token starting at or after ``end``."""
    span = doc.char_span(max(0, end - 1), end, alignment_mode="expand")
    if span is None or not len(span):
        return None
    tok = span[-1]
    if tok.idx + len(tok.text) > end:  # the match ended inside a token ("1.6-billion")
        return _next(tok)
    return _next(tok)


def _next(tok: Token | None) -> Token | None:
    if tok is None:
        return None
    i = tok.i + 1
    doc = tok.doc
    while i < len(doc) and (doc[i].is_space or doc[i].text in {"-"}):
        i += 1
    return doc[i] if i < len(doc) else None


def _counted(tok: Token | None) -> tuple[str | None, Token | None]:
    """The noun phrase starting at ``tok`` that a number counts, and its head noun."""
    if tok is None or not _countable(tok):
        return None, None
    doc = tok.doc
    toks: list[Token] = []
    i = tok.i
    while i < len(doc) and len(toks) < 6:
        cur = doc[i]
        if _countable(cur) or (
            cur.pos_ == "CCONJ"
            and toks
            and i + 1 < len(doc)
            and doc[i + 1].pos_ in _COUNT_POS
            and toks[-1].pos_ in {"NOUN", "PROPN"}
            and doc[i + 1].head.i > i
        ):
            toks.append(cur)
        else:
            break
        i += 1
    while toks and toks[-1].pos_ not in {"NOUN", "PROPN"}:
        toks.pop()
    if not toks:
        return None, None
    return doc[toks[0].i : toks[-1].i + 1].text, toks[-1]


def _countable(tok: Token) -> bool:
    """Nouns and adjectives, and participles used as adjectives ("lost fares")."""
    if tok.is_punct or tok.is_space:
        return False
    return tok.pos_ in _COUNT_POS or (tok.tag_ in {"VBN", "VBG"} and tok.dep_ == "amod")


def _is_calendar(first: Token, num1: str, num2: str | None, money: bool, pct: bool) -> bool:
    """Years and dates ("2018 to 2019", "August, 2020"); durations ("four years") stay."""
    if money or pct:
        return False
    if first.ent_type_ in {"DATE", "TIME"}:
        ent = next((e for e in first.doc.ents if e.start <= first.i < e.end), None)
        if ent is not None and not _DURATION.search(ent.text):
            return True
        if (
            ent is not None
            and re.search(r"\b(1[89]|20)\d\d\b", ent.text)
            and not _DURATION.search(first.doc[first.i : ent.end].text)
        ):
            return True
    plain = num1.replace(",", "")
    year_like = (
        (plain.isascii() and plain.isdigit()) and len(plain) == 4 and 1800 <= int(plain) <= 2100
    )
    return year_like and (
        num2 is None or ((num2.isascii() and num2.isdigit()) and len(num2) in (2, 4))
    )
