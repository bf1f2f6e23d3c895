"""Screenshots of the main pages at 1280 and 375 px, light and dark, over the demo set.

Always rendered (a page that fails to render fails the test); written to
``docs/screenshots/`` only with ``UPDATE_SCREENSHOTS=1``, so a normal run leaves
the committed pictures alone.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from tests.web.conftest import PASSWORD, Live, load_demo, make_user, now

pytestmark = [pytest.mark.browser, pytest.mark.slow]

DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
SIZES = {"1280": (1280, 900), "375": (375, 812)}


def _prepare(live: Live) -> dict[str, str]:
    from sqlalchemy import select

    from newsdesk.follow.follows import follow
    from newsdesk.follow.read_state import MarkTarget, mark_articles, star_articles
    from newsdesk.store.tables.stories import stories
    from newsdesk.views.read_state import user_articles

    user = make_user(live.db, "reader@newsdesk.example")
    load_demo(live.db)
    with live.db.begin() as conn:
        from datetime import timedelta

        window = timedelta(days=7)
        follow(conn, user.id, "author", "Amara Nwosu", now=now(), window=window)
        follow(conn, user.id, "person", "Rosa Delgado", now=now(), window=window)
        follow(conn, user.id, "topic", "flood", now=now(), window=window)
    mine = [a.id for a in user_articles(user.email, db=live.db).items]
    star_articles(user.email, mine[:1], starred=True, db=live.db)
    mark_articles(user.email, MarkTarget("ids", ids=tuple(mine[1:3])), read=True, db=live.db)
    with live.db.begin() as conn:
        story = conn.execute(
            select(stories.c.key).order_by(stories.c.outlet_count.desc(), stories.c.id)
        ).first()
        assert story is not None
        from newsdesk.store.tables.stories import story_members

        lead = conn.execute(
            select(story_members.c.article_id)
            .join(stories, stories.c.id == story_members.c.story_id)
            .where(stories.c.key == story.key)
            .order_by(story_members.c.article_id)
        ).first()
        assert lead is not None
    return {
        "for-you": "/",
        "following": "/following",
        "unread": "/unread",
        "article": f"/articles/{lead.article_id}",
        "story": f"/stories/{story.key}",
        "search": "/search?q=harbour",
        "starred": "/starred",
    }


def test_screenshots(live_sqlite: Live, browser: Any, tmp_path: Path) -> None:
    live = live_sqlite
    pages = _prepare(live)
    target = DOCS if os.environ.get("UPDATE_SCREENSHOTS") == "1" else tmp_path
    target.mkdir(parents=True, exist_ok=True)
    for scheme in ("light", "dark"):
        for size, (width, height) in SIZES.items():
            context = browser.new_context(
                viewport={"width": width, "height": height}, color_scheme=scheme
            )
            page = context.new_page()
            page.goto(live.url + "/signin")
            page.get_by_label("Email").fill("reader@newsdesk.example")
            page.get_by_label("Password").fill(PASSWORD)
            page.get_by_role("button", name="Sign in").click()
            page.wait_for_url(live.url + "/")
            for name, path in pages.items():
                response = page.goto(live.url + path)
                assert response is not None and response.status == 200, path
                page.screenshot(path=str(target / f"{name}-{size}-{scheme}.png"))
            context.close()
    assert len(list(target.glob("*.png"))) >= len(pages) * 4
