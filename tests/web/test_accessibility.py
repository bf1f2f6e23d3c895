"""axe-core on every page, at desktop and phone width, light and dark: no serious or
critical violation."""

from __future__ import annotations

from typing import Any

import pytest

from tests.web.conftest import PASSWORD, Live, load_demo, make_user

pytestmark = [pytest.mark.browser, pytest.mark.slow]

WIDTHS = {"desktop": (1280, 900), "phone": (375, 812)}
BAD = {"serious", "critical"}


def _pages(live: Live) -> list[str]:
    from sqlalchemy import select

    from newsdesk.store.tables.understanding import entities, topics

    with live.db.connect() as conn:
        people = conn.execute(select(entities.c.id).where(entities.c.kind == "person")).first()
        org = conn.execute(select(entities.c.id).where(entities.c.kind == "org")).first()
        place = conn.execute(select(entities.c.id).where(entities.c.kind == "place")).first()
        topic = conn.execute(select(topics.c.key)).first()
    from urllib.parse import quote

    paths = [
        "/",
        "/following",
        "/unread",
        "/unread?tag=local",
        "/starred",
        "/stories",
        "/stories/1",
        "/articles/1",
        "/search",
        "/search?q=harbour",
        "/sources",
        "/settings",
        "/editions",
        "/admin/users",
        "/help",
        "/outlets/1",
        "/articles/999999",
        "/api/v1/docs",
    ]
    if people:
        paths.append(f"/people/{people.id}")
    if org:
        paths.append(f"/orgs/{org.id}")
    if place:
        paths.append(f"/places/{place.id}")
    if topic:
        paths.append("/topics/" + quote(topic.key, safe=""))
    return paths


def _tagged_unread(live: Live, user_id: int) -> None:
    """A followed source filed under tags, so Unread shows its by-tag links and counts."""
    from newsdesk.follow.follows import follow
    from tests.follow.read_state_rows import T0, add_articles, add_source

    source = add_source(live.db, "https://harbour.example/feed", title="Harbour", tags=["local"])
    add_articles(live.db, 3, source_id=source, tag="h")
    with live.db.begin() as conn:
        follow(conn, user_id, "source", str(source), now=T0)


def _violations(page: Any) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes'][:3]]}"
        for v in results.response["violations"]
        if v.get("impact") in BAD
    ]


def test_every_page_passes_axe(live_sqlite: Live, browser: Any) -> None:
    live = live_sqlite
    reader = make_user(live.db, "reader@newsdesk.example")
    load_demo(live.db)
    _tagged_unread(live, reader.id)
    found: list[str] = []
    for scheme in ("light", "dark"):
        for width_name, (width, height) in WIDTHS.items():
            context = browser.new_context(
                viewport={"width": width, "height": height}, color_scheme=scheme
            )
            page = context.new_page()
            # Signed-out pages first.
            for path in ("/signin",):
                page.goto(live.url + path)
                found += [f"{scheme} {width_name} {path}: {v}" for v in _violations(page)]
            page.goto(live.url + "/signin")
            page.get_by_label("Email").fill("reader@newsdesk.example")
            page.get_by_label("Password").fill(PASSWORD)
            page.get_by_role("button", name="Sign in").click()
            page.wait_for_url(live.url + "/")
            for path in _pages(live):
                page.goto(live.url + path)
                found += [f"{scheme} {width_name} {path}: {v}" for v in _violations(page)]
            context.close()
    assert not found, "\n".join(found)


def test_first_run_page_passes_axe(live_sqlite: Live, browser: Any) -> None:
    live = live_sqlite
    page = browser.new_page(viewport={"width": 375, "height": 812})
    page.goto(live.url + "/setup")
    assert page.get_by_role("button", name="Create admin account").is_visible()
    assert not _violations(page)
    page.close()
