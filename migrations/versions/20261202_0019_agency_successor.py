"""Next year's plan: an agency names the agency that took over its role (`agencies.successor_id`), so that a copied
plan names Sở Y tế where the source named Sở LĐ-TB&XH; and a target code may be set again for one unit (a
commune's own fund target T13): targets are unique by (plan, code, unit), and by (plan, code) among the plan-wide
ones (a partial index, since NULLs are distinct in a unique constraint).

Data is kept. Where a province has both agencies of the 2023 seed, Sở LĐ-TB&XH (whose role ended 28/02/2025) gets
Sở Y tế as its successor, as a freshly loaded plan does.

Revision ID: 0019_agency_successor
Revises: 0018_period_cutoff
Create Date: 2026-12-02 10:30:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0019_agency_successor'
down_revision = '0018_period_cutoff'
branch_labels = None
depends_on = None

DOLISA = "Sở Lao động – Thương binh và Xã hội"
HEALTH = "Sở Y tế"

agencies = sa.table('agencies', sa.column('id', sa.Integer), sa.column('unit_id', sa.Integer),
                    sa.column('name', sa.String), sa.column('valid_until', sa.Date),
                    sa.column('successor_id', sa.Integer))


def upgrade():
    with op.batch_alter_table('agencies', schema=None) as batch_op:
        batch_op.add_column(sa.Column('successor_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_agencies_successor_id_agencies'), 'agencies', ['successor_id'],
                                    ['id'])
    with op.batch_alter_table('targets', schema=None) as batch_op:
        batch_op.drop_constraint('uq_targets_plan_id_code', type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_targets_plan_id_code_unit_id'),
                                          ['plan_id', 'code', 'unit_id'])
    op.create_index('uq_targets_plan_id_code_whole', 'targets', ['plan_id', 'code'], unique=True,
                    sqlite_where=sa.text('unit_id IS NULL'), postgresql_where=sa.text('unit_id IS NULL'))

    conn = op.get_bind()
    old = conn.execute(sa.select(agencies.c.id, agencies.c.unit_id).where(
        agencies.c.name == DOLISA, agencies.c.successor_id.is_(None), agencies.c.valid_until.is_not(None))).all()
    for agency_id, unit_id in old:
        health = conn.execute(sa.select(agencies.c.id).where(agencies.c.name == HEALTH,
                                                             agencies.c.unit_id == unit_id)).scalar()
        if health is not None:
            conn.execute(agencies.update().where(agencies.c.id == agency_id).values(successor_id=health))


def downgrade():
    # Per-unit targets cannot keep their code under the older (plan, code) rule: a unit's own target is named
    # "<code>-<unit id>" (kept, not lost) before the older constraint comes back.
    conn = op.get_bind()
    targets = sa.table('targets', sa.column('id', sa.Integer), sa.column('plan_id', sa.Integer),
                       sa.column('code', sa.String), sa.column('unit_id', sa.Integer))
    rows = conn.execute(sa.select(targets.c.id, targets.c.plan_id, targets.c.code, targets.c.unit_id)
                        .where(targets.c.unit_id.is_not(None))).all()
    for target_id, plan_id, code, unit_id in rows:
        taken = conn.execute(sa.select(sa.func.count()).select_from(targets)
                             .where(targets.c.plan_id == plan_id, targets.c.code == code)).scalar()
        if taken > 1:
            conn.execute(targets.update().where(targets.c.id == target_id).values(code=f"{code}-{unit_id}"[:10]))
    op.drop_index('uq_targets_plan_id_code_whole', table_name='targets')
    with op.batch_alter_table('targets', schema=None) as batch_op:
        batch_op.drop_constraint('uq_targets_plan_id_code_unit_id', type_='unique')
        batch_op.create_unique_constraint('uq_targets_plan_id_code', ['plan_id', 'code'])
    with op.batch_alter_table('agencies', schema=None) as batch_op:
        batch_op.drop_constraint('fk_agencies_successor_id_agencies', type_='foreignkey')
        batch_op.drop_column('successor_id')
