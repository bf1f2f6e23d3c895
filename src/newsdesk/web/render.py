"""Server-side rendering: the Jinja2 environment and hashed static files.

Static files are served under names that carry a hash of their content
(``app.3f9c1a2b7d.css``), so they can be cached for a year: a changed file
gets a new name. Templates get ``static('app.css')`` to write those names.
"""

from __future__ import annotations

import contextlib
import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import Request
from fastapi.responses import HTMLResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape

HERE = Path(__file__).parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"
LONG_CACHE = "public, max-age=31536000, immutable"
MEDIA = {".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8"}


@dataclass
class StaticFiles:
    """Every file in ``static/`` by its hashed name, read once at start."""

    by_hashed: dict[str, tuple[bytes, str]] = field(default_factory=dict)
    hashed: dict[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls, folder: Path = STATIC) -> StaticFiles:
        files = cls()
        for path in sorted(folder.iterdir()):
            if not path.is_file() or path.suffix not in MEDIA:
                continue
            data = path.read_bytes()
            digest = hashlib.sha256(data).hexdigest()[:10]
            name = f"{path.stem}.{digest}{path.suffix}"
            files.hashed[path.name] = name
            files.by_hashed[name] = (data, MEDIA[path.suffix])
        return files

    def url(self, name: str) -> str:
        return f"/static/{self.hashed[name]}"

    def response(self, hashed_name: str) -> Response | None:
        found = self.by_hashed.get(hashed_name)
        if found is None:
            return None
        return Response(found[0], media_type=found[1], headers={"Cache-Control": LONG_CACHE})


def _when(value: str | datetime | None, tz: str = "UTC") -> str:
    if value is None:
        return ""
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    with contextlib.suppress(Exception):  # an unknown zone from an old row: show UTC
        moment = moment.astimezone(ZoneInfo(tz))
    return moment.strftime("%d %b %Y, %H:%M")


def make_environment(static: StaticFiles) -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html", "xml"]),
        trim_blocks=True,
        lstrip_blocks=True,
        # Templates ship with the package: compile each once, never stat it per render.
        auto_reload=False,
    )
    env.globals["static"] = static.url
    env.filters["when"] = _when
    return env


def render(
    request: Request, template: str, context: dict[str, Any], *, status: int = 200
) -> HTMLResponse:
    env: Environment = request.app.state.jinja
    user = getattr(request.state, "user", None)
    values = {
        "request": request,
        "user": user,
        "csrf": getattr(request.state, "csrf", ""),
        "tz": user.time_zone if user is not None else "UTC",
        "demo": getattr(request.app.state, "demo_loaded", lambda: False)(),
        "path": request.url.path,
        **context,
    }
    html = env.get_template(template).render(values)
    return HTMLResponse(html, status_code=status, headers={"Cache-Control": "no-store"})


def render_error(request: Request, status: int, detail: str, hint: str | None) -> Response:
    if not hasattr(request.app.state, "jinja"):
        return HTMLResponse(f"<p>{status}</p>", status_code=status)
    return render(
        request,
        "error.html",
        {"status": status, "detail": detail, "hint": hint, "title": f"Error {status}"},
        status=status,
    )
