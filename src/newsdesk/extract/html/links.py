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

_LINE_TAGS = ("p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "dt", "dd", "td", "span", "div", "a")


def link_shares(tree: HtmlElement) -> dict[str, float]:
    """Text of each short line-like element of ``tree`` -> share of it inside ``<a>``."""
    shares: dict[str, float] = {}
    for el in tree.iter(*_LINE_TAGS):
        text = " ".join(el.text_content().split())
        if not text or len(text) > 400 or text in shares:
            continue
        if el.tag == "a":
            shares[text] = 1.0
            continue
        linked = sum(len(" ".join(a.text_content().split())) for a in el.iter("a"))
        shares[text] = min(1.0, linked / len(text))
    return shares


def with_link_shares(blocks: Sequence[Block], shares: dict[str, float]) -> list[Block]:
    """``blocks`` with :attr:`Block.link_share` filled where the page has the same line."""
    return [replace(b, link_share=shares[b.text]) if b.text in shares else b for b in blocks]
