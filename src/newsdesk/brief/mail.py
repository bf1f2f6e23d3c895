"""Composing the edition mail: multipart text + HTML, stable Message-ID, RFC 8058 headers."""

from __future__ import annotations

import functools
from datetime import datetime
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, parseaddr

# Python folds a header that passes 78 characters right after its name ("Subject:" CRLF SP
# ...), which some readers show with a leading space; RFC 5322 allows lines to 998.
_POLICY = SMTP.clone(max_line_length=200)


@functools.lru_cache(maxsize=64)
def mail_domain(mail_from: str) -> str:
    address = parseaddr(mail_from)[1]
    return address.rpartition("@")[2] or "localhost"


def message_id(user_id: int, local_date: str, slot: str, mail_from: str) -> str:
    """The same for every build and resend of one edition, so clients and servers can dedupe."""
    return f"<edition.{user_id}.{local_date}.{slot}@{mail_domain(mail_from)}>"


def compose(
    *,
    mail_from: str,
    to: str,
    subject: str,
    text: str,
    html: str,
    message_id: str,
    unsubscribe_url: str,
    date: datetime,
) -> EmailMessage:
    message = EmailMessage(policy=_POLICY)
    message["From"] = mail_from
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = format_datetime(date)
    message["Message-ID"] = message_id
    message["List-Unsubscribe"] = f"<{unsubscribe_url}>"
    message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    return message
