"""One clock: every "today" of the app is Vietnam's, whatever the server's time zone, and comes from core/clock.py."""

import pathlib
import re
from datetime import UTC, date, datetime

from webapp.core import clock

WEBAPP = pathlib.Path(__file__).parent.parent / "webapp"
TESTS = pathlib.Path(__file__).parent


def test_today_is_vietnams_day_from_midnight_not_from_seven(monkeypatch):
    # 00:30 on 15 May in Vietnam is still 14 May in UTC: the server's own date would be a day behind.
    monkeypatch.setattr(clock, "now", lambda: datetime(2023, 5, 14, 17, 30, tzinfo=UTC))
    assert clock.today() == date(2023, 5, 15)
    monkeypatch.setattr(clock, "now", lambda: datetime(2023, 5, 14, 16, 59, tzinfo=UTC))
    assert clock.today() == date(2023, 5, 14)
    assert clock.local_date(datetime(2023, 5, 14, 17, 0, tzinfo=UTC)) == date(2023, 5, 15)


def test_a_stored_moment_comes_back_aware_in_utc_on_every_database(app):
    """core.models.UTCDateTime: SQLite keeps no zone and PostgreSQL answers in the session's; both give back the
    moment in UTC, aware, so that no code fixes up a naive one (a moment given in Vietnam's time is the same moment,
    and a naive one is taken as UTC). Comparisons in a query see the same moments."""
    from sqlalchemy import select

    from webapp.core.audit import AuditLog
    from webapp.extensions import db

    in_vietnam = datetime(2023, 5, 15, 0, 30, tzinfo=clock.LOCAL_TZ)  # 17:30 UTC the day before
    with app.app_context():
        db.session.add_all([AuditLog(action="clock_a", at=in_vietnam),
                            AuditLog(action="clock_b", at=datetime(2023, 5, 14, 18, 0))])
        db.session.commit()
        db.session.expire_all()
        rows = db.session.execute(select(AuditLog.action, AuditLog.at).where(AuditLog.action.like("clock_%"))
                                  .order_by(AuditLog.at)).all()
        assert rows == [("clock_a", datetime(2023, 5, 14, 17, 30, tzinfo=UTC)),
                        ("clock_b", datetime(2023, 5, 14, 18, 0, tzinfo=UTC))]
        assert all(at.utcoffset().total_seconds() == 0 and at.tzinfo is UTC for _, at in rows)
        later = select(AuditLog.action).where(AuditLog.at > datetime(2023, 5, 15, 0, 45, tzinfo=clock.LOCAL_TZ))
        assert db.session.scalars(later.where(AuditLog.action.like("clock_%"))).all() == ["clock_b"]
        assert clock.local_date(db.session.scalar(select(AuditLog.at).where(AuditLog.action == "clock_a"))) \
            == date(2023, 5, 15)


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


def test_no_test_asks_the_servers_day():
    """A test's "today" is the app's (Vietnam's): from 17:00 to 24:00 UTC the server's date is a day behind it, and a
    test that typed `date.today()` into a form was refused (or not) by the hour it ran at."""
    pattern = re.compile(r"\bdate\.today\(|\bdatetime\.(now|utcnow|today)\(")
    offenders = [f"{path.relative_to(TESTS)}:{n}" for path in TESTS.rglob("*.py") if path.name != "test_clock.py"
                 for n, line in enumerate(path.read_text().splitlines(), 1) if pattern.search(line)]
    assert offenders == []
