"""Indexes that let the lists count an area's records, and those waiting for review, from the index alone
(measured over bench/generate's province: the province's waiting count went from a heap scan of 105,000 rows).
Only indexes change; no data moves. Reviewed by hand.

Revision ID: 0011_list_indexes
Revises: 0009_children_edit
Create Date: 2026-11-28 23:09:42.444015

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0011_list_indexes'
down_revision = '0009_children_edit'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('activities', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_activities_status'))
        batch_op.create_index('ix_activities_status_deleted_at', ['status', 'deleted_at'], unique=False)
        batch_op.create_index('ix_activities_unit_id_status', ['unit_id', 'status', 'deleted_at'], unique=False)

    with op.batch_alter_table('children', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_children_unit_id'))
        batch_op.create_index('ix_children_unit_id_live', ['unit_id', 'merged_into_id', 'erased_at'], unique=False)



def downgrade():
    with op.batch_alter_table('children', schema=None) as batch_op:
        batch_op.drop_index('ix_children_unit_id_live')
        batch_op.create_index(batch_op.f('ix_children_unit_id'), ['unit_id'], unique=False)

    with op.batch_alter_table('activities', schema=None) as batch_op:
        batch_op.drop_index('ix_activities_unit_id_status')
        batch_op.drop_index('ix_activities_status_deleted_at')
        batch_op.create_index(batch_op.f('ix_activities_status'), ['status'], unique=False)

