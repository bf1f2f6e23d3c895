"""The edition commands: preview, send once, resend, list, show, and one-line mail failures."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from newsdesk.follow import accounts
from tests.brief.conftest import SmtpServer, free_port
from tests.brief.newsroom import Newsroom

NOW = datetime.now(UTC)


def _seed(db: object) -> None:
    room = Newsroom(db)
    room.article(
        "lake",
        headline="Lake ferries resume after the storm",
        outlet="Lake Wire",
        at=NOW - timedelta(hours=1),
        summary="Ferries crossed the lake again on Tuesday. Crews cleared the piers overnight.",
        importance=5.0,
    )
    with db.begin() as conn:  # type: ignore[attr-defined]
        accounts.create_user(conn, "ana@example.org", now=NOW - timedelta(days=2))


def test_preview_prints_the_text_part_and_sends_nothing(db, smtp_server: SmtpServer, cli) -> None:
    _seed(db)
    today = NOW.date().isoformat()
    # The evening of yesterday covers the last hour only if it is in its window; use tomorrow's
    # morning, whose 12 hours before 06:30 may not hold it: preview today's evening instead.
    shown = cli("edition", "evening", "--user", "ana@example.org", "--preview", "--date", today)
    assert shown.code == 0, shown
    assert shown.stdout.startswith("Subject: Evening Update, ")
    assert "EVENING UPDATE" not in shown.stdout and "Evening Update ·" in shown.stdout
    as_json = cli(
        "edition", "evening", "--user", "ana@example.org", "--format", "json", "--date", today
    )
    assert as_json.code == 0 and as_json.json()["slot"] == "evening"  # type: ignore[index]
    html = cli(
        "edition", "evening", "--user", "ana@example.org", "--format", "html", "--date", today
    )
    assert html.stdout.lstrip().startswith("<!DOCTYPE html>")
    assert smtp_server.mailbox.received == []
    assert cli("edition", "list", "--user", "ana@example.org").stdout.strip() == "no editions yet"


def test_send_once_then_already_sent_then_list_and_show(db, smtp_server: SmtpServer, cli) -> None:
    _seed(db)
    args = ("edition", "morning", "--user", "ana@example.org", "--date", "2026-04-01")
    sent = cli(*args, "--send")
    assert sent.code == 0 and sent.stdout.startswith("sent the morning edition"), sent
    again = cli(*args, "--send")
    assert again.code == 0 and again.stdout.startswith("already sent at "), again
    assert len(smtp_server.mailbox.received) == 1
    listed = cli("edition", "list", "--user", "ana@example.org", "--format", "json").json()
    assert [(e["local_date"], e["slot"], e["status"]) for e in listed] == [  # type: ignore[index, union-attr]
        ("2026-04-01", "morning", "sent")
    ]
    shown = cli("edition", "show", "--user", "ana@example.org")
    assert shown.code == 0 and shown.stdout.startswith("Subject: Morning Update, Wednesday 1 April")
    missing = cli("edition", "show", "--user", "ana@example.org", "--date", "2026-04-02")
    assert missing.code == 1 and "no archived edition" in missing.stderr


def test_mail_failures_are_one_clear_line(db, smtp_server: SmtpServer, cli, monkeypatch) -> None:
    _seed(db)
    args = ("edition", "morning", "--user", "ana@example.org", "--send")
    smtp_server.mailbox.reject_recipients.add("ana@example.org")
    rejected = cli(*args, "--date", "2026-04-01")
    assert rejected.code == 1 and "address rejected" in rejected.stderr, rejected
    assert len(rejected.stderr.strip().splitlines()) == 1
    smtp_server.stop()
    down = cli(*args, "--date", "2026-04-02")
    assert down.code == 1 and "unreachable" in down.stderr
    assert len(down.stderr.strip().splitlines()) == 1 and "Traceback" not in down.stderr


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_authentication_refused_is_one_clear_line(db, cli, monkeypatch) -> None:
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult

    from tests.brief.conftest import Mailbox

    port = free_port()
    controller = Controller(
        Mailbox(),
        hostname="127.0.0.1",
        port=port,
        auth_required=True,
        auth_require_tls=False,
        authenticator=lambda *a: AuthResult(success=False, handled=False),
    )
    controller.start()
    try:
        monkeypatch.setenv("NEWSDESK_SMTP_HOST", "127.0.0.1")
        monkeypatch.setenv("NEWSDESK_SMTP_PORT", str(port))
        monkeypatch.setenv("NEWSDESK_SMTP_USER", "newsdesk")
        monkeypatch.setenv("NEWSDESK_SMTP_PASSWORD", "wrong")
        monkeypatch.setenv("NEWSDESK_SECRET_KEY", "test-secret")
        _seed(db)
        failed = cli(
            "edition", "morning", "--user", "ana@example.org", "--send", "--date", "2026-04-01"
        )
        assert failed.code == 1 and "authentication refused" in failed.stderr, failed
        # (the in-process test server logs its own warning to stderr; ours is one line)
        ours = [line for line in failed.stderr.splitlines() if not line.startswith("auth_req")]
        assert len(ours) == 1 and ours[0].startswith("error: mail: authentication refused")
    finally:
        controller.stop()


def test_atom_feed_of_a_users_editions(db, smtp_server: SmtpServer, cli) -> None:
    from xml.etree import ElementTree as ET

    from newsdesk.jobs.editions import edition_feed

    _seed(db)
    cli("edition", "morning", "--user", "ana@example.org", "--date", "2026-04-01", "--send")
    xml = edition_feed("ana@example.org")
    root = ET.fromstring(xml.split("\n", 1)[1])
    ns = {"a": "http://www.w3.org/2005/Atom"}
    (entry,) = root.findall("a:entry", ns)
    assert entry.findtext("a:title", namespaces=ns).startswith("Morning Update")  # type: ignore[union-attr]
    assert entry.findtext("a:id", namespaces=ns).startswith("urn:newsdesk:edition:edition.")  # type: ignore[union-attr]
    assert "<html" in (entry.findtext("a:content", namespaces=ns) or "")


@pytest.mark.parametrize("flag", ["--preview", "--send"])
def test_unknown_user_is_one_line(db, cli, flag) -> None:
    done = cli("edition", "morning", "--user", "nobody@example.org", flag)
    assert done.code == 1 and "no user with email" in done.stderr
