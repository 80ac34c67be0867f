"""Báo tin về trẻ em: a report about a child at risk, from the phone to the commune (Nghị định 56/2017/NĐ-CP, Mẫu
số 01 and 02, Điều 26: emergency measures within 12 hours), its steps, T3 and T5 from its records; the hotline 111
on every page."""

from flask import Blueprint

bp = Blueprint("concerns", __name__, url_prefix="/concerns")
# Not a menu item: home carries the report and the hotlines at the top for every role (templates/concerns/_home.html),
# and the blank report form is kept on the phone through the working set (views._working_set).

from . import indicators, services, views  # noqa: E402,F401
