"""Each record a person creates keeps a fingerprint of the fields that created it, so that a post reusing a
client_id with other fields is refused as a reused id (the outbox then sends it under a new id) instead of being
answered as a replay of the old record. Records saved before have none and are compared by client_id alone.

Revision ID: 0014_client_fingerprints
Revises: 0013_children_live_ages
Create Date: 2026-12-02 07:30:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0014_client_fingerprints'
down_revision = '0013_children_live_ages'
branch_labels = None
depends_on = None

# Every table of ClientRecordMixin.
TABLES = (
    'activities', 'agencies', 'children', 'distributions', 'entered_values', 'forum_checkins', 'forum_consents',
    'forum_delegates', 'forum_recommendation_updates', 'forum_recommendations', 'forum_trainings', 'forums',
    'fund_donations', 'fund_spending', 'plans', 'reports', 'swim_courses', 'swim_enrolments', 'swim_taps', 'targets',
    'units', 'users',
)


def upgrade():
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('client_fingerprint', sa.String(length=64), nullable=True))


def downgrade():
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('client_fingerprint')
