"""Running the web app inside ``newsdesk serve``: uvicorn in a thread beside the scheduler.

Before listening, ``check_listen`` refuses an address beyond loopback while the
instance is unsafe to expose: the secret is a default, no admin exists yet (the
first-run page would be the only guard), or an admin's password is a well-known
default.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from newsdesk.config import Settings
from newsdesk.errors import ConfigError
from newsdesk.logs import get_logger
from newsdesk.store.db import Database
from newsdesk.web.security import DEFAULT_PASSWORDS, DEFAULT_SECRETS, is_loopback

log = get_logger(__name__)


def _admin_password_is_default(db: Database) -> bool:
    from newsdesk.follow.accounts import list_users, verify_password

    with db.connect() as conn:
        admins = [u for u in list_users(conn) if u.is_admin]
        return any(verify_password(conn, u.id, p) for u in admins for p in DEFAULT_PASSWORDS)


def check_listen(settings: Settings, host: str, db: Database | None = None) -> None:
    """Raise ConfigError when listening on ``host`` would expose an unsafe instance."""
    from newsdesk.config import session_secret
    from newsdesk.store.db import open_database

    if is_loopback(host):
        return
    db = db or open_database(settings)
    if session_secret(settings) in DEFAULT_SECRETS:
        raise ConfigError(
            f"refusing to listen on {host} while the secret is a default",
            hint="set NEWSDESK_SECRET_KEY to a long random value, or listen on 127.0.0.1",
        )
    from newsdesk.follow.accounts import count_users

    with db.connect() as conn:
        if count_users(conn) == 0:
            raise ConfigError(
                f"refusing to listen on {host} before the admin account exists",
                hint="open http://127.0.0.1:PORT/ once to create it, or run `newsdesk users add`",
            )
    if _admin_password_is_default(db):
        raise ConfigError(
            f"refusing to listen on {host} while the admin password is a well-known default",
            hint="change it on the Settings page first",
        )


def web_service(host: str, port: int) -> Callable[[Settings, threading.Event], None]:
    """A ``serve`` service running the web app on ``host:port`` until ``stop`` is set."""

    def run_web(settings: Settings, stop: threading.Event) -> None:
        import uvicorn

        from newsdesk.web.app import create_app

        app = create_app(settings)
        config = uvicorn.Config(
            app, host=host, port=port, log_level="warning", access_log=False, lifespan="off"
        )
        server = uvicorn.Server(config)

        def watch() -> None:
            stop.wait()
            server.should_exit = True

        threading.Thread(target=watch, name="web-stop", daemon=True).start()
        server.run()

    run_web.__name__ = "web"
    return run_web
