"""Sources stage: feed items and fetch state (owned by the sources issue).

Revision ID: 0002
Revises: 0001

Reserved so the stages can land in any order without forking the chain;
empty until its stage adds tables. Append new revisions after 0005.
"""

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
