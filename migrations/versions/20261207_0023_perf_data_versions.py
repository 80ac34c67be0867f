"""The data's change counters (`core/versions.py`): a row per table, which every write to the table changes in its
own transaction, so that the caches of computed results (the dashboards' indicator results, the blank forms' HTML)
on every app server know when an entry is stale. A new table, empty until the first write; nothing existing
changes, the downgrade drops it.

Revision ID: 0023_perf_data_versions
Revises: 0022_concerns
Create Date: 2026-12-07 23:50:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0023_perf_data_versions'
down_revision = '0022_concerns'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'data_versions',
        sa.Column('name', sa.String(length=40), nullable=False),
        sa.Column('version', sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint('name', name=op.f('pk_data_versions')),
    )


def downgrade():
    op.drop_table('data_versions')
