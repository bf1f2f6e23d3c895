"""Understanding stage: entities, topics, quotes, figures, summaries (owned by the understanding issue).

Revision ID: 0003
Revises: 0002

Reserved so the stages can land in any order without forking the chain;
empty until its stage adds tables. Append new revisions after 0005.
"""

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
