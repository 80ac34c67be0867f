"""Form fields shared by features: money as a whole number of đồng, typed the way people write it."""

import re

from flask_babel import lazy_gettext as _l
from wtforms import IntegerField

_SEPARATORS = re.compile(r"[\s.,_]|đ$|₫$|vnd$", re.I)


class MoneyField(IntegerField):
    """Whole đồng; accepts "1.500.000", "1 500 000", "1,500,000 ₫". Shown with inputmode="numeric"."""

    def process_formdata(self, valuelist):
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        text = _SEPARATORS.sub("", valuelist[0].strip().lower().removesuffix("đ").removesuffix("₫").strip())
        if not (text.isascii() and text.isdigit()):  # "¹" or "١" are digits to str.isdigit, not to int()
            self.data = None
            raise ValueError(_l("Enter a whole number of đồng, for example 500.000."))
        self.data = int(text)

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return "" if self.data is None else str(self.data)
