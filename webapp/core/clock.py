"""The one clock of the app: the moment in UTC and the day in Vietnam.

The province lives in Asia/Ho_Chi_Minh (UTC+7): on a server that keeps UTC, the server's own date lags Vietnam's
from 00:00 to 07:00, so ages, forum dates and deadlines would be a day off. Every "today" and "now" of the app
comes from here (never `date.today()` or `datetime.now()`), and tests play a date of the calendar by replacing
`now` alone: `monkeypatch.setattr(clock, "now", lambda: datetime(2023, 5, 8, 2, 0, tzinfo=UTC))`."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def now() -> datetime:
    """The current moment, aware, in UTC."""
    return datetime.now(UTC)


def today() -> date:
    """Today in Vietnam."""
    return now().astimezone(LOCAL_TZ).date()


def local_date(moment: datetime) -> date:
    """The day in Vietnam of a moment (stored ones come back aware: core.models.UTCDateTime)."""
    return moment.astimezone(LOCAL_TZ).date()
