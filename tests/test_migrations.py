"""Migrations: the models and the migrations agree, and a database can go down and up again keeping its data."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import select

from webapp.extensions import db
from webapp.geo.models import Unit


def test_models_and_migrations_agree(app):
    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_there_is_one_head(app):
    from alembic.script import ScriptDirectory

    with app.app_context():
        config = app.extensions["migrate"].migrate.get_config()
        assert len(ScriptDirectory.from_config(config).get_heads()) == 1


def test_upgrade_to_head_again_is_harmless_and_keeps_data(app, places, count):
    with app.app_context():
        upgrade()
    assert count(Unit, name="Thôn Lùng Cẩu") == 1


def test_downgrade_to_base_and_upgrade_again(app, backend):
    from webapp.geo.services import load_province

    with app.app_context():
        downgrade(revision="base")
        tables = db.inspect(db.engine).get_table_names()
        assert set(tables) <= {"alembic_version"}
        upgrade()
        load_province(15)
        assert db.session.scalar(select(Unit.name).where(Unit.code == "02761")) == "Xã Mường Khương"
