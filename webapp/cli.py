"""The `sotay` command: serve, init, seed, load-plan-2023, create-admin, import-villages, translate (and Flask's
own commands)."""

import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import FlaskGroup, with_appcontext

from .extensions import db


def upgrade_database() -> None:
    """Upgrade the database to the latest migration; safe to run again."""
    from flask_migrate import upgrade

    upgrade()
    remove_legacy_uploads()


def remove_legacy_uploads() -> None:
    """Photos that older versions kept on this server's disk were taken into the file store by migration 0016;
    remove what is left there (with its EXIF and GPS), keeping a gift sheet's photo only if the store lacks it."""
    from .core.files import StoredFile

    root = Path(current_app.instance_path)
    for folder in (root / "uploads" / "gifts", root / "forum"):
        for path in folder.glob("*") if folder.is_dir() else ():
            if path.is_file() and (folder.name != "gifts" or db.session.get(StoredFile, path.stem) is not None):
                path.unlink()
    db.session.remove()


def database_is_empty() -> bool:
    from .geo.models import Unit

    return db.session.query(Unit.id).first() is None


@click.command("init")
@with_appcontext
def init_command():
    """Create or upgrade the database and load the configured province's units."""
    from .geo.services import load_province

    upgrade_database()
    province, added = load_province(current_app.config["SOTAY_PROVINCE"])
    click.echo(f"Database ready: {province.name}, {added} new communes and wards.")


@click.command("seed")
@click.option("--demo", is_flag=True, help="Add demo villages and users of every role (safe to run again).")
@with_appcontext
def seed_command(demo: bool):
    """Load the province's units and Lào Cai's 2023 plan, and with --demo the demo villages and users."""
    from .demo import seed_demo
    from .geo.services import load_province

    province, _ = load_province(current_app.config["SOTAY_PROVINCE"])
    report_plan_2023(province)
    if demo:
        print_logins(seed_demo())


def report_plan_2023(province) -> None:
    """Load Lào Cai's 2023 plan (only when Lào Cai is the configured province) and say what happened."""
    from .plans import seed_2023
    from .plans.services import load_plan_2023

    if province.code != str(seed_2023.PROVINCE_CODE):
        click.echo("The 2023 plan is Lào Cai's; another province is configured, so it was not loaded.")
        return
    plan, created = load_plan_2023(province)
    click.echo(f"Plan {plan.year}: {'loaded' if created else 'already there'}, {len(plan.targets)} targets.")


@click.command("load-plan-2023")
@with_appcontext
def load_plan_2023_command():
    """Load Lào Cai's 2023 child protection plan: agencies, report periods, targets T1–T14, quantities."""
    from .geo.services import load_province

    province, _ = load_province(current_app.config["SOTAY_PROVINCE"])
    report_plan_2023(province)


def print_logins(logins: list[tuple[str, str, str, str]]) -> None:
    click.echo(f"Demo logins (password for all: {logins[0][3]}):" if logins else "No demo users.")
    for username, role, unit, _password in logins:
        click.echo(f"  {username:<24} {role:<10} {unit}")


@click.command("create-admin")
@click.option("--username", prompt=True)
@click.option("--full-name", prompt=True)
@click.password_option()
@with_appcontext
def create_admin_command(username: str, full_name: str, password: str):
    """Create an administrator for the whole province."""
    from .accounts.models import User
    from .core.text import clean
    from .geo.services import load_province

    province, _ = load_province(current_app.config["SOTAY_PROVINCE"])
    if db.session.query(User).filter_by(username=username.lower()).first():
        raise click.ClickException(f"{username} exists already.")
    user = User(username=username.lower(), full_name=clean(full_name), role="admin", unit_id=province.id)
    user.set_password(password)
    db.session.add(user)
    db.session.commit()
    click.echo(f"Administrator {user.username} created.")


@click.command("import-villages")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--as-user", "username", required=True, help="The officer or admin the import is recorded for.")
@with_appcontext
def import_villages_command(path: Path, username: str):
    """Import villages from a CSV or XLSX file (commune code or name, village name, kind)."""
    from .accounts.models import User
    from .geo.services import MAX_VILLAGE_ROWS, UnreadableFile, import_villages, read_rows

    user = db.session.query(User).filter_by(username=username.lower()).one_or_none()
    if user is None or user.role not in ("admin", "officer"):
        raise click.ClickException("No admin or officer with this username.")
    try:
        rows = read_rows(path.name, path.read_bytes(), max_rows=MAX_VILLAGE_ROWS)
    except UnreadableFile as exc:
        raise click.ClickException(f"Cannot read {path.name}: {exc.message or exc}. Nothing was changed.") from exc
    for r in import_villages(rows, user, user.unit):
        click.echo(f"{r.line:>5} {r.status:<8} {r.commune} / {r.village} {r.reason}")


@click.command("backup")
@click.argument("target", type=click.Path(dir_okay=False, path_type=Path), required=False)
@with_appcontext
def backup_command(target: Path | None):
    """Write a consistent backup of the live database (default: instance/backups/sotay-<time>.<ext>)."""
    from .core import clock
    from .core.backup import BackupError, backup

    url = current_app.config["SQLALCHEMY_DATABASE_URI"]
    if target is None:
        suffix = "db" if url.startswith("sqlite") else "dump"
        stamp = clock.now().astimezone(clock.LOCAL_TZ).strftime("%Y%m%d-%H%M%S")
        target = Path(current_app.instance_path) / "backups" / f"sotay-{stamp}.{suffix}"
    try:
        backup(url, target)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Backup written to {target}")


@click.command("restore")
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@with_appcontext
def restore_command(source: Path, yes: bool):
    """Replace the database with a backup made by `sotay backup` (stop the app servers first)."""
    from .core.backup import BackupError, restore

    if not yes:
        click.confirm("Everything saved since this backup will be lost. Restore?", abort=True)
    db.session.remove()
    db.engine.dispose()
    try:
        restore(current_app.config["SQLALCHEMY_DATABASE_URI"], source)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    upgrade_database()  # a backup from an older version is brought up to date
    from .activities.totals import rebuild

    rebuild()  # the activities' monthly summary recomputed from the restored activities
    db.session.commit()
    click.echo(f"Restored from {source}")


def uses_default_database() -> bool:
    """The database is the instance folder's SQLite file (no DATABASE_URL or setting named another one)."""
    from .config import default_database_url, normalise_database_url

    default = normalise_database_url(default_database_url(Path(current_app.instance_path)))
    return current_app.config["SQLALCHEMY_DATABASE_URI"] == default


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", default=2, show_default=True, type=int)
@click.option("--threads", default=4, show_default=True, type=int, help="Threads of each worker (gthread).")
@click.option("--demo", is_flag=True, help="Load the demo data into an empty database, also one named by DATABASE_URL.")
@click.option("--no-demo", is_flag=True, help="Do not load demo data into an empty database.")
@with_appcontext
def serve_command(host: str, port: int, workers: int, threads: int, demo: bool, no_demo: bool):
    """Upgrade the database and serve the app with gunicorn. The demo data (accounts with a published password) is
    loaded into an empty database only when it is the instance folder's SQLite file, or with --demo; a demo instance
    says so on every page."""
    from .demo import demo_present, seed_demo
    from .geo.services import load_province

    if demo and no_demo:
        raise click.UsageError("Give --demo or --no-demo, not both.")
    upgrade_database()
    empty = database_is_empty()
    load_province(current_app.config["SOTAY_PROVINCE"])
    if empty and (demo or (uses_default_database() and not no_demo)):
        print_logins(seed_demo())
    elif empty and not no_demo:
        click.echo("An empty database named by DATABASE_URL: no demo accounts were loaded. Create the first "
                   "administrator with `sotay create-admin`, or start with --demo for a demonstration.")
    if demo_present():
        current_app.config["SOTAY_DEMO"] = True
        click.echo("This is a demo instance (demo accounts with the published password); every page says so.")
    click.echo(f"Database: {db.engine.url.render_as_string(hide_password=True)}")
    click.echo(f"Sổ tay is at http://{host}:{port}/")
    app = current_app._get_current_object()
    db.session.remove()
    db.engine.dispose()  # each gunicorn worker opens its own connections

    run_gunicorn(app, host, port, workers, threads)


def run_gunicorn(app, host: str, port: int, workers: int = 2, threads: int = 4) -> None:
    """Serve a WSGI app as `sotay serve` does (bench/reference.py serves its reference page through this too, so
    the two are compared under the same settings)."""
    from gunicorn.app.base import BaseApplication

    class Server(BaseApplication):
        def load_config(self):
            self.cfg.set("bind", f"{host}:{port}")
            self.cfg.set("workers", workers)
            self.cfg.set("threads", threads)
            self.cfg.set("accesslog", "-")

        def load(self):
            return app

    Server().run()


@click.command("translate")
@click.option("--compile-only", is_flag=True, help="Only compile the catalogues.")
def translate_command(compile_only: bool):
    """Extract the messages, update the vi and en catalogues, and compile them (for developers)."""
    from babel.messages.frontend import CommandLineInterface

    from .paths import PACKAGE_DIR

    root = PACKAGE_DIR.parent
    cli = CommandLineInterface()
    if not compile_only:
        pot = root / "translations" / "messages.pot"
        cli.run(["pybabel", "-q", "extract", "-F", str(root / "babel.cfg"), "-k", "_l", "--no-location",
                 "--sort-output", "-o", str(pot), str(root)])
        cli.run(["pybabel", "-q", "update", "-i", str(pot), "-d", str(root / "translations"), "--no-fuzzy-matching",
                 "--ignore-obsolete"])
    cli.run(["pybabel", "-q", "compile", "-d", str(root / "translations")])


COMMANDS = [init_command, seed_command, create_admin_command, import_villages_command, serve_command,
            translate_command, backup_command, restore_command, load_plan_2023_command]


def register_commands(app) -> None:
    for command in COMMANDS:
        app.cli.add_command(command)


def main() -> None:
    from . import create_app

    cli = FlaskGroup(create_app=create_app, add_default_commands=True, load_dotenv=False,
                     help="Sổ tay: the child protection field log.")
    cli.main(args=sys.argv[1:], prog_name="sotay")
