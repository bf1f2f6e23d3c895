"""Turning an edition into mail parts: a plain-text part and an HTML part, from Jinja2 templates.

Mail clients drop or mangle ``<style>`` blocks, so the HTML's CSS is inlined
onto each element by css-inline; the dark-mode rules stay in a ``<style>``
block (a media query cannot be inlined) and win with ``!important`` where a
client honours them. Inlining is done once per template and once per story
block, never per mail: a story's block is the same in every reader's edition.
The HTML templates are autoescaped: headlines and summaries come from the web
and are never trusted as markup.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import date
from importlib import resources
from typing import Any

from newsdesk.brief.models import DevelopingItem, Edition, EditionItem


@dataclass(frozen=True, slots=True)
class RenderedEdition:
    subject: str
    text: str
    html: str


def _template_text(name: str) -> str:
    return resources.files("newsdesk.brief").joinpath("templates", name).read_text("utf-8")


_TEMPLATES = (
    "edition.txt.j2",
    "edition.html.j2",
    "item.txt.j2",
    "item.html.j2",
    "developing.txt.j2",
    "developing.html.j2",
)


@functools.cache
def _environment(autoescape: bool) -> Any:
    from jinja2 import DictLoader, Environment, StrictUndefined

    sources = {n: _template_text(n) for n in _TEMPLATES}
    # The page template is inlined once, as source: its Jinja tags sit between elements and
    # in attribute values, which the HTML parser keeps as they are. Rendering then costs no
    # inlining at all; the story blocks come already inlined (below).
    page = sources["edition.html.j2"].replace("{{ css }}", _css())
    page = _inliner().inline(page)
    sources["edition.html.j2"] = page.replace(
        "</head>", f"<style>{_dark_css()}</style>\n</head>", 1
    )
    return Environment(
        loader=DictLoader(sources),
        autoescape=autoescape,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


@functools.cache
def _css() -> str:
    return _template_text("edition.css")


@functools.cache
def _dark_css() -> str:
    return _template_text("dark.css")


@functools.cache
def _inliner() -> Any:
    import css_inline

    # The template carries its own CSS: nothing is fetched, nothing external is loaded.
    return css_inline.CSSInliner(keep_style_tags=False, load_remote_stylesheets=False)


# A story reads the same in every reader's edition of a window, so each block is rendered
# and inlined once and shared: thousands of editions cost a few hundred blocks, not millions.
@functools.lru_cache(maxsize=32768)
def _block_html(block: EditionItem | DevelopingItem) -> str:
    if isinstance(block, DevelopingItem):
        html = _environment(True).get_template("developing.html.j2").render(dev=block)
    else:
        html = _environment(True).get_template("item.html.j2").render(item=block)
    return str(_inliner().inline_fragment(html, _css()))


@functools.lru_cache(maxsize=32768)
def _block_text(block: EditionItem | DevelopingItem, mark: str) -> str:
    if isinstance(block, DevelopingItem):
        return str(_environment(False).get_template("developing.txt.j2").render(dev=block))
    return str(_environment(False).get_template("item.txt.j2").render(item=block, mark=mark))


class _ByIdentity:
    """Rendered blocks looked up by the block object itself (its id), before its equality.

    Readers of one window share the very same item objects, so this lookup spares
    hashing a whole item (all its fields) on every use. The object is kept with its
    value, so its id cannot be reused while the entry lives.
    """

    def __init__(self, size: int = 65536) -> None:
        self._found: dict[tuple[int, str], tuple[object, str]] = {}
        self._size = size

    def get(self, block: EditionItem | DevelopingItem, mark: str, html: bool) -> str:
        key = (id(block), mark if not html else "<html>")
        hit = self._found.get(key)
        if hit is not None and hit[0] is block:
            return hit[1]
        value = _block_html(block) if html else _block_text(block, mark)
        if len(self._found) >= self._size:
            self._found.clear()
        self._found[key] = (block, value)
        return value


_blocks = _ByIdentity()


def day_label(local_date: str) -> str:
    day = date.fromisoformat(local_date)
    return f"{day:%A} {day.day} {day:%B} {day.year}"


def subject_of(edition: Edition) -> str:
    label = day_label(edition.local_date)
    lead = (edition.following[0].items[0] if edition.following else None) or (
        edition.top[0] if edition.top else None
    )
    if edition.developing and lead is None:
        lead = edition.developing[0].item
    if lead is None:
        return f"{edition.title}, {label}: no news"
    # One line whatever the feed put in the headline: a line break in a header is refused.
    headline = " ".join(lead.headline.split())
    headline = headline if len(headline) <= 90 else headline[:89] + "…"
    return f"{edition.title}, {label}: {headline}"


def render_edition(
    edition: Edition, *, email: str, base_url: str, unsubscribe_url: str
) -> RenderedEdition:
    """Subject, text part and HTML part (CSS inlined) of one edition."""
    from markupsafe import Markup

    context = {
        "edition": edition,
        "email": email,
        "base_url": base_url.rstrip("/"),
        "unsubscribe_url": unsubscribe_url,
        "day_label": day_label(edition.local_date),
    }
    text = (
        _environment(False)
        .get_template("edition.txt.j2")
        .render(
            top=[_blocks.get(item, f"{n}.", False) for n, item in enumerate(edition.top, 1)],
            following=[
                (section, [_blocks.get(item, "-", False) for item in section.items])
                for section in edition.following
            ],
            developing=[_blocks.get(dev, "", False) for dev in edition.developing],
            **context,
        )
    )
    html = (
        _environment(True)
        .get_template("edition.html.j2")
        .render(
            top=[Markup(_blocks.get(item, "", True)) for item in edition.top],
            following=[
                (section, [Markup(_blocks.get(item, "", True)) for item in section.items])
                for section in edition.following
            ],
            developing=[Markup(_blocks.get(dev, "", True)) for dev in edition.developing],
            **context,
        )
    )
    return RenderedEdition(subject_of(edition), _tidy_text(text), html)


_TRAILING_SPACE = re.compile(r"[ \t]+(?=\n)")
_BLANK_RUN = re.compile(r"\n{3,}")


def _tidy_text(text: str) -> str:
    """Collapse the blank runs template blocks leave, so the text part reads evenly."""
    text = _BLANK_RUN.sub("\n\n", _TRAILING_SPACE.sub("", text))
    return text.strip() + "\n"
