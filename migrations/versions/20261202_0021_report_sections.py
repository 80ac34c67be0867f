"""A report's section "Phương hướng, nhiệm vụ" (directions and tasks for the next period), written by the officer
beside the results, shortcomings and proposals the report already keeps. A new column, empty on every existing
report (the DOCX then starts from the text suggested by the report's figures); no data moves.

Revision ID: 0021_report_sections
Revises: 0019_agency_successor
Create Date: 2026-12-02 10:40:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0021_report_sections'
down_revision = '0019_agency_successor'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.add_column(sa.Column('next_tasks', sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.drop_column('next_tasks')
