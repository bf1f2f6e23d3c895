"""The reader's path through the web app in a real browser (Debian's Chromium).

First run, sign out and in; the seed page's "Follow Steven Chase"; Following's count
and "Mark checked"; following a topic; a story's outlets; starring; the time zone;
and j, k, o through For you.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.web.conftest import CHASE_SECOND, PASSWORD, SEED, Live, load_demo

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ADMIN = "editor@newsdesk.example"


def _count_of(page: Any, label: str) -> str:
    row = page.locator(".counts li", has_text=label)
    return str(row.locator(".count").inner_text()).strip()


def test_reader_flow(live_sqlite: Live, browser: Any) -> None:
    if not SEED.exists():
        pytest.skip(f"the seed page is not at {SEED}")
    from playwright.sync_api import expect

    live = live_sqlite
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.set_default_timeout(15000)

    # First run: the first page creates the admin.
    page.goto(live.url + "/")
    expect(page).to_have_url(re.compile(r"/setup$"))
    page.get_by_label("Email").fill(ADMIN)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    page.get_by_role("button", name="Create admin account").click()
    expect(page.get_by_role("heading", name="For you")).to_be_visible()

    # Sign out, sign in.
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    page.get_by_label("Email").fill(ADMIN)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="For you")).to_be_visible()

    # The seed page: open it and follow the person it credits.
    seed_id = live.ingest(SEED)
    page.goto(f"{live.url}/articles/{seed_id}")
    page.get_by_role("button", name="Follow Steven Chase").click()
    expect(page.get_by_role("button", name="Unfollow Steven Chase")).to_be_visible()

    # Start from a clean mark, then another article credited to him arrives.
    page.goto(live.url + "/following")
    expect(page.locator(".counts li", has_text="Steven Chase")).to_be_visible()
    page.get_by_role("button", name="Mark checked").click()
    second_id = live.ingest(CHASE_SECOND)
    page.goto(live.url + "/following")
    assert _count_of(page, "Steven Chase") == "1"
    expect(
        page.get_by_role("link", name="Ottawa weighs a new aid package for the Sahel")
    ).to_be_visible()
    page.get_by_role("button", name="Mark checked").click()
    page.goto(live.url + "/following")
    assert _count_of(page, "Steven Chase") == "0"

    # Follow a topic from an article.
    page.goto(f"{live.url}/articles/{second_id}")
    topics = page.locator("section[aria-labelledby='h-topics']")
    if topics.count() == 0:
        page.goto(f"{live.url}/articles/{seed_id}")
        topics = page.locator("section[aria-labelledby='h-topics']")
    button = topics.get_by_role("button", name=re.compile(r"^Follow ")).first
    name = str(button.inner_text()).removeprefix("Follow ")
    button.click()
    expect(topics.get_by_role("button", name=f"Unfollow {name}")).to_be_visible()
    page.goto(live.url + "/following")
    expect(page.locator(".counts li", has_text=name).first).to_be_visible()

    # A story with several outlets.
    load_demo(live.db)
    page.goto(live.url + "/stories")
    page.get_by_role("link", name=re.compile("Kelmsport")).first.click()
    outlets = page.locator("ul.outlets li")
    assert outlets.count() >= 3
    expect(page.get_by_role("button", name="Mark story read")).to_be_visible()

    # Star an article (one the reader follows: read state is kept for those) and find it
    # under Starred.
    page.goto(f"{live.url}/articles/{second_id}")
    title = str(page.get_by_role("heading", level=1).inner_text())
    page.get_by_role("button", name="Star article").click()
    expect(page.get_by_role("button", name="Unstar article")).to_be_visible()
    page.goto(live.url + "/starred")
    expect(page.get_by_role("link", name=title)).to_be_visible()

    # Change the time zone.
    page.goto(live.url + "/settings")
    page.get_by_role("combobox", name="Time zone").fill("Europe/Paris")
    page.get_by_role("button", name="Save time zone").click()
    expect(page.locator("#current-tz")).to_have_text("Europe/Paris")

    # Keyboard: j, k and o move through For you.
    page.goto(live.url + "/")
    items = page.locator("ol.items > li.item")
    assert items.count() >= 2
    page.locator("body").press("j")
    expect(items.nth(0)).to_have_class(re.compile(r"\bcurrent\b"))
    page.keyboard.press("j")
    expect(items.nth(1)).to_have_class(re.compile(r"\bcurrent\b"))
    page.keyboard.press("k")
    expect(items.nth(0)).to_have_class(re.compile(r"\bcurrent\b"))
    href = items.nth(0).locator(".item-link").get_attribute("href")
    page.keyboard.press("o")
    expect(page).to_have_url(live.url + str(href))
    page.close()
