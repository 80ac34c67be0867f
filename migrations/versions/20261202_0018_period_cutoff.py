"""Report periods get a data cut-off, and the monthly summary of the activities keeps their status.

A 6-month report is due on 15 May for a period running to 30 June: its figures are counted to a cut-off day
(`report_periods.cutoff_date`), the day before the due date for every period already saved (the admin can move it on
the plan's page). Figures count approved activities only and show beside them how many wait for review, so
`activity_month_totals` is keyed by status too (submitted or approved) and refilled from the activities. Written by
hand; the downgrade drops the cut-off and refills the summary without the status, as before.

Revision ID: 0018_period_cutoff
Revises: 0017_figures_sources
Create Date: 2026-12-02 11:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0018_period_cutoff'
down_revision = '0017_figures_sources'
branch_labels = None
depends_on = None

KEYS = ["plan_id", "unit_id", "kind", "channel", "level", "funding_source"]
SUMMED = ["audience_total", "amount_spent", "money_raised", "in_kind_value", "gifts_count", "gifts_value",
          "scholarships_count", "scholarships_value", "cases_handled"]


def _refill(keys: list[str]) -> None:
    """Fill activity_month_totals from the activities (as 0012_activity_totals did), keyed by `keys`."""
    sqlite = op.get_bind().dialect.name == "sqlite"
    month = ("date(activities.date, 'start of month')" if sqlite
             else "CAST(date_trunc('month', activities.date) AS DATE)")
    days = "CAST(julianday(activities.date) AS INTEGER)" if sqlite else "(activities.date - DATE '2000-01-01')"
    latest = ("max(CASE WHEN activities.kind = 'child_friendly' AND activities.assessment_met IS NOT NULL "
              f"THEN ({days} * 100000000000 + activities.id) * 2 "
              f"+ CASE WHEN activities.assessment_met IS {'1' if sqlite else 'true'} THEN 1 ELSE 0 END END)")
    materials = "sum((SELECT sum(quantity) FROM activity_materials m WHERE m.activity_id = activities.id))"
    sums = f"count(*), {', '.join(f'sum({c})' for c in SUMMED)}, {materials}, {latest}"
    kept = "activities.status IN ('submitted', 'approved') AND activities.deleted_at IS NULL"
    columns = f"scope, {', '.join(keys)}, month, n, {', '.join(SUMMED)}, materials, latest_assessment"
    op.execute("DELETE FROM activity_month_totals")
    # scope 0: each activity's own unit
    own = ", ".join(f"activities.{k}" for k in keys)
    op.execute(f"INSERT INTO activity_month_totals ({columns}) SELECT 0, {own}, {month}, {sums} "
               f"FROM activities WHERE {kept} GROUP BY {own}, {month}")
    # scope 1: a village's activities rolled up into its commune
    commune = "CASE WHEN units.level = 'village' THEN units.parent_id ELSE units.id END"
    rolled = ", ".join(commune if k == "unit_id" else f"activities.{k}" for k in keys)
    op.execute(f"INSERT INTO activity_month_totals ({columns}) SELECT 1, {rolled}, {month}, {sums} "
               f"FROM activities JOIN units ON units.id = activities.unit_id WHERE {kept} "
               f"GROUP BY {rolled}, {month}")


def upgrade():
    with op.batch_alter_table('report_periods', schema=None) as batch_op:
        batch_op.add_column(sa.Column('cutoff_date', sa.Date(), nullable=True))
    day_before = ("date(due_date, '-1 day')" if op.get_bind().dialect.name == "sqlite"
                  else "CAST(due_date - INTERVAL '1 day' AS DATE)")
    op.execute(f"UPDATE report_periods SET cutoff_date = {day_before}")
    with op.batch_alter_table('report_periods', schema=None) as batch_op:
        batch_op.alter_column('cutoff_date', existing_type=sa.Date(), nullable=False)

    op.execute("DELETE FROM activity_month_totals")
    with op.batch_alter_table('activity_month_totals', schema=None) as batch_op:
        batch_op.add_column(sa.Column('status', sa.String(length=10), nullable=True))
    with op.batch_alter_table('activity_month_totals', schema=None) as batch_op:
        batch_op.alter_column('status', existing_type=sa.String(length=10), nullable=False)
    _refill([*KEYS, "status"])


def downgrade():
    op.execute("DELETE FROM activity_month_totals")
    with op.batch_alter_table('activity_month_totals', schema=None) as batch_op:
        batch_op.drop_column('status')
    _refill(KEYS)
    with op.batch_alter_table('report_periods', schema=None) as batch_op:
        batch_op.drop_column('cutoff_date')
