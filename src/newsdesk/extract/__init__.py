"""Extract stage: a page (HTML or saved as text) in, a clean :class:`Article` out."""

from __future__ import annotations

from newsdesk.config import get_settings
from newsdesk.errors import ExtractionError
from newsdesk.extract.decode import check_size, decode_page, is_html
from newsdesk.models import Article

__all__ = ["extract_article"]


def extract_article(page: bytes | str, *, url: str | None = None, origin: str = "page") -> Article:
    """Extract the article from ``page``; HTML or plain text is detected.

    Raises :class:`~newsdesk.errors.InputError` for input that is not a page
    (empty, binary, undecodable, over the size limit) and
    :class:`~newsdesk.errors.ExtractionError` for a page without an article.
    """
    settings = get_settings()
    size = len(page) if isinstance(page, bytes) else len(page.encode("utf-8", "surrogatepass"))
    check_size(size, settings.max_page_bytes, origin)
    text = decode_page(page, origin) if isinstance(page, bytes) else page
    if not text.strip():
        decode_page(b"", origin)  # raises the "empty" error
    if is_html(text):
        from newsdesk.extract.html.article import extract_from_html

        article = extract_from_html(text, url=url)
        if article.word_count < settings.min_article_words and not text.lstrip().startswith("<"):
            # Text that only shows some markup (a page saved as text with a code sample
            # or an advert's snippet in it): read as text when that finds the article.
            from newsdesk.extract.text.article import extract_from_text

            as_text = extract_from_text(text, url=url)
            if as_text.word_count > article.word_count:
                article = as_text
    else:
        from newsdesk.extract.text.article import extract_from_text

        article = extract_from_text(text, url=url)
    return _checked(article, origin, settings.min_article_words)


def _checked(article: Article, origin: str, min_words: int) -> Article:
    # The minimum counts the headline too: a 60-word news brief is an article even when
    # its headline and furniture are taken out of the body first.
    from newsdesk.models import count_words

    words = article.word_count
    headline = 0 if article.title_generated else count_words(article.title)
    if words == 0 or words + headline < min_words:
        raise ExtractionError(
            f"{origin} has no article text (only {words} words after removing page chrome)",
            hint="is it a home page, a login wall or an error page? give the article's own page",
        )
    if article.language is None:
        from dataclasses import replace

        from newsdesk.extract.language import detect_language

        article = replace(article, language=detect_language(article.body))
    return article
