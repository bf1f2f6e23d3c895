"""Turning an edition into mail parts: a plain-text part and an HTML part, from Jinja2 templates.

Mail clients drop or mangle ``<style>`` blocks, so the HTML's CSS is inlined
onto each element by css-inline; the dark-mode rules stay in a ``<style>``
block (a media query cannot be inlined) and win with ``!important`` where a
client honours them. Both templates are autoescaped (HTML) or plain text with
nothing to escape; headlines and summaries come from the web and are never
trusted as markup.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date
from importlib import resources
from typing import Any

from newsdesk.brief.models import Edition


@dataclass(frozen=True, slots=True)
class RenderedEdition:
    subject: str
    text: str
    html: str


def _template_text(name: str) -> str:
    return resources.files("newsdesk.brief").joinpath("templates", name).read_text("utf-8")


@functools.cache
def _environment(autoescape: bool) -> Any:
    from jinja2 import DictLoader, Environment, StrictUndefined

    names = ("edition.txt.j2", "edition.html.j2")
    return Environment(
        loader=DictLoader({n: _template_text(n) for n in names}),
        autoescape=autoescape,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


@functools.cache
def _inliner() -> Any:
    import css_inline

    # The template carries its own CSS: nothing is fetched, nothing external is loaded.
    return css_inline.CSSInliner(keep_style_tags=False, load_remote_stylesheets=False)


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
    headline = lead.headline if len(lead.headline) <= 90 else lead.headline[:89] + "…"
    return f"{edition.title}, {label}: {headline}"


def render_edition(
    edition: Edition, *, email: str, base_url: str, unsubscribe_url: str
) -> RenderedEdition:
    """Subject, text part and HTML part (CSS inlined) of one edition."""
    context = {
        "edition": edition,
        "email": email,
        "base_url": base_url.rstrip("/"),
        "unsubscribe_url": unsubscribe_url,
        "day_label": day_label(edition.local_date),
    }
    text = _environment(False).get_template("edition.txt.j2").render(**context)
    page = (
        _environment(True)
        .get_template("edition.html.j2")
        .render(css=_template_text("edition.css"), **context)
    )
    html = _inliner().inline(page)
    # The dark-mode media query cannot be inlined; it rides in the head.
    dark = _template_text("dark.css")
    html = html.replace("</head>", f"<style>{dark}</style>\n</head>", 1)
    return RenderedEdition(subject_of(edition), _tidy_text(text), html)


def _tidy_text(text: str) -> str:
    """Collapse the blank runs template blocks leave, so the text part reads evenly."""
    lines: list[str] = []
    for line in text.splitlines():
        line = line.rstrip()
        if not line and lines and not lines[-1]:
            continue
        lines.append(line)
    return "\n".join(lines).strip() + "\n"
