"""Pages of a list, keeping the list's filters in every page link."""

from flask import current_app, request
from sqlalchemy import func, literal_column, select

from ..extensions import db

MAX_PAGE = 100_000
# A list over a large area (the province's 420,000 activities) is counted up to this many rows only, and then
# says "more than 10,000": counting every row cost more than the rest of the page.
ESTIMATE_ABOVE = 10_000


def paginate(stmt):
    """The page the query string asks for; a page number that is not one, or absurdly large, is the first page (it
    would otherwise overflow the database's integer). `page.estimated` when there are more than ESTIMATE_ABOVE
    rows: `page.total` is then ESTIMATE_ABOVE and the pages go on as long as there are rows."""
    page = request.args.get("page", type=int) or 1
    if not 1 <= page <= MAX_PAGE:
        page = 1
    result = db.paginate(stmt, page=page, per_page=current_app.config["PAGE_SIZE"], max_per_page=100,
                         error_out=False, count=False)
    # Only a constant is selected under the limit, so the database counts from the list's index alone.
    rows = stmt.order_by(None).with_only_columns(literal_column("1"), maintain_column_froms=True)
    capped = db.session.scalar(select(func.count()).select_from(rows.limit(ESTIMATE_ABOVE + 1).subquery()))
    result.estimated, result.at_least = capped > ESTIMATE_ABOVE, ESTIMATE_ABOVE
    result.total = ESTIMATE_ABOVE if result.estimated else capped
    if result.estimated:  # pages beyond the count go on while there are rows
        result.total = max(ESTIMATE_ABOVE, (result.page - 1) * result.per_page + len(result.items))
        if len(result.items) == result.per_page:
            result.total += 1
    return result


def page_args(page: int) -> dict:
    """The current query string with `page` replaced, for url_for(request.endpoint, **...)."""
    args = request.args.to_dict()
    args["page"] = page
    return {**(request.view_args or {}), **args}
