"""Editions through a real SMTP server: headers, both parts, links, unsubscribe, one-click POST."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from newsdesk.follow import accounts
from newsdesk.jobs.editions import due_editions, send_edition
from tests.brief.newsroom import Newsroom

T0 = datetime(2026, 3, 2, 5, 0, tzinfo=UTC)  # a Monday; 06:30 in UTC is 90 minutes later


def _seed(db: object) -> tuple[int, Newsroom]:
    room = Newsroom(db)
    for i, outlet in enumerate(
        ("Harbour Gazette", "Le Courrier du Lac", "Northwind Post", "Delta Wire")
    ):
        room.article(
            "ferry",
            headline="Ferry crews strike at three harbours",
            outlet=outlet,
            at=T0 - timedelta(hours=3, minutes=i),
            summary=(
                "Ferry crews walked out at three harbours on Sunday night. "
                "The union says talks broke down over rosters. Operators expect delays."
            ),
            importance=9.0,
            topics_=("ferries",),
        )
    room.article(
        "bridge",
        headline="Town council votes to repair the old stone bridge <script>",
        outlet="Harbour Gazette",
        at=T0 - timedelta(hours=2),
        summary="The council voted seven to two to repair the bridge.",
        importance=3.0,
    )
    with db.begin() as conn:  # type: ignore[attr-defined]
        user = accounts.create_user(conn, "ana@example.org", now=T0 - timedelta(days=1))
    return user.id, room


def test_one_mail_with_headers_parts_links_and_one_click_unsubscribe(db, smtp_server) -> None:
    user_id, room = _seed(db)
    report = due_editions(T0 + timedelta(hours=1, minutes=31))
    assert report.built == 1 and report.count("sent") == 1, report.to_dict()
    (mail,) = smtp_server.mailbox.messages()
    assert mail["To"] == "ana@example.org"
    assert mail["From"] == "newsdesk <editions@news.example.org>"
    assert mail["Message-ID"] == f"<edition.{user_id}.2026-03-02.morning@news.example.org>"
    assert mail["Subject"].startswith("Morning Update, Monday 2 March 2026")
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe = re.fullmatch(
        r"<(https://news\.example\.org/unsubscribe/([^>]+))>", mail["List-Unsubscribe"]
    )
    assert unsubscribe
    assert mail.is_multipart() and mail.get_content_type() == "multipart/alternative"
    text = mail.get_body(("plain",)).get_content()
    html = mail.get_body(("html",)).get_content()
    story = f"https://news.example.org/stories/{room.story_key('ferry')}"
    for part in (text, html):
        assert "Ferry crews strike at three harbours" in part
        assert story in part
        assert "https://harbourgazette.example/news/" in part or "example/news/" in part
        assert unsubscribe.group(1) in part
    assert "Harbour Gazette, Le Courrier du Lac and 2 more" in text
    assert "4 outlets" in text
    assert "The most important stories" in html and "THE MOST IMPORTANT STORIES" in text
    # Autoescaped: a headline is text, never markup; CSS is inlined onto elements.
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert 'style="' in html and "prefers-color-scheme: dark" in html
    # The one-click POST handler turns both editions off, once, for that user only.
    from newsdesk.brief.unsubscribe import handle_one_click
    from newsdesk.config import get_settings, session_secret

    done = handle_one_click(db, unsubscribe.group(2), secret=session_secret(get_settings()), now=T0)
    assert done.user_id == user_id
    later = due_editions(T0 + timedelta(hours=13))
    assert later.built == 0 and len(smtp_server.mailbox.received) == 1


def test_tampered_unsubscribe_token_is_refused() -> None:
    import pytest

    from newsdesk.brief.unsubscribe import unsubscribe_token, verify_unsubscribe_token
    from newsdesk.errors import AuthError

    token = unsubscribe_token(7, "s3cret")
    assert verify_unsubscribe_token(token, "s3cret") == 7
    for bad in ("8" + token[1:], token + "x", "7.", "x.y", token.replace("7.", "07.", 1)):
        with pytest.raises(AuthError):
            verify_unsubscribe_token(bad, "s3cret")
    with pytest.raises(AuthError):
        verify_unsubscribe_token(token, "other")


def test_send_edition_twice_sends_once(db, smtp_server) -> None:
    user_id, _ = _seed(db)
    first = send_edition(user_id, "2026-03-02", "evening", now=T0)
    second = send_edition(user_id, "2026-03-02", "evening", now=T0 + timedelta(minutes=1))
    assert (first.outcome, second.outcome) == ("sent", "skipped")
    assert len(smtp_server.mailbox.received) == 1


def test_no_news_is_one_line_not_silence(db, smtp_server) -> None:
    with db.begin() as conn:
        user = accounts.create_user(conn, "quiet@example.org", now=T0)
    assert send_edition(user.id, "2026-03-02", "morning", now=T0).outcome == "sent"
    (mail,) = smtp_server.mailbox.messages()
    assert "No news since your last edition." in mail.get_body(("plain",)).get_content()
    assert mail["Subject"].endswith("no news")
