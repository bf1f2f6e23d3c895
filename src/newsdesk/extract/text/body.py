"""Which lines of a page saved as text are the article: the densest run of prose.

Each line carries a score from :mod:`newsdesk.extract.text.lines` (prose
positive, chrome negative). The article is the stretch of lines whose scores
add up to the most (a maximum-sum run): menus, teaser lists and footers cost
more than they bring, while a caption or a subheading between two paragraphs
is carried along. Inside that stretch the lines that are plainly chrome
(calls to action, date stamps, lines repeated elsewhere on the page) are
dropped, and a list the last paragraph introduces ("Tour dates:") is kept.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from newsdesk.extract.text.lines import Line

__all__ = ["BodySelection", "select_body"]


@dataclass(frozen=True, slots=True)
class BodySelection:
    """The article's stretch of lines [start, end] and the lines kept from it."""

    start: int
    end: int  # inclusive; end < start when the page has no prose at all
    kept: tuple[Line, ...]

    @property
    def found(self) -> bool:
        return bool(self.kept)


def densest_run(scores: Sequence[float]) -> tuple[int, int, float]:
    """(start, end, total) of the contiguous run with the largest sum (Kadane); end inclusive."""
    best = (0, -1, 0.0)
    current = 0.0
    start = 0
    for i, score in enumerate(scores):
        if current <= 0:
            current = 0.0
            start = i
        current += score
        if current > best[2]:
            best = (start, i, current)
    return best


def _core_segments(lines: Sequence[Line], start: int, end: int) -> tuple[int, int]:
    """Within [start, end], the largest part between chrome lines, plus neighbours of weight.

    In-article furniture ("Advertisement", "Share this") splits an article into
    parts of similar weight; a newsletter box or an "about us" blurb after the
    article leaves a small part on one side. A neighbouring part is kept when
    its prose weighs at least SEGMENT_RATIO of the largest part's.
    """
    segments: list[tuple[int, int, float]] = []
    seg_start = start
    total = 0.0
    for i in range(start, end + 1):
        line = lines[i]
        if line.hard:
            if i > seg_start:
                segments.append((seg_start, i - 1, total))
            seg_start, total = i + 1, 0.0
            continue
        total += max(line.score, 0.0)
    if seg_start <= end:
        segments.append((seg_start, end, total))
    if len(segments) <= 1:
        return start, end
    core = max(range(len(segments)), key=lambda k: segments[k][2])
    threshold = segments[core][2] * SEGMENT_RATIO
    lo = hi = core
    while lo > 0 and segments[lo - 1][2] >= threshold:
        lo -= 1
    while hi + 1 < len(segments) and segments[hi + 1][2] >= threshold:
        hi += 1
    return segments[lo][0], segments[hi][1]


SEGMENT_RATIO = 0.1


def _extend(lines: Sequence[Line], start: int, end: int) -> tuple[int, int]:
    """Take in prose that sits right against the body but scored low on its own neighbours.

    A lede set apart from the rest, or a last paragraph after a caption, is
    damped as "isolated" by the line scorer; beside the body it belongs to it.
    At most EXTEND_GAP short lines or pieces of in-article furniture (a subheading,
    a caption and its credit, an advertisement label) may sit between; a hard
    section label or a date stamp stops it.
    """

    def reach(i: int, step: int) -> int:
        j, skipped = i + step, 0
        while 0 <= j < len(lines):
            line = lines[j]
            if line.hard or line.dateline:
                return i
            if not line.chrome and line.own_score > 0 and line.words >= EXTEND_MIN_WORDS:
                i, skipped = j, 0
            elif skipped >= EXTEND_GAP or (line.words > 12 and not line.chrome):
                return i
            else:
                skipped += 1
            j += step
        return i

    return reach(start, -1), reach(end, +1)


#: Lines (a subheading, a caption and its credit) that may sit between the body and a
#: paragraph taken in beside it. Measured (issue 15, text pages): 1 -> 3 readability tuning
#: half 0.8954 -> 0.8957, held-out 0.8621 -> 0.8663; Scrapinghub 0.9381 -> 0.9401 / 0.9325 ->
#: 0.9346 (2 and 4 were worse on the tuning halves).
EXTEND_GAP = 3
EXTEND_MIN_WORDS = 8


def _take_in_lead(lines: Sequence[Line], start: int) -> int:
    """Take in the opening of an article cut off by a list: "A cake for Sunday." over
    "Ingredients", the ingredients, "Method", then the body.

    Before the body, past at most LEAD_GAP short lines (a list and its subheadings:
    no chrome, stamps or lines repeated on the page), a sentence is the article's
    own lede; the list between belongs to it. Menus and teasers are not preceded by
    a sentence of the article right above the body.
    """
    j, gap = start - 1, 0
    while j >= 0 and gap <= LEAD_GAP:
        line = lines[j]
        if line.chrome or line.dateline or line.repeated > 1 or line.words > LEAD_ITEM_WORDS:
            break
        if line.terminal and line.own_score > 0:
            break  # the sentence over the list
        j, gap = j - 1, gap + 1
    if gap < LEAD_MIN_ITEMS or j < 0:
        return start
    lede = lines[j]
    if lede.terminal and lede.own_score > 0 and not lede.chrome and lede.repeated == 1:
        return j
    return start


LEAD_GAP = 12
LEAD_MIN_ITEMS = 3
LEAD_ITEM_WORDS = 8


def _introduced_list_end(lines: Sequence[Line], end: int) -> int:
    """A paragraph ending in ':' introduces what follows: keep its block of list lines."""
    if end < 0 or not lines[end].text.endswith(":"):
        return end
    j = end + 1
    while j < len(lines):
        line = lines[j]
        if line.chrome or (line.gap_before and j > end + 1) or line.words > 60:
            break
        j += 1
    return j - 1


def _keep(line: Line) -> bool:
    if line.chrome or line.dateline:
        return False
    return not (line.repeated > 1 and line.words < 20)


def _drop_widget_runs(lines: list[Line]) -> list[Line]:
    """Drop a section label inside the body and the run of link lines under it.

    A "Most read" or "Related" box set in the middle of an article comes out
    as a label followed by headlines: short lines that do not end like
    sentences. They go, up to the next line that reads as prose.
    """
    out: list[Line] = []
    in_widget = False
    for line in lines:
        if line.hard:
            in_widget = True
            continue
        if in_widget and line.own_score <= 0 and not line.terminal:
            continue
        in_widget = False
        out.append(line)
    return out


def select_body(lines: Sequence[Line]) -> BodySelection:
    """The article's lines, in page order; nothing when no line reads as prose."""
    start, end, total = densest_run([line.score for line in lines])
    if total <= 0 or end < start:
        return BodySelection(0, -1, ())
    start, end = _core_segments(lines, start, end)
    start, end = _extend(lines, start, end)
    start = _take_in_lead(lines, start)
    end = _introduced_list_end(lines, end)
    stretch = [line for line in lines[start : end + 1] if _keep(line) or line.hard]
    kept = tuple(_drop_widget_runs(stretch))
    return BodySelection(start, end, kept)
