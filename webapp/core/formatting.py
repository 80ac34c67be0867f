"""Template filters: dates as dd/mm/yyyy, numbers and đồng in the user's locale through Babel."""

from collections.abc import Mapping
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
    """A number in the answer's locale. A whole number under a thousand is written the same by Babel in Vietnamese
    and English (no group separator, Latin digits), so it skips Babel's pattern (7 % of the activity list's rows)."""
    if value is None:
        return ""
    if type(value) is int and 0 <= value < 1000:
        return str(value)
    return format_decimal(value)


def fmt_money(value: int | None) -> str:
    """Whole đồng: 1000000 -> "1.000.000 ₫" in Vietnamese, "1,000,000 ₫" in English, the number and its "₫" joined
    by a non-breaking space (U+00A0) so that a line never ends between them."""
    return "" if value is None else f"{format_decimal(int(value))}\u00a0₫"


class Translated(Mapping):
    """A dict of lazy labels whose each label is translated once, when first shown: a list of 25 rows showed the same
    few kinds and statuses 57 times a page, each a lookup in the catalogue (9 % of the activity list). Made per
    answer (`translated(LABELS)`), so it is always in that answer's language."""

    def __init__(self, labels: Mapping):
        self._labels, self._shown = labels, {}

    def __getitem__(self, key):
        if key not in self._shown:
            self._shown[key] = str(self._labels[key])
        return self._shown[key]

    def __iter__(self):
        return iter(self._labels)

    def __len__(self):
        return len(self._labels)


def translated(groups: Mapping[str, Mapping]) -> dict[str, Translated]:
    """{"kinds": {...lazy...}, ...} -> the same groups, each label translated at most once in this answer."""
    return {name: Translated(labels) for name, labels in groups.items()}


FILTERS = {"date": fmt_date, "datetime": fmt_datetime, "number": fmt_number, "money": fmt_money}
