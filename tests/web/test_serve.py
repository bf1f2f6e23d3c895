"""``newsdesk serve`` runs the web app beside the scheduler; ``--no-web`` does not; and it
refuses to listen beyond loopback while the instance is unsafe to expose."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

pytestmark = [pytest.mark.slow]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _spawn(args: list[str], data_dir: Path) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSDESK_")}
    env |= {
        "NEWSDESK_DATA_DIR": str(data_dir),
        "NEWSDESK_CONFIG": str(data_dir / "none.toml"),
        "PYTHONPATH": str(Path(__file__).resolve().parents[2] / "src"),
    }
    return subprocess.Popen(
        [sys.executable, "-m", "newsdesk", "serve", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def _stop(proc: subprocess.Popen[bytes]) -> tuple[str, str]:
    proc.terminate()
    out, err = proc.communicate(timeout=30)
    return out.decode(), err.decode()


def test_serve_runs_the_web_app(isolated_settings: Path) -> None:
    port = _free_port()
    proc = _spawn(["--port", str(port)], isolated_settings)
    try:
        deadline = time.monotonic() + 60
        answer: Any = None
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                answer = httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2)
                break
            except httpx.TransportError:
                time.sleep(0.3)
        assert answer is not None and answer.status_code == 200, _stop(proc)
        first = httpx.get(f"http://127.0.0.1:{port}/", timeout=5)
        assert first.status_code == 303 and first.headers["location"] == "/setup"
    finally:
        _stop(proc)


def test_serve_no_web_opens_no_port(isolated_settings: Path) -> None:
    port = _free_port()
    proc = _spawn(["--no-web", "--port", str(port)], isolated_settings)
    try:
        time.sleep(6)
        assert proc.poll() is None
        with pytest.raises(httpx.TransportError):
            httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2)
    finally:
        _out, err = _stop(proc)
    assert "web app on" not in err


def test_serve_refuses_beyond_loopback_before_the_admin_exists(cli: Any, db: Any) -> None:
    result = cli("serve", "--host", "0.0.0.0", "--port", str(_free_port()))
    assert result.code == 1
    assert "refusing to listen on 0.0.0.0" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_default_admin_password_cannot_exist(db: Any) -> None:
    """serve also checks the admin's password; the accounts refuse the defaults at the door."""
    from newsdesk.errors import InputError
    from newsdesk.follow.accounts import create_user
    from tests.web.conftest import now

    with pytest.raises(InputError), db.begin() as conn:
        create_user(conn, "admin@newsdesk.example", now=now(), password="password")
