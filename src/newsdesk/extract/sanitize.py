"""Article HTML made safe to show: only text markup, only web links.

Everything newsdesk shows comes from pages and feeds written by strangers, so
markup is sanitised on the way out to the web page, the e-mail brief and the
API's HTML fields. nh3 (the Rust ``ammonia`` sanitiser) parses the fragment as
a browser would and keeps only an allow-list: paragraphs, emphasis, lists,
quotes, headings, tables and links. Scripts, styles, iframes, forms, event
handlers (``onerror``...), ``style`` attributes and every URL scheme but
http(s) and mailto are removed; links get ``rel="noopener noreferrer
nofollow"``. Images are off by default: a remote image tells its server who
is reading what, which a personal news service should not do unasked.
"""

from __future__ import annotations

import html as html_lib
from collections.abc import Iterable
from urllib.parse import urljoin, urlsplit

__all__ = ["paragraphs_to_html", "sanitize_html"]

_TEXT_TAGS = frozenset(
    {
        "p",
        "br",
        "a",
        "em",
        "strong",
        "b",
        "i",
        "u",
        "s",
        "q",
        "blockquote",
        "cite",
        "abbr",
        "sub",
        "sup",
        "small",
        "mark",
        "code",
        "pre",
        "kbd",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "ul",
        "ol",
        "li",
        "dl",
        "dt",
        "dd",
        "hr",
        "table",
        "caption",
        "thead",
        "tbody",
        "tfoot",
        "tr",
        "th",
        "td",
        "figure",
        "figcaption",
        "time",
        "span",
        "div",
    }
)
# Removed with everything inside them, not just unwrapped.
_DROP_WITH_CONTENT = frozenset(
    {
        "script",
        "style",
        "iframe",
        "object",
        "embed",
        "noscript",
        "template",
        "svg",
        "math",
        "form",
        "button",
        "select",
        "textarea",
        "input",
        "frame",
        "frameset",
        "applet",
        "canvas",
        "audio",
        "video",
        "title",
        "head",
        "meta",
        "link",
        "base",
    }
)
_SCHEMES = frozenset({"http", "https", "mailto"})
_URL_ATTRIBUTES = {("a", "href"), ("img", "src")}


def sanitize_html(fragment: str, *, base_url: str | None = None, allow_images: bool = False) -> str:
    """``fragment`` with only safe text markup left; relative links resolved against ``base_url``.

    A link whose URL is not http(s) or mailto (``javascript:``, ``data:``,
    ``vbscript:``...) loses its ``href`` and stays as plain text.
    """
    import nh3

    tags = set(_TEXT_TAGS)
    attributes: dict[str, set[str]] = {
        "a": {"href", "title"},
        "abbr": {"title"},
        "time": {"datetime"},
        "td": {"colspan", "rowspan"},
        "th": {"colspan", "rowspan", "scope"},
        "ol": {"start"},
    }
    drop = set(_DROP_WITH_CONTENT)
    if allow_images:
        tags.add("img")
        attributes["img"] = {"src", "alt", "title", "width", "height"}
    else:
        drop.add("img")
        tags.discard("img")

    def keep_attribute(tag: str, attribute: str, value: str) -> str | None:
        if (tag, attribute) not in _URL_ATTRIBUTES:
            return value
        return _safe_url(value, base_url)

    return nh3.clean(
        fragment,
        tags=tags,
        clean_content_tags=drop - tags,
        attributes=attributes,
        attribute_filter=keep_attribute,
        strip_comments=True,
        link_rel="noopener noreferrer nofollow",
        url_schemes=set(_SCHEMES),
    )


def paragraphs_to_html(paragraphs: Iterable[str]) -> str:
    """Plain-text paragraphs as ``<p>`` elements, every character escaped."""
    return "\n".join(f"<p>{html_lib.escape(p)}</p>" for p in paragraphs if p.strip())


def _safe_url(value: str, base_url: str | None) -> str | None:
    # Browsers ignore ASCII control characters and spaces inside a scheme
    # ("java\tscript:"), so they go before the scheme is checked.
    url = "".join(ch for ch in value.strip() if ch >= " " and ch != "\x7f")
    try:
        if base_url and not urlsplit(url).scheme:
            url = urljoin(base_url, url)
        parts = urlsplit(url)
    except ValueError:  # "http://[::1": not a URL a reader could follow
        return None
    if parts.scheme.lower() not in _SCHEMES:
        return None
    if parts.scheme.lower() in {"http", "https"} and not parts.netloc:
        return None
    return url
