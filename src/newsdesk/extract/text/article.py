"""Articles from pages saved as text: no markup, so chrome is told apart by line shape.

The stages, each pure and in its own module:

1. :mod:`~newsdesk.extract.text.lines` scores every line (prose or chrome);
2. :mod:`~newsdesk.extract.text.body` takes the densest run of prose as the body;
3. :mod:`~newsdesk.extract.text.title` finds the headline before it, or makes one
   from the lede (and says so with ``title_generated``);
4. :mod:`~newsdesk.extract.text.byline` reads the header between headline and
   body (bylines with dates, handles, roles or outlets glued on, a bare name
   under the headline or beside a stamp), and :mod:`~newsdesk.extract.byline`
   takes byline and contributor lines out of the body and the few lines after it;
5. :mod:`~newsdesk.extract.text.dates` reads the date stamp around the header,
   when it is written in a form that cannot be misread, else the URL's date.

Headline, bylines and date are measured against the same pages as HTML by
``bench/text_metadata.py`` (see BENCHMARKS.md).

The outlet comes from the page's copyright line when it has one, else from a name
the body cites as the one spoken to that the chrome repeats (:mod:`.outlet`). Language is
left to the caller. A page with no prose gives an article with no paragraphs,
which :func:`newsdesk.extract.extract_article` reports as "no article".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from newsdesk.extract.byline import credit_names, parse_credit_line, split_credits
from newsdesk.extract.text.body import BodySelection, select_body
from newsdesk.extract.text.byline import is_bare_name, parse_header_byline, parse_name_and_outlet
from newsdesk.extract.text.dates import find_published
from newsdesk.extract.text.lines import Line, classify_lines
from newsdesk.extract.text.outlet import cited_outlet
from newsdesk.extract.text.title import NEAR, clean_title, find_title_line, generate_title
from newsdesk.models import Article, Credit

__all__ = ["extract_body_text", "extract_from_text"]

HEADER_LINES = 8  # lines before the body searched for a byline when no headline marks the start
ABOVE_TITLE = 3  # lines over the headline searched for a byline beside a date stamp
OPENING_BYLINE_WORDS = 16  # longer first paragraphs are prose, whatever they start with
HEADER_SCAN = 60  # lines before the body searched for other copies of the headline
TRAILER_LINES = 4  # lines after the body searched for contributor lines

COPYRIGHT_MAX_CHARS = 400  # longest line read as the page's copyright notice
_COPYRIGHT_OWNER = re.compile(
    r"(?i)(?:©|ⓒ|\(c\)|copyright)(?:\s*+(?:©|copyright))*+\s*(?:\d{4}(?:\s*[-–]\s*\d{4})?)?\s*,?\s*"
    r"(?:all\s+rights\s+reserved\.?\s*)?"
    r"(?P<owner>[^\W\d_][^.|©\d(—]{1,60}?)\s*(?:[.,|(—]|\s+[-–]\s|\s+\d|\s+all\s+rights|\s*$)"
)
# "Image copyright Jane Doe": who owns a picture, not the page.
_PICTURE_COPYRIGHT = re.compile(r"(?i)\b(?:image|photo|picture|media)s?\s+(?:©|copyright)")
_LEGAL_SUFFIX = re.compile(r"(?i)[,\s]+(?:inc|llc|ltd|limited|plc|gmbh|s\.?a|corp|pty)\.?$")


def _outlet(lines: Sequence[Line]) -> str | None:
    """The owner named on the page's copyright line, the last one on the page."""
    for line in reversed(lines):
        # words alone do not bound a line of symbols: "© " x 20,000 has none, and the
        # pattern then tried every "©" against the rest of the line (minutes)
        if line.words > 30 or not line.chrome or len(line.text) > COPYRIGHT_MAX_CHARS:
            continue
        match = _COPYRIGHT_OWNER.search(line.text)
        if match and not _PICTURE_COPYRIGHT.search(line.text[: match.start() + 12]):
            owner = _LEGAL_SUFFIX.sub("", match["owner"].strip(" ,-–"))
            if owner and owner.casefold() not in {"all rights reserved", "copyright"}:
                return owner
    return None


def _cited_outlet(lines: Sequence[Line], selection: BodySelection) -> str | None:
    """The name the body says it spoke to, when the lines outside the body repeat it."""
    inside = {line.index for line in selection.kept}
    body = [line.text for line in selection.kept]
    chrome = [line.text for line in lines if line.index not in inside and line.words <= 30]
    return cited_outlet(body, chrome)


@dataclass(frozen=True, slots=True)
class _Span:
    """Lines where a byline may stand; ``slot`` when its first line is the one right under
    the headline, where a bare name is the byline."""

    lines: range
    slot: bool


def _header_credits(lines: Sequence[Line], spans: Sequence[_Span]) -> list[Credit]:
    """Bylines in the header spans: stamped byline lines, and a bare name beside a stamp.

    A line that is only a name ("Jane Doe") is an author line when it sits
    right under the headline or next to a byline or date stamp; elsewhere it
    could be anything (a caption, a menu entry), so it is left alone.
    """
    found: list[Credit] = []
    for span in spans:
        stamped = {i for i in span.lines if lines[i].dateline or parse_header_byline(lines[i].text)}
        for i in span.lines:
            text = lines[i].text
            if i > 0 and lines[i - 1].text.casefold().rstrip(":") == "by":
                text = "By " + text  # "By" on a line of its own, the name under it
            credits = parse_header_byline(text)
            if credits:
                found.extend(credits)
                continue
            placed = (
                (span.slot and i == span.lines.start)
                or i - 1 in stamped
                or i + 1 in stamped
                or _is_handle(lines, i + 1)
            )
            if not placed:
                continue
            if is_bare_name(text):
                found.append(Credit(name=text, kind="author"))
            else:
                found.extend(parse_name_and_outlet(text) or ())
    return found


def _opening_bylines(paragraphs: Sequence[str]) -> tuple[list[str], list[Credit]]:
    """Short byline lines among the first paragraphs ("Jane Doe @janedoe" under a
    standfirst the body finder took in) leave the body for the credits."""
    kept: list[str] = []
    credits: list[Credit] = []
    for position, paragraph in enumerate(paragraphs):
        got = None
        if position < NEAR and len(paragraph.split()) <= OPENING_BYLINE_WORDS:
            got = parse_header_byline(paragraph)
        if got:
            credits.extend(got)
        else:
            kept.append(paragraph)
    return kept, credits


def _is_handle(lines: Sequence[Line], i: int) -> bool:
    return 0 <= i < len(lines) and lines[i].text.startswith("@") and " " not in lines[i].text


def _header_spans(lines: Sequence[Line], title_line: Line | None, body_start: int) -> list[_Span]:
    """Where the byline may be: after the headline up to the body, and after the other copies
    of the headline close before it (a gallery or a share panel can repeat it). When
    they name no one, the few lines over the headline are searched (:func:`_above_title`):
    some pages set the author and the time there."""
    if title_line is None:
        return [_Span(range(max(0, body_start - HEADER_LINES), body_start), slot=False)]
    end = body_start if title_line.index < body_start else title_line.index + 1 + NEAR
    spans = [_Span(range(title_line.index + 1, min(end, len(lines))), slot=True)]
    for line in lines[max(0, body_start - HEADER_SCAN) : title_line.index]:
        if line.text == title_line.text:
            copy = range(line.index + 1, min(line.index + 1 + NEAR, body_start))
            spans.append(_Span(copy, slot=True))
    return spans


def _above_title(title_line: Line | None) -> list[_Span]:
    if title_line is None:
        return []
    return [_Span(range(max(0, title_line.index - ABOVE_TITLE), title_line.index), slot=False)]


def _trailer_credits(lines: Sequence[Line], end: int) -> list[Credit]:
    """Contributor lines just after the body ("With a report by ...", "— Reuters")."""
    found: list[Credit] = []
    for line in lines[end + 1 : end + 1 + TRAILER_LINES]:
        credits = parse_credit_line(line.text)
        if credits:
            found.extend(credits)
        elif line.hard:
            break
    return found


def _dedupe(credits: Sequence[Credit]) -> tuple[Credit, ...]:
    seen: set[tuple[str, str]] = set()
    out: list[Credit] = []
    for credit in credits:
        key = (credit.name.casefold(), credit.kind)
        if key not in seen:
            seen.add(key)
            out.append(credit)
    return tuple(out)


def extract_from_text(text: str, *, url: str | None = None) -> Article:
    """The article on a page saved as text (see the module docstring for how)."""
    lines = classify_lines(text)
    selection = select_body(lines)
    if not selection.found:
        return Article(
            title="",
            paragraphs=(),
            url=url,
            canonical_url=url,
            extraction_method="text",
            warnings=("no prose found on the page",),
        )
    kept = [line.text for line in selection.kept]
    title_line = find_title_line(lines, selection.start, url=url, body=kept)
    spans = _header_spans(lines, title_line, selection.start)
    header = _header_credits(lines, spans) or _header_credits(lines, _above_title(title_line))

    paragraphs = kept
    if title_line is not None and paragraphs and paragraphs[0] == title_line.text:
        paragraphs = paragraphs[1:]
    paragraphs, opening = _opening_bylines(paragraphs)
    header.extend(opening)
    title = clean_title(title_line.text) if title_line is not None else None
    body, body_credits = split_credits(paragraphs)
    trailer = _trailer_credits(lines, selection.end)
    credits = _dedupe([*header, *body_credits, *trailer])
    authors, contributors = credit_names(credits)

    warnings: list[str] = []
    title_generated = title is None
    if title is None:
        title = generate_title(body[0]) if body else ""
        warnings.append("the page has no headline; the title was made from the lede")
    return Article(
        title=title,
        title_generated=title_generated,
        paragraphs=body,
        url=url,
        canonical_url=url,
        authors=authors,
        contributors=contributors,
        credits=credits,
        outlet=_outlet(lines) or _cited_outlet(lines, selection),
        published=find_published(
            lines,
            spans[0].lines.start,
            max(selection.start, spans[0].lines.stop),
            url=url,
            body_end=selection.end,
        ),
        extraction_method="text",
        warnings=tuple(warnings),
    )


def extract_body_text(page: bytes | str, url: str | None = None) -> str:
    """The body alone, paragraphs joined by blank lines: the benchmark's entry point."""
    text = page.decode("utf-8", errors="replace") if isinstance(page, bytes) else page
    return extract_from_text(text, url=url).body
