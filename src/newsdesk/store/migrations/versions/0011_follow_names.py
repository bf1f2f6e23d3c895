"""Follows by name: a follow or mute of a name no article names yet is found by its name.

Such a follow keeps ``name:<normalised name>`` as its target until an article
names it; each stored or understood article looks the pending rows its names
could stand for up by ``(kind, target)``, so that lookup gets an index on both
tables (the unique keys start with the user).

Revision ID: 0011_follow_names
Revises: 0010_reader_apps
"""

from alembic import op

revision = "0011_follow_names"
down_revision = "0010_reader_apps"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_follows_kind_target", "follows", ["kind", "target"])
    op.create_index("ix_mutes_kind_target", "mutes", ["kind", "target"])


def downgrade() -> None:
    op.drop_index("ix_mutes_kind_target", table_name="mutes")
    op.drop_index("ix_follows_kind_target", table_name="follows")
