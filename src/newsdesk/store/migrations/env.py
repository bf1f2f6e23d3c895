"""Alembic environment: newsdesk runs migrations in-process on a connection it owns."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from newsdesk.store.tables import metadata

config = context.config
target_metadata = metadata


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
        )
        with context.begin_transaction():
            context.run_migrations()
        return
    # Invoked from the alembic command line: use the URL it was given.
    engine = create_engine(config.get_main_option("sqlalchemy.url") or "")
    with engine.connect() as conn:
        context.configure(
            connection=conn,
            target_metadata=target_metadata,
            render_as_batch=conn.dialect.name == "sqlite",
        )
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():  # pragma: no cover - we never emit SQL scripts
    raise SystemExit("newsdesk migrations run online only")
run_migrations_online()
