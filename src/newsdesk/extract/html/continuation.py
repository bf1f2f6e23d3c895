"""Article bodies split over sibling containers: find the rest when the main text stops short.

Some publishing systems cut one article into several sibling blocks (a
"chunk" of paragraphs, an advert, the next chunk...). trafilatura takes the
first block as the article and stops, so the body ends a third of the way
through. The signs are general: the extracted text holds little of the page's
running prose, and the prose it misses sits in siblings of the block it took,
each holding several paragraphs of its own (teaser cards of related stories
hold one excerpt each, and are not taken). When that is so, the parent of
those blocks is returned so each child can be extracted and the results joined
in page order.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from lxml.html import HtmlElement

from newsdesk.models import count_words

__all__ = ["continuation_container"]

# Share of the page's prose below which a body looks cut short.
SHORT_SHARE = 0.6
# The missing prose must add at least this share of what was extracted ...
MIN_GAIN = 0.5
# ... and, with it, make up this share of the container's text (not a link farm).
MIN_DENSITY = 0.6
MIN_PROSE_WORDS = 10
_NOT_BODY = frozenset({"footer", "aside", "nav", "header", "form"})


def continuation_container(tree: HtmlElement, paragraphs: Sequence[str]) -> HtmlElement | None:
    """The element whose children together hold the whole article; None when nothing is missing."""
    taken = {" ".join(p.split()) for p in paragraphs}
    taken_words = sum(count_words(p) for p in taken)
    prose = list(_prose(tree))
    page_words = sum(words for _, _, words in prose)
    if not taken_words or taken_words >= SHORT_SHARE * page_words:
        return None
    found = [el for el, text, _ in prose if text in taken]
    anchor = _common_ancestor(found)
    if anchor is None:
        return None
    inside_anchor = set(anchor.iter("p"))
    container = anchor
    for _ in range(3):
        container = container.getparent()
        if container is None or container.tag in ("body", "html"):
            return None
        gain = sum(
            words
            for el, text, words in _prose(container)
            if text not in taken and el not in inside_anchor and _continues(el, container, text)
        )
        total = count_words(container.text_content())
        if gain >= MIN_GAIN * taken_words and (gain + taken_words) >= MIN_DENSITY * total:
            return container
    return None


def _prose(root: HtmlElement) -> Iterator[tuple[HtmlElement, str, int]]:
    for el in root.iter("p"):
        text = " ".join(el.text_content().split())
        words = count_words(text)
        if words >= MIN_PROSE_WORDS:
            yield el, text, words


def _continues(el: HtmlElement, container: HtmlElement, text: str) -> bool:
    """A paragraph that reads as more of the body: among others, not a teaser or page furniture."""
    if text.endswith(("…", "...")):  # a truncated excerpt of another story
        return False
    parent = el.getparent()
    siblings = (
        sum(1 for c in parent if c.tag == "p" and count_words(c.text_content()) >= MIN_PROSE_WORDS)
        if parent is not None
        else 0
    )
    if siblings < 3:
        return False
    node = parent
    while node is not None and node is not container:
        if node.tag in _NOT_BODY:
            return False
        node = node.getparent()
    return True


def _common_ancestor(elements: Sequence[HtmlElement]) -> HtmlElement | None:
    if not elements:
        return None
    chains = [list(reversed(list(el.iterancestors()))) for el in elements]
    common = None
    for level in zip(*chains, strict=False):
        if all(node is level[0] for node in level):
            common = level[0]
        else:
            break
    return common
