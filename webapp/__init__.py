"""Sổ tay: the application factory."""

import hashlib
import os
from pathlib import Path

from flask import Flask, has_request_context, request, session, url_for
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from sqlalchemy import event
from sqlalchemy.engine import Engine

from . import config
from .extensions import babel, compress, csrf, db, login_manager, migrate
from .extensions import htmx as htmx_extension
from .paths import data_dir

FEATURES = (
    "core", "accounts", "geo", "plans", "activities", "children", "gifts", "fund", "swim", "forum", "concerns",
    "reports",
    "offline",
)


def create_app(test_config: dict | None = None) -> Flask:
    instance_path = os.environ.get("SOTAY_INSTANCE_PATH")
    app = Flask(
        __name__,
        instance_path=instance_path,
        instance_relative_config=True,
        template_folder=str(data_dir("templates")),
        static_folder=str(data_dir("static")),
    )
    app.config.from_mapping(config.defaults(Path(app.instance_path)))
    app.config.from_prefixed_env()  # FLASK_<NAME> overrides any setting
    if test_config:
        app.config.update(test_config)
    app.config["SQLALCHEMY_DATABASE_URI"] = config.normalise_database_url(app.config["SQLALCHEMY_DATABASE_URI"])
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(data_dir("translations"))
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    if app.config["PROXIES"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=app.config["PROXIES"], x_proto=app.config["PROXIES"])

    db.init_app(app)
    migrate.init_app(app, db, directory=str(data_dir("migrations")), render_as_batch=True)
    csrf.init_app(app)
    htmx_extension.init_app(app)
    compress.init_app(app)
    from .core import etags

    etags.init_app(app)  # its hook runs just before compression's, on the finished page
    babel.init_app(app, locale_selector=select_locale)
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Please sign in to open this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"

    import importlib

    from .core.security import ColumnIntConverter, QuietBackgroundSession

    app.session_interface = QuietBackgroundSession()
    app.url_map.converters["int"] = ColumnIntConverter  # before the routes, which take their converters when added
    for name in FEATURES:
        module = importlib.import_module(f"{__name__}.{name}")
        app.register_blueprint(module.bp)

    from .core import errors, files, formatting, fragments, nav
    from .core.fields import use_form_messages
    from .core.idempotent import register_error_handlers
    from .core.pagination import page_args
    from .core.scope import child_in_scope
    from .core.security import add_security_headers, use_checked_parameters
    from .htmx import add_vary
    from .offline import answers

    errors.register(app)
    files.init_app(app)
    fragments.init_app(app)  # (and forgets what another app of this process cached: tests make many)
    register_error_handlers(app)
    use_checked_parameters(app)
    use_form_messages(app)
    app.jinja_env.filters.update(formatting.FILTERS)
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.globals["page_args"] = page_args  # a global, so imported macros (the pager) see it too
    app.jinja_env.globals["sees_child"] = child_in_scope  # a name on a record of another area: core.scope's rule
    answers.register(app)
    app.after_request(add_vary)
    app.after_request(add_security_headers)

    static_urls: dict[tuple[str, str], str] = {}

    def static_url(filename: str) -> str:
        """A static file's URL with a hash of its content, so a new version is never read from a stale cache; built
        once per file and mount point (base.html asks for seven on every page)."""
        key = (request.script_root if has_request_context() else "", filename)
        if key not in static_urls or app.debug:
            digest = hashlib.sha256((Path(app.static_folder) / filename).read_bytes()).hexdigest()[:10]
            static_urls[key] = url_for("static", filename=filename, v=digest)
        return static_urls[key]

    nav.forget()
    app.jinja_env.globals["fixed_url"] = nav.fixed_url
    app.jinja_env.globals["static_url"] = static_url  # also used outside templates (the worker's precache list)

    @app.context_processor
    def template_globals():
        return {
            "csrf_token": generate_csrf,
            "nav_items": nav.items_for(current_user),
            "current_locale": str(get_locale()),
            "languages": app.config["LANGUAGES"],
        }

    from .cli import register_commands

    register_commands(app)
    return app


def select_locale() -> str:
    """The user's own setting, else the language chosen before signing in, else the browser's, else Vietnamese."""
    from flask import current_app

    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # commands and background work speak the default language
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    if session.get("locale") in languages:
        return session["locale"]
    return request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record):
    """SQLite: enforce foreign keys, write-ahead log so readers never wait for a writer, wait on a busy lock, and
    zero the space a changed or deleted row leaves (an erased child's name must not stay in the file's free pages)."""
    import sqlite3

    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA secure_delete=ON")
        cursor.close()

