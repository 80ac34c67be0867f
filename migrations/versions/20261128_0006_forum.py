"""The children's forum: forums, training, delegates, consents, check-ins, recommendations.

Revision ID: 0006_forum
Revises: 0004_children_gifts_fund
Create Date: 2026-11-28 20:40:55.867148

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0006_forum'
down_revision = '0002_plans_activities'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('forums',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('level', sa.String(length=10), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('place', sa.String(length=200), nullable=False),
    sa.Column('theme', sa.String(length=300), nullable=False),
    sa.Column('report_sent_on', sa.Date(), nullable=True),
    sa.Column('report_sent_by_id', sa.Integer(), nullable=True),
    sa.Column('client_id', sa.String(length=36), nullable=True),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_forums_created_by_id_users')),
    sa.ForeignKeyConstraint(['report_sent_by_id'], ['users.id'], name=op.f('fk_forums_report_sent_by_id_users')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_forums_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_forums')),
    sa.UniqueConstraint('client_id', name=op.f('uq_forums_client_id'))
    )
    with op.batch_alter_table('forums', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_forums_created_by_id'), ['created_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_forums_date'), ['date'], unique=False)
        batch_op.create_index('ix_forums_unit_id_date', ['unit_id', 'date'], unique=False)

    op.create_table('forum_delegates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('forum_id', sa.Integer(), nullable=False),
    sa.Column('child_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('walk_in', sa.Boolean(), nullable=False),
    sa.Column('age_override_reason', sa.Text(), nullable=True),
    sa.Column('photo', sa.String(length=60), nullable=True),
    sa.Column('client_id', sa.String(length=36), nullable=True),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['child_id'], ['children.id'], name=op.f('fk_forum_delegates_child_id_children')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_forum_delegates_created_by_id_users')),
    sa.ForeignKeyConstraint(['forum_id'], ['forums.id'], name=op.f('fk_forum_delegates_forum_id_forums'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_forum_delegates_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_forum_delegates')),
    sa.UniqueConstraint('client_id', name=op.f('uq_forum_delegates_client_id')),
    sa.UniqueConstraint('forum_id', 'child_id', name='uq_forum_delegates_forum_id_child_id')
    )
    with op.batch_alter_table('forum_delegates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_forum_delegates_child_id'), ['child_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_forum_delegates_created_by_id'), ['created_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_forum_delegates_forum_id'), ['forum_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_forum_delegates_unit_id'), ['unit_id'], unique=False)

    op.create_table('forum_trainings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('forum_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=False),
    sa.Column('place', sa.String(length=200), nullable=False),
    sa.Column('facilitators', sa.Integer(), nullable=False),
    sa.Column('children', sa.Integer(), nullable=False),
    sa.Column('girls', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.String(length=36), nullable=True),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_forum_trainings_created_by_id_users')),
    sa.ForeignKeyConstraint(['forum_id'], ['forums.id'], name=op.f('fk_forum_trainings_forum_id_forums'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_forum_trainings_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_forum_trainings')),
    sa.UniqueConstraint('client_id', name=op.f('uq_forum_trainings_client_id')),
    sa.UniqueConstraint('forum_id', name=op.f('uq_forum_trainings_forum_id'))
    )
    with op.batch_alter_table('forum_trainings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_forum_trainings_created_by_id'), ['created_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_forum_trainings_unit_id'), ['unit_id'], unique=False)

    op.create_table('forum_checkins',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('delegate_id', sa.Integer(), nullable=False),
    sa.Column('forum_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.String(length=36), nullable=True),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_forum_checkins_created_by_id_users')),
    sa.ForeignKeyConstraint(['delegate_id'], ['forum_delegates.id'], name=op.f('fk_forum_checkins_delegate_id_forum_delegates'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['forum_id'], ['forums.id'], name=op.f('fk_forum_checkins_forum_id_forums'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_forum_checkins_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_forum_checkins')),
    sa.UniqueConstraint('client_id', name=op.f('uq_forum_checkins_client_id')),
    sa.UniqueConstraint('delegate_id', name=op.f('uq_forum_checkins_delegate_id'))
    )
    with op.batch_alter_table('forum_checkins', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_forum_checkins_created_by_id'), ['created_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_forum_checkins_forum_id'), ['forum_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_forum_checkins_unit_id'), ['unit_id'], unique=False)

    op.create_table('forum_consents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('delegate_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('given_by', sa.String(length=120), nullable=False),
    sa.Column('relation', sa.String(length=20), nullable=False),
    sa.Column('given_on', sa.Date(), nullable=False),
    sa.Column('method', sa.String(length=10), nullable=False),
    sa.Column('paper_photo', sa.String(length=60), nullable=True),
    sa.Column('participate', sa.Boolean(), nullable=False),
    sa.Column('photos', sa.Boolean(), nullable=False),
    sa.Column('press', sa.Boolean(), nullable=False),
    sa.Column('recommendations', sa.Boolean(), nullable=False),
    sa.Column('agencies', sa.Text(), nullable=True),
    sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('withdrawn_by_id', sa.Integer(), nullable=True),
    sa.Column('withdrawal_note', sa.Text(), nullable=True),
    sa.Column('client_id', sa.String(length=36), nullable=True),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_forum_consents_created_by_id_users')),
    sa.ForeignKeyConstraint(['delegate_id'], ['forum_delegates.id'], name=op.f('fk_forum_consents_delegate_id_forum_delegates'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_forum_consents_unit_id_units')),
    sa.ForeignKeyConstraint(['withdrawn_by_id'], ['users.id'], name=op.f('fk_forum_consents_withdrawn_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_forum_consents')),
    sa.UniqueConstraint('client_id', name=op.f('uq_forum_consents_client_id'))
    )
    with op.batch_alter_table('forum_consents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_forum_consents_created_by_id'), ['created_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_forum_consents_delegate_id'), ['delegate_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_forum_consents_unit_id'), ['unit_id'], unique=False)

    op.create_table('forum_recommendations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('forum_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('topic', sa.String(length=20), nullable=False),
    sa.Column('group', sa.String(length=200), nullable=False),
    sa.Column('presenter_id', sa.Integer(), nullable=True),
    sa.Column('agency_id', sa.Integer(), nullable=True),
    sa.Column('addressed_to', sa.String(length=200), nullable=True),
    sa.Column('answer', sa.Text(), nullable=True),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=True),
    sa.Column('client_id', sa.String(length=36), nullable=True),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['agency_id'], ['agencies.id'], name=op.f('fk_forum_recommendations_agency_id_agencies')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_forum_recommendations_created_by_id_users')),
    sa.ForeignKeyConstraint(['forum_id'], ['forums.id'], name=op.f('fk_forum_recommendations_forum_id_forums'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['presenter_id'], ['forum_delegates.id'], name=op.f('fk_forum_recommendations_presenter_id_forum_delegates'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_forum_recommendations_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_forum_recommendations')),
    sa.UniqueConstraint('client_id', name=op.f('uq_forum_recommendations_client_id'))
    )
    with op.batch_alter_table('forum_recommendations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_forum_recommendations_agency_id'), ['agency_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_forum_recommendations_created_by_id'), ['created_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_forum_recommendations_forum_id'), ['forum_id'], unique=False)
        batch_op.create_index('ix_forum_recommendations_status_agency', ['status', 'agency_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_forum_recommendations_topic'), ['topic'], unique=False)
        batch_op.create_index(batch_op.f('ix_forum_recommendations_unit_id'), ['unit_id'], unique=False)

    op.create_table('forum_recommendation_updates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('recommendation_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('on', sa.Date(), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=True),
    sa.Column('client_id', sa.String(length=36), nullable=True),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_forum_recommendation_updates_created_by_id_users')),
    sa.ForeignKeyConstraint(['recommendation_id'], ['forum_recommendations.id'], name=op.f('fk_forum_recommendation_updates_recommendation_id_forum_recommendations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_forum_recommendation_updates_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_forum_recommendation_updates')),
    sa.UniqueConstraint('client_id', name=op.f('uq_forum_recommendation_updates_client_id'))
    )
    with op.batch_alter_table('forum_recommendation_updates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_forum_recommendation_updates_created_by_id'), ['created_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_forum_recommendation_updates_recommendation_id'), ['recommendation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_forum_recommendation_updates_unit_id'), ['unit_id'], unique=False)



def downgrade():
    with op.batch_alter_table('forum_recommendation_updates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_forum_recommendation_updates_unit_id'))
        batch_op.drop_index(batch_op.f('ix_forum_recommendation_updates_recommendation_id'))
        batch_op.drop_index(batch_op.f('ix_forum_recommendation_updates_created_by_id'))

    op.drop_table('forum_recommendation_updates')
    with op.batch_alter_table('forum_recommendations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_forum_recommendations_unit_id'))
        batch_op.drop_index(batch_op.f('ix_forum_recommendations_topic'))
        batch_op.drop_index('ix_forum_recommendations_status_agency')
        batch_op.drop_index(batch_op.f('ix_forum_recommendations_forum_id'))
        batch_op.drop_index(batch_op.f('ix_forum_recommendations_created_by_id'))
        batch_op.drop_index(batch_op.f('ix_forum_recommendations_agency_id'))

    op.drop_table('forum_recommendations')
    with op.batch_alter_table('forum_consents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_forum_consents_unit_id'))
        batch_op.drop_index(batch_op.f('ix_forum_consents_delegate_id'))
        batch_op.drop_index(batch_op.f('ix_forum_consents_created_by_id'))

    op.drop_table('forum_consents')
    with op.batch_alter_table('forum_checkins', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_forum_checkins_unit_id'))
        batch_op.drop_index(batch_op.f('ix_forum_checkins_forum_id'))
        batch_op.drop_index(batch_op.f('ix_forum_checkins_created_by_id'))

    op.drop_table('forum_checkins')
    with op.batch_alter_table('forum_trainings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_forum_trainings_unit_id'))
        batch_op.drop_index(batch_op.f('ix_forum_trainings_created_by_id'))

    op.drop_table('forum_trainings')
    with op.batch_alter_table('forum_delegates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_forum_delegates_unit_id'))
        batch_op.drop_index(batch_op.f('ix_forum_delegates_forum_id'))
        batch_op.drop_index(batch_op.f('ix_forum_delegates_created_by_id'))
        batch_op.drop_index(batch_op.f('ix_forum_delegates_child_id'))

    op.drop_table('forum_delegates')
    with op.batch_alter_table('forums', schema=None) as batch_op:
        batch_op.drop_index('ix_forums_unit_id_date')
        batch_op.drop_index(batch_op.f('ix_forums_date'))
        batch_op.drop_index(batch_op.f('ix_forums_created_by_id'))

    op.drop_table('forums')
