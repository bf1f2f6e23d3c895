"""trafilatura's XML body as a flat list of typed blocks (paragraph, heading, list item, ...).

trafilatura returns the main text as a small XML tree (``p``, ``head``,
``list/item``, ``table/row/cell``, ``quote``, ``lb``). Our clean-up rules need
to know what kind of block a line was (a heading repeating the headline, a
trailing list of links), which the plain-text output throws away, so we walk
the tree ourselves: one block per paragraph, list item, table row or line
break, in document order.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from lxml.etree import _Element

BlockKind = Literal["p", "head", "item", "row", "quote", "code", "tail"]

__all__ = ["Block", "body_blocks"]


@dataclass(frozen=True, slots=True)
class Block:
    """One line of the extracted body and the element it came from."""

    kind: BlockKind
    text: str
    #: Share of the line's characters that are link text on the page (0 when unknown):
    #: the list-of-links shape of "related" and "more from" boxes, in any language.
    link_share: float = 0.0

    @property
    def words(self) -> int:
        return len(self.text.split())


def body_blocks(body: _Element) -> list[Block]:
    """Blocks of trafilatura's ``body`` element, in order; empty lines dropped."""
    out: list[Block] = []
    for el in body:
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag == "list":
            for item in el:
                _add(out, "item", _text(item))
        elif tag == "table":
            for row in el.iter("row"):
                cells = [_text(cell) for cell in row]
                _add(out, "row", " | ".join(c.replace("\n", " ") for c in cells if c))
        elif tag == "quote" and any(child.tag in ("p", "list") for child in el):
            for child in el:
                _add(out, "quote", _text(child))
        elif tag in ("p", "head", "quote", "code"):
            _add(out, tag, _text(el))  # type: ignore[arg-type]
        elif tag:
            _add(out, "p", _text(el))
        if el.tail and el.tail.strip():
            _add(out, "tail", el.tail)
    return out


def _add(out: list[Block], kind: BlockKind, text: str) -> None:
    for line in text.split("\n"):
        line = " ".join(line.split())
        if line:
            out.append(Block(kind, line))


def _text(el: _Element) -> str:
    """Text of ``el`` with ``<lb/>`` as a newline and a space between nested blocks."""
    parts: list[str] = []

    def walk(node: _Element, top: bool) -> None:
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag == "lb":
            parts.append("\n")
        else:
            if tag in ("item", "p", "head", "cell", "list") and not top:
                parts.append(" ")
            if node.text:
                parts.append(node.text)
            for child in node:
                walk(child, False)
        if not top and node.tail:
            parts.append(node.tail)

    walk(el, True)
    return "".join(parts)
