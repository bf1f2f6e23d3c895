"""Sanitising article HTML for display: hostile markup never survives."""

from __future__ import annotations

import re

import pytest

from newsdesk.extract.sanitize import paragraphs_to_html, sanitize_html

HOSTILE = [
    ('<p>Hi<script>alert("x")</script></p>', "alert"),
    ("<p>Hi</p><style>body{display:none}</style>", "display:none"),
    ('<img src="x.png" onerror="alert(1)"><p>text</p>', "onerror"),
    ('<p onclick="steal()">click</p>', "onclick"),
    ('<a href="javascript:alert(1)">link</a>', "javascript"),
    ('<a href="JaVaScRiPt:alert(1)">link</a>', "alert"),
    ('<a href="java\tscript:alert(1)">link</a>', "alert"),
    ('<a href=" &#106;avascript:alert(1)">link</a>', "alert"),
    ('<a href="data:text/html;base64,PHNjcmlwdD4=">link</a>', "data:"),
    ('<a href="vbscript:msgbox(1)">link</a>', "vbscript"),
    ('<iframe src="https://evil.example/frame"></iframe><p>ok</p>', "iframe"),
    ('<object data="x.swf"></object><embed src="x.swf"><p>ok</p>', "swf"),
    ('<form action="https://evil.example/"><input name="pw"></form>', "form"),
    ("<svg><script>alert(1)</script></svg><p>ok</p>", "alert"),
    ("<math><mtext><script>alert(1)</script></mtext></math>", "alert"),
    ('<p style="background:url(javascript:alert(1))">plain</p>', "style"),
    ('<meta http-equiv="refresh" content="0;url=https://evil.example/">', "refresh"),
    ('<base href="https://evil.example/"><a href="/x">x</a>', "evil.example"),
    ("<!-- <script>alert(1)</script> --><p>c</p>", "alert"),
    ("<scr<script>ipt>alert(1)</script>", "<script"),
    ("<p>a</p><noscript><img src=x onerror=alert(1)></noscript>", "onerror"),
    ("<template><script>alert(1)</script></template>", "alert"),
    ('<a href="https://ok.example/" target="_blank" onmouseover="x()">ok</a>', "onmouseover"),
]


@pytest.mark.parametrize(("markup", "forbidden"), HOSTILE)
def test_hostile_markup_never_reaches_the_output(markup: str, forbidden: str) -> None:
    out = sanitize_html(markup)
    assert forbidden.lower() not in out.lower()
    assert not re.search(r"<\s*(script|style|iframe|object|embed|form|svg|meta|base)\b", out, re.I)
    assert not re.search(r"\son\w+\s*=", out, re.I)


def test_article_markup_is_kept() -> None:
    markup = (
        "<h2>Flood defences</h2><p>The <em>Marlow Tide</em> council said <strong>no</strong>.</p>"
        '<blockquote><p>"We were ready," said Odile Brack.</p></blockquote>'
        "<ul><li>first</li><li>second</li></ul>"
        "<table><tr><th>Year</th><td>2031</td></tr></table>"
    )
    out = sanitize_html(markup)
    for piece in (
        "<h2>Flood defences</h2>",
        "<em>Marlow Tide</em>",
        "<strong>no</strong>",
        "<blockquote>",
        "<li>first</li>",
        "<th>Year</th>",
        "<td>2031</td>",
    ):
        assert piece in out


def test_links_are_resolved_and_marked_external() -> None:
    out = sanitize_html(
        '<a href="/news/river">the river</a>', base_url="https://gazette.example/2031/story"
    )
    assert 'href="https://gazette.example/news/river"' in out
    assert "noopener" in out and "nofollow" in out


def test_unsafe_link_keeps_its_text_but_not_its_target() -> None:
    out = sanitize_html('<p>See <a href="javascript:void(0)">the report</a>.</p>')
    assert "the report" in out
    assert "href" not in out


def test_images_are_off_unless_asked_for() -> None:
    markup = '<p>pic</p><img src="https://cdn.example/p.jpg" alt="river">'
    assert "<img" not in sanitize_html(markup)
    shown = sanitize_html(markup, allow_images=True)
    assert 'src="https://cdn.example/p.jpg"' in shown
    hostile = sanitize_html('<img src="javascript:alert(1)" alt="x">', allow_images=True)
    assert "javascript" not in hostile


def test_plain_paragraphs_are_escaped() -> None:
    out = paragraphs_to_html(["Tom & Jerry <script>alert(1)</script>", "  ", "second"])
    assert out == ("<p>Tom &amp; Jerry &lt;script&gt;alert(1)&lt;/script&gt;</p>\n<p>second</p>")
    # What we escape stays inert when it goes through the sanitiser again.
    assert "<script" not in sanitize_html(out)
