"""The summary of the counted activities per plan, unit, month, kind, channel, level and funding source
(`activity_month_totals`, webapp/activities/totals.py), filled from the activities already saved; the dashboard
reads it instead of the activities, so the covering index `ix_activities_counted` (which every activity write paid
for) goes. Written by hand; the downgrade drops the table and puts the index back.

Revision ID: 0012_activity_totals
Revises: 0010_reports_speed
Create Date: 2026-11-28 23:55:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0012_activity_totals'
down_revision = '0010_reports_speed'
branch_labels = None
depends_on = None

KEYS = "plan_id, unit_id, kind, channel, level, funding_source"
SUMMED = ["audience_total", "amount_spent", "money_raised", "in_kind_value", "gifts_count", "gifts_value",
          "scholarships_count", "scholarships_value", "cases_handled"]
COUNTED_COLUMNS = ["plan_id", "date", "status", "deleted_at", "unit_id", "kind", "channel", "level",
                   "funding_source", *SUMMED]


def upgrade():
    op.create_table(
        'activity_month_totals',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('scope', sa.SmallInteger(), nullable=False),
        sa.Column('plan_id', sa.Integer(), nullable=False),
        sa.Column('unit_id', sa.Integer(), nullable=False),
        sa.Column('month', sa.Date(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('channel', sa.String(length=20), nullable=True),
        sa.Column('level', sa.String(length=10), nullable=True),
        sa.Column('funding_source', sa.String(length=20), nullable=True),
        sa.Column('n', sa.Integer(), nullable=False),
        *[sa.Column(c, sa.BigInteger(), nullable=True) for c in SUMMED],
        sa.Column('materials', sa.BigInteger(), nullable=True),
        sa.Column('latest_assessment', sa.BigInteger(), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_activity_month_totals')),
    )
    with op.batch_alter_table('activity_month_totals', schema=None) as batch_op:
        batch_op.create_index('ix_activity_month_totals_cell', ['plan_id', 'unit_id', 'month'], unique=False)
        batch_op.create_index('ix_activity_month_totals_scope', ['scope', 'plan_id', 'month'], unique=False)
        batch_op.create_index('ix_activity_month_totals_kind', ['kind', 'scope', 'plan_id', 'month'], unique=False)
    sqlite = op.get_bind().dialect.name == "sqlite"
    month = ("date(activities.date, 'start of month')" if sqlite
             else "CAST(date_trunc('month', activities.date) AS DATE)")
    days = "CAST(julianday(activities.date) AS INTEGER)" if sqlite else "(activities.date - DATE '2000-01-01')"
    latest = ("max(CASE WHEN activities.kind = 'child_friendly' AND activities.assessment_met IS NOT NULL "
              f"THEN ({days} * 100000000000 + activities.id) * 2 "
              f"+ CASE WHEN activities.assessment_met IS {'1' if sqlite else 'true'} THEN 1 ELSE 0 END END)")
    materials = "sum((SELECT sum(quantity) FROM activity_materials m WHERE m.activity_id = activities.id))"
    sums = f"count(*), {', '.join(f'sum({c})' for c in SUMMED)}, {materials}, {latest}"
    counted = "activities.status IN ('submitted', 'approved') AND activities.deleted_at IS NULL"
    columns = f"scope, {KEYS}, month, n, {', '.join(SUMMED)}, materials, latest_assessment"
    # scope 0: each activity's own unit
    own = ", ".join(f"activities.{k}" for k in KEYS.split(", "))
    op.execute(f"INSERT INTO activity_month_totals ({columns}) SELECT 0, {own}, {month}, {sums} "
               f"FROM activities WHERE {counted} GROUP BY {own}, {month}")
    # scope 1: a village's activities rolled up into its commune
    commune = "CASE WHEN units.level = 'village' THEN units.parent_id ELSE units.id END"
    keys = ", ".join(commune if k == "unit_id" else f"activities.{k}" for k in KEYS.split(", "))
    op.execute(f"INSERT INTO activity_month_totals ({columns}) SELECT 1, {keys}, {month}, {sums} "
               f"FROM activities JOIN units ON units.id = activities.unit_id WHERE {counted} "
               f"GROUP BY {keys}, {month}")
    op.drop_index('ix_activities_counted', table_name='activities')


def downgrade():
    op.create_index('ix_activities_counted', 'activities', COUNTED_COLUMNS, unique=False)
    with op.batch_alter_table('activity_month_totals', schema=None) as batch_op:
        batch_op.drop_index('ix_activity_month_totals_kind')
        batch_op.drop_index('ix_activity_month_totals_scope')
        batch_op.drop_index('ix_activity_month_totals_cell')
    op.drop_table('activity_month_totals')
