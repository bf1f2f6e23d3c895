"""Turning an edition into mail parts: a plain-text part and an HTML part, from Jinja2 templates.

Mail clients drop or mangle ``<style>`` blocks, so the HTML's CSS is inlined
onto each element by css-inline; the dark-mode rules stay in a ``<style>``
block (a media query cannot be inlined) and win with ``!important`` where a
client honours them. Inlining is done once per template and once per story
block, never per mail: a story's block is the same in every reader's edition.
The HTML templates are autoescaped: headlines and summaries come from the web
and are never trusted as markup.

A day of editions is tens of thousands of mails made of a few hundred story
blocks, so nothing is rendered per mail: each block and follow heading is
rendered once (cached), and the page template once per (edition, day, site,
which parts it has), with markers where the parts and the reader's own
unsubscribe link go (:func:`_page`). A mail is then one ``join`` of cached strings.
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
    "section.txt.j2",
    "section.html.j2",
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
    if autoescape:  # the story blocks and follow headings likewise, as fragments
        for name in ("item.html.j2", "developing.html.j2", "section.html.j2"):
            sources[name] = _inliner().inline_fragment(sources[name], _css())
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
    return str(html)


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


@functools.lru_cache(maxsize=1024)
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


#: Where a page's variable parts go. NUL never reaches a stored text (control characters are
#: removed at the door), so a marker cannot be confused with content.
_MARK = re.compile("\x00([a-z_]+)\x00")
_PARTS = ("top", "following", "developing", "unsubscribe_url")


@functools.lru_cache(maxsize=1024)
def _page(
    html: bool, title: str, day_label: str, base_url: str, parts: tuple[bool, bool, bool]
) -> tuple[str, ...]:
    """The page template rendered once with markers for its variable parts, split on them:
    literal text at even positions, a part's name at odd ones. ``parts`` says which of top,
    following and developing the edition has (a missing part leaves its heading out)."""
    from markupsafe import Markup

    def mark(name: str) -> str:
        return Markup(f"\x00{name}\x00") if html else f"\x00{name}\x00"

    present = dict(zip(_PARTS, parts, strict=False))
    page = (
        _environment(html)
        .get_template("edition.html.j2" if html else "edition.txt.j2")
        .render(
            title=title,
            day_label=day_label,
            base_url=base_url,
            empty=not any(parts),
            unsubscribe_url=mark("unsubscribe_url"),
            **{name: mark(name) if present[name] else "" for name in _PARTS[:3]},
        )
    )
    return tuple(_MARK.split(page))


@functools.lru_cache(maxsize=4096)
def _section_heading(section_label: str, kind: str, html: bool) -> str:
    """A follow's heading ("Mali (topic)"), rendered (and inlined) once per follow."""
    from types import SimpleNamespace

    found = (
        _environment(html)
        .get_template("section.html.j2" if html else "section.txt.j2")
        .render(section=SimpleNamespace(label=section_label, kind=kind))
    )
    return str(found)


def _fill(pieces: tuple[str, ...], values: dict[str, str]) -> str:
    out = list(pieces)
    for i in range(1, len(out), 2):
        out[i] = values[out[i]]
    return "".join(out)


def render_edition(
    edition: Edition, *, email: str, base_url: str, unsubscribe_url: str
) -> RenderedEdition:
    """Subject, text part and HTML part (CSS inlined) of one edition."""
    from markupsafe import escape

    base = base_url.rstrip("/")
    day = day_label(edition.local_date)
    parts = (bool(edition.top), bool(edition.following), bool(edition.developing))
    get = _blocks.get
    text = _fill(
        _page(False, edition.title, day, base, parts),
        {
            "top": "".join(
                get(item, f"{n}.", False) + "\n" for n, item in enumerate(edition.top, 1)
            ),
            "following": "".join(
                _section_heading(s.label, s.kind, False)
                + "".join(get(item, "-", False) + "\n" for item in s.items)
                for s in edition.following
            ),
            "developing": "".join(get(dev, "", False) + "\n" for dev in edition.developing),
            "unsubscribe_url": unsubscribe_url,
        },
    )
    html = _fill(
        _page(True, edition.title, day, base, parts),
        {
            "top": "".join(get(item, "", True) + "\n" for item in edition.top),
            "following": "".join(
                _section_heading(s.label, s.kind, True)
                + "".join(get(item, "", True) + "\n" for item in s.items)
                for s in edition.following
            ),
            "developing": "".join(get(dev, "", True) + "\n" for dev in edition.developing),
            "unsubscribe_url": str(escape(unsubscribe_url)),
        },
    )
    return RenderedEdition(subject_of(edition), _tidy_text(text), html)


_TRAILING_SPACE = re.compile(r"[ \t]+(?=\n)")
_BLANK_RUN = re.compile(r"\n{3,}")


def _tidy_text(text: str) -> str:
    """Collapse the blank runs template blocks leave, so the text part reads evenly.

    Each pattern runs only where a plain substring test finds work for it: the
    regular expression visits every space of the text, the test does not.
    """
    if " \n" in text or "\t\n" in text:
        text = _TRAILING_SPACE.sub("", text)
    if "\n\n\n" in text:
        text = _BLANK_RUN.sub("\n\n", text)
    return text.strip() + "\n"
