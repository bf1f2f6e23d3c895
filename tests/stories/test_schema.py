"""The stories tables as defined in code and as migration 0004 creates them agree."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from newsdesk.store.tables import metadata

OURS = {"stories", "story_members"}


def test_migration_and_table_definitions_agree(db):
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, metadata)

    def table_of(change):
        item = change[0] if isinstance(change, list) else change
        for part in item[1:]:
            name = getattr(part, "name", None)
            table = getattr(part, "table", None)
            if table is not None and getattr(table, "name", None) in OURS:
                return table.name
            if isinstance(part, str) and part in OURS:
                return part
            if name in OURS:
                return name
        return None

    ours = [change for change in diff if table_of(change)]
    assert ours == []
