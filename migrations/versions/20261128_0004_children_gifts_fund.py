"""The child register; gift and scholarship distributions with their receipts; the child protection fund.

Revision ID: 0004_children_gifts_fund
Revises: 0001
Create Date: 2026-11-28 20:19:53.675537

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0004_children_gifts_fund'
down_revision = '0001'
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
    sa.Column('special_groups', sa.String(length=40), server_default='', nullable=False),
    sa.Column('merged_into_id', sa.Integer(), nullable=True),
    sa.Column('erased_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('client_id', sa.String(length=36), nullable=True),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['commune_id'], ['units.id'], name=op.f('fk_children_commune_id_units')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_children_created_by_id_users')),
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

    op.create_table('distributions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('commune_id', sa.Integer(), nullable=False),
    sa.Column('occasion', sa.String(length=20), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('value_each', sa.BigInteger(), nullable=False),
    sa.Column('item', sa.String(length=200), nullable=False),
    sa.Column('source', sa.String(length=10), nullable=False),
    sa.Column('source_unit_id', sa.Integer(), nullable=True),
    sa.Column('donor_name', sa.String(length=200), nullable=True),
    sa.Column('given_on', sa.Date(), nullable=False),
    sa.Column('place', sa.String(length=200), nullable=True),
    sa.Column('giver', sa.String(length=200), nullable=True),
    sa.Column('group_count', sa.Integer(), server_default='0', nullable=False),
    sa.Column('group_note', sa.String(length=200), nullable=True),
    sa.Column('photo_file', sa.String(length=80), nullable=True),
    sa.Column('photo_sha256', sa.String(length=64), nullable=True),
    sa.Column('photo_size', sa.Integer(), nullable=True),
    sa.Column('photo_type', sa.String(length=20), nullable=True),
    sa.Column('client_id', sa.String(length=36), nullable=True),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['commune_id'], ['units.id'], name=op.f('fk_distributions_commune_id_units')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_distributions_created_by_id_users')),
    sa.ForeignKeyConstraint(['source_unit_id'], ['units.id'], name=op.f('fk_distributions_source_unit_id_units')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_distributions_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_distributions')),
    sa.UniqueConstraint('client_id', name=op.f('uq_distributions_client_id'))
    )
    with op.batch_alter_table('distributions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_distributions_commune_id'), ['commune_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_distributions_created_by_id'), ['created_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_distributions_given_on'), ['given_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_distributions_source_unit_id'), ['source_unit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_distributions_unit_id'), ['unit_id'], unique=False)

    op.create_table('fund_donations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('donor_name', sa.String(length=200), nullable=False),
    sa.Column('donor_key', sa.String(length=200), nullable=False),
    sa.Column('donor_kind', sa.String(length=12), nullable=False),
    sa.Column('form', sa.String(length=8), nullable=False),
    sa.Column('item', sa.String(length=200), nullable=True),
    sa.Column('value', sa.BigInteger(), nullable=False),
    sa.Column('status', sa.String(length=8), nullable=False),
    sa.Column('given_on', sa.Date(), nullable=False),
    sa.Column('receipt_no', sa.String(length=40), nullable=True),
    sa.Column('client_id', sa.String(length=36), nullable=True),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_fund_donations_created_by_id_users')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_fund_donations_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fund_donations')),
    sa.UniqueConstraint('client_id', name=op.f('uq_fund_donations_client_id'))
    )
    with op.batch_alter_table('fund_donations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_fund_donations_created_by_id'), ['created_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_fund_donations_donor_key'), ['donor_key'], unique=False)
        batch_op.create_index(batch_op.f('ix_fund_donations_given_on'), ['given_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_fund_donations_unit_id'), ['unit_id'], unique=False)

    op.create_table('fund_spending',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('spent_on', sa.Date(), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('purpose', sa.String(length=200), nullable=False),
    sa.Column('activity_ref', sa.String(length=40), nullable=True),
    sa.Column('client_id', sa.String(length=36), nullable=True),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_fund_spending_created_by_id_users')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_fund_spending_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fund_spending')),
    sa.UniqueConstraint('client_id', name=op.f('uq_fund_spending_client_id'))
    )
    with op.batch_alter_table('fund_spending', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_fund_spending_created_by_id'), ['created_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_fund_spending_spent_on'), ['spent_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_fund_spending_unit_id'), ['unit_id'], unique=False)

    op.create_table('fund_targets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('plan_target_ref', sa.String(length=40), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_fund_targets_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fund_targets')),
    sa.UniqueConstraint('unit_id', 'year', name='uq_fund_targets_unit_id_year')
    )
    with op.batch_alter_table('fund_targets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_fund_targets_unit_id'), ['unit_id'], unique=False)

    op.create_table('gift_receipts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('distribution_id', sa.Integer(), nullable=False),
    sa.Column('child_id', sa.Integer(), nullable=False),
    sa.Column('occasion', sa.String(length=20), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('first_in_round', sa.Boolean(), nullable=True),
    sa.Column('flagged', sa.Boolean(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('reviewed_by_id', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['child_id'], ['children.id'], name=op.f('fk_gift_receipts_child_id_children')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_gift_receipts_created_by_id_users')),
    sa.ForeignKeyConstraint(['distribution_id'], ['distributions.id'], name=op.f('fk_gift_receipts_distribution_id_distributions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['reviewed_by_id'], ['users.id'], name=op.f('fk_gift_receipts_reviewed_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_gift_receipts')),
    sa.UniqueConstraint('child_id', 'occasion', 'year', 'first_in_round', name='uq_gift_receipts_round'),
    sa.UniqueConstraint('distribution_id', 'child_id', name='uq_gift_receipts_distribution_id_child_id')
    )
    with op.batch_alter_table('gift_receipts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_gift_receipts_child_id'), ['child_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_gift_receipts_distribution_id'), ['distribution_id'], unique=False)



def downgrade():
    with op.batch_alter_table('gift_receipts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_gift_receipts_distribution_id'))
        batch_op.drop_index(batch_op.f('ix_gift_receipts_child_id'))

    op.drop_table('gift_receipts')
    with op.batch_alter_table('fund_targets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_fund_targets_unit_id'))

    op.drop_table('fund_targets')
    with op.batch_alter_table('fund_spending', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_fund_spending_unit_id'))
        batch_op.drop_index(batch_op.f('ix_fund_spending_spent_on'))
        batch_op.drop_index(batch_op.f('ix_fund_spending_created_by_id'))

    op.drop_table('fund_spending')
    with op.batch_alter_table('fund_donations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_fund_donations_unit_id'))
        batch_op.drop_index(batch_op.f('ix_fund_donations_given_on'))
        batch_op.drop_index(batch_op.f('ix_fund_donations_donor_key'))
        batch_op.drop_index(batch_op.f('ix_fund_donations_created_by_id'))

    op.drop_table('fund_donations')
    with op.batch_alter_table('distributions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_distributions_unit_id'))
        batch_op.drop_index(batch_op.f('ix_distributions_source_unit_id'))
        batch_op.drop_index(batch_op.f('ix_distributions_given_on'))
        batch_op.drop_index(batch_op.f('ix_distributions_created_by_id'))
        batch_op.drop_index(batch_op.f('ix_distributions_commune_id'))

    op.drop_table('distributions')
    with op.batch_alter_table('children', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_children_unit_id'))
        batch_op.drop_index(batch_op.f('ix_children_search_name'))
        batch_op.drop_index(batch_op.f('ix_children_merged_into_id'))
        batch_op.drop_index(batch_op.f('ix_children_created_by_id'))
        batch_op.drop_index('ix_children_commune_birth_year')

    op.drop_table('children')
