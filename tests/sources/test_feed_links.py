"""Relative links inside entry bodies: every spelling of href/src a feed writes is made absolute."""

from __future__ import annotations

import pytest

from newsdesk.sources.feeds.text import resolve_in_html

BASE = "https://quay.example/news/today.html"


@pytest.mark.parametrize(
    ("markup", "expected"),
    [
        ('<a href="/ferry">f</a>', '<a href="https://quay.example/ferry">f</a>'),
        ('<a href="tides.html">t</a>', '<a href="https://quay.example/news/tides.html">t</a>'),
        ('<a href="../ferry">f</a>', '<a href="https://quay.example/ferry">f</a>'),
        ('<a href="/a/./b">x</a>', '<a href="https://quay.example/a/b">x</a>'),
        ('<a href="//cdn.example/i">x</a>', '<a href="https://cdn.example/i">x</a>'),
        ('<a href="?page=2">x</a>', '<a href="https://quay.example/news/today.html?page=2">x</a>'),
        ('<a href="#top">x</a>', '<a href="#top">x</a>'),
        ('<a href="mailto:desk@quay.example">m</a>', '<a href="mailto:desk@quay.example">m</a>'),
        ('<a href="http://other.example/">o</a>', '<a href="http://other.example/">o</a>'),
        ("<a href='/ferry'>f</a>", "<a href='https://quay.example/ferry'>f</a>"),
        ('<a href = "/ferry">f</a>', '<a href = "https://quay.example/ferry">f</a>'),
        ('<A HREF="/ferry">f</A>', '<A HREF="https://quay.example/ferry">f</A>'),
        ('<img src="/gull.png" alt="g">', '<img src="https://quay.example/gull.png" alt="g">'),
        ('<a href="">empty</a>', '<a href="">empty</a>'),
        # the word in running text is not an attribute
        ("<p>the href attribute, src code</p>", "<p>the href attribute, src code</p>"),
        # a path that itself holds the attribute's name
        ('<a href="/wiki/href">w</a>', '<a href="https://quay.example/wiki/href">w</a>'),
        (
            '<a href="/a?x=1">1</a><img src="b.png">',
            '<a href="https://quay.example/a?x=1">1</a><img src="https://quay.example/news/b.png">',
        ),
    ],
)
def test_relative_links_in_a_body_become_absolute(markup, expected):
    assert resolve_in_html(markup, BASE) == expected


def test_many_links_in_one_body_are_each_resolved_once():
    body = "".join(f'<p>item {i} <a href="/story/{i}">more</a></p>' for i in range(50))
    out = resolve_in_html(body, BASE)
    assert out.count('href="https://quay.example/story/') == 50
    assert "https://quay.example/https" not in out


def test_without_a_base_links_are_left_as_written():
    assert resolve_in_html('<a href="/ferry">f</a>', None) == '<a href="/ferry">f</a>'
