"""Reports about a child at risk (Nghị định 56/2017/NĐ-CP Mẫu số 01) and the steps of handling them: two new
tables, `concerns` and `concern_steps`; and `plans.hotline_confirmed`, set when an admin confirms the province's own
hotline (empty on every existing plan: the plan's printed number is shown on home only once confirmed). No data
moves; the downgrade drops them.

Revision ID: 0022_concerns
Revises: 0021_report_sections
Create Date: 2026-12-07 23:39:32.101543

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0022_concerns'
down_revision = '0021_report_sections'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('plans', schema=None) as batch_op:
        batch_op.add_column(sa.Column('hotline_confirmed', sa.Boolean(), nullable=True))

    op.create_table('concerns',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('village_id', sa.Integer(), nullable=True),
    sa.Column('child_id', sa.Integer(), nullable=True),
    sa.Column('child_description', sa.Text(), nullable=True),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('what', sa.Text(), nullable=False),
    sa.Column('place', sa.String(length=200), nullable=True),
    sa.Column('happened_on', sa.Date(), nullable=False),
    sa.Column('in_danger', sa.Boolean(), nullable=False),
    sa.Column('reporter_name', sa.String(length=120), nullable=True),
    sa.Column('reporter_contact', sa.String(length=120), nullable=True),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('verified', sa.Boolean(), nullable=True),
    sa.Column('verified_on', sa.Date(), nullable=True),
    sa.Column('assessed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('assessed_in_time', sa.Boolean(), nullable=True),
    sa.Column('emergency_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('plan_approved_on', sa.Date(), nullable=True),
    sa.Column('closed_on', sa.Date(), nullable=True),
    sa.Column('referred_to', sa.String(length=20), nullable=True),
    sa.Column('referred_on', sa.Date(), nullable=True),
    sa.Column('erased_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('client_id', sa.String(length=36), nullable=True),
    sa.Column('client_fingerprint', sa.String(length=64), nullable=True),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['child_id'], ['children.id'], name=op.f('fk_concerns_child_id_children')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_concerns_created_by_id_users')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_concerns_unit_id_units')),
    sa.ForeignKeyConstraint(['village_id'], ['units.id'], name=op.f('fk_concerns_village_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_concerns')),
    sa.UniqueConstraint('client_id', name=op.f('uq_concerns_client_id'))
    )
    with op.batch_alter_table('concerns', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_concerns_child_id'), ['child_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_concerns_created_by_id'), ['created_by_id'], unique=False)
        batch_op.create_index('ix_concerns_unit_status', ['unit_id', 'status'], unique=False)

    op.create_table('concern_steps',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('concern_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('step', sa.String(length=20), nullable=False),
    sa.Column('done_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('done_by', sa.String(length=120), nullable=False),
    sa.Column('outcome', sa.String(length=20), nullable=True),
    sa.Column('risk', sa.String(length=10), nullable=True),
    sa.Column('harm', sa.String(length=10), nullable=True),
    sa.Column('emergency', sa.Boolean(), nullable=True),
    sa.Column('emergency_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('approved_by', sa.String(length=120), nullable=True),
    sa.Column('approved_on', sa.Date(), nullable=True),
    sa.Column('referred_to', sa.String(length=20), nullable=True),
    sa.Column('whom', sa.String(length=200), nullable=True),
    sa.Column('text', sa.Text(), nullable=True),
    sa.Column('client_id', sa.String(length=36), nullable=True),
    sa.Column('client_fingerprint', sa.String(length=64), nullable=True),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['concern_id'], ['concerns.id'], name=op.f('fk_concern_steps_concern_id_concerns')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_concern_steps_created_by_id_users')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_concern_steps_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_concern_steps')),
    sa.UniqueConstraint('client_id', name=op.f('uq_concern_steps_client_id'))
    )
    with op.batch_alter_table('concern_steps', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_concern_steps_concern_id'), ['concern_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_concern_steps_created_by_id'), ['created_by_id'], unique=False)



def downgrade():
    with op.batch_alter_table('concern_steps', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_concern_steps_created_by_id'))
        batch_op.drop_index(batch_op.f('ix_concern_steps_concern_id'))

    op.drop_table('concern_steps')
    with op.batch_alter_table('concerns', schema=None) as batch_op:
        batch_op.drop_index('ix_concerns_unit_status')
        batch_op.drop_index(batch_op.f('ix_concerns_created_by_id'))
        batch_op.drop_index(batch_op.f('ix_concerns_child_id'))

    op.drop_table('concerns')
    with op.batch_alter_table('plans', schema=None) as batch_op:
        batch_op.drop_column('hotline_confirmed')
