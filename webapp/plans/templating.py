"""How a target's figure reads: 3,5% ; 1.000.000.000 ₫ ; done."""

from flask_babel import format_decimal
from flask_babel import gettext as _

from ..core.formatting import fmt_money
from .models import PERCENT_SCALE


def figure_text(kind: str, value: int | None, plain: bool = False) -> str:
    """The figure as people read it; `plain` gives what an edit form shows (no % sign, no currency)."""
    if value is None:
        return ""
    if kind == "percent":
        number = format_decimal(value / PERCENT_SCALE, "#,##0.##")
        return number if plain else f"{number}%"
    if kind == "money":
        return str(value) if plain else fmt_money(value)
    if kind == "done":
        return str(value) if plain else (_("done") if value else _("not done"))
    return str(value) if plain else format_decimal(value)
