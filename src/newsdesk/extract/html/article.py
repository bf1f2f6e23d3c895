"""Articles from HTML pages: trafilatura finds the main text, our rules clean it.

The steps, each measured on the benchmark (bench/extraction_html.py):

1. parse once with lxml (trafilatura's lenient loader);
2. metadata from JSON-LD, OpenGraph and meta tags (:mod:`.metadata`), which
   is cheaper and more precise than trafilatura's own metadata pass;
3. the main text from ``trafilatura.bare_extraction`` with ``fast=True``
   (its fallback extractors cost half the time and lowered F1 here) and
   ``favor_recall=True`` (keeps short paragraphs the default drops);
4. the body walked as typed blocks (:mod:`.blocks`) and cleaned of the
   headline repeated on top and chrome lines (:mod:`.chrome`);
   a body cut short because the page splits it over sibling blocks is
   extracted block by block and joined (:mod:`.continuation`);
5. byline and contributor lines moved from the body to credits
   (:func:`newsdesk.extract.byline.split_credits`);
6. the publication date from metadata, else a dated URL ("/2031/03/14/"),
   else htmldate's quick look at the page;
7. language detected from the body, the page's declared language as fallback.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from newsdesk.extract.byline import credit_names, split_credits
from newsdesk.extract.html.blocks import Block, body_blocks
from newsdesk.extract.html.chrome import clean_blocks
from newsdesk.extract.html.continuation import continuation_container
from newsdesk.extract.html.links import LINK_LINE, link_shares, with_link_shares
from newsdesk.extract.metadata import PageMetadata, date_from_url, extract_metadata
from newsdesk.models import Article, Credit, count_words

if TYPE_CHECKING:
    from lxml.html import HtmlElement

__all__ = ["extract_from_html"]

#: A body shorter than this from trafilatura's fast pass is extracted again with its full pass.
SHORT_BODY_WORDS = 60


def extract_from_html(html: str, *, url: str | None = None) -> Article:
    """The article in ``html``: body paragraphs, credits and metadata.

    Never raises for odd markup: a page without a main text gives an article
    with no paragraphs, and the caller (:func:`newsdesk.extract_article`)
    decides whether that is an error.
    """
    from trafilatura.utils import load_html

    tree = load_html(html)
    if tree is None:
        return Article(
            title="",
            paragraphs=(),
            url=url,
            canonical_url=url,
            extraction_method="html",
            warnings=("the page has no HTML body",),
        )
    _check_elements(tree)
    meta = extract_metadata(tree, url)
    title = meta.title or ""
    shares = link_shares(tree)
    blocks = clean_blocks(
        with_link_shares(_main_blocks(tree, url), shares),
        headlines=meta.headlines,
        description=meta.description,
    )
    if _words(blocks) < SHORT_BODY_WORDS:  # the fast path can miss what the full pass finds
        full = clean_blocks(
            with_link_shares(_main_blocks(tree, url, fast=False), shares),
            headlines=meta.headlines,
            description=meta.description,
        )
        if _words(full) > _words(blocks):
            blocks = full
    container = continuation_container(tree, [b.text for b in blocks])
    warnings: list[str] = list(meta.warnings)
    if container is not None:
        joined = _joined_blocks(container, meta)
        if sum(b.words for b in joined) > sum(b.words for b in blocks):
            blocks = joined
            warnings.append("the body was split over several page blocks; they were joined")
    if not _has_prose(blocks):
        blocks = []  # a menu, a link list or a login form is not an article
    paragraphs, credits = split_credits([b.text for b in blocks])
    authors, contributors, credits = _merge_credits(meta, credits)
    published = (
        meta.published
        or date_from_url(meta.canonical_url)
        or date_from_url(url)
        or _date_from_page(tree)
    )
    language = _language(paragraphs, meta.language)
    if not title:
        warnings.append("no headline found on the page")
    if published is None:
        warnings.append("no publication date found on the page")
    return Article(
        title=title,
        paragraphs=paragraphs,
        url=url,
        canonical_url=meta.canonical_url or url,
        authors=authors,
        contributors=contributors,
        credits=credits,
        outlet=meta.site_name,
        published=published,
        language=language,
        description=meta.description,
        extraction_method="html",
        warnings=tuple(warnings),
    )


def _check_elements(tree: HtmlElement) -> None:
    """Refuse a page with more elements than any article page has, before trafilatura.

    Why: trafilatura's cost grows faster than the element count on flat pages
    (690,000 sibling ``<div>``: 41 s and 1.3 GB; 600,000 ``<p>``: killed after
    10 minutes), while counting them is one quick pass over the parsed tree.
    """
    from newsdesk.config import get_settings
    from newsdesk.errors import ExtractionError

    limit = get_settings().max_page_elements
    for count, _ in enumerate(tree.iter(), start=1):
        if count > limit:
            raise ExtractionError(
                f"the page has more than {limit:,} HTML elements; no article page is that large",
                hint="raise NEWSDESK_MAX_PAGE_ELEMENTS if this page is genuine",
            )


def _main_blocks(tree: HtmlElement, url: str | None = None, *, fast: bool = True) -> list[Block]:
    """trafilatura's main text of ``tree`` (left unchanged: trafilatura works on a copy)."""
    from trafilatura import bare_extraction

    doc = bare_extraction(
        tree,
        url=url,
        fast=fast,
        favor_recall=True,
        include_comments=False,
        with_metadata=False,
        include_tables=True,
    )
    body = getattr(doc, "body", None)  # a Document; None when nothing was found
    return body_blocks(body) if body is not None else []


def _joined_blocks(container: HtmlElement, meta: PageMetadata) -> list[Block]:
    """Each child of ``container`` extracted on its own, in page order, then cleaned."""
    from copy import deepcopy

    from lxml.html import document_fromstring

    blocks: list[Block] = []
    for child in container:
        if not isinstance(child.tag, str) or _link_density(child) > 0.5:
            continue  # lists of links between the blocks: more stories, tags, sharing
        if count_words(child.text_content()) < 10:
            continue
        page = document_fromstring("<html><body></body></html>")
        page.body.append(deepcopy(child))
        blocks.extend(_main_blocks(page))
    blocks = clean_blocks(blocks, headlines=meta.headlines, description=meta.description)
    while blocks and blocks[-1].kind in ("item", "head"):
        blocks.pop()  # the "more stories" list that closes the last block
    return blocks


def _link_density(element: HtmlElement) -> float:
    text = len(" ".join(element.text_content().split()))
    linked = sum(len(" ".join(a.text_content().split())) for a in element.iter("a"))
    return linked / text if text else 1.0


def _has_prose(blocks: list[Block]) -> bool:
    """Some running text: one block of sentence length that is not a heading or a link.

    List items count: a recipe's steps, a list post's entries and a forum's posts are
    the article. A menu or a list of links is not (short items, or all link text).
    """
    return any(
        b.kind != "head" and b.link_share < LINK_LINE and count_words(b.text) >= 10 for b in blocks
    )


def _words(blocks: list[Block]) -> int:
    return sum(count_words(b.text) for b in blocks)


def _merge_credits(
    meta: PageMetadata, credits: tuple[Credit, ...]
) -> tuple[tuple[str, ...], tuple[str, ...], tuple[Credit, ...]]:
    """Authors from the page's metadata first, then those named in body bylines."""
    body_authors, contributors = credit_names(credits)
    seen = {name.casefold() for name in meta.authors}
    authors = list(meta.authors) + [a for a in body_authors if a.casefold() not in seen]
    known = {c.name.casefold() for c in credits}
    extra = tuple(Credit(name=a, kind="author") for a in meta.authors if a.casefold() not in known)
    author_keys = {a.casefold() for a in authors}
    contributors = tuple(c for c in contributors if c.casefold() not in author_keys)
    return tuple(dict.fromkeys(authors)), contributors, extra + credits


def _date_from_page(tree: HtmlElement) -> datetime | None:
    """The date in the page's text or URL patterns when no metadata gives one (htmldate)."""
    from htmldate import find_date

    try:
        found = find_date(tree, extensive_search=False, original_date=True, outputformat="%Y-%m-%d")
    except Exception:  # htmldate is lenient but third-party markup is endless; no date is fine
        return None
    if not found:
        return None
    try:
        return datetime.strptime(found, "%Y-%m-%d").replace(tzinfo=UTC)
    except ValueError:
        return None


def _language(paragraphs: tuple[str, ...], declared: str | None) -> str | None:
    """What the body is written in; templates often declare the wrong language, text doesn't."""
    from newsdesk.extract.language import detect_language

    detected = detect_language("\n".join(paragraphs))
    return detected or declared
