"""Reports: each unit's 6-month and annual report (status and the parts the officer writes), and the values
officers enter for goals that records cannot give. Reviewed by hand; the downgrade drops both tables.

Revision ID: 0008_reports
Revises: 0004_children_gifts_fund
Create Date: 2026-11-28 20:41:19.571007

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0008_reports'
down_revision = '0007_swim'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('entered_values',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('period_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('goal', sa.String(length=20), nullable=False),
    sa.Column('value', sa.BigInteger(), nullable=False),
    sa.Column('source', sa.String(length=300), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('client_id', sa.String(length=36), nullable=True),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_entered_values_created_by_id_users')),
    sa.ForeignKeyConstraint(['period_id'], ['report_periods.id'], name=op.f('fk_entered_values_period_id_report_periods'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_entered_values_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_entered_values')),
    sa.UniqueConstraint('client_id', name=op.f('uq_entered_values_client_id')),
    sa.UniqueConstraint('period_id', 'unit_id', 'goal', name='uq_entered_values_period_id_unit_id_goal')
    )
    with op.batch_alter_table('entered_values', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_entered_values_created_by_id'), ['created_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_entered_values_period_id'), ['period_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_entered_values_unit_id'), ['unit_id'], unique=False)

    op.create_table('reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('period_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('number', sa.String(length=40), nullable=True),
    sa.Column('place', sa.String(length=80), nullable=True),
    sa.Column('report_date', sa.Date(), nullable=True),
    sa.Column('results', sa.Text(), nullable=True),
    sa.Column('shortcomings', sa.Text(), nullable=True),
    sa.Column('proposals', sa.Text(), nullable=True),
    sa.Column('recipients', sa.Text(), nullable=True),
    sa.Column('signer_title', sa.String(length=120), nullable=True),
    sa.Column('signer_name', sa.String(length=120), nullable=True),
    sa.Column('first_submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('submitted_by_id', sa.Integer(), nullable=True),
    sa.Column('reviewed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reviewed_by_id', sa.Integer(), nullable=True),
    sa.Column('review_comment', sa.Text(), nullable=True),
    sa.Column('client_id', sa.String(length=36), nullable=True),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_reports_created_by_id_users')),
    sa.ForeignKeyConstraint(['period_id'], ['report_periods.id'], name=op.f('fk_reports_period_id_report_periods'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['reviewed_by_id'], ['users.id'], name=op.f('fk_reports_reviewed_by_id_users')),
    sa.ForeignKeyConstraint(['submitted_by_id'], ['users.id'], name=op.f('fk_reports_submitted_by_id_users')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_reports_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reports')),
    sa.UniqueConstraint('client_id', name=op.f('uq_reports_client_id')),
    sa.UniqueConstraint('period_id', 'unit_id', name='uq_reports_period_id_unit_id')
    )
    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reports_created_by_id'), ['created_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_reports_period_id'), ['period_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_reports_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_reports_unit_id'), ['unit_id'], unique=False)



def downgrade():
    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reports_unit_id'))
        batch_op.drop_index(batch_op.f('ix_reports_status'))
        batch_op.drop_index(batch_op.f('ix_reports_period_id'))
        batch_op.drop_index(batch_op.f('ix_reports_created_by_id'))

    op.drop_table('reports')
    with op.batch_alter_table('entered_values', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_entered_values_unit_id'))
        batch_op.drop_index(batch_op.f('ix_entered_values_period_id'))
        batch_op.drop_index(batch_op.f('ix_entered_values_created_by_id'))

    op.drop_table('entered_values')
