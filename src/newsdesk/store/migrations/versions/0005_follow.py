"""Accounts and follows (owned by the follow issue).

Revision ID: 0005
Revises: 0004

Reserved so the stages can land in any order without forking the chain;
empty until its stage adds tables. Append new revisions after 0005.
"""

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
