"""Pages of a list, keeping the list's filters in every page link."""

from flask import current_app, request

from ..extensions import db

MAX_PAGE = 100_000


def paginate(stmt):
    """The page the query string asks for; a page number that is not one, or absurdly large, is the first page (it
    would otherwise overflow the database's integer)."""
    page = request.args.get("page", type=int) or 1
    if not 1 <= page <= MAX_PAGE:
        page = 1
    return db.paginate(stmt, page=page, per_page=current_app.config["PAGE_SIZE"], max_per_page=100, error_out=False)


def page_args(page: int) -> dict:
    """The current query string with `page` replaced, for url_for(request.endpoint, **...)."""
    args = request.args.to_dict()
    args["page"] = page
    return {**(request.view_args or {}), **args}
