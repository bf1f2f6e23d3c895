"""The one small query language: saved searches, search, the API and editions all speak it.

    mali "peace talks" author:"Jane Doe" person:Okafor org:UNICEF place:Bamako
    topic:health outlet:globe.example -sport -topic:football since:3d

Every term must hold (AND); a leading ``-`` excludes; field values may be
quoted; ``since:`` takes a date (``2026-11-28``), a date and time, or an age
(``90m``, ``12h``, ``3d``, ``2w``). The parser is pure: it turns text into a
typed, frozen AST and never touches the store or the clock, so the same text
means the same thing whether it runs now or from a saved search next week
(``since:3d`` stays relative and is resolved with the caller's ``now``).
The records it makes live in ``newsdesk.store.query_ast``, which the store
compiles to SQL.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

from newsdesk.errors import FollowError
from newsdesk.store.query_ast import Query, Since, Term, TermKind

__all__ = [
    "FIELDS",
    "Query",
    "QueryError",
    "Since",
    "Term",
    "TermKind",
    "parse_query",
    "parse_since",
]

FIELDS: tuple[str, ...] = ("author", "person", "org", "place", "topic", "outlet", "since")
ENTITY_FIELDS: tuple[str, ...] = ("person", "org", "place")
MAX_QUERY_CHARS = 1000
MAX_TERMS = 32


class QueryError(FollowError):
    """A query that cannot be parsed; the message points at the offending part."""


_AGE = re.compile(r"^(\d{1,5})\s*(m|min|h|d|w)$", re.IGNORECASE)
_AGE_UNITS = {"m": "minutes", "min": "minutes", "h": "hours", "d": "days", "w": "weeks"}
_FIELD = re.compile(r"^([A-Za-z]+):")


def parse_since(text: str) -> Since:
    """``3d``, ``12h``, ``2026-11-28`` or ``2026-11-28T06:00`` (UTC unless an offset is given)."""
    raw = text.strip()
    match = _AGE.match(raw)
    if match:
        amount, unit = int(match.group(1)), match.group(2).lower()
        return Since(age=timedelta(**{_AGE_UNITS[unit]: amount}), text=raw)
    try:
        if len(raw) == 10:
            day = date.fromisoformat(raw)
            return Since(absolute=datetime(day.year, day.month, day.day, tzinfo=UTC), text=raw)
        moment = datetime.fromisoformat(raw)
    except ValueError:
        raise QueryError(
            f"since:{raw} is not a date or an age",
            hint="write since:3d, since:12h, since:2w or since:2026-11-28",
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return Since(absolute=moment.astimezone(UTC), text=raw)


def _read_quoted(text: str, start: int) -> tuple[str, int]:
    """The text between the quote at ``start`` and its partner, and the index after it."""
    end = text.find('"', start + 1)
    if end < 0:
        raise QueryError(
            f"unclosed quote at character {start + 1}: {text[start : start + 30]!r}",
            hint='close the phrase with a second "',
        )
    return text[start + 1 : end], end + 1


def _read_bare(text: str, start: int) -> tuple[str, int]:
    end = start
    while end < len(text) and not text[end].isspace():
        end += 1
    return text[start:end], end


def parse_query(text: str) -> Query:
    """Parse ``text`` into a :class:`Query`; raise :class:`QueryError` saying what is wrong."""
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(
            f"query is {len(text)} characters long", hint=f"keep it under {MAX_QUERY_CHARS}"
        )
    # NUL ends a string in SQLite's FTS5 and PostgreSQL refuses it in text: it is never
    # part of a word, so it goes before parsing.
    text = text.replace("\x00", "")
    terms: list[Term] = []
    since: Since | None = None
    i, n = 0, len(text)
    while i < n:
        if text[i].isspace():
            i += 1
            continue
        negated = False
        if text[i] == "-" and i + 1 < n and not text[i + 1].isspace():
            negated, i = True, i + 1
        if text[i] == '"':
            value, i = _read_quoted(text, i)
            value = " ".join(value.split())
            if value:
                kind: TermKind = "phrase" if " " in value else "word"
                terms.append(Term(kind, value, negated))
            continue
        field = _FIELD.match(text[i:])
        if field:
            name = field.group(1).lower()
            if name not in FIELDS:
                raise QueryError(
                    f"unknown field {field.group(1)}:",
                    hint="fields are "
                    + ", ".join(f + ":" for f in FIELDS)
                    + '; quote the word ("'
                    + field.group(1)
                    + ':...") to search for it as text',
                )
            i += len(field.group(0))
            if i < n and text[i] == '"':
                value, i = _read_quoted(text, i)
            else:
                value, i = _read_bare(text, i)
            value = " ".join(value.split())
            if not value:
                raise QueryError(
                    f"{name}: has no value", hint=f'write {name}:NAME or {name}:"TWO WORDS"'
                )
            if name == "since":
                if negated:
                    raise QueryError("since: cannot be excluded", hint="drop the '-' before since:")
                if since is not None:
                    raise QueryError("since: is given twice", hint="keep one since: term")
                since = parse_since(value)
                continue
            terms.append(Term(name, value, negated))  # type: ignore[arg-type]
            continue
        value, i = _read_bare(text, i)
        if any(ch.isalnum() for ch in value):  # lone punctuation searches for nothing
            terms.append(Term("word", value, negated))
    if len(terms) > MAX_TERMS:
        raise QueryError(f"query has {len(terms)} terms", hint=f"use at most {MAX_TERMS}")
    if not any(not t.negated for t in terms) and since is None:
        raise QueryError(
            "query has nothing to look for" if not terms else "query only excludes",
            hint='give at least one word, "phrase", field (person:, topic:, ...) or since:',
        )
    return Query(tuple(terms), since)
