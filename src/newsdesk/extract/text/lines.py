"""What each line of a page saved as text looks like: prose, or page chrome.

A page saved as text has no markup left, so the only evidence is the shape of
each line: how many words, whether it ends like a sentence, whether it is a
call to action ("Sign up", "Share", "Follow"), a copyright or cookie notice, a
date stamp, a caption credit, or a short link-like label that appears again
elsewhere on the page. :func:`classify_lines` turns lines into :class:`Line`
records carrying those facts and a score: positive for prose, negative for
chrome. It is pure and language-light: the punctuation and word counts work in
any script, and the phrase lists cover the commonest European languages.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

__all__ = ["CAPTION_CREDIT", "Line", "chrome_kind", "classify_lines", "count_words"]

_WORD = re.compile(r"\w+", re.UNICODE)
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")
# A sentence ends with . ! ? … (or their CJK, Arabic and Devanagari forms), maybe followed by
# closing quotes or brackets.
_TERMINAL = re.compile(r"[.!?…。！？؟।:;][\"'”’»›)\]」』]*\s*$")
_INNER_SENTENCE = re.compile(r"[.!?。！？][\"”’»)]*\s+[\"“‘«(]?[A-ZÀ-ÝА-ЯΑ-Ω0-9]")


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


def _pair_set(pairs: str) -> frozenset[tuple[str, str]]:
    return frozenset((a, b) for a, _, b in (pair.partition("|") for pair in pairs.split()))


# Calls to action and site furniture, as words and word pairs (a set lookup per
# word is far cheaper than one large regular expression). Matched only on short
# lines, or on how a longer line starts, so a body sentence that mentions a
# newsletter stays.
# Section labels and calls to action that open or close an article's surroundings:
_SECTION_WORDS = _word_set("""
    signup signin login logout register newsletter newsletters follow share shares sharing
    copied cookie cookies privacy copyright comment comments trending recommended menu search
    homepage section sections tag tags topics category categories anmelden teilen compartir
    condividi iscriviti datenschutz impressum inbox
""")
_SECTION_PREFIXES = ("subscri", "abonn", "inscri", "partag", "suscr")
_SECTION_PAIRS = _pair_set("""
    sign|up sign|in log|in log|out email|this copy|link link|copied terms|of terms|and
    all|rights most|read most|popular most|viewed most|shared home|page filed|under
    next|article next|story next|up previous|article previous|story you|may more|from
    more|stories see|also mehr|zum""")
# Furniture set inside an article: captions, ads, inline links, share buttons:
_FURNITURE_WORDS = _word_set("""
    advertise advertisement advertising sponsored related download listen podcast podcasts
    print whatsapp tweet facebook twitter linkedin pinterest reddit instagram youtube flipboard
    telegram rss photo photos photograph photographs shutterstock permalink gallery publicidad
    publicité publicite publicità werbung anzeige weiterlesen
""")
_FURNITURE_PAIRS = _pair_set("""
    skip|to jump|to back|to read|more read|later save|for continue|reading story|continues
    click|here watch|now
    watch|live image|credit image|source getty|images posted|on posted|in leia|também
    leia|tambem leia|mais lees|ook lire|aussi leer|más leer|mas""")
_LETTERS = re.compile(r"[^\W\d_]+")
_DIGIT = re.compile(r"\d")
_COPYRIGHT_SIGN = re.compile(r"©|ⓒ|\([cC]\)\s*\d{4}")


def _phrases(text: str) -> tuple[bool, bool]:
    """(has a section phrase, has any chrome phrase) among the words of ``text``."""
    words = _LETTERS.findall(text.casefold())
    section = furniture = False
    for i, word in enumerate(words):
        pair = (word, words[i + 1]) if i + 1 < len(words) else None
        if word in _SECTION_WORDS or word.startswith(_SECTION_PREFIXES) or pair in _SECTION_PAIRS:
            return True, True
        if word in _FURNITURE_WORDS or pair in _FURNITURE_PAIRS:
            furniture = True
    if not furniture and _COPYRIGHT_SIGN.search(text):
        furniture = True
    return section, furniture


# The leading run is possessive and takes no digits, so it cannot hand characters back
# and forth with the separators and digits after it: a line of 30,000 "-" (or "| ",
# "© ") made that backtracking quadratic (34-118 s). Only short lines are tried at all
# (DATELINE_MAX_CHARS): a date stamp is never long.
_DATE_ONLY = re.compile(
    r"""(?ix)^[\W_]*+(?:
      (?:updated|published|posted|last\s+modified|first\s+published|modified)?[\s:|-]*
      (?:(?:mon|tue|wed|thu|fri|sat|sun)\w*,?\s*)?
      (?:\d{1,4}[./-]\d{1,2}[./-]\d{1,4}|\d{1,2}\s+\w{3,9}\.?\s+\d{2,4}|\w{3,9}\.?\s+\d{1,2},?\s+\d{2,4})
      (?:[\s,|/-]*(?:at\s+)?\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?(?:\s+[a-z]{2,4})?)?
    )[\W\d_]*$"""
)
_MONTH = (
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
    r"|janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre"
    r"|januar|februar|märz|juni|juli|oktober|dezember|enero|febrero|marzo|abril|mayo|junio"
    r"|julio|agosto|septiembre|octubre|noviembre|diciembre|gennaio|febbraio|aprile|maggio"
    r"|giugno|luglio|settembre|ottobre|dicembre|janeiro|fevereiro|março|maio|junho|julho"
    r"|setembro|outubro|novembro|dezembro"
)
# A date or time anywhere in the line: "Nov. 19, 2019", "19 November 2019", "2019-11-19",
# "8:03 am", "2H ago".
_DATE_ANY = re.compile(
    r"(?ix)\b(?:\d{1,2}\.?\s+(?:" + _MONTH + r")\s+\d{2,4}"
    r"|(?:" + _MONTH + r")\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{2,4}"
    r"|\d{1,4}[./-]\d{1,2}[./-]\d{1,4}|\d{1,2}[:.]\d{2}\s*(?:[ap]\.?m\.?|h|uhr|et|gmt|utc)?"
    r"|\d+\s*(?:[smhd]|mins?|minutes?|hours?|hrs?|days?|weeks?)\s+ago)\b"
)
# A commenter's name line ("jane1987 says:") or a comment-thread header ("34 responses to ...").
_COMMENT_HEAD = re.compile(
    r"(?i)^(?:.{1,40}\s(?:says|said|wrote|writes|replied)\s*:?|\d+\s+(?:responses?|replies|comments?)\b.*"
    r"|(?:leave|post|add|write)\s+(?:a\s+)?(?:reply|comment|response).*|reply|report(?:\s+abuse)?)$"
)
# A cookie notice names cookies and what they are for; two plain searches, no backtracking.
_COOKIE_WORD = re.compile(r"(?i)\bcookies?\b")
_COOKIE_CONTEXT = re.compile(
    r"(?i)\b(?:website|site|browser|consent|experience|accept|settings|preferences"
    r"|opt[- ]out|third[- ]party|analytics|verwendet|utilise|utiliza|utilizza)\b"
)
# The credit that closes a picture caption: "... Credit: Jane Doe", "(Photo: Agency)".
_CAPTION_CREDIT = re.compile(
    r"(?i)(?:\b(?:credits?|photo(?:graph)?s?|images?|pictures?|foto|bild)\s*:\s*[^.:]{2,80}"
    r"|\((?:[^()]*(?:photo|getty|reuters|\bap\b|afp|shutterstock|images?)[^()]*)\)"
    r"|getty\s+images|/ap|/reuters|/afp)\s*\.?\s*$"
)
CAPTION_CREDIT = _CAPTION_CREDIT
_ABOUT_HEADING = re.compile(
    r"(?i)^(?:about|über|sobre|à\s+propos\s+de|a\s+propos\s+de|acerca\s+de|over|om)\s+\w"
)
#: Longest line that may be only a date or reading time ("Last modified: Wednesday, ...").
DATELINE_MAX_CHARS = 160
_READ_TIME = re.compile(r"(?i)^\s*\d+\s*(?:min(?:ute)?s?)\s*(?:read|de\s+lectura|lesezeit)?\s*$")


@dataclass(frozen=True, slots=True)
class Line:
    """One non-empty line of the page and what it looks like."""

    index: int  # position among the page's non-empty lines
    text: str
    words: int
    terminal: bool  # ends like a sentence
    sentences: int  # rough count of sentences on the line
    chrome: bool  # a call to action, notice, caption credit or site furniture
    hard: bool  # chrome that bounds an article: section label, notice, comments, copyright
    dateline: bool  # only a date or time, or a reading time
    repeated: int  # how many times the same text appears on the page
    gap_before: bool  # a blank line precedes it
    score: float  # > 0 looks like prose, < 0 like chrome, in the context of its neighbours
    own_score: float = 0.0  # the line judged alone, before its neighbours are considered

    @property
    def is_prose(self) -> bool:
        return self.score > 0


def count_words(text: str) -> int:
    """Words for any script: \\w runs, with CJK characters counted about two to a word."""
    cjk = len(_CJK.findall(text))
    if not cjk:
        return len(_WORD.findall(text))
    latin = len(_WORD.findall(_CJK.sub(" ", text)))
    return latin + (cjk + 1) // 2


def _normalise(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


_INITIAL = re.compile(r"(?<!\w)[^\W\d_]")


def _lowercase_share(text: str) -> float:
    """Share of words that start lower case: high in prose, low in menus and headlines."""
    initials = "".join(_INITIAL.findall(text))
    lower = sum(1 for c in initials if c.islower())
    cased = lower + sum(1 for c in initials if c.isupper())
    if not cased:
        return 0.5  # scripts without case say nothing either way
    return lower / cased


def chrome_kind(text: str, words: int, terminal: bool) -> str | None:
    """ "hard" for furniture that closes or opens an article (a section label, a
    cookie notice, a comment thread, a copyright line), "soft" for furniture set
    inside one (a caption credit, "Read more: ...", a call to action), None for text.

    Only short lines are judged by their words, and longer ones only by how they
    start, so a body sentence that mentions a newsletter or Twitter stays.
    """
    lower = text.casefold()
    if (
        words < 80
        and "cooki" in lower
        and _COOKIE_WORD.search(text)
        and _COOKIE_CONTEXT.search(text)
    ):
        return "hard"
    if words <= 12 and _COMMENT_HEAD.match(text):
        return "hard"
    if words <= 6 and not terminal and _ABOUT_HEADING.match(text):
        return "hard"  # "About the author", "About Ascom": the box after an article
    if words <= 50 and _ends_with_call_to_action(text):
        return "soft"
    if words < 60 and _CAPTION_CREDIT.search(text):
        return "soft"  # a picture caption closed by its credit
    if words > 24:
        return None
    if (
        "©" in text
        or "ⓒ" in text
        or "copyright" in lower
        or "rights reserved" in lower
        or "(c)" in lower
    ) and _COPYRIGHT.search(text):
        return "hard"
    if words <= 5:
        section, chrome = _phrases(text)
        if chrome:
            _, colon, rest = text.partition(":")
            bare = not (colon and rest.strip())
            return "hard" if bare and section else "soft"
        return None
    if _phrases(" ".join(text.split()[:3]))[1] and not _INNER_SENTENCE.search(text):
        return "soft"
    if words <= 12 and not terminal and _phrases(text)[1]:
        return "soft"
    return None


def _ends_with_call_to_action(text: str) -> bool:
    """A blurb that closes on "Sign up today." or "Subscribe now." is a promotion."""
    parts = _SENTENCE_SPLIT.split(text.strip())
    if len(parts) < 2:
        return False
    last = parts[-1]
    return len(last.split()) <= 8 and bool(_CALL_TO_ACTION.match(last))


_SENTENCE_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[\"“‘«(]?[A-ZÀ-ÝА-ЯΑ-Ω])")
_CALL_TO_ACTION = re.compile(
    r"(?i)^(?:sign\s+up|subscribe|register|join|download|follow\s+us|get\s+(?:the|our)"
    r"|click|tap|try\s+it|learn\s+more|read\s+more|find\s+out\s+more|abonn|inscri|suscr)"
)
_COPYRIGHT = re.compile(r"(?i)©|ⓒ|\(c\)\s*\d{4}|\bcopyright\b|\ball rights reserved\b")


def _score(
    text: str,
    words: int,
    terminal: bool,
    sentences: int,
    chrome: bool,
    dateline: bool,
    repeated: int,
) -> float:
    if chrome:
        return -8.0 - min(words, 12)
    if dateline:
        return -4.0
    if repeated > 1 and words < 20:
        return -4.0
    lower = _lowercase_share(text)
    if terminal and words >= 8:
        base = float(words) * (0.6 + 0.6 * lower)
        return base + 4.0 * (sentences - 1)
    if terminal and words >= 4:
        return float(words) * lower * 0.8 - 1.0
    if words >= 20:  # a long line without an end: prose cut short, or a list of links
        return float(words) * (lower - 0.3)
    if words >= MARKED_MIN_WORDS and _LIST_MARKER.match(text):
        # A list item set with its marker ("+ Added banners", "1. Peel the apples"):
        # a changelog, a recipe, a list post. Menus and teaser lists carry none.
        return float(words) * (0.2 + 0.4 * lower) - 1.0
    return -2.0 - (1.0 if words <= 3 else 0.0)


MARKED_MIN_WORDS = 3
_LIST_MARKER = re.compile(r"^(?:[-*+•·▪◦‣–]|\d{1,2}[.)])\s+\S")


def classify_lines(text: str) -> list[Line]:
    """The page's non-empty lines, in order, with their shape and score."""
    raw_lines = text.splitlines()  # \n, \r\n, \r and the Unicode line and paragraph separators
    stripped: list[tuple[str, bool]] = []
    gap = True
    for raw in raw_lines:
        line = " ".join(raw.replace("\u00a0", " ").replace("\u200b", "").split())
        if not line:
            gap = True
            continue
        stripped.append((line, gap))
        gap = False
    stripped = _join_wrapped(stripped)
    keys = [_normalise(line) for line, _ in stripped]
    counts = Counter(keys)
    out: list[Line] = []
    scores: list[float] = []
    for index, (line, gap_before) in enumerate(stripped):
        words = count_words(line)
        terminal = bool(_TERMINAL.search(line))
        sentences = 1 + len(_INNER_SENTENCE.findall(line))
        kind = chrome_kind(line, words, terminal)
        chrome = kind is not None
        dateline = (
            words <= 14
            and len(line) <= DATELINE_MAX_CHARS
            and bool(
                _DATE_ONLY.match(line)
                or _READ_TIME.match(line)
                or (
                    _DIGIT.search(line) and _DATE_ANY.search(line) and not (terminal and words >= 8)
                )
            )
        )
        repeated = counts[keys[index]]
        score = _score(line, words, terminal, sentences, chrome, dateline, repeated)
        out.append(
            Line(
                index,
                line,
                words,
                terminal,
                sentences,
                chrome,
                kind == "hard",
                dateline,
                repeated,
                gap_before,
                score,
                score,
            )
        )
        scores.append(score)
    return _damp_isolated(_weigh_by_layout(out))


def _join_wrapped(lines: list[tuple[str, bool]]) -> list[tuple[str, bool]]:
    """Lines that are pieces of one sentence, joined back into it.

    A browser breaks a paragraph into lines at every ``<br>``, inside ``<pre>``
    text wrapped by hand, and around inline elements it lays out as blocks
    (a formula's symbols): each piece alone looks like a menu entry. A run of
    lines with no blank line between, each one continuing the sentence of the
    line before (it starts in lower case or with punctuation, or the line
    before ends on a comma or a hyphen, or either is a fragment of a word or
    two characters), is one line when the run ends like a sentence. Scripts
    without letter case never start in lower case, so they are left as they are.
    """
    out: list[tuple[str, bool]] = []
    i = 0
    while i < len(lines):
        j = i + 1
        while j < len(lines) and not lines[j][1] and _continues(lines, j):
            j += 1
        if j - i > 1:
            joined = " ".join(text for text, _ in lines[i:j])
            if _TERMINAL.search(joined) and count_words(joined) >= WRAPPED_MIN_WORDS:
                out.append((joined, lines[i][1]))
                i = j
                continue
        out.append(lines[i])
        i += 1
    return out


WRAPPED_MIN_WORDS = 8
_CLOSING = tuple(",.;:)]’”»")
_SYMBOL_CHARS = 3


def _continues(lines: list[tuple[str, bool]], j: int) -> bool:
    """Whether line ``j`` goes on with the sentence of line ``j - 1``."""
    before, line = lines[j - 1][0], lines[j][0]
    if _TERMINAL.search(before):
        return False
    if before.endswith((",", "-", "‐", "(")):
        return True
    if line[:1].islower() or line.startswith(_CLOSING):
        return True
    if _is_symbol(line):  # "≠", "2", "+": a formula's pieces, when the sentence goes on after
        after = lines[j + 1] if j + 1 < len(lines) else None
        return (
            after is not None
            and not after[1]
            and (after[0][:1].islower() or after[0].startswith(_CLOSING) or _is_symbol(after[0]))
        )
    return False


def _is_symbol(text: str) -> bool:
    return len(text) <= _SYMBOL_CHARS and not _LETTERS.search(text)


def _weigh_by_layout(lines: list[Line]) -> list[Line]:
    """Prose set apart by blank lines counts more; prose packed in a list of lines counts less.

    A browser copies a paragraph with a blank line before and after it, while
    menus, teaser lists and widgets come out as runs of single lines. Pages
    without blank lines at all say nothing, and are left alone.
    """
    from dataclasses import replace

    gaps = sum(1 for line in lines if line.gap_before)
    if gaps < max(3, len(lines) // 20):
        return lines
    out = list(lines)
    for i, line in enumerate(lines):
        if line.score <= 0:
            continue
        gap_after = lines[i + 1].gap_before if i + 1 < len(lines) else True
        if line.gap_before and gap_after:
            out[i] = replace(line, score=line.score * PARAGRAPH_BOOST)
        elif not line.gap_before and not gap_after:
            out[i] = replace(line, score=line.score * PACKED_FACTOR)
    return out


PARAGRAPH_BOOST = 1.0
PACKED_FACTOR = 0.5


def _damp_isolated(lines: list[Line]) -> list[Line]:
    """A prose line with chrome on both sides is a teaser or a comment, not a paragraph.

    Article paragraphs come in runs; lists of related stories and comment
    threads alternate one prose line with a headline, a time or a name.
    """
    from dataclasses import replace

    prose = [line.score > 0 for line in lines]
    isolated = [
        p and not (i > 0 and prose[i - 1]) and not (i + 1 < len(prose) and prose[i + 1])
        for i, p in enumerate(prose)
    ]
    if not any(p and not iso for p, iso in zip(prose, isolated, strict=True)):
        return lines  # no run of prose anywhere: a short page, judge its lines alone
    return [
        replace(line, score=_isolated_score(line)) if iso else line
        for line, iso in zip(lines, isolated, strict=True)
    ]


ISOLATED_FACTOR = 0.3
ISOLATED_MIN_WORDS = 60


def _isolated_score(line: Line) -> float:
    if line.words >= ISOLATED_MIN_WORDS:
        return line.score * ISOLATED_FACTOR
    return ISOLATED_PENALTY


ISOLATED_PENALTY = -1.0
