"""Accounts and follows: users, sessions, API tokens, saved searches, follows, mutes,
the author index and the full-text index (owned by the follow issue).

Revision ID: 0005
Revises: 0004

The author index and the full-text index are kept in sync with ``articles`` by
triggers, so every way an article enters the store (the pipeline, a bulk load,
a future importer) is indexed the same way, inside the same transaction.
"""

import sqlalchemy as sa
from alembic import op

from newsdesk.store.types import UTCDateTime

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def _user_fk(table: str) -> sa.ForeignKey:
    return sa.ForeignKey("users.id", ondelete="CASCADE", name=f"fk_{table}_user_id_users")


def _create_account_tables() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("email", sa.String(320), nullable=False),
        sa.Column("display_name", sa.String(200), nullable=False),
        sa.Column("time_zone", sa.String(64), nullable=False),
        sa.Column("password_hash", sa.String(200), nullable=True),
        sa.Column("is_admin", sa.Boolean, nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.UniqueConstraint("email", name="uq_users_email"),
    )
    op.create_table(
        "sessions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("user_id", sa.Integer, _user_fk("sessions"), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("expires_at", UTCDateTime, nullable=False),
        sa.Column("last_seen_at", UTCDateTime, nullable=False),
        sa.UniqueConstraint("token_hash", name="uq_sessions_token_hash"),
    )
    op.create_index("ix_sessions_user_id", "sessions", ["user_id"])
    op.create_table(
        "api_tokens",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("user_id", sa.Integer, _user_fk("api_tokens"), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("prefix", sa.String(12), nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("last_used_at", UTCDateTime, nullable=True),
        sa.Column("revoked_at", UTCDateTime, nullable=True),
        sa.UniqueConstraint("token_hash", name="uq_api_tokens_token_hash"),
    )
    op.create_index("ix_api_tokens_user_id", "api_tokens", ["user_id"])
    op.create_table(
        "saved_searches",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("user_id", sa.Integer, _user_fk("saved_searches"), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("query", sa.Text, nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.UniqueConstraint("user_id", "name", name="uq_saved_searches_user_id_name"),
    )
    for name in ("follows", "mutes"):
        columns: list[sa.schema.SchemaItem] = [
            sa.Column("id", sa.Integer, primary_key=True),
            sa.Column("user_id", sa.Integer, _user_fk(name), nullable=False),
            sa.Column("kind", sa.String(20), nullable=False),
            sa.Column("target", sa.String(300), nullable=False),
            sa.Column("label", sa.String(300), nullable=False),
            sa.Column("created_at", UTCDateTime, nullable=False),
        ]
        if name == "follows":
            columns += [
                sa.Column("mark_article_id", sa.Integer, nullable=False),
                sa.Column("checked_at", UTCDateTime, nullable=True),
            ]
        op.create_table(
            name,
            *columns,
            sa.UniqueConstraint("user_id", "kind", "target", name=f"uq_{name}_user_id_kind_target"),
        )


def _create_author_index() -> None:
    op.create_table(
        "article_authors",
        sa.Column("author_key", sa.String(300), nullable=False),
        sa.Column(
            "article_id",
            sa.Integer,
            sa.ForeignKey(
                "articles.id", ondelete="CASCADE", name="fk_article_authors_article_id_articles"
            ),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("author_key", "article_id", name="pk_article_authors"),
    )
    op.create_index("ix_article_authors_article_id", "article_authors", ["article_id"])
    # Following an outlet or a source reads "this outlet's articles after the mark".
    op.create_index("ix_articles_outlet_id_id", "articles", ["outlet_id", "id"])
    op.create_index("ix_articles_source_id_id", "articles", ["source_id", "id"])
    op.create_index(
        "ix_story_members_story_id_article_id", "story_members", ["story_id", "article_id"]
    )


_SQLITE_AUTHORS = (
    "INSERT OR IGNORE INTO article_authors (author_key, article_id) "
    "SELECT lower(trim(value)), new.id FROM json_each(new.authors) "
    "WHERE json_valid(new.authors) AND trim(value) <> '';"
)

SQLITE_DDL = (
    # External-content FTS5: the text stays in ``articles``; the index holds only tokens.
    "CREATE VIRTUAL TABLE article_fts USING fts5(title, body, content='articles', "
    "content_rowid='id', tokenize='porter unicode61 remove_diacritics 2')",
    "CREATE TRIGGER articles_follow_ai AFTER INSERT ON articles BEGIN "
    "INSERT INTO article_fts (rowid, title, body) VALUES (new.id, new.title, new.body); "
    + _SQLITE_AUTHORS
    + " END",
    "CREATE TRIGGER articles_follow_ad AFTER DELETE ON articles BEGIN "
    "INSERT INTO article_fts (article_fts, rowid, title, body) "
    "VALUES ('delete', old.id, old.title, old.body); END",
    "CREATE TRIGGER articles_follow_au AFTER UPDATE OF title, body, authors ON articles BEGIN "
    "INSERT INTO article_fts (article_fts, rowid, title, body) "
    "VALUES ('delete', old.id, old.title, old.body); "
    "INSERT INTO article_fts (rowid, title, body) VALUES (new.id, new.title, new.body); "
    "DELETE FROM article_authors WHERE article_id = old.id; " + _SQLITE_AUTHORS + " END",
    # Articles stored before this revision.
    "INSERT INTO article_fts (article_fts) VALUES ('rebuild')",
    "INSERT OR IGNORE INTO article_authors (author_key, article_id) "
    "SELECT lower(trim(j.value)), a.id FROM articles a, json_each(a.authors) j "
    "WHERE json_valid(a.authors) AND trim(j.value) <> ''",
)

_PG_DOCUMENT = (
    "setweight(to_tsvector('english', coalesce({row}.title, '')), 'A') || "
    "setweight(to_tsvector('english', coalesce({row}.body, '')), 'B')"
)
_PG_AUTHORS = (
    "SELECT DISTINCT lower(btrim(x)), {row}.id FROM jsonb_array_elements_text("
    "CASE WHEN jsonb_typeof({row}.authors) = 'array' THEN {row}.authors ELSE '[]'::jsonb END"
    ") AS x WHERE btrim(x) <> ''"
)

POSTGRES_DDL = (
    "CREATE TABLE article_search ("
    "article_id integer PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE, "
    "document tsvector NOT NULL)",
    "CREATE INDEX ix_article_search_document ON article_search USING gin (document)",
    "CREATE FUNCTION newsdesk_articles_follow_sync() RETURNS trigger LANGUAGE plpgsql AS $$ "
    "BEGIN "
    "INSERT INTO article_search (article_id, document) VALUES (NEW.id, "
    + _PG_DOCUMENT.format(row="NEW")
    + ") ON CONFLICT (article_id) DO UPDATE SET document = EXCLUDED.document; "
    "IF TG_OP = 'UPDATE' THEN DELETE FROM article_authors WHERE article_id = NEW.id; END IF; "
    "INSERT INTO article_authors (author_key, article_id) "
    + _PG_AUTHORS.format(row="NEW")
    + " ON CONFLICT DO NOTHING; "
    "RETURN NULL; END $$",
    "CREATE TRIGGER articles_follow_sync AFTER INSERT OR UPDATE OF title, body, authors "
    "ON articles FOR EACH ROW EXECUTE FUNCTION newsdesk_articles_follow_sync()",
    "INSERT INTO article_search (article_id, document) SELECT a.id, "
    + _PG_DOCUMENT.format(row="a")
    + " FROM articles a",
    "INSERT INTO article_authors (author_key, article_id) "
    "SELECT DISTINCT lower(btrim(x)), a.id FROM articles a, jsonb_array_elements_text("
    "CASE WHEN jsonb_typeof(a.authors) = 'array' THEN a.authors ELSE '[]'::jsonb END"
    ") AS x WHERE btrim(x) <> '' ON CONFLICT DO NOTHING",
)


def upgrade() -> None:
    _create_account_tables()
    _create_author_index()
    bind = op.get_bind()
    for statement in SQLITE_DDL if bind.dialect.name == "sqlite" else POSTGRES_DDL:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for trigger in ("articles_follow_ai", "articles_follow_ad", "articles_follow_au"):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute("DROP TABLE IF EXISTS article_fts")
    else:
        op.execute("DROP TRIGGER IF EXISTS articles_follow_sync ON articles")
        op.execute("DROP FUNCTION IF EXISTS newsdesk_articles_follow_sync()")
        op.execute("DROP TABLE IF EXISTS article_search")
    op.drop_index("ix_story_members_story_id_article_id", "story_members")
    op.drop_index("ix_articles_source_id_id", "articles")
    op.drop_index("ix_articles_outlet_id_id", "articles")
    for name in ("article_authors", "mutes", "follows", "saved_searches", "api_tokens", "sessions"):
        op.drop_table(name)
    op.drop_table("users")
