"""The child register; gift and scholarship distributions; the child protection fund.

Revision ID: 0004_children_gifts_fund
Revises: 0001
Create Date: 2026-11-28 20:10:46.548180

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004_children_gifts_fund'
down_revision = '0002_plans_activities'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('children',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('full_name', sa.String(length=120), nullable=False),
    sa.Column('search_name', sa.String(length=120), nullable=False),
    sa.Column('birth_date', sa.Date(), nullable=True),
    sa.Column('birth_year', sa.Integer(), nullable=False),
    sa.Column('sex', sa.String(length=1), nullable=False),
    sa.Column('ethnicity', sa.String(length=2), nullable=True),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('commune_id', sa.Integer(), nullable=False),
    sa.Column('school', sa.String(length=120), nullable=True),
    sa.Column('school_class', sa.String(length=20), nullable=True),
    sa.Column('guardian_name', sa.String(length=120), nullable=True),
    sa.Column('guardian_phone', sa.String(length=15), nullable=True),
    sa.Column('special_groups', sa.String(length=40), nullable=False),
    sa.Column('merged_into_id', sa.Integer(), nullable=True),
    sa.Column('erased_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('client_id', sa.String(length=36), nullable=True),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['commune_id'], ['units.id'], name=op.f('fk_children_commune_id_units')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_children_created_by_id_users'), use_alter=True),
    sa.ForeignKeyConstraint(['merged_into_id'], ['children.id'], name=op.f('fk_children_merged_into_id_children')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_children_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_children')),
    sa.UniqueConstraint('client_id', name=op.f('uq_children_client_id'))
    )
    with op.batch_alter_table('children', schema=None) as batch_op:
        batch_op.create_index('ix_children_commune_birth_year', ['commune_id', 'birth_year'], unique=False)
        batch_op.create_index(batch_op.f('ix_children_created_by_id'), ['created_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_children_merged_into_id'), ['merged_into_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_children_search_name'), ['search_name'], unique=False)
        batch_op.create_index(batch_op.f('ix_children_unit_id'), ['unit_id'], unique=False)



def downgrade():
    with op.batch_alter_table('children', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_children_unit_id'))
        batch_op.drop_index(batch_op.f('ix_children_search_name'))
        batch_op.drop_index(batch_op.f('ix_children_merged_into_id'))
        batch_op.drop_index(batch_op.f('ix_children_created_by_id'))
        batch_op.drop_index('ix_children_commune_birth_year')

    op.drop_table('children')
