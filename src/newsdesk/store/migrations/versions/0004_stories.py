"""Stories stage: near-duplicates, stories, importance (owned by the stories issue).

Revision ID: 0004
Revises: 0003

Reserved so the stages can land in any order without forking the chain;
empty until its stage adds tables. Append new revisions after 0005.
"""

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
