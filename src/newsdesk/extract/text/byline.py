"""Bylines in the header of a page saved as text, with the stamp pages glue onto them.

Between a headline and the body, pages print the byline together with other
things: a date ("Jane Doe - Mar 3, 2026, 7:45 pm CST"), a social handle
("Jane Doe @janedoe / 2 days"), a role and a section ("By Jane Doe - Staff
Writer 2026-03-03T07:45:00Z Politics"), an outlet ("Jane Doe, Harbour
Insider"), post-nominals ("BY: Jane Doe, MS, RDN") or "Posted by ... on ...".
:func:`newsdesk.extract.byline.parse_credit_line` is strict on purpose, since
it also judges body paragraphs; :func:`parse_header_byline` first strips the
stamp and then asks it, and is only used on the few lines around a headline,
where a line of that shape cannot be a sentence of the article.
"""

from __future__ import annotations

import re
from functools import lru_cache

from newsdesk.extract.byline import is_role, looks_like_name, parse_credit_line
from newsdesk.extract.text.lines import chrome_kind
from newsdesk.models import Credit

__all__ = ["is_bare_name", "name_shaped", "parse_header_byline", "parse_name_and_outlet"]

MAX_WORDS = 25
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_DAY = (
    r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday"
    r"|mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)\.?"
)
_STAMP = re.compile(
    r"(?ix)"
    r"\b\d{4}-\d{2}-\d{2}(?:[t\s][\d:.]+(?:z|[+-]\d{2}:?\d{2})?)?"  # ISO, with a time
    r"|\b\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\b"  # 11/19/2019, 19.11.2019
    r"|\b(?:" + _DAY + r",?\s+)?" + _MONTH + r"\s+\d{1,2}(?:st|nd|rd|th)?,?(?:\s+\d{4})?"
    r"|\b(?:" + _DAY + r",?\s+)?\d{1,2}(?:st|nd|rd|th)?\s+" + _MONTH + r",?(?:\s+\d{4})?"
    r"|\b\d{1,2}[:.]\d{2}\s*(?:[ap]\.?m\.?)?(?:\s+[a-z]{2,4}\b)?"  # 10:31 pm CST
    r"|\b\d+\s*(?:mins?|minutes?|hours?|hrs?|days?|weeks?|[hmd])(?:\s+ago)?\b"
    r"|\b(?:today|yesterday|" + _DAY + r")\b"
)
_HANDLE = re.compile(r"\(?@\w{2,}\)?|\S+@\S+\.\w+|\(?\d{3}\)?[\s.-]?\d{3}[\s.-]\d{4}")
_DOMAIN = re.compile(r"(?i)\b[\w-]+\.(?:com|org|net|co\.uk|co|news|info|io)\b")
_STAMP_WORDS = re.compile(
    r"(?i)\b(?:posted|published|updated|last\s+updated|modified|on|at)\b\s*:?"
)
_BY = re.compile(r"(?i)(?:^|(?<=\s))by\s*:?\s+")
_SEPARATORS = re.compile(r"\s+[|/•·]\s+|\s+[—–-]\s+")
_POSTNOMINAL = re.compile(r"^(?:[A-Z]{2,4}|Ph\.?D\.?|M\.?D\.?)$")
# A stamp glued to the name when a page is copied as text: "Jane DoeYesterday 2:45PM".
_GLUED_STAMP = re.compile(
    r"(?<=[a-z])(?=(?:Yesterday|Today|Published|Updated|Posted|(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)"
    r"[a-z]*day)\b)"
)
# An outlet in capitals glued to the name: "Jane DoeHARBOURNews" (never "McDonald", "DeArdo").
_GLUED_CAPITALS = re.compile(r"(?<=[a-z]{3})(?=[A-Z]{2,}[a-z]*\b)")
_TITLE_WORD = re.compile(r"^[A-Z][\w.&'’-]*$")


def _strip_stamp(text: str) -> tuple[str, bool]:
    """``text`` without dates, times, handles, e-mail, phone and web addresses; and
    whether there was any of them."""
    cleaned = _GLUED_STAMP.sub(" ", text)
    cleaned = _HANDLE.sub(" | ", cleaned)
    cleaned = _STAMP.sub(" | ", cleaned)  # a stamp ends what comes before it
    cleaned = _DOMAIN.sub(" ", cleaned)
    stamped = cleaned != text
    cleaned = _STAMP_WORDS.sub(" ", cleaned)
    cleaned = re.sub(r"\s*,(?:\s*,)+", ",", cleaned)
    cleaned = re.sub(r"(?:\s*[,|]\s*)*\|(?:\s*[,|]\s*)*", " | ", cleaned)
    return " ".join(cleaned.split()).strip(" ,;|/-–—:"), stamped


def _drop_postnominals(text: str) -> str:
    """ "Jane Doe, MS, RDN" -> "Jane Doe"."""
    parts = [p.strip() for p in text.split(",")]
    while len(parts) > 1 and _POSTNOMINAL.match(parts[-1]):
        parts.pop()
    return ", ".join(parts)


def parse_name_and_outlet(line: str) -> list[Credit] | None:
    """ "Jane Doe, Harbour Insider": a name, then a short title-cased outlet or role.

    Title-cased headlines share that shape ("Introducing Jane Doe, New Head of
    Sales"), so the caller only asks where a byline is expected.
    """
    head, comma, tail = " ".join(line.split()).partition(",")
    tail_words = tail.split()
    if (
        comma
        and looks_like_name(head.strip())
        and 1 <= len(tail_words) <= 4
        and all(_TITLE_WORD.match(w) for w in tail_words)
    ):
        return [Credit(name=head.strip(), kind="author", role=tail.strip())]
    return None


@lru_cache(maxsize=4096)
def parse_header_byline(line: str) -> tuple[Credit, ...] | None:
    """The credits on a header line shaped like a byline with a stamp, else None.

    Cached: the title finder and the header reader ask about the same lines.
    """
    got = _parse_header_byline(line)
    return tuple(got) if got is not None else None


def _parse_header_byline(line: str) -> list[Credit] | None:
    text = _GLUED_CAPITALS.sub(" | ", " ".join(line.split()))
    if len(text.split()) < 2:
        return None  # a name has two words at least
    if (
        not text
        or len(text.split()) > MAX_WORDS
        or (text.endswith((".", "!", "?")) and (not _BY.search(text)))
    ):
        return None
    strict = parse_credit_line(text)
    if strict is not None:
        return strict
    by = _BY.search(text)
    if by is not None and by.start() > 0 and not _STAMP.search(text[: by.start()]):
        head = text[: by.start()].strip(" |/-–—:,")
        if head and not re.fullmatch(r"(?i)(?:posted|published|written|story|words|text)", head):
            return None  # "... by ..." inside a phrase, not a stamp then a byline
    body = text[by.start() :] if by is not None else text
    cleaned, stamped = _strip_stamp(body)
    cleaned = _drop_postnominals(cleaned)
    if not cleaned:
        return None
    parts = [p for p in _SEPARATORS.split(cleaned) if p.strip()]
    head = parts[0].strip(" ,")
    if not (by is not None or stamped):
        return None  # nothing stripped: only the strict shapes count
    if by is not None:
        got = parse_credit_line(head)
        if got is None:
            return parse_name_and_outlet(head[by.end() - by.start() :])
        role = parts[1].strip(" ,") if len(parts) > 1 and is_role(parts[1]) else None
        if role and len(got) == 1 and got[0].role is None:  # "By Jane Doe - Staff Writer"
            got = [Credit(got[0].name, got[0].kind, role, got[0].place)]
        return got
    if looks_like_name(head):
        return [Credit(name=head, kind="author")]  # "Jane Doe - Mar 3, 2026, 7:45 pm"
    return None


def name_shaped(line: str) -> bool:
    """Two to four capitalised words, like a name ("Jane Doe") or a label ("Opinion
    Columnist"); a short title-cased headline ("Royal Harbour Reopens") too, so
    callers weigh it by where it stands."""
    text = " ".join(line.split())
    return 2 <= len(text.split()) <= 4 and looks_like_name(text)


def is_bare_name(line: str) -> bool:
    """A line that is only a person's name ("Jane Doe"): name-shaped, and no word of a
    role, a picture credit or page furniture in it."""
    text = " ".join(line.split())
    words = text.casefold().split()
    if not name_shaped(text) or any(w.strip(".,") in _NOT_NAME for w in words):
        return False
    return not is_role(text) and chrome_kind(text, len(words), False) is None


# Words of picture credits and page furniture that are set in capitals like names.
_NOT_NAME = {
    "image", "images", "photo", "photos", "picture", "pictures", "enlarge", "caption", "gallery",
    "video", "videos", "getty", "credit", "advertisement", "sponsored", "newsletter", "news",
    "menu", "home", "search", "share", "close", "more", "latest", "top", "most",
}  # fmt: skip
