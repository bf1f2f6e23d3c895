"""The read-state tables as defined in code and as migration 0007_read_state creates them agree."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from newsdesk.store.tables import metadata

OURS = {"read_marks", "article_reads", "article_stars"}
OUR_INDEXES = {"ix_articles_created_at"}


def test_migration_and_table_definitions_agree(db):
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, metadata)

    def ours(change) -> bool:
        item = change[0] if isinstance(change, list) else change
        for part in item[1:]:
            table = getattr(part, "table", None)
            if (
                getattr(table, "name", None) in OURS
                or getattr(part, "name", None) in OURS | OUR_INDEXES
            ):
                return True
            if isinstance(part, str) and part in OURS:
                return True
        return False

    assert [c for c in diff if ours(c)] == []
