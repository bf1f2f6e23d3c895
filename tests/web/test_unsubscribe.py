"""POST /unsubscribe/{token}: the one-click unsubscribe of an edition's List-Unsubscribe."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi.testclient import TestClient

from newsdesk.brief.unsubscribe import unsubscribe_token
from newsdesk.config import get_settings, session_secret
from newsdesk.follow import accounts


def test_one_click_post_turns_editions_off_and_a_forged_token_is_refused(db, web_app) -> None:
    from newsdesk.store import editions as store

    with db.begin() as conn:
        user = accounts.create_user(conn, "ana@example.org", now=datetime.now(UTC))
    client = TestClient(web_app)
    forged = client.post(f"/unsubscribe/{unsubscribe_token(user.id, 'not-the-secret')}")
    assert forged.status_code == 403
    token = unsubscribe_token(user.id, session_secret(get_settings()))
    done = client.post(f"/unsubscribe/{token}", data={"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200 and done.json()["unsubscribed"] is True
    with db.connect() as conn:
        schedule = store.schedule_of(conn, user.id)
    assert (schedule.morning, schedule.evening) == (None, None)
    assert client.post(f"/unsubscribe/{token}").status_code == 200  # idempotent
