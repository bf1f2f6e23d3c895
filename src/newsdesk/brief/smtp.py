"""Sending one message over SMTP (aiosmtplib), telling "not delivered" from "maybe delivered".

The outbox needs to know, after a failure, whether resending could make a
second copy. Every failure before the DATA body is handed over is certain:
the server has nothing (unreachable, authentication refused, address
rejected, a reply with an error code). A failure after the body was sent and
before the server's reply (the connection dropped, a timeout) is ambiguous:
the server may have queued the mail. Those are raised as ``MailError`` with
``ambiguous=True`` and the outbox never resends them by itself.

``before_data`` is called after the recipient was accepted and right before
DATA, so the outbox can record that the point of no return is near.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage

from newsdesk.errors import BriefError


class MailError(BriefError):
    """A mail could not be sent; ``kind`` says why in one word, ``retry`` if trying again may help.

    kind: unreachable | auth | rejected | temporary | ambiguous
    """

    stage = "mail"

    def __init__(
        self,
        message: str,
        *,
        kind: str,
        retry: bool,
        ambiguous: bool = False,
        hint: str | None = None,
    ) -> None:
        super().__init__(message, hint=hint)
        self.kind = kind
        self.retry = retry
        self.ambiguous = ambiguous


@dataclass(frozen=True, slots=True)
class SmtpConfig:
    host: str
    port: int
    user: str | None = None
    password: str | None = None
    starttls: bool = False
    tls: bool = False  # implicit TLS (SMTPS, usually port 465)
    timeout: float = 30.0


@functools.cache
def _local_hostname() -> str:
    """Our name for EHLO, looked up once (aiosmtplib would look it up in a thread per mail)."""
    import socket

    return socket.getfqdn() or "localhost"


def send_message(
    message: EmailMessage,
    config: SmtpConfig,
    *,
    before_data: Callable[[], None] | None = None,
) -> None:
    """Send ``message`` to its To address; MailError on any failure (see the module docstring)."""
    asyncio.run(_send(message, config, before_data))


async def _send(
    message: EmailMessage, config: SmtpConfig, before_data: Callable[[], None] | None
) -> None:
    import aiosmtplib

    where = f"{config.host}:{config.port}"
    sender = str(message["From"])
    recipient = str(message["To"])
    from email.utils import parseaddr

    sender_address = parseaddr(sender)[1] or sender
    recipient_address = parseaddr(recipient)[1] or recipient
    client = aiosmtplib.SMTP(
        hostname=config.host,
        port=config.port,
        use_tls=config.tls,
        start_tls=config.starttls,
        local_hostname=_local_hostname(),
        username=config.user or None,
        password=config.password or None,
        timeout=config.timeout,
    )
    try:
        await client.connect()
    except aiosmtplib.SMTPAuthenticationError as exc:
        raise MailError(
            f"authentication refused by {where}: {exc.code} {exc.message}",
            kind="auth",
            retry=True,
            hint="check NEWSDESK_SMTP_USER and NEWSDESK_SMTP_PASSWORD",
        ) from exc
    except (aiosmtplib.SMTPConnectError, aiosmtplib.SMTPTimeoutError, OSError) as exc:
        raise MailError(
            f"mail server unreachable at {where}: {exc}",
            kind="unreachable",
            retry=True,
            hint="check NEWSDESK_SMTP_HOST and NEWSDESK_SMTP_PORT, and that the server runs",
        ) from exc
    except aiosmtplib.SMTPException as exc:
        raise MailError(
            f"mail server at {where} refused the connection: {exc}",
            kind="unreachable",
            retry=True,
            hint="check NEWSDESK_SMTP_STARTTLS / NEWSDESK_SMTP_TLS against the server",
        ) from exc
    try:
        try:
            await client.mail(sender_address)
            await client.rcpt(recipient_address)
        except (aiosmtplib.SMTPSenderRefused, aiosmtplib.SMTPRecipientRefused) as exc:
            permanent = exc.code >= 500
            who = (
                f"sender {sender_address}"
                if isinstance(exc, aiosmtplib.SMTPSenderRefused)
                else f"recipient {recipient_address}"
            )
            raise MailError(
                f"address rejected by {where}: {who}: {exc.code} {exc.message}",
                kind="rejected" if permanent else "temporary",
                retry=not permanent,
                hint="check the address" if permanent else "the server asks to try later",
            ) from exc
        except aiosmtplib.SMTPResponseException as exc:
            raise MailError(
                f"mail server at {where} refused the message: {exc.code} {exc.message}",
                kind="temporary" if exc.code < 500 else "rejected",
                retry=exc.code < 500,
            ) from exc
        except (aiosmtplib.SMTPException, OSError) as exc:
            raise MailError(
                f"mail server unreachable at {where}: {exc}", kind="unreachable", retry=True
            ) from exc
        if before_data is not None:
            before_data()
        try:
            await client.data(message.as_bytes())
        except aiosmtplib.SMTPResponseException as exc:
            # The server answered with an error code: it has refused, not queued, the mail.
            raise MailError(
                f"mail server at {where} refused the message: {exc.code} {exc.message}",
                kind="temporary" if exc.code < 500 else "rejected",
                retry=exc.code < 500,
            ) from exc
        except (aiosmtplib.SMTPException, OSError) as exc:
            raise MailError(
                f"connection to {where} was lost after the message was sent and before the "
                f"server confirmed it ({exc}); it may have been delivered",
                kind="ambiguous",
                retry=False,
                ambiguous=True,
                hint="check the mailbox; resend with --resend if it did not arrive",
            ) from exc
    finally:
        try:
            if client.is_connected:
                await client.quit()
        except Exception:
            client.close()
