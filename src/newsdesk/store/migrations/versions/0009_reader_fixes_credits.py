"""Every credited person is an author: the author index covers bylines, contributors and credits.

A reader follows "the author of this article" whatever the page calls the
credit ("By", "With a report by", "with files from"). ``articles.authors``,
``articles.contributors`` and the names in ``articles.credits`` (which keep
each credit's kind and role) all feed ``article_authors``.

Revision ID: 0009_reader_fixes_credits
Revises: 0008_editions
"""

from alembic import op

revision = "0009_reader_fixes_credits"
down_revision = "0008_editions"
branch_labels = None
depends_on = None


def _sqlite_names(row: str) -> str:
    """Every credited name of ``row`` (a JSON array that is not one reads as empty)."""

    def arr(column: str) -> str:
        return f"json_each(CASE WHEN json_valid({row}.{column}) THEN {row}.{column} ELSE '[]' END)"

    return (
        f"SELECT lower(trim(value)) AS k FROM {arr('authors')} WHERE type = 'text' "
        f"UNION SELECT lower(trim(value)) FROM {arr('contributors')} WHERE type = 'text' "
        f"UNION SELECT lower(trim(json_extract(value, '$.name'))) FROM {arr('credits')} "
        "WHERE type = 'object' AND json_type(value, '$.name') = 'text'"
    )


def _sqlite_insert(row: str) -> str:
    return (
        "INSERT OR IGNORE INTO article_authors (author_key, article_id) "
        f"SELECT k, {row}.id FROM ({_sqlite_names(row)}) WHERE k <> '';"
    )


_SQLITE_UP = (
    "DROP TRIGGER IF EXISTS articles_follow_ai",
    "DROP TRIGGER IF EXISTS articles_follow_au",
    "CREATE TRIGGER articles_follow_ai AFTER INSERT ON articles BEGIN "
    "INSERT INTO article_fts (rowid, title, body) VALUES (new.id, new.title, new.body); "
    + _sqlite_insert("new")
    + " END",
    "CREATE TRIGGER articles_follow_au AFTER UPDATE OF title, body, authors, contributors, credits "
    "ON articles BEGIN "
    "INSERT INTO article_fts (article_fts, rowid, title, body) "
    "VALUES ('delete', old.id, old.title, old.body); "
    "INSERT INTO article_fts (rowid, title, body) VALUES (new.id, new.title, new.body); "
    "DELETE FROM article_authors WHERE article_id = old.id; " + _sqlite_insert("new") + " END",
    # Articles stored before this revision.
    "INSERT OR IGNORE INTO article_authors (author_key, article_id) "
    "SELECT lower(trim(c.value)), a.id FROM articles a, json_each(CASE WHEN "
    "json_valid(a.contributors) THEN a.contributors ELSE '[]' END) c "
    "WHERE c.type = 'text' AND trim(c.value) <> ''",
    "INSERT OR IGNORE INTO article_authors (author_key, article_id) "
    "SELECT lower(trim(json_extract(c.value, '$.name'))), a.id FROM articles a, json_each(CASE "
    "WHEN json_valid(a.credits) THEN a.credits ELSE '[]' END) c "
    "WHERE c.type = 'object' AND json_type(c.value, '$.name') = 'text' "
    "AND trim(json_extract(c.value, '$.name')) <> ''",
)


def _pg_names(row: str) -> str:
    def arr(column: str) -> str:
        return (
            f"jsonb_array_elements(CASE WHEN jsonb_typeof({row}.{column}) = 'array' "
            f"THEN {row}.{column} ELSE '[]'::jsonb END)"
        )

    return (
        f"SELECT lower(btrim(x #>> '{{}}')) AS k FROM {arr('authors')} AS x "
        "WHERE jsonb_typeof(x) = 'string' "
        f"UNION SELECT lower(btrim(x #>> '{{}}')) FROM {arr('contributors')} AS x "
        "WHERE jsonb_typeof(x) = 'string' "
        f"UNION SELECT lower(btrim(x ->> 'name')) FROM {arr('credits')} AS x "
        "WHERE jsonb_typeof(x) = 'object' AND jsonb_typeof(x -> 'name') = 'string'"
    )


_PG_UP = (
    "DROP TRIGGER IF EXISTS articles_follow_sync ON articles",
    "CREATE OR REPLACE FUNCTION newsdesk_articles_follow_sync() RETURNS trigger "
    "LANGUAGE plpgsql AS $$ "
    "BEGIN "
    "INSERT INTO article_search (article_id, document) VALUES (NEW.id, "
    "setweight(to_tsvector('english', coalesce(NEW.title, '')), 'A') || "
    "setweight(to_tsvector('english', coalesce(NEW.body, '')), 'B')"
    ") ON CONFLICT (article_id) DO UPDATE SET document = EXCLUDED.document; "
    "IF TG_OP = 'UPDATE' THEN DELETE FROM article_authors WHERE article_id = NEW.id; END IF; "
    "INSERT INTO article_authors (author_key, article_id) SELECT k, NEW.id FROM ("
    + _pg_names("NEW")
    + ") AS names WHERE k <> '' ON CONFLICT DO NOTHING; "
    "RETURN NULL; END $$",
    "CREATE TRIGGER articles_follow_sync AFTER INSERT OR UPDATE OF title, body, authors, "
    "contributors, credits ON articles FOR EACH ROW EXECUTE FUNCTION "
    "newsdesk_articles_follow_sync()",
    "INSERT INTO article_authors (author_key, article_id) SELECT names.k, a.id FROM articles a "
    "CROSS JOIN LATERAL (" + _pg_names("a") + ") AS names WHERE names.k <> '' "
    "ON CONFLICT DO NOTHING",
)


def upgrade() -> None:
    for statement in _SQLITE_UP if op.get_bind().dialect.name == "sqlite" else _PG_UP:
        op.execute(statement)


def downgrade() -> None:
    """Back to bylines only: the revision before indexed ``articles.authors`` alone."""
    from importlib import import_module

    previous = import_module("newsdesk.store.migrations.versions.0005_follow")
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS articles_follow_ai")
        op.execute("DROP TRIGGER IF EXISTS articles_follow_au")
        redo = [previous.SQLITE_DDL[1], previous.SQLITE_DDL[3]]
        backfill = previous.SQLITE_DDL[-1]
    else:
        op.execute("DROP TRIGGER IF EXISTS articles_follow_sync ON articles")
        redo = [
            previous.POSTGRES_DDL[2].replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION"),
            previous.POSTGRES_DDL[3],
        ]
        backfill = previous.POSTGRES_DDL[-1]
    for statement in redo:
        op.execute(statement)
    op.execute("DELETE FROM article_authors")
    op.execute(backfill)
