"""The interactive API docs in Debian's Chromium: our own script (a hashed static file, no
inline script, nothing from elsewhere) builds a form per operation from openapi.json and
calls the API with the token typed on the page."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.web.conftest import Live, load_demo, make_token, make_user

pytestmark = [pytest.mark.browser]


def _operation(page: Any, method: str, path: str) -> Any:
    box = page.locator(f'details.api-op[data-method="{method}"][data-path="{path}"]')
    box.locator("summary").click()
    return box


def _result(box: Any) -> tuple[str, str]:
    result = box.locator(".api-result")
    result.wait_for(state="visible")
    box.page.wait_for_function(
        "el => !['sending', undefined].includes(el.dataset.status)",
        arg=result.element_handle(),
    )
    return result.locator(".api-status").inner_text(), result.locator("pre").inner_text()


def test_docs_try_for_you_with_a_token(live_sqlite: Live, browser: Any) -> None:
    live = live_sqlite
    user = make_user(live.db, "reader@newsdesk.example")
    token = make_token(live.db, user.id)
    load_demo(live.db)
    page = browser.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    response = page.goto(live.url + "/api/v1/docs")
    assert response is not None and response.status == 200
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    scripts = page.locator("script")
    for i in range(scripts.count()):
        src = scripts.nth(i).get_attribute("src")
        assert src and src.startswith("/static/"), "every script is our own hashed file"
    page.get_by_label("API token").fill(token)

    box = _operation(page, "GET", "/api/v1/for-you")
    box.get_by_role("button", name="Send GET /api/v1/for-you").click()
    status, body = _result(box)
    assert status.startswith("200"), status
    assert "application/json" in status
    assert "entries" in json.loads(body)

    # A parameter goes into the path; a JSON body is sent as typed.
    box = _operation(page, "POST", "/api/v1/follows")
    box.get_by_label("Request body (JSON)").fill('{"kind": "topic", "value": "harbours"}')
    box.get_by_role("button", name="Send POST /api/v1/follows").click()
    status, body = _result(box)
    assert status.startswith("201"), (status, body)
    follow_id = json.loads(body)["id"]
    box = _operation(page, "DELETE", "/api/v1/follows/{follow_id}")
    box.get_by_label("follow_id (path)").fill(str(follow_id))
    box.get_by_role("button", name="Send DELETE /api/v1/follows/{follow_id}").click()
    status, body = _result(box)
    assert status.startswith("200") and json.loads(body)["removed"] is True

    # Without a token: the API's own problem document, shown as text.
    page.get_by_label("API token").fill("")
    box = page.locator('details.api-op[data-method="GET"][data-path="/api/v1/for-you"]')
    box.get_by_role("button", name="Send GET /api/v1/for-you").click()
    box.page.wait_for_function(
        "el => el.dataset.status === '401'", arg=box.locator(".api-result").element_handle()
    )
    assert "application/problem+json" in box.locator(".api-status").inner_text()
    # The 401 above (and a favicon 404) are logged by the browser; no script error and
    # nothing the CSP refused.
    assert not [p for p in problems if "Failed to load resource" not in p], problems
    page.close()


def test_docs_without_script_list_every_operation(live_sqlite: Live, browser: Any) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_sqlite.url + "/api/v1/docs")
    table = page.get_by_role("table", name="Operations")
    assert table.is_visible()
    assert "/api/v1/for-you" in table.inner_text()
    context.close()
