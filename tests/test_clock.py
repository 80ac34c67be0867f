"""One clock: every "today" of the app is Vietnam's, whatever the server's time zone, and comes from core/clock.py."""

import pathlib
import re
from datetime import UTC, date, datetime

from webapp.core import clock

WEBAPP = pathlib.Path(__file__).parent.parent / "webapp"


def test_today_is_vietnams_day_from_midnight_not_from_seven(monkeypatch):
    # 00:30 on 15 May in Vietnam is still 14 May in UTC: the server's own date would be a day behind.
    monkeypatch.setattr(clock, "now", lambda: datetime(2023, 5, 14, 17, 30, tzinfo=UTC))
    assert clock.today() == date(2023, 5, 15)
    monkeypatch.setattr(clock, "now", lambda: datetime(2023, 5, 14, 16, 59, tzinfo=UTC))
    assert clock.today() == date(2023, 5, 14)
    assert clock.local_date(datetime(2023, 5, 14, 17, 0)) == date(2023, 5, 15)  # naive UTC, as SQLite returns it


def test_every_feature_reads_the_one_clock(vietnam_time):
    from webapp.activities import services as activities
    from webapp.children import services as children
    from webapp.core.fields import latest_date
    from webapp.forum import views as forum
    from webapp.reports import services as reports

    vietnam_time(2024, 1, 1, 0, 30)
    for today in (activities.today, children.today, forum.today, reports.today, clock.today):
        assert today() == date(2024, 1, 1)
    assert latest_date() == date(2024, 12, 31)


def test_no_other_clock_in_the_code():
    """`date.today()` and `datetime.now()` give the server's day: nothing but core/clock.py may ask them."""
    pattern = re.compile(r"\bdate\.today\b|\bdatetime\.(now|utcnow|today)\b")
    offenders = [f"{path.relative_to(WEBAPP)}:{n}" for path in WEBAPP.rglob("*.py") if path.name != "clock.py"
                 for n, line in enumerate(path.read_text().splitlines(), 1) if pattern.search(line)]
    assert offenders == []
