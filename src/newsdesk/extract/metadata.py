"""Page metadata from the markup publishers put there for machines.

Title, authors, date, site name, canonical URL, language and description come
from, in order of trust: schema.org JSON-LD (what search engines read, so
publishers keep it right), OpenGraph and other ``<meta>`` tags, then plain
HTML (``<title>``, ``<link rel=canonical>``, ``<html lang>``). Each field is
taken from the first source that has it, so a page with only OpenGraph still
gets a full record. Pure: a parsed tree in, a :class:`PageMetadata` out.
"""

from __future__ import annotations

import html
import json
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

from lxml.html import HtmlElement

from newsdesk.domains import registrable_domain, same_site

__all__ = [
    "PageMetadata",
    "date_from_url",
    "extract_metadata",
    "parse_date",
    "split_author_names",
]

# schema.org types whose object describes the article itself.
_ARTICLE_TYPES = re.compile(
    r"(?:Article|BlogPosting|Report|Posting|Review|Story|Recipe|LiveBlogPosting)$", re.I
)
_ORG_TYPES = {"Organization", "NewsMediaOrganization", "WebSite", "Corporation"}
_DATE_META = (
    "article:published_time",
    "og:article:published_time",
    "datepublished",
    "pubdate",
    "publishdate",
    "publish-date",
    "publish_date",
    "date",
    "dc.date",
    "dc.date.issued",
    "dcterms.created",
    "dcterms.date",
    "sailthru.date",
    "parsely-pub-date",
    "article.published",
    "cxenseparse:recs:publishtime",
    "original-publish-date",
)
_AUTHOR_META = (
    "author",
    "article:author",
    "dc.creator",
    "dcterms.creator",
    "sailthru.author",
    "parsely-author",
    "byl",
    "twitter:creator",
)
_WS = re.compile(r"\s+")
# Placeholder accounts of publishing systems, never a journalist's name.
_NOT_AUTHOR = re.compile(
    r"^(?:admin|administrator|editor|staff|webmaster|guest|user|root|author)$", re.I
)
# A part of an author field that is a job title, not a name ("Jane Doe, Staff Reporter").
_ROLE = re.compile(
    r"\b(?:reporter|correspondent|writer|editor|columnist|staff|contributor|journalist|bureau)s?\b",
    re.I,
)
_BY = re.compile(
    r"^\s*(?:(?:analysis|opinion|commentary|review|story|words|text|written|reporting)\s+)?"
    r"(?:by|par|von|di|por)\s+",
    re.I,
)
# Degrees and post-nominals that follow a name after a comma ("Ana Brun, MS, RDN").
_POSTNOMINAL = re.compile(r"^(?:[A-Z]{2,4}|Ph\.?D\.?|M\.?D\.?|Jr\.?|Sr\.?)$")
_AND = re.compile(r"\s*(?:,|;|\||\band\b|\bund\b|\bet\b|&)\s*", re.I)
# A part of an author field naming a publication, not a person ("Valley Media", "echo.com").
_ORG = re.compile(
    r"\w\.(?:com|org|net|co|info|news|uk|de|fr|io)\b|\bwww\.|"
    r"\b(?:media|news|network|press|agency|magazine|newspaper|times|post|journal|"
    r"gazette|herald|tribune|group|inc|ltd|llc)\b",
    re.I,
)


@dataclass(frozen=True, slots=True)
class PageMetadata:
    """What the page says about itself; every field may be missing."""

    title: str | None = None
    authors: tuple[str, ...] = ()
    published: datetime | None = None
    site_name: str | None = None
    canonical_url: str | None = None
    language: str | None = None
    description: str | None = None
    # Every form of the headline the page shows (meta, h1, <title>): the body
    # extractor drops any of them repeated at the top of the text.
    headlines: tuple[str, ...] = ()
    # claims of the page that were not believed (another site's canonical URL or name)
    warnings: tuple[str, ...] = ()


def extract_metadata(tree: HtmlElement, url: str | None = None) -> PageMetadata:
    """Metadata of the page parsed as ``tree``; ``url`` resolves relative links."""
    ld = _json_ld(tree)
    meta = _meta_tags(tree)
    html_title = _clean(" ".join(tree.xpath("//head/title//text()"))) or None
    site_name = (
        ld.get("site_name")
        or meta.get("og:site_name")
        or meta.get("application-name")
        or meta.get("twitter:site", "").lstrip("@")
        or None
    )
    if site_name and _is_url(site_name):  # "https://www.example.com" given as a name
        site_name = urlsplit(site_name).netloc.removeprefix("www.")
    title = ld.get("title") or meta.get("og:title") or meta.get("twitter:title")
    if not title and html_title:
        title = _strip_site_suffix(html_title, site_name)
    authors = ld.get("authors") or ()
    if not authors:
        for key in _AUTHOR_META:
            value = meta.get(key)
            if value and not _is_url(value) and not value.startswith("@"):
                authors = split_author_names(value)
                break
    authors = tuple(a for a in authors if _is_person_credit(a, site_name))
    published = ld.get("published")
    if published is None:
        for key in _DATE_META:
            published = parse_date(meta.get(key))
            if published is not None:
                break
    if published is None:
        published = _time_element_date(tree)
    warnings: list[str] = []
    canonical = _canonical(tree, ld, meta, url)
    if url and canonical and canonical != url and not same_site(canonical, url):
        warnings.append(
            f"the page claims the canonical URL {canonical}, on another site than its own "
            f"address; the address was kept"
        )
        canonical = url
    shown_name = _clean(site_name) if site_name else None
    if url and shown_name and not _name_fits_site(shown_name, url):
        warnings.append(
            f"the page calls its site {shown_name!r}, which its address "
            f"({registrable_domain(url)}) does not show; the site name was not kept"
        )
        shown_name = None
    language = _language(tree, ld, meta)
    description = ld.get("description") or meta.get("og:description") or meta.get("description")
    h1 = next((_clean(h.text_content()) for h in tree.iter("h1") if _clean(h.text_content())), None)
    headlines = tuple(
        dict.fromkeys(
            _clean(t)
            for t in (title, meta.get("og:title"), meta.get("twitter:title"), h1, html_title)
            if t and _clean(t)
        )
    )
    return PageMetadata(
        headlines=headlines,
        title=_clean(title) or _clean(h1) or None,
        authors=tuple(dict.fromkeys(authors)),
        published=published,
        site_name=shown_name or None,
        canonical_url=canonical,
        language=language,
        description=_clean(description) or None,
        warnings=tuple(warnings),
    )


_NAME_WORD = re.compile(r"[^\W\d_]+")
_NAME_FILLER = frozenset({"the", "a", "an", "le", "la", "les", "el", "der", "die", "das"})


def _ascii_fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _name_fits_site(name: str, url: str) -> bool:
    """Whether a site name could belong to the site at ``url``: one of its words, or its
    initials, appear in the site's registrable domain ("BBC News" / bbc.co.uk, "Wall
    Street Journal" / wsj.com). A name another site claims rarely does."""
    domain = registrable_domain(url)
    if not domain:
        return True
    host = (urlsplit(url).hostname or "").lower()
    labels = _ascii_fold(host.removesuffix(domain) + domain.split(".")[0]).replace("-", "")
    words = [w for w in _NAME_WORD.findall(_ascii_fold(name)) if w not in _NAME_FILLER]
    if not words:
        return True  # nothing to compare ("24/7"): no claim to refuse
    if any(len(w) >= 3 and w in labels for w in words):
        return True
    main = _ascii_fold(domain.split(".")[0]).replace("-", "")
    if len(main) >= 3 and main in "".join(words):  # "@bbcnews", "TheGuardian"
        return True
    if any(len(w) == 2 and labels.startswith(w) for w in words):
        return True
    initials = "".join(w[0] for w in words)
    return len(initials) >= 2 and initials in labels


# --- JSON-LD -----------------------------------------------------------------


def _json_ld(tree: HtmlElement) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for script in tree.xpath('//script[contains(translate(@type, "LDJSON", "ldjson"), "ld+json")]'):
        raw = (script.text or "").strip()
        if not raw:
            continue
        raw = re.sub(r"^\s*(?://\s*)?<!\[CDATA\[|(?://\s*)?\]\]>\s*$", "", raw)
        try:
            data = json.loads(raw, strict=False)
        except (ValueError, RecursionError):  # broken, or nested deeper than any real article
            continue
        for obj in _objects(data):
            types = obj.get("@type")
            if isinstance(types, str):
                types = [types]
            type_names = [t for t in types or [] if isinstance(t, str)]
            if any(_ARTICLE_TYPES.search(t) for t in type_names):
                _take_article(obj, found)
            elif any(t in _ORG_TYPES for t in type_names) and "site_name" not in found:
                name = _text(obj.get("name"))
                if name:
                    found["site_name_fallback"] = found.get("site_name_fallback") or name
    if "site_name" not in found and found.get("site_name_fallback"):
        found["site_name"] = found["site_name_fallback"]
    return found


def _objects(data: Any, depth: int = 0) -> Iterator[dict[str, Any]]:
    """Every dict in the JSON-LD, @graph and lists included, outermost first."""
    if depth > 6:
        return
    if isinstance(data, list):
        for item in data:
            yield from _objects(item, depth + 1)
    elif isinstance(data, dict):
        yield data
        for key in ("@graph", "mainEntity", "itemListElement"):
            if key in data:
                yield from _objects(data[key], depth + 1)


def _take_article(obj: dict[str, Any], found: dict[str, Any]) -> None:
    """Fill what is still missing in ``found`` from one article object."""
    if "title" not in found:
        title = _text(obj.get("headline")) or _text(obj.get("name"))
        if title:
            found["title"] = title
    if "authors" not in found:
        names = _person_names(obj.get("author")) or _person_names(obj.get("creator"))
        if names:
            found["authors"] = names
    if "published" not in found:
        when = parse_date(_text(obj.get("datePublished")))
        when = when or parse_date(_text(obj.get("dateCreated")))
        if when:
            found["published"] = when
    if "site_name" not in found:
        publisher = obj.get("publisher")
        if isinstance(publisher, list) and publisher:
            publisher = publisher[0]
        name = _text(publisher.get("name")) if isinstance(publisher, dict) else _text(publisher)
        if name:
            found["site_name"] = name
    if "url" not in found:
        page = obj.get("mainEntityOfPage")
        link = _text(page.get("@id") or page.get("url")) if isinstance(page, dict) else _text(page)
        link = link or _text(obj.get("url"))
        if link and _is_url(link):
            found["url"] = link
    if "language" not in found:
        lang = obj.get("inLanguage")
        if isinstance(lang, dict):
            lang = lang.get("alternateName") or lang.get("name")
        if _text(lang):
            found["language"] = _text(lang)
    if "description" not in found and _text(obj.get("description")):
        found["description"] = _text(obj.get("description"))


def _person_names(value: Any) -> tuple[str, ...]:
    items = value if isinstance(value, list) else [value]
    names: list[str] = []
    for item in items:
        if isinstance(item, dict):
            name = _text(item.get("name"))
            if not name and (item.get("givenName") or item.get("familyName")):
                name = " ".join(_text(item.get(k)) for k in ("givenName", "familyName")).strip()
            if name:
                names.extend(split_author_names(name))
        elif isinstance(item, str) and item.strip() and not _is_url(item):
            names.extend(split_author_names(item))
    return tuple(n for n in (_clean(n) for n in names) if n)


def _text(value: Any) -> str:
    if isinstance(value, str):
        return _clean(value)
    if isinstance(value, list) and value and isinstance(value[0], str):
        return _clean(value[0])
    return ""


# --- meta tags and plain HTML ------------------------------------------------


def _meta_tags(tree: HtmlElement) -> dict[str, str]:
    """First value of every <meta name|property|itemprop> on the page, keys lowercased."""
    out: dict[str, str] = {}
    for el in tree.iter("meta"):
        key = el.get("property") or el.get("name") or el.get("itemprop") or el.get("http-equiv")
        value = el.get("content")
        if key and value and value.strip():
            out.setdefault(key.strip().lower(), value.strip())
        elif el.get("itemprop") and el.get("datetime"):
            out.setdefault(el.get("itemprop").strip().lower(), el.get("datetime").strip())
    return out


def _time_element_date(tree: HtmlElement) -> datetime | None:
    query = '//time[@datetime][@itemprop="datePublished" or @pubdate]|//time[@datetime]'
    for el in tree.xpath(query)[:3]:
        when = parse_date(el.get("datetime"))
        if when:
            return when
    return None


def _canonical(
    tree: HtmlElement, ld: dict[str, Any], meta: dict[str, str], url: str | None
) -> str | None:
    candidates = [
        *(el.get("href") for el in tree.xpath('//link[@rel="canonical"][@href]')[:1]),
        meta.get("og:url"),
        ld.get("url"),
    ]
    for link in candidates:
        if not link or not link.strip():
            continue
        try:
            absolute = str(urljoin(url, link.strip()) if url else link.strip())
        except ValueError:  # "http://[::1": a broken link is no canonical URL
            continue
        if _is_url(absolute):
            return absolute
    return url


def _language(tree: HtmlElement, ld: dict[str, Any], meta: dict[str, str]) -> str | None:
    values = [
        ld.get("language"),
        tree.get("lang"),
        tree.get("{http://www.w3.org/XML/1998/namespace}lang"),
        meta.get("content-language"),
        meta.get("og:locale"),
        meta.get("language"),
    ]
    for value in values:
        code = normalise_language(value)
        if code:
            return code
    return None


def normalise_language(value: str | None) -> str | None:
    """'en-US', 'en_GB', 'EN' -> 'en'; anything that is not a language tag -> None."""
    if not value:
        return None
    match = re.match(r"^\s*([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]+)*\s*$", value.split(",")[0])
    return match.group(1).lower() if match else None


def _strip_site_suffix(title: str, site_name: str | None) -> str:
    """'Headline | Outlet' -> 'Headline': the part that is not the site's name."""
    if site_name:
        # A colon is ordinary punctuation in headlines ("Brévannes : le marché déplacé"),
        # so it separates the site's name only when that name is on one side of it.
        named = re.split(r"\s+:\s+", title)
        if len(named) == 2 and site_name.casefold() in (named[0].casefold(), named[1].casefold()):
            return named[1] if named[0].casefold() == site_name.casefold() else named[0]
    parts = re.split(r"\s+[|–—·•»-]\s+", title)
    if len(parts) < 2:
        return title
    if site_name:
        kept = [p for p in parts if p.casefold() != site_name.casefold()]
        if kept and len(kept) < len(parts):
            return " - ".join(kept)
    longest = max(parts, key=len)
    return longest if len(longest.split()) >= 3 else title


# --- values ------------------------------------------------------------------


def parse_date(value: str | None) -> datetime | None:
    """ISO 8601 or RFC 2822 to an aware datetime (UTC when the page gives no zone)."""
    if not value:
        return None
    text = value.strip()
    if re.fullmatch(r"\d{10}(?:\d{3})?", text):  # epoch seconds or milliseconds
        seconds = int(text[:10])
        return datetime.fromtimestamp(seconds, tz=UTC) if seconds > 0 else None
    iso = text.replace(" ", "T", 1) if re.match(r"\d{4}-\d{2}-\d{2} \d", text) else text
    iso = re.sub(r"Z$", "+00:00", iso)
    iso = re.sub(r"([+-]\d{2})(\d{2})$", r"\1:\2", iso)
    try:
        when = datetime.fromisoformat(iso)
    except ValueError:
        try:
            when = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    if not 1990 <= when.year <= 2100:
        return None
    return when


_URL_DATE = re.compile(
    r"/((?:19|20)\d{2})/(\d{1,2}|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)/(\d{1,2})(?:/|$)",
    re.I,
)
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def date_from_url(url: str | None) -> datetime | None:
    """The day in a dated article path ("/2031/03/14/slug", "/2031/mar/14/"), as UTC midnight."""
    if not url:
        return None
    match = _URL_DATE.search(urlsplit(url).path)
    if not match:
        return None
    year, month, day = match.groups()
    month_no = _MONTHS.index(month.lower()) + 1 if month.isalpha() else int(month)
    try:
        return datetime(int(year), month_no, int(day), tzinfo=UTC)
    except ValueError:
        return None


def split_author_names(value: str) -> tuple[str, ...]:
    """'By Jane Doe and Ali Ren' -> ('Jane Doe', 'Ali Ren'); roles and outlets fall away.

    "TOM KRISHER, AP Auto Writer" gives "Tom Krisher"; "Troy Smith, Cleveland.com"
    gives "Troy Smith". A field that is only an outlet or agency ("Reuters")
    stays as it is: the piece is credited to it.
    """
    text = _BY.sub("", _clean(value))
    if not text:
        return ()
    parts = [p.strip() for p in _AND.split(text) if p.strip()]
    names = [
        p
        for p in parts
        if not (_ROLE.search(p) or _ORG.search(p) or _POSTNOMINAL.match(p)) and len(p.split()) <= 4
    ]
    if names:
        return tuple(_name_case(n) for n in names)
    if len(parts) == 1 and len(text.split()) <= 6 and not _ROLE.search(text):
        return (text,)
    return ()


def _is_person_credit(name: str, site_name: str | None) -> bool:
    """Not a CMS account ("admin", "kevin-r") and not the outlet itself ("CNN Business" on CNN)."""
    if _NOT_AUTHOR.match(name) or (" " not in name and name == name.lower()):
        return False
    if site_name:
        a, b = name.casefold(), site_name.casefold()
        if a == b or (len(a) > 3 and a in b) or (len(b) >= 3 and a.startswith(b + " ")):
            return False
    return True


def _name_case(name: str) -> str:
    """Names set in capitals ("TOM KRISHER") in the case people write them."""
    if name.isupper() and len(name) > 3:
        return " ".join(w if "." in w else w.capitalize() for w in name.split())
    return name


def _clean(value: str | None) -> str:
    """Spaces collapsed and entities decoded (JSON-LD often carries "&#8216;" as text)."""
    text = value or ""
    if "&" in text:
        text = html.unescape(text)
    return _WS.sub(" ", text).strip()


def _is_url(value: str) -> bool:
    try:
        parts = urlsplit(value.strip())
        parts.port  # noqa: B018 - a port out of range is no URL either
    except ValueError:  # "http://[::1", "http://host:99999/"
        return False
    return parts.scheme in {"http", "https"} and bool(parts.netloc)
