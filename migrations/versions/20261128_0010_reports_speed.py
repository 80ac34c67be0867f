"""Reports' speed: a covering index of the activities for the dashboard's grouped query over a whole province
(plan, date, status first; then every column an indicator sums), so the database reads the index, not the table.
Written by hand; the downgrade drops the index.

Revision ID: 0010_reports_speed
Revises: 0011_list_indexes
Create Date: 2026-11-28 23:20:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0010_reports_speed'
down_revision = '0011_list_indexes'
branch_labels = None
depends_on = None

COLUMNS = ["plan_id", "date", "status", "deleted_at", "unit_id", "kind", "channel", "level", "funding_source",
           "audience_total", "amount_spent", "money_raised", "in_kind_value", "gifts_count", "gifts_value",
           "scholarships_count", "scholarships_value", "cases_handled"]


def upgrade():
    op.create_index('ix_activities_counted', 'activities', COLUMNS, unique=False)


def downgrade():
    op.drop_index('ix_activities_counted', table_name='activities')
