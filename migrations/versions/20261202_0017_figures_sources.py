"""Figures and their sources: the number of children aged 6 to 15 of each unit and year from the population
statistics (the denominator of the swim shares T6 and T7), and the decisions recognising a commune as
child-friendly (T12). Two new tables; nothing existing changes, the downgrade drops them.

Revision ID: 0017_figures_sources
Revises: 0016_files_stored_files
Create Date: 2026-12-02 10:40:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0017_figures_sources'
down_revision = '0016_files_stored_files'
branch_labels = None
depends_on = None


def _record_columns(table: str) -> list:
    """The columns every record a person creates carries (core.models.ClientRecordMixin)."""
    return [
        sa.Column('client_id', sa.String(length=36), nullable=True),
        sa.Column('client_fingerprint', sa.String(length=64), nullable=True),
        sa.Column('version', sa.Integer(), server_default='1', nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f(f'fk_{table}_created_by_id_users')),
        sa.UniqueConstraint('client_id', name=op.f(f'uq_{table}_client_id')),
    ]


def upgrade():
    op.create_table(
        'population_figures',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('unit_id', sa.Integer(), nullable=False),
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('children_6_15', sa.Integer(), nullable=False),
        sa.Column('source', sa.String(length=300), nullable=False),
        sa.Column('note', sa.Text(), nullable=True),
        *_record_columns('population_figures'),
        sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_population_figures_unit_id_units')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_population_figures')),
        sa.UniqueConstraint('unit_id', 'year', name='uq_population_figures_unit_id_year'),
    )
    with op.batch_alter_table('population_figures', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_population_figures_created_by_id'), ['created_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_population_figures_unit_id'), ['unit_id'], unique=False)

    op.create_table(
        'child_friendly_recognitions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('unit_id', sa.Integer(), nullable=False),
        sa.Column('decision_number', sa.String(length=40), nullable=False),
        sa.Column('decided_on', sa.Date(), nullable=False),
        sa.Column('deciding_level', sa.String(length=10), nullable=False),
        sa.Column('deciding_body', sa.String(length=200), nullable=False),
        sa.Column('valid_until', sa.Date(), nullable=True),
        sa.Column('note', sa.Text(), nullable=True),
        *_record_columns('child_friendly_recognitions'),
        sa.ForeignKeyConstraint(['unit_id'], ['units.id'],
                                name=op.f('fk_child_friendly_recognitions_unit_id_units')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_child_friendly_recognitions')),
        sa.UniqueConstraint('unit_id', 'decided_on', name='uq_child_friendly_recognitions_unit_id_decided_on'),
    )
    with op.batch_alter_table('child_friendly_recognitions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_child_friendly_recognitions_created_by_id'), ['created_by_id'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_child_friendly_recognitions_decided_on'), ['decided_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_child_friendly_recognitions_unit_id'), ['unit_id'], unique=False)


def downgrade():
    op.drop_table('child_friendly_recognitions')
    op.drop_table('population_figures')
