"""Pages of a list, keeping the list's filters in every page link."""

from flask import current_app, request

from ..extensions import db


def paginate(stmt):
    return db.paginate(stmt, per_page=current_app.config["PAGE_SIZE"], max_per_page=100, error_out=False)


def page_args(page: int) -> dict:
    """The current query string with `page` replaced, for url_for(request.endpoint, **...)."""
    args = request.args.to_dict()
    args["page"] = page
    return {**(request.view_args or {}), **args}
