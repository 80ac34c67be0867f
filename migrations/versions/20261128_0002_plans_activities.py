"""Plans and the activity log: agencies, plans, report periods, targets, planned quantities.

Reviewed by hand; the downgrade drops the tables in the reverse order.

Revision ID: 0002_plans_activities
Revises: 0001
Create Date: 2026-11-28 20:10:53.667726

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0002_plans_activities'
down_revision = '0004_children_gifts_fund'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('agencies',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('short_name', sa.String(length=60), nullable=True),
    sa.Column('level', sa.String(length=10), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('valid_until', sa.Date(), nullable=True),
    sa.Column('client_id', sa.String(length=36), nullable=True),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_agencies_created_by_id_users')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_agencies_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agencies')),
    sa.UniqueConstraint('client_id', name=op.f('uq_agencies_client_id')),
    sa.UniqueConstraint('unit_id', 'name', name='uq_agencies_unit_id_name')
    )
    with op.batch_alter_table('agencies', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agencies_created_by_id'), ['created_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_agencies_unit_id'), ['unit_id'], unique=False)

    op.create_table('plans',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('issuing_agency_id', sa.Integer(), nullable=True),
    sa.Column('lead_agency_id', sa.Integer(), nullable=True),
    sa.Column('document_number', sa.String(length=40), nullable=True),
    sa.Column('issued_on', sa.Date(), nullable=True),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=False),
    sa.Column('provincial_hotline', sa.String(length=20), nullable=True),
    sa.Column('copied_from_id', sa.Integer(), nullable=True),
    sa.Column('client_id', sa.String(length=36), nullable=True),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['copied_from_id'], ['plans.id'], name=op.f('fk_plans_copied_from_id_plans')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_plans_created_by_id_users')),
    sa.ForeignKeyConstraint(['issuing_agency_id'], ['agencies.id'], name=op.f('fk_plans_issuing_agency_id_agencies')),
    sa.ForeignKeyConstraint(['lead_agency_id'], ['agencies.id'], name=op.f('fk_plans_lead_agency_id_agencies')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_plans_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plans')),
    sa.UniqueConstraint('client_id', name=op.f('uq_plans_client_id')),
    sa.UniqueConstraint('unit_id', 'year', name='uq_plans_unit_id_year')
    )
    with op.batch_alter_table('plans', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plans_created_by_id'), ['created_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_plans_unit_id'), ['unit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_plans_year'), ['year'], unique=False)

    op.create_table('plan_agencies',
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['agency_id'], ['agencies.id'], name=op.f('fk_plan_agencies_agency_id_agencies')),
    sa.ForeignKeyConstraint(['plan_id'], ['plans.id'], name=op.f('fk_plan_agencies_plan_id_plans'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('plan_id', 'agency_id', name=op.f('pk_plan_agencies'))
    )
    with op.batch_alter_table('plan_agencies', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_agencies_agency_id'), ['agency_id'], unique=False)

    op.create_table('plan_quantities',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=10), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('activity_kind', sa.String(length=20), nullable=False),
    sa.Column('text_vi', sa.Text(), nullable=False),
    sa.Column('text_en', sa.Text(), nullable=False),
    sa.Column('level', sa.String(length=10), nullable=True),
    sa.Column('events', sa.Integer(), nullable=False),
    sa.Column('participants', sa.Integer(), nullable=True),
    sa.Column('adult_participants', sa.Integer(), nullable=True),
    sa.Column('child_participants', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['plan_id'], ['plans.id'], name=op.f('fk_plan_quantities_plan_id_plans'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_quantities')),
    sa.UniqueConstraint('plan_id', 'code', name='uq_plan_quantities_plan_id_code')
    )
    with op.batch_alter_table('plan_quantities', schema=None) as batch_op:
        batch_op.create_index('ix_plan_quantities_kind', ['activity_kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_plan_quantities_plan_id'), ['plan_id'], unique=False)

    op.create_table('report_periods',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(['plan_id'], ['plans.id'], name=op.f('fk_report_periods_plan_id_plans'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_periods')),
    sa.UniqueConstraint('plan_id', 'code', name='uq_report_periods_plan_id_code')
    )
    with op.batch_alter_table('report_periods', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_periods_plan_id'), ['plan_id'], unique=False)

    op.create_table('targets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=10), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('text_vi', sa.Text(), nullable=False),
    sa.Column('text_en', sa.Text(), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('direction', sa.String(length=10), nullable=False),
    sa.Column('figure', sa.BigInteger(), nullable=True),
    sa.Column('baseline', sa.BigInteger(), nullable=True),
    sa.Column('baseline_year', sa.Integer(), nullable=True),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('client_id', sa.String(length=36), nullable=True),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_targets_created_by_id_users')),
    sa.ForeignKeyConstraint(['plan_id'], ['plans.id'], name=op.f('fk_targets_plan_id_plans'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_targets_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_targets')),
    sa.UniqueConstraint('client_id', name=op.f('uq_targets_client_id')),
    sa.UniqueConstraint('plan_id', 'code', name='uq_targets_plan_id_code')
    )
    with op.batch_alter_table('targets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_targets_created_by_id'), ['created_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_targets_plan_id'), ['plan_id'], unique=False)

    op.create_table('activities',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('venue', sa.String(length=200), nullable=True),
    sa.Column('lead_agency_id', sa.Integer(), nullable=True),
    sa.Column('funding_source', sa.String(length=20), nullable=True),
    sa.Column('amount_spent', sa.BigInteger(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('review_comment', sa.Text(), nullable=True),
    sa.Column('reviewed_by_id', sa.Integer(), nullable=True),
    sa.Column('reviewed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('outside_plan_year', sa.Boolean(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('deleted_by_id', sa.Integer(), nullable=True),
    sa.Column('channel', sa.String(length=20), nullable=True),
    sa.Column('level', sa.String(length=10), nullable=True),
    sa.Column('audience_total', sa.Integer(), nullable=True),
    sa.Column('adults', sa.Integer(), nullable=True),
    sa.Column('adult_men', sa.Integer(), nullable=True),
    sa.Column('adult_women', sa.Integer(), nullable=True),
    sa.Column('children', sa.Integer(), nullable=True),
    sa.Column('boys', sa.Integer(), nullable=True),
    sa.Column('girls', sa.Integer(), nullable=True),
    sa.Column('ethnic_minority', sa.Integer(), nullable=True),
    sa.Column('gifts_count', sa.Integer(), nullable=True),
    sa.Column('gifts_value', sa.BigInteger(), nullable=True),
    sa.Column('scholarships_count', sa.Integer(), nullable=True),
    sa.Column('scholarships_value', sa.BigInteger(), nullable=True),
    sa.Column('money_raised', sa.BigInteger(), nullable=True),
    sa.Column('in_kind_value', sa.BigInteger(), nullable=True),
    sa.Column('cases_handled', sa.Integer(), nullable=True),
    sa.Column('assessment_threshold', sa.SmallInteger(), nullable=True),
    sa.Column('assessment_total', sa.Integer(), nullable=True),
    sa.Column('assessment_met', sa.Boolean(), nullable=True),
    sa.Column('details', sa.Text(), nullable=True),
    sa.Column('client_id', sa.String(length=36), nullable=True),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_activities_created_by_id_users')),
    sa.ForeignKeyConstraint(['deleted_by_id'], ['users.id'], name=op.f('fk_activities_deleted_by_id_users')),
    sa.ForeignKeyConstraint(['lead_agency_id'], ['agencies.id'], name=op.f('fk_activities_lead_agency_id_agencies')),
    sa.ForeignKeyConstraint(['plan_id'], ['plans.id'], name=op.f('fk_activities_plan_id_plans')),
    sa.ForeignKeyConstraint(['reviewed_by_id'], ['users.id'], name=op.f('fk_activities_reviewed_by_id_users')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_activities_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_activities')),
    sa.UniqueConstraint('client_id', name=op.f('uq_activities_client_id'))
    )
    with op.batch_alter_table('activities', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_activities_channel'), ['channel'], unique=False)
        batch_op.create_index(batch_op.f('ix_activities_created_by_id'), ['created_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_activities_date'), ['date'], unique=False)
        batch_op.create_index(batch_op.f('ix_activities_deleted_at'), ['deleted_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_activities_funding_source'), ['funding_source'], unique=False)
        batch_op.create_index('ix_activities_kind_date', ['kind', 'date'], unique=False)
        batch_op.create_index(batch_op.f('ix_activities_lead_agency_id'), ['lead_agency_id'], unique=False)
        batch_op.create_index('ix_activities_plan_id_kind', ['plan_id', 'kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_activities_status'), ['status'], unique=False)
        batch_op.create_index('ix_activities_unit_id_date', ['unit_id', 'date'], unique=False)

    op.create_table('activity_agencies',
    sa.Column('activity_id', sa.Integer(), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['activity_id'], ['activities.id'], name=op.f('fk_activity_agencies_activity_id_activities'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['agency_id'], ['agencies.id'], name=op.f('fk_activity_agencies_agency_id_agencies')),
    sa.PrimaryKeyConstraint('activity_id', 'agency_id', name=op.f('pk_activity_agencies'))
    )
    with op.batch_alter_table('activity_agencies', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_activity_agencies_agency_id'), ['agency_id'], unique=False)

    op.create_table('activity_materials',
    sa.Column('activity_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['activity_id'], ['activities.id'], name=op.f('fk_activity_materials_activity_id_activities'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('activity_id', 'kind', name=op.f('pk_activity_materials'))
    )
    with op.batch_alter_table('activity_materials', schema=None) as batch_op:
        batch_op.create_index('ix_activity_materials_kind', ['kind'], unique=False)

    op.create_table('activity_participants',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('activity_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('village_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['activity_id'], ['activities.id'], name=op.f('fk_activity_participants_activity_id_activities'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['village_id'], ['units.id'], name=op.f('fk_activity_participants_village_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_activity_participants'))
    )
    with op.batch_alter_table('activity_participants', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_activity_participants_activity_id'), ['activity_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_activity_participants_role'), ['role'], unique=False)
        batch_op.create_index(batch_op.f('ix_activity_participants_village_id'), ['village_id'], unique=False)

    op.create_table('activity_scores',
    sa.Column('activity_id', sa.Integer(), nullable=False),
    sa.Column('criterion', sa.SmallInteger(), nullable=False),
    sa.Column('score', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['activity_id'], ['activities.id'], name=op.f('fk_activity_scores_activity_id_activities'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('activity_id', 'criterion', name=op.f('pk_activity_scores'))
    )
    op.create_table('activity_tags',
    sa.Column('activity_id', sa.Integer(), nullable=False),
    sa.Column('facet', sa.String(length=20), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.ForeignKeyConstraint(['activity_id'], ['activities.id'], name=op.f('fk_activity_tags_activity_id_activities'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('activity_id', 'facet', 'code', name=op.f('pk_activity_tags'))
    )
    with op.batch_alter_table('activity_tags', schema=None) as batch_op:
        batch_op.create_index('ix_activity_tags_facet_code', ['facet', 'code'], unique=False)


def downgrade():
    with op.batch_alter_table('activity_tags', schema=None) as batch_op:
        batch_op.drop_index('ix_activity_tags_facet_code')

    op.drop_table('activity_tags')
    op.drop_table('activity_scores')
    with op.batch_alter_table('activity_participants', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_activity_participants_village_id'))
        batch_op.drop_index(batch_op.f('ix_activity_participants_role'))
        batch_op.drop_index(batch_op.f('ix_activity_participants_activity_id'))

    op.drop_table('activity_participants')
    with op.batch_alter_table('activity_materials', schema=None) as batch_op:
        batch_op.drop_index('ix_activity_materials_kind')

    op.drop_table('activity_materials')
    with op.batch_alter_table('activity_agencies', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_activity_agencies_agency_id'))

    op.drop_table('activity_agencies')
    with op.batch_alter_table('activities', schema=None) as batch_op:
        batch_op.drop_index('ix_activities_unit_id_date')
        batch_op.drop_index(batch_op.f('ix_activities_status'))
        batch_op.drop_index('ix_activities_plan_id_kind')
        batch_op.drop_index(batch_op.f('ix_activities_lead_agency_id'))
        batch_op.drop_index('ix_activities_kind_date')
        batch_op.drop_index(batch_op.f('ix_activities_funding_source'))
        batch_op.drop_index(batch_op.f('ix_activities_deleted_at'))
        batch_op.drop_index(batch_op.f('ix_activities_date'))
        batch_op.drop_index(batch_op.f('ix_activities_created_by_id'))
        batch_op.drop_index(batch_op.f('ix_activities_channel'))

    op.drop_table('activities')

    with op.batch_alter_table('targets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_targets_plan_id'))
        batch_op.drop_index(batch_op.f('ix_targets_created_by_id'))

    op.drop_table('targets')
    with op.batch_alter_table('report_periods', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_report_periods_plan_id'))

    op.drop_table('report_periods')
    with op.batch_alter_table('plan_quantities', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_quantities_plan_id'))
        batch_op.drop_index('ix_plan_quantities_kind')

    op.drop_table('plan_quantities')
    with op.batch_alter_table('plan_agencies', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_agencies_agency_id'))

    op.drop_table('plan_agencies')
    with op.batch_alter_table('plans', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plans_year'))
        batch_op.drop_index(batch_op.f('ix_plans_unit_id'))
        batch_op.drop_index(batch_op.f('ix_plans_created_by_id'))

    op.drop_table('plans')
    with op.batch_alter_table('agencies', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agencies_unit_id'))
        batch_op.drop_index(batch_op.f('ix_agencies_created_by_id'))

    op.drop_table('agencies')
