"""schemathesis against /api/v1/openapi.json with a token: no 5xx, and every response
(status, content type, body) matches the document."""

from __future__ import annotations

from typing import Any

import pytest

from tests.web.conftest import load_demo, make_token, make_user

pytestmark = [pytest.mark.slow]


def test_api_matches_its_openapi_document(db: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    import schemathesis
    from hypothesis import HealthCheck, given, settings
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import (
        content_type_conformance,
        response_schema_conformance,
        status_code_conformance,
    )

    from newsdesk.config import get_settings
    from newsdesk.web.app import create_app

    # A source URL the fuzzer invents is never reachable from a test: fail fast.
    monkeypatch.setenv("NEWSDESK_CONNECT_TIMEOUT", "1")
    monkeypatch.setenv("NEWSDESK_FETCH_TIMEOUT", "2")
    get_settings.cache_clear()
    load_demo(db)
    user = make_user(db, "api@newsdesk.example")
    headers = {"Authorization": "Bearer " + make_token(db, user.id)}
    app = create_app(get_settings(), db=db)
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", app)
    checks = [
        not_a_server_error,
        status_code_conformance,
        content_type_conformance,
        response_schema_conformance,
    ]
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 20
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=12,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            database=None,
        )
        def check(case: Any) -> None:
            case.call_and_validate(headers=headers, checks=checks)

        check()
