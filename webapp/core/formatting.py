"""Template filters: dates as dd/mm/yyyy, numbers and đồng in the user's locale through Babel."""

from datetime import date, datetime

from flask_babel import format_datetime, format_decimal


def fmt_date(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return format_datetime(value, "dd/MM/yyyy")
    return value.strftime("%d/%m/%Y")


def fmt_datetime(value: datetime | None) -> str:
    return format_datetime(value, "dd/MM/yyyy HH:mm") if value else ""


def fmt_number(value: int | float | None) -> str:
    return "" if value is None else format_decimal(value)


def fmt_money(value: int | None) -> str:
    """Whole đồng: 1000000 -> "1.000.000 ₫" in Vietnamese, "1,000,000 ₫" in English, the number and its "₫" joined
    by a non-breaking space (U+00A0) so that a line never ends between them."""
    return "" if value is None else f"{format_decimal(int(value))}\u00a0₫"


FILTERS = {"date": fmt_date, "datetime": fmt_datetime, "number": fmt_number, "money": fmt_money}
