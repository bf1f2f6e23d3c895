"""Operations endpoints: ``/readyz`` (database and broker reachable) and ``/metrics``.

``/healthz`` (the process answers) lives with the pages. These carry no user
data, so they need no session; a reverse proxy may keep ``/metrics`` internal.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

router = APIRouter()


@router.get("/readyz", include_in_schema=False)
def readyz(request: Request) -> Response:
    from newsdesk.jobs.workers_status import readiness

    checks = readiness(request.app.state.settings)
    ready = all(v == "ok" for v in checks.values())
    return JSONResponse({"ready": ready, "checks": checks}, status_code=200 if ready else 503)


@router.get("/metrics", include_in_schema=False)
def metrics() -> Response:
    from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

    from newsdesk.jobs.metrics import collect_gauges

    collect_gauges()
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)
