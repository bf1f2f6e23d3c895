"""What a page, a mail or an Atom feed will show is text, and links go only to the web
(issue 17, point 4).

Feeds carry entry links ``javascript:``, ``data:`` and ``vbscript:``, and titles
and bodies that decode to ``<img src=x onerror=...>``. Each payload goes in
through a feed entry and the store's door; what comes back out is rendered
through the CLI's text output, the shared Jinja2 environment (the one the web
app and mail use) and the Atom writer, and in each it shows as text and never
becomes markup or a live link.
"""

from __future__ import annotations

from datetime import UTC, datetime
from xml.sax.saxutils import escape

import lxml.html
import pytest
from lxml import etree

from newsdesk.models import Article

NOW = datetime(2031, 3, 14, 9, 0, tzinfo=UTC)

MARKUP_PAYLOADS = [
    "<img src=x onerror=alert(1)>",
    "<script>alert(1)</script>",
    '"><svg onload=alert(1)>',
    '<a href="javascript:alert(1)">click</a>',
    '<iframe src="data:text/html,<script>alert(1)</script>"></iframe>',
    "{{ 7 * 7 }}{% raw %}",
    "]]><x>",
]
LINK_PAYLOADS = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "vbscript:msgbox(1)",
    "java\tscript:alert(1)",
]


def _feed(title: str, link: str, description: str) -> bytes:
    item = (
        f"<item><title>{escape(escape(title))}</title><link>{escape(link)}</link>"
        f"<guid>{escape(link or title)}</guid>"
        f"<author>{escape(title)}</author>"
        f"<description>{escape(escape(description))} and the harbour board met."
        "</description></item>"
    )
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Fennick Post</title>'
        f"<link>https://news.example/</link>{item}</channel></rss>"
    ).encode()


def _stored_through_feed(db: object, title: str, link: str, body: str) -> Article:
    from newsdesk.extract.feed_entry import article_from_item
    from newsdesk.jobs.pipeline import store_articles
    from newsdesk.sources.feeds.parse import parse_feed
    from newsdesk.store.articles import get_article

    parsed = parse_feed(_feed(title, link, body), url="https://news.example/feed.xml")
    article = article_from_item(parsed.entries[0], parsed.feed)
    assert article is not None
    with db.begin() as conn:  # type: ignore[attr-defined]
        outcome = store_articles(conn, [article], now=NOW, enrich=False)[0]
        return get_article(conn, outcome.article_id)[1]


def _jinja_page(article: Article) -> str:
    from newsdesk.views.templating import make_jinja_env

    template = make_jinja_env().from_string(
        "<html><body><h1>{{ a.title }}</h1>"
        '{% if a.url %}<a href="{{ a.url }}">read</a>{% endif %}'
        "<p class=by>{{ a.authors | join(', ') }} · {{ a.outlet }}</p>"
        "{% for p in a.paragraphs %}<p>{{ p }}</p>{% endfor %}</body></html>"
    )
    return template.render(a=article)


def _web_page(article: Article) -> str:
    """The web app's own environment (newsdesk.web.render), as its templates get it."""
    from types import SimpleNamespace

    from newsdesk.web.render import make_environment

    env = make_environment(SimpleNamespace(url=lambda path: "/static/" + path))  # type: ignore[arg-type]
    template = env.from_string(
        "<html><body><h1>{{ a.title }}</h1>"
        '{% if a.url %}<a href="{{ a.url }}">read</a>{% endif %}'
        "<p>{{ a.authors | join(', ') }} · {{ a.outlet }}</p>"
        "{% for p in a.paragraphs %}<p>{{ p }}</p>{% endfor %}</body></html>"
    )
    return template.render(a=article)


def _web_atom(article: Article) -> bytes:
    """The web app's Atom feeds (newsdesk.web.atom.render_atom), with the stored fields."""
    from newsdesk.web.atom import render_atom

    entry = {
        "id": 1,
        "title": article.title,
        "url": article.url,
        "authors": list(article.authors),
        "outlet": article.outlet,
        "published_at": None,
    }
    return render_atom("https://desk.example", "/feeds/following", article.title, [entry])


def _assert_inert_html(page: str) -> None:
    tree = lxml.html.fromstring(page)
    assert not tree.xpath("//script|//iframe|//svg|//img|//object|//embed")
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        for name, value in element.attrib.items():
            assert not name.lower().startswith("on"), f"{name} on <{element.tag}>"
            if name in ("href", "src"):
                assert value.startswith(("http://", "https://")), value


def _assert_inert_atom(document: bytes, article: Article) -> None:
    root = etree.fromstring(document)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    assert root.findtext("a:entry/a:title", namespaces=ns) == article.title  # text, as stored
    for link in root.iterfind(".//a:link", ns):
        assert link.get("href", "").startswith(("http://", "https://"))
    for element in root.iter():
        assert etree.QName(element).namespace == ns["a"]  # no element smuggled in
    for content in root.iterfind(".//a:content", ns):  # HTML content, once unescaped
        _assert_inert_html("<div>" + (content.text or "") + "</div>")


def _atom(article: Article) -> bytes:
    from newsdesk.views.atom import AtomEntry, AtomFeed, write_atom

    entry = AtomEntry(
        id=article.canonical_url or article.url or "urn:newsdesk:1",
        title=article.title,
        updated=NOW,
        link=article.url,
        authors=article.authors,
        summary=article.description or article.body[:200],
        content_html="".join(f"<p>{p}</p>" for p in article.paragraphs),  # raw, as the worst case
    )
    return write_atom(AtomFeed("urn:newsdesk:test", article.outlet or "x", NOW, entries=[entry]))


@pytest.mark.parametrize("payload", MARKUP_PAYLOADS)
def test_markup_in_stored_text_renders_as_text(db, cli, payload):
    article = _stored_through_feed(
        db, f"Budget {payload} agreed", "https://news.example/a", payload
    )
    assert payload in article.title  # stored as the text the feed meant
    for page in (_jinja_page(article), _web_page(article)):
        _assert_inert_html(page)
        assert "&lt;" in page or "<" not in payload
    _assert_inert_atom(_atom(article), article)
    _assert_inert_atom(_web_atom(article), article)
    listed = cli("articles", "list")
    assert listed.code == 0, listed
    assert "MarkupError" not in listed.stderr


@pytest.mark.parametrize("link", LINK_PAYLOADS)
def test_only_web_links_are_stored(db, link):
    article = _stored_through_feed(db, "Harbour budget agreed", link, "The board met.")
    assert article.url is None and article.canonical_url is None
    _assert_inert_html(_jinja_page(article))
    _assert_inert_html(_web_page(article))
    _assert_inert_atom(_atom(article), article)
    _assert_inert_atom(_web_atom(article), article)


@pytest.mark.parametrize("link", LINK_PAYLOADS)
def test_the_door_drops_non_web_links_from_any_article(db, link):
    from newsdesk.jobs.pipeline import store_articles
    from newsdesk.store.articles import get_article

    article = Article(
        title="Harbour budget agreed",
        paragraphs=("The harbour board of Fennick agreed a budget.",),
        url=link,
        canonical_url=link,
    )
    with db.begin() as conn:
        outcome = store_articles(conn, [article], now=NOW, enrich=False)[0]
        stored = get_article(conn, outcome.article_id)[1]
    assert stored.url is None and stored.canonical_url is None


def test_the_shared_environment_escapes_even_templates_from_strings():
    from jinja2 import UndefinedError

    from newsdesk.views.templating import make_jinja_env

    env = make_jinja_env()
    assert env.from_string("{{ x }}").render(x="<b>") == "&lt;b&gt;"
    with pytest.raises(UndefinedError):  # a typo in a template is an error, not an empty string
        env.from_string("{{ missing }}").render()
