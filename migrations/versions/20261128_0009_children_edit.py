"""Children: the consent to processing a child's data (Nghị định 13/2023 Điều 20): who gave it, their relation,
how, when, and the child's own agreement from age 7. Nullable: children registered before have none recorded.
Reviewed by hand; the downgrade drops the five columns.

Revision ID: 0009_children_edit
Revises: 0008_reports
Create Date: 2026-11-28 23:00:46.939367

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0009_children_edit'
down_revision = '0008_reports'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('children', schema=None) as batch_op:
        batch_op.add_column(sa.Column('consent_by', sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column('consent_relation', sa.String(length=12), nullable=True))
        batch_op.add_column(sa.Column('consent_method', sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column('consent_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('consent_child', sa.Boolean(), nullable=True))



def downgrade():
    with op.batch_alter_table('children', schema=None) as batch_op:
        batch_op.drop_column('consent_child')
        batch_op.drop_column('consent_on')
        batch_op.drop_column('consent_method')
        batch_op.drop_column('consent_relation')
        batch_op.drop_column('consent_by')

