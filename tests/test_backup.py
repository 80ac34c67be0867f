"""Backup and restore round-trip every table of the database, on SQLite and PostgreSQL."""

from sqlalchemy import select, text

from webapp.extensions import db
from webapp.geo.models import Unit


def snapshot(app) -> dict[str, list]:
    """Every row of every table, in a stable order; not the caches' change counters (core/versions.py), which the
    restore's own writes (the activities' summary rebuilt) move on, as they must, so no cache outlives it."""
    with app.app_context():
        rows = {}
        for table in db.metadata.sorted_tables:
            if table.name == "data_versions":
                continue
            columns = [c.name for c in table.columns]
            result = db.session.execute(select(table).order_by(*table.primary_key.columns)).all()
            rows[table.name] = [dict(zip(columns, r, strict=True)) for r in result]
        db.session.remove()
        return rows


def test_backup_and_restore_round_trip_every_table(app, users, places, login_as, client, tmp_path):
    login_as("officer_A")
    client.submit(f"/places/{places['A'].id}/villages/new", {"kind": "bản", "name": "Bản Sao Lưu"})
    before = snapshot(app)
    assert before["users"] and before["audit_log"] and len(before["units"]) == 103
    backup_file = tmp_path / "backup.bin"
    runner = app.test_cli_runner()
    result = runner.invoke(args=["backup", str(backup_file)])
    assert result.exit_code == 0, result.output
    assert backup_file.stat().st_size > 0

    # Changes after the backup: a village renamed, a user deleted, a unit added.
    with app.app_context():
        db.session.execute(text("DELETE FROM audit_log"))
        db.session.execute(text("UPDATE units SET name = 'Đổi tên' WHERE name = 'Bản Sao Lưu'"))
        db.session.execute(text("UPDATE users SET full_name = 'Xóa' WHERE username = 'thuthap.b'"))
        db.session.commit()
        db.session.remove()
    assert snapshot(app) != before

    result = runner.invoke(args=["restore", "--yes", str(backup_file)])
    assert result.exit_code == 0, result.output
    assert snapshot(app) == before


def test_restore_refuses_a_file_that_is_not_a_backup(app, tmp_path, count):
    bad = tmp_path / "not-a-backup.db"
    bad.write_bytes(b"hello, this is not a database")
    result = app.test_cli_runner().invoke(args=["restore", "--yes", str(bad)])
    assert result.exit_code != 0
    assert count(Unit) == 100


def test_default_backup_goes_to_the_instance_folder(app):
    result = app.test_cli_runner().invoke(args=["backup"])
    assert result.exit_code == 0, result.output
    assert "/backups/sotay-" in result.output
