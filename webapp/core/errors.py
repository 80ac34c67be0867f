"""Error pages in the user's language: 400 (including a missing CSRF token), 403, 404, 413, 500."""

from flask import render_template
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError

from ..extensions import db


def register(app) -> None:
    def page(status: int, title: str, message: str):
        return render_template("errors/error.html", status=status, title=title, message=message), status

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        db.session.rollback()
        return page(
            400,
            _("The form could not be checked"),
            _("This page was open too long or came from elsewhere, so nothing was saved. "
              "Go back, reload the page and send it again."),
        )

    @app.errorhandler(400)
    def bad_request(error):
        return page(400, _("Bad request"), _("The request could not be understood. Nothing was saved."))

    @app.errorhandler(403)
    def forbidden(error):
        return page(403, _("Not allowed"), _("Your account may not use this page."))

    @app.errorhandler(404)
    def not_found(error):
        return page(404, _("Not found"), _("This page does not exist, or it is outside your area."))

    @app.errorhandler(413)
    def too_large(error):
        return page(413, _("File too large"), _("The file is larger than 5 MB. Nothing was saved."))

    @app.errorhandler(500)
    def server_error(error):
        db.session.rollback()
        return page(500, _("Something went wrong"), _("The error was logged. What was saved before is safe."))
