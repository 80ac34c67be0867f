"""Demo data of Lào Cai: villages of three communes, users of every role, and a lived-in year of their records
(webapp/demo_year.py). Nobody here is real.

Running it again adds only what is missing.
"""

from flask import current_app
from sqlalchemy import select

from .accounts.models import User
from .core import clock
from .extensions import db
from .geo.models import Unit
from .geo.services import load_province, new_village, village_named

DEMO_PASSWORD = "sotay-demo"

COMMUNES = {
    "02761": ["Thôn Lùng Cẩu", "Bản Sín Chải", "Thôn Mã Tuyển"],  # Xã Mường Khương
    "02839": ["Thôn Na Áng", "Bản Phố", "Thôn Nậm Thố"],  # Xã Bắc Hà
    "03006": ["Tổ dân phố 1", "Tổ dân phố 2", "Thôn Ý Lình Hồ"],  # Phường Sa Pa
}

# username, full name, role, unit (None = the province; a commune code; or (commune code, village name))
USERS = [
    ("admin", "Nguyễn Thị Hồng Nhung", "admin", None),
    ("lanhdao", "Trần Văn Quang", "viewer", None),
    ("canbo.muongkhuong", "Lý Thị Mai", "officer", "02761"),
    ("truongthon.lungcau", "Giàng Seo Páo", "collector", ("02761", "Thôn Lùng Cẩu")),
    ("tinhnguyen.muongkhuong", "Vàng Thị Dung", "collector", "02761"),
    ("canbo.bacha", "Hoàng Văn Thắng", "officer", "02839"),
    ("giaovien.bacha", "Lù Thị Hương", "collector", "02839"),
    ("canbo.sapa", "Phạm Thị Thu", "officer", "03006"),
    ("tinhnguyen.sapa", "Sần Văn Chiến", "collector", "03006"),
]


def seed_demo() -> list[tuple[str, str, str, str]]:
    """Add the demo villages and users that are missing; returns (username, role, unit, password) for each."""
    province, _ = load_province(current_app.config["SOTAY_PROVINCE"])
    communes = {u.code: u for u in db.session.scalars(select(Unit).where(Unit.code.in_(list(COMMUNES))))}
    villages: dict[tuple[str, str], Unit] = {}
    for code, names in COMMUNES.items():
        commune = communes.get(code)
        if commune is None:  # another province is configured: no demo villages
            continue
        for name in names:
            village = village_named(commune, name)
            if village is None:
                village = new_village(commune, name)
                db.session.add(village)
                db.session.flush()
            villages[(code, name)] = village
    logins = []
    for username, full_name, role, where in USERS:
        if isinstance(where, tuple):
            unit = villages.get(where)
        elif where:
            unit = communes.get(where)
        else:
            unit = province
        if unit is None:
            continue
        user = db.session.scalar(select(User).where(User.username == username))
        if user is None:
            user = User(username=username, full_name=full_name, role=role, unit_id=unit.id)
            user.set_password(DEMO_PASSWORD)
            db.session.add(user)
        logins.append((username, role, unit.name, DEMO_PASSWORD))
    db.session.commit()
    seed_demo_plans(province)
    from .demo_year import seed_demo_year

    seed_demo_year(province)
    return logins


def demo_present() -> bool:
    """The database holds a demo account that still has the published password: a demo instance."""
    users = db.session.scalars(select(User).where(User.username.in_([u[0] for u in USERS])).order_by(User.id))
    return any(user.check_password(DEMO_PASSWORD) for user in users)


def seed_demo_plans(province: Unit) -> None:
    """Lào Cai's 2023 plan, and for the demo a copy of it for the current year so that today can be logged."""

    from .plans import seed_2023
    from .plans.models import Plan
    from .plans.services import copy_plan, load_plan_2023

    if province.code != str(seed_2023.PROVINCE_CODE):
        return
    plan, _created = load_plan_2023(province)
    admin = db.session.scalar(select(User).where(User.username == "admin"))
    year = clock.today().year
    if admin is not None and year != plan.year and db.session.scalar(
            select(Plan).where(Plan.unit_id == province.id, Plan.year == year)) is None:
        db.session.add(copy_plan(plan, year, admin))
        db.session.commit()
