"""Edition jobs: ``send_edition(user_id, date, slot)``, the ``due_editions(now)`` round, and the
loop ``newsdesk serve`` runs.

Each is idempotent: the outbox's unique name and its claim decide, so a thread,
a second process or a Celery task can run them, any number of times, and one
edition still goes out once (see ``newsdesk.brief.outbox``).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime

from newsdesk.brief import outbox
from newsdesk.config import Settings, get_settings
from newsdesk.logs import get_logger
from newsdesk.store.db import Database, open_database

#: Seconds between two rounds of the serve loop: editions go out within this of their time.
ROUND_SECONDS = 30.0

log = get_logger(__name__)


def _now() -> datetime:
    return datetime.now(UTC)


def send_edition(
    user_id: int,
    local_date: str,
    slot: str,
    *,
    now: datetime | None = None,
    settings: Settings | None = None,
    db: Database | None = None,
) -> outbox.Delivery:
    """Build (unless built) and send (unless sent or being sent) one named edition."""
    settings = settings or get_settings()
    db = db or open_database(settings)
    moment = now or _now()
    entry = outbox.build(db, user_id, local_date, slot, now=moment, settings=settings)
    if entry.status not in ("built", "failed", "sending"):
        return outbox.Delivery(entry.id, "skipped")
    return outbox.deliver(db, entry.id, now=moment, settings=settings)


def due_editions(
    now: datetime | None = None,
    *,
    settings: Settings | None = None,
    db: Database | None = None,
) -> outbox.RoundReport:
    """One scheduler round: build every edition due at ``now``, send everything sendable."""
    settings = settings or get_settings()
    db = db or open_database(settings)
    return outbox.run_round(db, now=now or _now(), settings=settings)


def run_editions_loop(
    settings: Settings,
    stop: threading.Event,
    *,
    clock: Callable[[], datetime] = _now,
    interval: float = ROUND_SECONDS,
) -> None:
    """Rounds until ``stop`` is set; a failing round is logged and the next one tries again."""
    db = open_database(settings)
    while not stop.is_set():
        try:
            report = due_editions(clock(), settings=settings, db=db)
            if report.built or report.deliveries:
                log.info(
                    "editions round",
                    **{k: v for k, v in report.to_dict().items() if k != "deliveries"},
                )
        except Exception as exc:
            log.warning("editions round failed", error=str(exc))
        stop.wait(interval)


def editions_service(settings: Settings, stop: threading.Event) -> None:
    """The serve supervisor's entry: send due editions until told to stop."""
    run_editions_loop(settings, stop)


# --- what the command line asks for (it names users by email and never opens the store) ----


def _user_id(db: Database, email: str) -> int:
    from newsdesk.follow.accounts import get_user_by_email

    with db.connect() as conn:
        return get_user_by_email(conn, email).id


def set_user_editions(
    email: str,
    *,
    time_zone: str | None = None,
    morning: str | None = None,
    evening: str | None = None,
    now: datetime | None = None,
) -> dict[str, object]:
    """Change a user's zone and edition times ("HH:MM" or "off"); returns the new settings."""
    from newsdesk.brief.schedule import parse_time_of_day, zone
    from newsdesk.store import editions as store

    if time_zone is not None:
        zone(time_zone)
    morning = parse_time_of_day(morning) if morning is not None else None
    evening = parse_time_of_day(evening) if evening is not None else None
    db = open_database()
    user_id = _user_id(db, email)
    with db.begin() as conn:
        schedule = store.set_edition_times(
            conn, user_id, now=now or _now(), morning=morning, evening=evening, time_zone=time_zone
        )
    return {
        "email": schedule.email,
        "time_zone": schedule.time_zone,
        "morning": schedule.morning or "off",
        "evening": schedule.evening or "off",
    }


def preview_edition(
    email: str, slot: str, local_date: str | None = None, *, now: datetime | None = None
) -> outbox.Built:
    settings = get_settings()
    db = open_database(settings)
    moment = now or _now()
    user_id = _user_id(db, email)
    day = local_date or outbox.default_local_date(db, user_id, now=moment)
    return outbox.preview(db, user_id, day, slot, now=moment, settings=settings)


def send_edition_for(
    email: str,
    slot: str,
    local_date: str | None = None,
    *,
    resend: bool = False,
    now: datetime | None = None,
) -> tuple[dict[str, object], outbox.Delivery | None]:
    """``--send`` / ``--resend``: (the outbox row, what sending did; None when nothing was sent).

    ``--send`` of an edition that is sent, or may have been (unknown), sends nothing.
    """
    from newsdesk.store import editions as store

    settings = get_settings()
    db = open_database(settings)
    moment = now or _now()
    user_id = _user_id(db, email)
    day = local_date or outbox.default_local_date(db, user_id, now=moment)
    entry = outbox.build(db, user_id, day, slot, now=moment, settings=settings)
    delivery: outbox.Delivery | None
    if resend:
        delivery = outbox.deliver(db, entry.id, now=moment, settings=settings, resend=True)
    elif entry.status in ("sent", "unknown", "data"):
        delivery = None
    else:
        # The admin's --send tries a failed edition now, without waiting for its retry time.
        delivery = outbox.deliver(db, entry.id, now=moment, settings=settings, retry_now=True)
    with db.connect() as conn:
        final = store.get_edition_by_id(conn, entry.id)
    return final.to_dict(), delivery


def list_editions(email: str, *, limit: int = 30) -> list[dict[str, object]]:
    from newsdesk.store import editions as store

    db = open_database()
    user_id = _user_id(db, email)
    with db.connect() as conn:
        return [e.to_dict() for e in store.list_editions(conn, user_id, limit=limit)]


def show_edition(
    email: str, *, local_date: str | None = None, slot: str | None = None
) -> dict[str, object]:
    """An archived edition (the newest, or the one named): its row, parts and edition JSON."""
    from newsdesk.errors import NotFoundError
    from newsdesk.store import editions as store

    db = open_database()
    user_id = _user_id(db, email)
    with db.connect() as conn:
        for entry in store.list_editions(conn, user_id, limit=1000):
            if (local_date is None or entry.local_date == local_date) and (
                slot is None or entry.slot == slot
            ):
                return {
                    **entry.to_dict(),
                    "text": entry.text_part,
                    "html": entry.html_part,
                    "edition": entry.edition,
                }
    raise NotFoundError(
        f"no archived edition for {email}"
        + (f" on {local_date}" if local_date else "")
        + (f" ({slot})" if slot else ""),
        hint="see `newsdesk edition list --user EMAIL`",
    )


def edition_feed(email: str, *, limit: int = 30) -> str:
    """The user's Atom feed of their editions."""
    from newsdesk.brief.atom import render_editions_feed
    from newsdesk.store import editions as store

    settings = get_settings()
    db = open_database(settings)
    user_id = _user_id(db, email)
    with db.connect() as conn:
        entries = store.list_editions(conn, user_id, limit=limit)
    return render_editions_feed(email, entries, base_url=settings.base_url, now=_now())
