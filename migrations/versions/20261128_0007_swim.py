"""Swim courses: teachers, skills ladder, enrolled children, lessons, attendance, skills shown and every tap.

Revision ID: 0007_swim
Revises: 0004_children_gifts_fund
Create Date: 2026-11-28 20:40:47.765388

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0007_swim'
down_revision = '0006_forum'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('swim_courses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('school', sa.String(length=120), nullable=True),
    sa.Column('place_kind', sa.String(length=12), nullable=False),
    sa.Column('place_name', sa.String(length=120), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=True),
    sa.Column('lesson_count', sa.SmallInteger(), nullable=False),
    sa.Column('lesson_minutes', sa.SmallInteger(), nullable=False),
    sa.Column('test_definition', sa.String(length=200), nullable=False),
    sa.Column('client_id', sa.String(length=36), nullable=True),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_swim_courses_created_by_id_users')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_swim_courses_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_swim_courses')),
    sa.UniqueConstraint('client_id', name=op.f('uq_swim_courses_client_id'))
    )
    with op.batch_alter_table('swim_courses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_swim_courses_created_by_id'), ['created_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_swim_courses_start_date'), ['start_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_swim_courses_unit_id'), ['unit_id'], unique=False)

    op.create_table('swim_course_teachers',
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['course_id'], ['swim_courses.id'], name=op.f('fk_swim_course_teachers_course_id_swim_courses'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_swim_course_teachers_user_id_users')),
    sa.PrimaryKeyConstraint('course_id', 'user_id', name=op.f('pk_swim_course_teachers'))
    )
    with op.batch_alter_table('swim_course_teachers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_swim_course_teachers_user_id'), ['user_id'], unique=False)

    op.create_table('swim_enrolments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('child_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('passed', sa.Boolean(), nullable=True),
    sa.Column('test_definition', sa.String(length=200), nullable=True),
    sa.Column('tested_on', sa.Date(), nullable=True),
    sa.Column('client_id', sa.String(length=36), nullable=True),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['child_id'], ['children.id'], name=op.f('fk_swim_enrolments_child_id_children')),
    sa.ForeignKeyConstraint(['course_id'], ['swim_courses.id'], name=op.f('fk_swim_enrolments_course_id_swim_courses'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_swim_enrolments_created_by_id_users')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_swim_enrolments_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_swim_enrolments')),
    sa.UniqueConstraint('client_id', name=op.f('uq_swim_enrolments_client_id')),
    sa.UniqueConstraint('course_id', 'child_id', name='uq_swim_enrolments_course_id_child_id')
    )
    with op.batch_alter_table('swim_enrolments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_swim_enrolments_child_id'), ['child_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_swim_enrolments_course_id'), ['course_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_swim_enrolments_created_by_id'), ['created_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_swim_enrolments_unit_id'), ['unit_id'], unique=False)

    op.create_table('swim_lessons',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.SmallInteger(), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['course_id'], ['swim_courses.id'], name=op.f('fk_swim_lessons_course_id_swim_courses'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_swim_lessons_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_swim_lessons')),
    sa.UniqueConstraint('course_id', 'number', name='uq_swim_lessons_course_id_number')
    )
    with op.batch_alter_table('swim_lessons', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_swim_lessons_course_id'), ['course_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_swim_lessons_date'), ['date'], unique=False)
        batch_op.create_index(batch_op.f('ix_swim_lessons_unit_id'), ['unit_id'], unique=False)

    op.create_table('swim_skills',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.SmallInteger(), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=True),
    sa.Column('counts_as', sa.String(length=20), nullable=True),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['course_id'], ['swim_courses.id'], name=op.f('fk_swim_skills_course_id_swim_courses'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_swim_skills'))
    )
    with op.batch_alter_table('swim_skills', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_swim_skills_course_id'), ['course_id'], unique=False)

    op.create_table('swim_attendance',
    sa.Column('lesson_id', sa.Integer(), nullable=False),
    sa.Column('child_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['child_id'], ['children.id'], name=op.f('fk_swim_attendance_child_id_children')),
    sa.ForeignKeyConstraint(['lesson_id'], ['swim_lessons.id'], name=op.f('fk_swim_attendance_lesson_id_swim_lessons'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('lesson_id', 'child_id', name=op.f('pk_swim_attendance'))
    )
    with op.batch_alter_table('swim_attendance', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_swim_attendance_child_id'), ['child_id'], unique=False)

    op.create_table('swim_skills_shown',
    sa.Column('lesson_id', sa.Integer(), nullable=False),
    sa.Column('child_id', sa.Integer(), nullable=False),
    sa.Column('skill_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['child_id'], ['children.id'], name=op.f('fk_swim_skills_shown_child_id_children')),
    sa.ForeignKeyConstraint(['lesson_id'], ['swim_lessons.id'], name=op.f('fk_swim_skills_shown_lesson_id_swim_lessons'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['skill_id'], ['swim_skills.id'], name=op.f('fk_swim_skills_shown_skill_id_swim_skills'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('lesson_id', 'child_id', 'skill_id', name=op.f('pk_swim_skills_shown'))
    )
    with op.batch_alter_table('swim_skills_shown', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_swim_skills_shown_child_id'), ['child_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_swim_skills_shown_skill_id'), ['skill_id'], unique=False)

    op.create_table('swim_taps',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('lesson_id', sa.Integer(), nullable=False),
    sa.Column('child_id', sa.Integer(), nullable=False),
    sa.Column('what', sa.String(length=10), nullable=False),
    sa.Column('skill_id', sa.Integer(), nullable=True),
    sa.Column('value', sa.Boolean(), nullable=False),
    sa.Column('client_id', sa.String(length=36), nullable=True),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['child_id'], ['children.id'], name=op.f('fk_swim_taps_child_id_children')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_swim_taps_created_by_id_users')),
    sa.ForeignKeyConstraint(['lesson_id'], ['swim_lessons.id'], name=op.f('fk_swim_taps_lesson_id_swim_lessons'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['skill_id'], ['swim_skills.id'], name=op.f('fk_swim_taps_skill_id_swim_skills'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_swim_taps_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_swim_taps')),
    sa.UniqueConstraint('client_id', name=op.f('uq_swim_taps_client_id'))
    )
    with op.batch_alter_table('swim_taps', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_swim_taps_child_id'), ['child_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_swim_taps_created_by_id'), ['created_by_id'], unique=False)
        batch_op.create_index('ix_swim_taps_lesson_id_child_id', ['lesson_id', 'child_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_swim_taps_skill_id'), ['skill_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_swim_taps_unit_id'), ['unit_id'], unique=False)



def downgrade():
    with op.batch_alter_table('swim_taps', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_swim_taps_unit_id'))
        batch_op.drop_index(batch_op.f('ix_swim_taps_skill_id'))
        batch_op.drop_index('ix_swim_taps_lesson_id_child_id')
        batch_op.drop_index(batch_op.f('ix_swim_taps_created_by_id'))
        batch_op.drop_index(batch_op.f('ix_swim_taps_child_id'))

    op.drop_table('swim_taps')
    with op.batch_alter_table('swim_skills_shown', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_swim_skills_shown_skill_id'))
        batch_op.drop_index(batch_op.f('ix_swim_skills_shown_child_id'))

    op.drop_table('swim_skills_shown')
    with op.batch_alter_table('swim_attendance', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_swim_attendance_child_id'))

    op.drop_table('swim_attendance')
    with op.batch_alter_table('swim_skills', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_swim_skills_course_id'))

    op.drop_table('swim_skills')
    with op.batch_alter_table('swim_lessons', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_swim_lessons_unit_id'))
        batch_op.drop_index(batch_op.f('ix_swim_lessons_date'))
        batch_op.drop_index(batch_op.f('ix_swim_lessons_course_id'))

    op.drop_table('swim_lessons')
    with op.batch_alter_table('swim_enrolments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_swim_enrolments_unit_id'))
        batch_op.drop_index(batch_op.f('ix_swim_enrolments_created_by_id'))
        batch_op.drop_index(batch_op.f('ix_swim_enrolments_course_id'))
        batch_op.drop_index(batch_op.f('ix_swim_enrolments_child_id'))

    op.drop_table('swim_enrolments')
    with op.batch_alter_table('swim_course_teachers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_swim_course_teachers_user_id'))

    op.drop_table('swim_course_teachers')
    with op.batch_alter_table('swim_courses', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_swim_courses_unit_id'))
        batch_op.drop_index(batch_op.f('ix_swim_courses_start_date'))
        batch_op.drop_index(batch_op.f('ix_swim_courses_created_by_id'))

    op.drop_table('swim_courses')
