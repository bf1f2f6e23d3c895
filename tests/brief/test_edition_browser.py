"""The HTML edition in headless Chromium (Debian's, never a downloaded one): no horizontal
scrolling at 375 px, light and dark. With EDITION_SCREENSHOTS=DIR it also writes the
screenshots committed under docs/screenshots/."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from newsdesk.brief.render import render_edition
from tests.brief.sample_edition import BASE, sample_edition

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def browser():  # type: ignore[no-untyped-def]
    from tests.conftest import skip_or_fail

    if not CHROMIUM.exists():
        skip_or_fail(f"Chromium is not installed at {CHROMIUM}")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        skip_or_fail(
            "playwright is not installed (pip install playwright; never playwright install)"
        )
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS)
        yield chromium
        chromium.close()


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [375, 1280])
def test_edition_fits_the_screen(browser, width: int, scheme: str) -> None:  # type: ignore[no-untyped-def]
    html = render_edition(
        sample_edition(),
        email="ana@example.org",
        base_url=BASE,
        unsubscribe_url=f"{BASE}/unsubscribe/1.signature",
    ).html
    context = browser.new_context(
        viewport={"width": width, "height": 900}, color_scheme=scheme, java_script_enabled=True
    )
    page = context.new_page()
    page.route("**/*", lambda route: route.abort())  # nothing leaves the machine
    page.set_content(html, wait_until="load")
    sizes = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert sizes[0] <= sizes[1], f"horizontal scrolling at {width}px ({scheme}): {sizes}"
    background = page.evaluate("() => getComputedStyle(document.body).backgroundColor")
    dark = scheme == "dark"
    assert (background == "rgb(22, 21, 20)") == dark, background
    target = os.environ.get("EDITION_SCREENSHOTS")
    if target:
        Path(target).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(target) / f"edition-{width}-{scheme}.png"), full_page=True)
    context.close()
