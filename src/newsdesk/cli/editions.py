"""``newsdesk edition morning|evening|list|show`` and ``newsdesk users set``: editions by email.

Thin: each command calls one function of ``newsdesk.jobs.editions`` and renders
what comes back. A mail failure is one line on stderr and exit code 1.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

import typer

from newsdesk.cli.common import err, out, print_json

USER = typer.Option(..., "--user", "-u", help="Email of the user this is for.")
DATE = typer.Option(None, "--date", help="Local date YYYY-MM-DD (default: today in their zone).")


class Format(StrEnum):
    text = "text"
    html = "html"
    json = "json"


class ListFormat(StrEnum):
    text = "text"
    json = "json"


def register(app: typer.Typer) -> None:
    edition_app = typer.Typer(
        help="Morning and Evening Update: personal editions by email.", no_args_is_help=True
    )
    edition_app.command("morning")(morning)
    edition_app.command("evening")(evening)
    edition_app.command("list")(list_cmd)
    edition_app.command("show")(show)
    app.add_typer(edition_app, name="edition")
    for group in app.registered_groups:
        if group.name == "users" and group.typer_instance is not None:
            group.typer_instance.command("set")(users_set)
    from newsdesk.jobs import serve

    if _editions_service not in serve.SERVE_SERVICES:
        serve.SERVE_SERVICES.append(_editions_service)


def _editions_service(settings: Any, stop: Any) -> None:
    """Send due editions while ``newsdesk serve`` runs."""
    from newsdesk.jobs.editions import editions_service

    editions_service(settings, stop)


def _check_date(value: str | None) -> str | None:
    if value is None:
        return None
    from datetime import date

    from newsdesk.errors import InputError

    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise InputError(f"{value!r} is not a date", hint="write YYYY-MM-DD") from None


def users_set(
    email: str = typer.Argument(..., help="The user's email address."),
    tz: str | None = typer.Option(None, "--tz", help="IANA time zone, e.g. Europe/Paris."),
    morning: str | None = typer.Option(
        None, "--morning", help="Morning Update time HH:MM, or off."
    ),
    evening: str | None = typer.Option(
        None, "--evening", help="Evening Update time HH:MM, or off."
    ),
    fmt: ListFormat = typer.Option(ListFormat.text, "--format", help="text or json."),
) -> None:
    """Change a user's time zone and edition times."""
    from newsdesk.jobs.editions import set_user_editions

    found = set_user_editions(email, time_zone=tz, morning=morning, evening=evening)
    if fmt == ListFormat.json:
        print_json(found)
        return
    out.print(
        f"{found['email']}: {found['time_zone']}, morning {found['morning']}, "
        f"evening {found['evening']}",
        highlight=False,
        markup=False,
    )


def _edition(
    slot: str,
    user: str,
    preview: bool,
    send: bool,
    resend: bool,
    day: str | None,
    fmt: Format,
) -> None:
    from newsdesk.errors import InputError

    if sum((preview, send, resend)) > 1:
        raise InputError("choose one of --preview, --send and --resend")
    local_date = _check_date(day)
    if send or resend:
        _send(slot, user, local_date, resend=resend, fmt=fmt)
        return
    from newsdesk.jobs.editions import preview_edition

    built = preview_edition(user, slot, local_date)
    if fmt == Format.json:
        print_json(built.edition.to_dict())
    elif fmt == Format.html:
        typer.echo(built.rendered.html, nl=False)
    else:
        typer.echo(f"Subject: {built.rendered.subject}\n")
        typer.echo(built.rendered.text, nl=False)


def _send(slot: str, user: str, local_date: str | None, *, resend: bool, fmt: Format) -> None:
    from newsdesk.jobs.editions import send_edition_for

    entry, delivery = send_edition_for(user, slot, local_date, resend=resend)
    if fmt == Format.json:
        print_json({**entry, "delivery": delivery.to_dict() if delivery else None})
    name = f"{entry['slot']} edition of {entry['local_date']} for {entry['recipient']}"
    if delivery is None:
        if fmt != Format.json:
            when = entry.get("sent_at") or entry.get("built_at")
            if entry["status"] == "sent":
                out.print(
                    f"already sent at {when}: {name}; nothing sent (--resend sends it again)",
                    highlight=False,
                    markup=False,
                )
            else:
                out.print(
                    f"the {name} may have been delivered ({entry['status']}, at {when}); "
                    "nothing sent (--resend sends it again)",
                    highlight=False,
                    markup=False,
                )
        return
    if delivery.outcome in ("failed", "unknown"):
        err.print(f"error: {delivery.error}", highlight=False, markup=False)
        raise typer.Exit(1)
    if delivery.outcome == "skipped":
        err.print(f"error: the {name} is being sent by another process", markup=False)
        raise typer.Exit(1)
    if fmt != Format.json:
        out.print(f"sent the {name}", highlight=False, markup=False)


def morning(
    user: str = USER,
    preview: bool = typer.Option(False, "--preview", help="Print the text part; send nothing."),
    send: bool = typer.Option(
        False, "--send", help="Send it (once: a sent edition is not resent)."
    ),
    resend: bool = typer.Option(False, "--resend", help="Send it again, even if already sent."),
    day: str | None = DATE,
    fmt: Format = typer.Option(Format.text, "--format", help="text, html or json."),
) -> None:
    """The Morning Update of a user: preview (default), send, or resend."""
    _edition("morning", user, preview, send, resend, day, fmt)


def evening(
    user: str = USER,
    preview: bool = typer.Option(False, "--preview", help="Print the text part; send nothing."),
    send: bool = typer.Option(
        False, "--send", help="Send it (once: a sent edition is not resent)."
    ),
    resend: bool = typer.Option(False, "--resend", help="Send it again, even if already sent."),
    day: str | None = DATE,
    fmt: Format = typer.Option(Format.text, "--format", help="text, html or json."),
) -> None:
    """The Evening Update of a user: preview (default), send, or resend."""
    _edition("evening", user, preview, send, resend, day, fmt)


def list_cmd(
    user: str = USER,
    fmt: ListFormat = typer.Option(ListFormat.text, "--format", help="text or json."),
) -> None:
    """A user's editions, newest first, with their delivery state."""
    from newsdesk.jobs.editions import list_editions

    entries = list_editions(user)
    if fmt == ListFormat.json:
        print_json(entries)
        return
    if not entries:
        out.print("no editions yet", highlight=False)
        return
    for e in entries:
        when = e["sent_at"] or e["built_at"]
        out.print(
            f"{e['local_date']} {e['slot']:<8} {e['status']:<8} {when}  {e['subject']}",
            highlight=False,
            markup=False,
        )


def show(
    user: str = USER,
    day: str | None = DATE,
    slot: str | None = typer.Option(None, "--slot", help="morning or evening (default: newest)."),
    fmt: Format = typer.Option(Format.text, "--format", help="text, html or json."),
) -> None:
    """An archived edition as it was sent (the newest, or the one named)."""
    from newsdesk.jobs.editions import show_edition

    found = show_edition(user, local_date=_check_date(day), slot=slot)
    if fmt == Format.json:
        print_json(found)
    elif fmt == Format.html:
        typer.echo(str(found["html"]), nl=False)
    else:
        typer.echo(f"Subject: {found['subject']}\n")
        typer.echo(str(found["text"]), nl=False)
