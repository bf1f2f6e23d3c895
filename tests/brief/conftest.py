"""Edition-test fixtures: a real SMTP server (aiosmtpd on 127.0.0.1) and settings pointing at it."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import pytest


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Mailbox:
    """What the server received; ``drop_after_data`` makes it take a message, then hang up."""

    received: list[bytes] = field(default_factory=list)
    envelopes: list[tuple[str, list[str]]] = field(default_factory=list)
    drop_after_data: bool = False
    reject_recipients: set[str] = field(default_factory=set)

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if address in self.reject_recipients:
            return "550 5.1.1 no such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.received.append(bytes(envelope.original_content or envelope.content))
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        if self.drop_after_data:
            server.transport.abort()  # the message is taken; the reply never comes
        return "250 2.0.0 queued"

    def messages(self) -> list[EmailMessage]:
        return [
            message_from_bytes(raw, policy=policy.default)  # type: ignore[misc]
            for raw in self.received
        ]


class SmtpServer:
    def __init__(self, port: int) -> None:
        self.port = port
        self.mailbox = Mailbox()
        self._controller: Any = None

    def start(self) -> None:
        from aiosmtpd.controller import Controller

        self._controller = Controller(self.mailbox, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None


@pytest.fixture
def smtp_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[SmtpServer]:
    """A running SMTP server; NEWSDESK_SMTP_* point at it, and the web secret is set."""
    server = SmtpServer(free_port())
    server.start()
    monkeypatch.setenv("NEWSDESK_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("NEWSDESK_SMTP_PORT", str(server.port))
    monkeypatch.setenv("NEWSDESK_SMTP_TIMEOUT", "5")
    monkeypatch.setenv("NEWSDESK_SECRET_KEY", "test-secret-for-editions")
    monkeypatch.setenv("NEWSDESK_BASE_URL", "https://news.example.org")
    monkeypatch.setenv("NEWSDESK_MAIL_FROM", "newsdesk <editions@news.example.org>")
    from newsdesk.config import get_settings

    get_settings.cache_clear()
    yield server
    server.stop()
