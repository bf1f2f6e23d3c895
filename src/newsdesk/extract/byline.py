"""Bylines and contributor lines: find them, take them out of the body, split the credits.

A byline is page furniture, not something the journalist wrote as prose, so it
leaves the body; the people and agencies it names become :class:`Credit`
records with name, role and place kept apart. The HTML and the text extractors
both call :func:`split_credits` on their paragraphs, so it must be pure and,
above all, conservative: a paragraph is only removed when the whole of it has
the shape of a credit line ("By Jane Doe and Ali Ren in Lagos", "Jane Doe,
Staff Reporter", "With a report by Steven Chase in Ottawa", "with files from
The Canadian Press", "— Reuters", "Reporting by ...; Editing by ..."). A real
sentence that merely starts with "By" ("By Tuesday the river had risen.")
never is: names must look like names and the line must not read as a clause.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Literal

from newsdesk.models import Credit

__all__ = ["credit_names", "is_role", "looks_like_name", "parse_credit_line", "split_credits"]

Kind = Literal["author", "contributor", "agency"]

# Wire services and press agencies: general knowledge of the trade, used to
# tell an agency credit ("— Reuters") from a person.
_AGENCIES = {
    "reuters", "ap", "the associated press", "associated press", "afp", "agence france-presse",
    "agence france presse", "bloomberg", "bloomberg news", "the canadian press", "canadian press",
    "cp", "pa", "pa media", "press association", "the press association", "dpa", "ansa", "efe",
    "xinhua", "kyodo", "kyodo news", "upi", "united press international", "aap",
    "australian associated press", "tass", "anadolu", "anadolu agency", "yonhap", "pti",
    "press trust of india", "ians", "ani", "cnn", "bbc", "bbc news", "nbc news", "abc news",
    "cbs news", "the new york times", "the washington post", "dow jones", "dow jones newswires",
    "sda", "apa", "belga", "anp", "tt", "ntb", "ritzau", "europa press", "ap news",
}  # fmt: skip
_ORG_WORDS = {
    "press", "news", "agency", "service", "services", "wire", "wires", "newswire", "newswires",
    "times", "post", "herald", "journal", "tribune", "gazette", "media", "staff", "desk", "bureau",
    "network", "television", "radio", "magazine", "group", "business", "weekly", "daily", "online",
}  # fmt: skip
# Words that make a phrase a newsroom role ("Staff Reporter", "Lagos Correspondent");
# deliberately narrow, so "Jane Doe, chief executive" stays a sentence fragment.
_ROLE_WORDS = {
    "reporter", "reporters", "correspondent", "correspondents", "writer", "writers", "editor",
    "editors", "columnist", "columnists", "contributor", "contributors", "journalist",
    "journalists", "staff", "bureau", "critic", "photographer", "photographers", "contributing",
    "freelance", "intern", "reporting",
}  # fmt: skip
# Capitalised words that start sentences or name times, never people.
_NOT_NAME_WORDS = {
    "the", "this", "that", "these", "those", "then", "there", "it", "its", "a", "an", "in", "on",
    "at", "by", "for", "from", "with", "and", "or", "but", "if", "when", "while", "after",
    "before", "during", "since", "until", "monday", "tuesday", "wednesday", "thursday", "friday",
    "saturday", "sunday", "january", "february", "march", "april", "may", "june", "july", "august",
    "september", "october", "november", "december", "today", "tomorrow", "yesterday", "tonight",
    "morning", "evening", "night", "noon", "midnight", "week", "month", "year", "now", "all",
    "some", "most", "many", "one", "two", "three", "end", "far", "contrast", "comparison",
    "default", "design", "law", "accident", "chance", "mistake", "way", "said", "says", "told",
    "is", "was", "are", "were", "has", "had", "will", "would", "any", "every", "each", "no", "not",
    "our", "your", "their", "his", "her", "my", "how", "what", "why", "who", "new", "more", "less",
    "about",
}  # fmt: skip
_PARTICLES = {
    "de", "del", "della", "der", "den", "van", "von", "da", "di", "du", "le", "la", "bin", "ibn",
    "al", "el", "dos", "das", "ter", "ten", "st", "y", "e", "jr", "sr",
}  # fmt: skip
_NAME_TOKEN = re.compile(r"^(?:[^\W\d_][\w’'\-]*\.?|(?:[^\W\d_]\.)+)$")

# Lead words of credit lines -> (kind, role); longest first so "additional reporting by" wins.
_LEADS: tuple[tuple[str, Kind, str | None], ...] = (
    (r"additional reporting by", "contributor", "additional reporting"),
    (r"with (?:a |additional )?reporting by", "contributor", "reporting"),
    (r"with (?:a |additional )?reports? (?:by|from)", "contributor", "report"),
    (r"with files from", "contributor", "files"),
    (r"(?:reporting|reported) by", "author", "reporting"),
    (r"(?:written|writing|story|words|text) by", "author", None),
    (r"(?:editing|edited) by", "contributor", "editing"),
    (r"(?:compiled|compiling) by", "contributor", "compiling"),
    (
        r"(?:photos?|photographs?|photography|pictures|graphics|video|illustrations?) by",
        "contributor",
        "photography",
    ),
    (r"(?:fact[- ]checking|research) by", "contributor", "research"),
    (r"by", "author", None),
    (r"von|par|por|door|av|af|di", "author", None),  # the same byline in other languages
)
_LEAD_RE = re.compile(
    r"^(?:" + "|".join(f"(?P<l{i}>{p})" for i, (p, _, _) in enumerate(_LEADS)) + r")\s*:?\s+",
    re.I,
)
_CONTRIBUTED = re.compile(
    r"^(?P<names>.+?)\s+contributed(?:\s+(?:reporting|to\s+this\s+(?:report|story|article)"
    r"|additional\s+reporting|research))?(?:\s+from\s+(?P<place>[^.]+?))?\.?$",
    re.I,
)
_DASH_AGENCY = re.compile(r"^(?:[—–-]+\s*|\()\s*(?P<name>[^()—–]+?)\s*\)?\.?$")
_HANDLE = re.compile(r"\s*(?:\(?@\w{2,}\)?|\(?\S+@\S+\.\w+\)?)")
_TAIL_SEP = re.compile(r"\s+[|•·/]\s+|\s+[—–-]\s+(?=(?:updated|published|posted|\d))", re.I)
# Where one credit of a trailer ends and the next begins: "...; Editing by" or "..., editing by".
_NEXT_CREDIT = re.compile(
    r"\s*;\s*|,\s+(?=(?:with\s+)?(?:additional\s+)?(?:reporting|editing|writing|compiled|edited"
    r"|written|graphics|photos?)\s+by\b)",
    re.I,
)
_DATEISH = re.compile(
    r"\d|\b(?:updated|published|posted|am|pm|a\.m\.|p\.m\.|et|gmt|utc|ago|min read|read)\b", re.I
)
_SPLIT_NAMES = re.compile(
    r"\s*(?:,\s*(?:and\s+|&\s+)?|\s+and\s+|\s*&\s*|\s+und\s+|\s+et\s+|\s+y\s+)"
)
_PLACE = re.compile(r"^(?P<who>.+?)\s+(?:in|from|at)\s+(?P<place>[A-ZÀ-Ý][\w.’'\- ]*?)\s*$")

_POSSESSIVE = re.compile(r"^(?P<org>.+?)[’']s?\s+(?P<rest>\S.*)$")
# A role glued to the name when a page is copied as text: "Meg JamesStaff Writer".
_GLUED_ROLE = re.compile(
    r"^(?P<name>.*?\b[A-Z][a-z]+?[a-z])(?P<role>[A-Z][a-z]+(?:\s+[A-Za-z]+){0,3})$"
)

MAX_CREDIT_WORDS = 40


def _clean(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split())


def _is_agency(name: str) -> bool:
    name = name.strip(" .")
    if not name or not name[0].isupper():
        return False
    low = name.casefold()
    if low in _AGENCIES:
        return True
    words = low.split()
    return bool(words) and (words[-1] in _ORG_WORDS or (words[0] == "the" and len(words) > 1))


def _is_known_agency(name: str) -> bool:
    name = name.strip(" .")
    return bool(name) and name[0].isupper() and name.casefold() in _AGENCIES


def _is_agency_credit(name: str) -> bool:
    """An agency rather than a person: known, or organisation-shaped ("CNN Business")."""
    if _is_known_agency(name):
        return True
    if not _is_agency(name):
        return False
    first = name.split()[0]
    return (
        not _looks_like_name(name)
        or first.casefold() in _AGENCIES
        or (len(first) > 1 and first.isupper())
    )


def _looks_like_name(name: str) -> bool:
    """Two to five capitalised tokens (particles and initials allowed), none a sentence word."""
    tokens = name.split()
    if not 2 <= len(tokens) <= 5:
        return False
    capitals = 0
    for token in tokens:
        low = token.casefold().strip(".,")
        if low in _NOT_NAME_WORDS:
            return False
        if low in _PARTICLES:
            continue
        if not (token[0].isupper() and _NAME_TOKEN.match(token)):
            return False
        capitals += 1
    return capitals >= 2


def looks_like_name(name: str) -> bool:
    """Whether ``name`` has the shape of a person's name ("Jane Doe", "Ana de la Cruz")."""
    return _looks_like_name(name)


def is_role(text: str) -> bool:
    """Whether ``text`` is only a newsroom role ("Staff Reporter", "Opinion Columnist")."""
    return _role_only(text)


def _normalise_case(name: str) -> str:
    """ "JANE DOE" -> "Jane Doe"; mixed case is kept as written."""
    letters = [c for c in name if c.isalpha()]
    if letters and all(c.isupper() for c in letters) and len(letters) > 3:
        return " ".join(
            w.capitalize() if len(w) > 2 or not w.endswith(".") else w for w in name.split()
        )
    return name


def _strip_tail(text: str) -> str:
    """Drop "| Updated 3:04 p.m." style date/time segments and social handles."""
    parts = _TAIL_SEP.split(text)
    roles = [p for p in parts[1:] if not _DATEISH.search(p) and _role_only(p)]
    head = _HANDLE.sub("", parts[0]).strip(" ,;|")
    return ", ".join([head, *roles])  # "By Jane Doe | Special to the Post": the role stays


def _role_only(text: str) -> bool:
    """A short phrase made of role words: "Staff Reporter", "Lagos Correspondent"."""
    if any(c.isdigit() for c in text):
        return False
    if re.match(r"(?i)^special\s+to\s+(?:the\s+)?[A-Z]", text.strip()):
        return True  # "Special to the Pioneer Post"
    words = re.findall(r"[\w’']+", text.casefold())
    if not 1 <= len(words) <= 6 or (re.search(r"[.!?]\s*$", text.strip()) and len(words) > 3):
        return False
    return any(w in _ROLE_WORDS for w in words) and not any(
        w in {"said", "says", "told", "is", "was", "has", "had", "will"} for w in words
    )


def _parse_names(
    text: str, kind: Kind, role: str | None, *, allow_people: bool = True
) -> list[Credit] | None:
    """Names (with optional shared or own place) -> credits, or None if any part is not a name."""
    text = _strip_tail(_clean(text)).strip(" .,:;")
    if not text:
        return None
    glued = _GLUED_ROLE.match(text)
    if glued and _looks_like_name(glued["name"]) and _role_only(glued["role"]):
        text = f"{glued['name']}, {glued['role']}"
    shared_place: str | None = None
    # "Jane Doe and Ali Ren in Lagos": one place after the last name covers the group.
    chunks = [c for c in _SPLIT_NAMES.split(text) if c]
    credits: list[Credit] = []
    own_places: list[str | None] = []
    names: list[str] = []
    pending_role: str | None = None
    for chunk in chunks:
        place = None
        match = _PLACE.match(chunk)
        if match and (_looks_like_name(match["who"]) or _is_agency(match["who"])):
            chunk, place = match["who"], match["place"].strip()
        if names and _role_only(chunk):
            pending_role = chunk  # "By Jane Doe, Staff Reporter"
        elif _is_agency_credit(chunk):
            names.append(chunk)
            own_places.append(place)
        elif allow_people and _looks_like_name(_normalise_case(chunk)):
            names.append(_normalise_case(chunk))
            own_places.append(place)
        else:
            return None
    if not names:
        return None
    if sum(p is not None for p in own_places) == 1 and own_places[-1] is not None:
        shared_place = own_places[-1]
    for name, place in zip(names, own_places, strict=True):
        if _is_agency_credit(name):
            credits.append(Credit(name=name, kind="agency", role=role, place=place or shared_place))
        else:
            credits.append(
                Credit(name=name, kind=kind, role=pending_role or role, place=place or shared_place)
            )
    return credits


def parse_credit_line(line: str) -> list[Credit] | None:
    """The credits on one line if the whole line is a credit line, else None."""
    text = _clean(line)
    if not text or len(text.split()) > MAX_CREDIT_WORDS:
        return None
    if text.startswith("(") and text.endswith((")", ").")):  # "(Reporting by ...; editing by ...)"
        inner = text[1:].rstrip(".").removesuffix(")")
        if "(" not in inner and ")" not in inner:
            return parse_credit_line(inner)
    if ";" in text or ", " in text:  # "Reporting by A in Lagos; Editing by B"
        parts = [p.strip() for p in _NEXT_CREDIT.split(text) if p.strip()]
        if len(parts) > 1:
            out: list[Credit] = []
            for part in parts:
                got = parse_credit_line(part)
                if got is None:
                    return None
                out.extend(got)
            return out
    dash = _DASH_AGENCY.match(text)
    if dash and _is_agency(dash["name"]) and text[0] in "—–-(":
        return [Credit(name=dash["name"].strip(), kind="agency")]
    if _is_known_agency(text):
        return [Credit(name=text.strip(" ."), kind="agency")]
    lead = _LEAD_RE.match(text)
    if lead:
        index = next(i for i, (_, _, _) in enumerate(_LEADS) if lead[f"l{i}"])
        _, kind, role = _LEADS[index]
        return _parse_names(text[lead.end() :], kind, role)
    contributed = _CONTRIBUTED.match(text)
    if contributed:
        names = contributed["names"]
        owner = _POSSESSIVE.match(names)  # "The Harbour Post's Jane Doe contributed ..."
        if owner and _is_agency(owner["org"]):
            names = owner["rest"]
        got = _parse_names(names, "contributor", "reporting")
        if got and contributed["place"]:
            place = contributed["place"].strip()
            got = [Credit(c.name, c.kind, c.role, c.place or place) for c in got]
        return got
    # "Jane Doe, Staff Reporter" / "Tom Krisher, AP Auto Writer"
    if "," in text:
        head, _, tail = text.partition(",")
        if _looks_like_name(_normalise_case(head.strip())) and _role_only(tail):
            return [Credit(name=_normalise_case(head.strip()), kind="author", role=tail.strip())]
    return None


def split_credits(paragraphs: Sequence[str]) -> tuple[tuple[str, ...], tuple[Credit, ...]]:
    """Remove credit lines from ``paragraphs``; return the rest, in order, and the credits.

    A role-only line right after a byline ("By Jane Doe" / "Opinion Columnist")
    becomes that byline's role and leaves too. Credits are de-duplicated by
    name and kind, first mention first.
    """
    kept: list[str] = []
    credits: list[Credit] = []
    previous_was_byline = False
    for paragraph in paragraphs:
        got = parse_credit_line(paragraph)
        if got is not None:
            credits.extend(got)
            previous_was_byline = True
            continue
        if previous_was_byline and credits and _role_only(paragraph) and len(paragraph) < 60:
            last = credits[-1]
            if last.role is None:
                credits[-1] = Credit(last.name, last.kind, _clean(paragraph), last.place)
            previous_was_byline = False
            continue
        previous_was_byline = False
        kept.append(paragraph)
    seen: set[tuple[str, str]] = set()
    unique: list[Credit] = []
    for credit in credits:
        key = (credit.name.casefold(), credit.kind)
        if key not in seen:
            seen.add(key)
            unique.append(credit)
    return tuple(kept), tuple(unique)


def credit_names(credits: Sequence[Credit]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(authors, contributors) as names for :class:`Article`.

    Authors are the credited people; when a piece is credited only to an agency
    ("By The Associated Press", "— Reuters") the agency stands as its author.
    Contributors are the people and agencies who helped ("with files from ...").
    """
    authors = [c.name for c in credits if c.kind == "author"]
    contributors = [c.name for c in credits if c.kind == "contributor"]
    agencies = [c for c in credits if c.kind == "agency"]
    for agency in agencies:
        is_help = agency.role in {"files", "report", "reporting", "additional reporting"}
        if is_help:
            contributors.append(agency.name)
        elif not authors:
            authors.append(agency.name)
    return tuple(dict.fromkeys(authors)), tuple(dict.fromkeys(contributors))
