"""How much of each line of the page is link text: the list-of-links shape, in any language.

"Related" boxes, "more from" lists, tag clouds and teaser rails look the same in
every language: short lines that are links and nothing else, one after another,
often under a short label. trafilatura's body text no longer says which words
were links (asking it to keep them changes what it extracts), so the share is
read from the page itself and attached to the body's lines by their text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from lxml.html import HtmlElement

from newsdesk.extract.html.blocks import Block

__all__ = ["LINK_LINE", "link_shares", "with_link_shares"]

#: A line at least this share of link text is a link, not prose.
LINK_LINE = 0.8

_BLOCK_TAGS = frozenset(
    ("p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "dt", "dd", "td", "th", "div", "span")
)
_MAX_LINE = 400


def link_shares(tree: HtmlElement) -> dict[str, float]:
    """Text of each short line holding a link -> the share of it inside ``<a>``.

    Walks the links, not the whole tree (a page's big containers are never
    measured): each link's text is a line of its own, and the nearest block
    around it (a list item, a paragraph) is measured once. Lines without a link
    are absent, which reads as a share of 0.
    """
    shares: dict[str, float] = {}
    measured: set[HtmlElement] = set()
    for link in tree.iter("a"):
        text = _norm(link.text_content())
        if text and len(text) <= _MAX_LINE:
            shares.setdefault(text, 1.0)
        block = link.getparent()
        while block is not None and block.tag not in _BLOCK_TAGS:
            block = block.getparent()
        if block is None or block in measured:
            continue
        measured.add(block)
        line = _norm(block.text_content())
        if not line or len(line) > _MAX_LINE or line in shares:
            continue
        linked = sum(len(_norm(a.text_content())) for a in block.iter("a"))
        shares[line] = min(1.0, linked / len(line))
    return shares


def _norm(text: str) -> str:
    return " ".join(text.split())


def with_link_shares(blocks: Sequence[Block], shares: dict[str, float]) -> list[Block]:
    """``blocks`` with :attr:`Block.link_share` filled where the page has the same line."""
    return [replace(b, link_share=shares[b.text]) if b.text in shares else b for b in blocks]
