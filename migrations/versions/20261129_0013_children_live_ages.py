"""The children's live-and-age index: the lists' counts and the dashboard's count of the register by village and
age read it alone (over bench/generate's 250,000 children, the province's count went from 750 ms reading the table
to 70 ms). It replaces ix_children_unit_id_live, whose columns are its first three. Only indexes change.

Revision ID: 0013_children_live_ages
Revises: 0012_activity_totals
Create Date: 2026-11-29 00:45:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0013_children_live_ages'
down_revision = '0012_activity_totals'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('children', schema=None) as batch_op:
        batch_op.drop_index('ix_children_unit_id_live')
        batch_op.create_index('ix_children_live_ages', ['unit_id', 'merged_into_id', 'erased_at', 'birth_date',
                                                        'birth_year', 'sex', 'special_groups'], unique=False)


def downgrade():
    with op.batch_alter_table('children', schema=None) as batch_op:
        batch_op.drop_index('ix_children_live_ages')
        batch_op.create_index('ix_children_unit_id_live', ['unit_id', 'merged_into_id', 'erased_at'], unique=False)
