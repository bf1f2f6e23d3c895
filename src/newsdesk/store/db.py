"""Opening the database: one engine per process, migrated on first use.

SQLite (the embedded default) gets WAL, foreign keys and a busy timeout so the
web app, the scheduler and the CLI can share one file; PostgreSQL is used as is.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, inspect
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from newsdesk.config import Settings, get_settings
from newsdesk.errors import ConfigError, StoreError

MIGRATIONS = Path(__file__).parent / "migrations"


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def make_engine(url: str) -> Engine:
    """An engine for ``url`` with the per-engine settings newsdesk relies on."""
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        # As many connections as the web server's worker threads (40): a page waits for the
        # database, not for a free connection (SQLite connections are cheap; WAL reads in parallel).
        engine = create_engine(url, connect_args={"timeout": 30}, pool_size=10, max_overflow=30)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)


#: Key of the PostgreSQL advisory lock held while migrating ("newsdesk" in ASCII).
MIGRATION_LOCK_KEY = 0x6E657773646B


@contextmanager
def _sqlite_migration_lock(url: str) -> Iterator[None]:
    """An exclusive lock on a file beside the SQLite database while migrating.

    Why: pysqlite runs DDL outside a transaction, so two processes opening a
    fresh store both created the tables and one died with "table outlets
    already exists". The second now waits, then finds the schema current.
    """
    path = url.split("///", 1)[-1]
    if not path or path == ":memory:":
        yield
        return
    import fcntl

    lock_path = Path(path).with_name(Path(path).name + ".migrate-lock")
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path, "a+b") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest revision; safe to call on every start, from many
    processes at once (the first migrates, the others wait on a lock and find it done)."""
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import text

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    is_sqlite = engine.dialect.name == "sqlite"
    try:
        with (
            _sqlite_migration_lock(str(engine.url)) if is_sqlite else _nothing(),
            engine.begin() as conn,
        ):
            if engine.dialect.name == "postgresql":
                # held to the end of this transaction; DDL is transactional on PostgreSQL
                conn.execute(
                    text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY}
                )
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
    except OperationalError as exc:
        raise StoreError(
            f"cannot open the database at {engine.url.render_as_string(hide_password=True)}: "
            f"{exc.orig}".strip(),
            hint="check NEWSDESK_DATABASE_URL, that the server is running and reachable",
        ) from exc


@contextmanager
def _nothing() -> Iterator[None]:
    yield


@contextmanager
def statement_savepoint(conn: Connection) -> Iterator[None]:
    """Where a statement may fail on a unique key and the transaction must go on.

    PostgreSQL aborts the whole transaction on an error, so the statement runs in a
    savepoint. SQLite undoes only the failed statement; and a savepoint there is
    unsafe (pysqlite opens no transaction before SAVEPOINT, so its RELEASE would
    commit), so none is taken.
    """
    if conn.dialect.name == "sqlite":
        yield
        return
    with conn.begin_nested():
        yield


@dataclass
class Database:
    """The store: an engine plus transaction helpers. Repositories take a Connection."""

    engine: Engine

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def begin(self) -> Iterator[Connection]:
        """One transaction: committed when the block ends, rolled back on any error.

        This is how "nothing half-written" is kept: a record and everything
        that hangs off it are written inside one ``begin()``.
        """
        try:
            with self.engine.begin() as conn:
                yield conn
        except OperationalError as exc:
            raise StoreError(
                f"database error: {exc.orig}", hint="is the database reachable?"
            ) from exc

    @contextmanager
    def connect(self) -> Iterator[Connection]:
        with self.engine.connect() as conn:
            yield conn

    def table_names(self) -> list[str]:
        return sorted(inspect(self.engine).get_table_names())

    def close(self) -> None:
        self.engine.dispose()


_databases: dict[str, Database] = {}


def open_database(settings: Settings | None = None, *, url: str | None = None) -> Database:
    """The migrated database for ``settings`` (cached per URL for the process)."""
    settings = settings or get_settings()
    url = url or settings.effective_database_url
    db = _databases.get(url)
    if db is None:
        setting = "NEWSDESK_DATABASE_URL" if settings.database_url else "NEWSDESK_DATA_DIR"
        try:
            engine = make_engine(url)
        except SQLAlchemyError as exc:
            raise StoreError(f"invalid database URL {url!r}: {exc}") from exc
        except OSError as exc:
            raise ConfigError(
                f"{setting} is unusable: cannot create the folder "
                f"{str(Path(url.split('///', 1)[-1]).parent)!r}: {exc.strerror or exc}",
                hint=f"set {setting} to a folder newsdesk may create and write",
            ) from exc
        try:
            migrate(engine)
        except StoreError as exc:
            if engine.dialect.name != "sqlite":
                raise
            raise ConfigError(
                f"{setting} is unusable: {exc.message}",
                hint=f"set {setting} to a folder newsdesk may write",
            ) from exc
        except OSError as exc:
            raise ConfigError(
                f"{setting} is unusable: cannot write in "
                f"{str(Path(url.split('///', 1)[-1]).parent)!r}: {exc.strerror or exc}",
                hint=f"set {setting} to a folder newsdesk may write",
            ) from exc
        db = Database(engine)
        _databases[url] = db
    return db


def close_all() -> None:
    for db in _databases.values():
        db.close()
    _databases.clear()
