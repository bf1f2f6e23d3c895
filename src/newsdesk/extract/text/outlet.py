"""The outlet of a page saved as text, when the page names itself.

A page saved as text has no ``og:site_name``. Pages still name their publisher,
in any language, in two general ways (never from a list of known outlets):

- the copyright line ("© 2031 The Marlow Gazette"), read first;
- a name the body cites as the one spoken to ("he told The Globe and Mail",
  "said to ...", "in an interview with ..."), kept only when the page's chrome
  (the lines outside the body: menus, prompts, boxes) repeats a distinctive
  word of it ("Your Globe", "Interact with The Globe"): a news agency quoted in
  the body ("told Reuters") is not the page's outlet, and its name is not all
  over the page's own furniture.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

__all__ = ["cited_outlet"]

# "told X", "said to X", "speaking to X", "in an interview with X": X a run of capitalised
# words, joined by short lower-case links ("The Globe and Mail", "Corriere della Sera").
_CITED = re.compile(
    r"\b(?:told|said\s+to|speaking\s+to|spoke\s+to|in\s+an\s+interview\s+with)\s+(?:the\s+)?"
    r"(?P<name>(?:[A-Z][\w'’&.-]*)(?:\s+(?:(?:and|of|de|del|della|du|des|la|le|der|die|&)\s+)?"
    r"[A-Z][\w'’&.-]*){0,5})"
)
_SMALL = {"the", "and", "of", "de", "del", "della", "du", "des", "la", "le", "der", "die", "&"}
#: Chrome lines that must repeat a word of the cited name.
MIN_CHROME_MENTIONS = 2


def cited_outlet(body: Sequence[str], chrome: Sequence[str]) -> str | None:
    """The name the body says it was told, when the page's chrome repeats it."""
    counts: dict[str, int] = {}
    for paragraph in body:
        for match in _CITED.finditer(paragraph):
            name = match["name"].rstrip(".,;:")
            if len(name) > 2:
                counts[name] = counts.get(name, 0) + 1
    best: tuple[int, int, str] | None = None
    for name, cited in counts.items():
        words = [w for w in re.findall(r"[\w'’&-]+", name) if w.casefold() not in _SMALL]
        if not words:
            continue
        mentions = sum(1 for line in chrome if any(_has_word(line, w) for w in words))
        if mentions < MIN_CHROME_MENTIONS:
            continue
        key = (mentions, cited, name)
        if best is None or key > best:
            best = key
    return best[2] if best else None


def _has_word(line: str, word: str) -> bool:
    return re.search(rf"(?<![\w]){re.escape(word)}(?![\w])", line) is not None
