"""A lived-in year for the demo communes: what their people would have recorded in the app from 1 January to today.

`seed_demo_year()` runs one step per feature (`STEPS`), each a small function of a `Year` (the demo's units,
users, plan, today and a fixed random generator) that makes its records as the feature's own views and services
make them: authored by the demo users under a client_id, audited as the features audit, activities written by the
activity form itself (so they pass its checks, and the monthly summary is recomputed on commit). Every record's
client_id is derived from a fixed name, so a step that finds its first record already there adds nothing: running
the seed again changes nothing. Dates are relative to today (never after it) within the plan's year. Every name is
made up, typical of Lào Cai's Hmông, Dao, Tày, Giáy, Nùng and Kinh families; phone numbers are 0000 000 xxx.

A new step is a function `(year: Year) -> None` added to `STEPS`; it makes its first record under
`year.client_id("<step>:first")` (or checks `year.exists(Model, "<step>:…")`) so that it runs only once.
"""

import random
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from flask import current_app
from sqlalchemy import select
from werkzeug.datastructures import MultiDict
from wtforms.fields.choices import SelectChoice

from .accounts.models import User
from .core import audit, clock
from .core.text import clean, fold
from .extensions import db
from .geo.models import Unit
from .plans.models import Agency, Plan

SEED = 20231115  # the demo is the same every time it is made (from the same day)
NAMESPACE = uuid.UUID("5f0c1d2e-8a4b-4c6d-9e7f-0a1b2c3d4e5f")
FAKE_PHONE = "0000000{:03d}"  # 0000 000 xxx: no Vietnamese number begins 000, so none is anybody's

# Each demo commune's families, by ethnic group (codes of children.data.ETHNICITIES) and weight.
MIX = {
    "02761": (("08", 5), ("07", 3), ("09", 1), ("01", 1)),  # Mường Khương: Hmông, Nùng, Dao, Kinh
    "02839": (("08", 5), ("02", 2), ("09", 2), ("01", 1)),  # Bắc Hà: Hmông, Tày, Dao, Kinh
    "03006": (("08", 3), ("09", 3), ("25", 2), ("01", 2)),  # Sa Pa: Hmông, Dao, Giáy, Kinh
}
SURNAMES = {
    "08": ("Giàng", "Sùng", "Vàng", "Thào", "Lù", "Ly", "Mùa", "Hầu", "Lồ", "Chẻo"),
    "09": ("Triệu", "Bàn", "Phùn", "Tẩn", "Lý", "Chảo", "Đặng"),
    "02": ("Hoàng", "Nông", "Lương", "La", "Ma", "Hà"),
    "25": ("Lò", "Vương", "Hoàng", "Sần", "Lù"),
    "07": ("Nông", "Vi", "Lục", "Hoàng", "Sầm"),
    "01": ("Nguyễn", "Trần", "Phạm", "Lê", "Đỗ", "Vũ"),
}
MIDDLE = {
    ("08", "M"): ("Seo", "A", "Văn"), ("08", "F"): ("Thị",),
    ("09", "M"): ("Văn", "Láo"), ("09", "F"): ("Thị",),
    ("01", "M"): ("Minh", "Văn", "Gia", "Đức"), ("01", "F"): ("Thị", "Ngọc", "Thu", "Bảo"),
}
GIVEN = {
    ("08", "M"): ("Páo", "Sử", "Chứ", "Dìn", "Lử", "Cở", "Chư", "Súa", "Pháng", "Tủa", "Sính", "Vàng"),
    ("08", "F"): ("Mỷ", "Dính", "Chi", "Say", "Pà", "Sua", "Mai", "Dợ", "Xúa", "Chá", "Sểnh", "Lan"),
    ("09", "M"): ("Chòi", "Lở", "Kiềm", "Phin", "Quẩy", "Vảng", "Tả", "Chiêu"),
    ("09", "F"): ("Mẩy", "Xuân", "Chạn", "Nái", "Mai", "Sài", "Lai", "Hoa"),
    ("02", "M"): ("Tuấn", "Hải", "Thành", "Lâm", "Khánh", "Dũng"),
    ("02", "F"): ("Hà", "Lan", "Hoa", "Thảo", "Nhung", "Diệp"),
    ("25", "M"): ("Thịnh", "Chiến", "Quân", "Hưng", "Sơn"),
    ("25", "F"): ("Liên", "Hiền", "Yến", "Thơm", "Nga"),
    ("07", "M"): ("Tiến", "Phong", "Hòa", "Lộc", "Thắng"),
    ("07", "F"): ("Thương", "Huyền", "Hằng", "Vân", "Nguyệt"),
    ("01", "M"): ("An", "Huy", "Khôi", "Nam", "Phúc", "Bảo", "Long"),
    ("01", "F"): ("Anh", "Ngọc", "Linh", "Trang", "Mai", "Vy", "Hà"),
}
CHILDREN_PER_VILLAGE = 10
ONCE = ("child:",)  # records made once whatever the year (a seed run in a later year adds that year's records only)


@dataclass
class Year:
    """What every step needs: the demo's places and people, the plan of the year, today, one random generator."""

    province: Unit
    communes: dict[str, Unit]  # by code
    villages: dict[str, list[Unit]]  # by commune code
    users: dict[str, User]  # by username
    plan: Plan
    today: date
    rng: random.Random = field(default_factory=lambda: random.Random(SEED))
    names_used: set[str] = field(default_factory=set)
    audits: list[tuple] = field(default_factory=list)  # entries written at commit, once every record has its id

    @property
    def year(self) -> int:
        return self.plan.year

    @property
    def start(self) -> date:
        return date(self.year, 1, 1)

    def day(self, month: int, day: int) -> date:
        """A day of the plan's year, never after today (the demo records nothing ahead)."""
        return max(self.start, min(date(self.year, month, day), self.today))

    def ago(self, days: int) -> date:
        """`days` before today, never before the plan's year began."""
        return max(self.start, self.today - timedelta(days=days))

    def spread(self, n: int, first: date | None = None, last: date | None = None) -> list[date]:
        """n days spread evenly from `first` (1 January) to `last` (today), in order."""
        first, last = first or self.start, last or self.today
        span = max(0, (last - first).days)
        return [first + timedelta(days=(span * (i + 1)) // (n + 1)) for i in range(n)]

    def client_id(self, key: str) -> str:
        """The fixed client_id of a demo record: a year's records by year; the children once for every year."""
        return str(uuid.uuid5(NAMESPACE, key if key.startswith(ONCE) else f"{self.year}:{key}"))

    def exists(self, model, key: str) -> bool:
        return db.session.scalar(select(model.id).where(model.client_id == self.client_id(key))) is not None

    def made(self, obj, key: str, user: User, on: date | None = None, **detail):
        """Add a record as `idempotent.create_once` saves it (client_id, author, audited "create"), dated `on`."""
        obj.client_id = self.client_id(key)
        obj.created_by_id = user.id
        moment = self.moment(on)
        if hasattr(obj, "created_at"):
            obj.created_at = obj.updated_at = moment
        db.session.add(obj)
        self.audit("create", obj, user, moment, **detail)
        return obj

    def audit(self, action: str, obj, user: User, moment: datetime, **detail) -> None:
        """An audit entry as the feature writes it (`core.audit.record`), dated `moment`; kept until `commit` so
        that the records are flushed together, not one by one for their ids."""
        self.audits.append((action, obj, user, moment, detail))

    def commit(self) -> None:
        """Flush the step's records, write their audit entries, commit (the activities' summary is kept then)."""
        db.session.flush()
        for action, obj, user, moment, detail in self.audits:
            audit.record(action, obj, user=user, **detail).at = moment
        self.audits.clear()
        db.session.commit()

    def moment(self, on: date | None) -> datetime:
        """A working hour of the day `on` (today: an hour ago at most), as the app stores moments (UTC)."""
        if on is None or on >= self.today:
            return clock.now() - timedelta(minutes=self.rng.randint(5, 60))
        local = datetime.combine(on, time(self.rng.randint(8, 16), self.rng.randint(0, 59)), clock.LOCAL_TZ)
        return local.astimezone(UTC)

    def officer(self, code: str) -> User:
        return next(u for u in self.users.values() if u.role == "officer" and u.unit_id == self.communes[code].id)

    def collectors(self, code: str) -> list[User]:
        commune = self.communes[code]
        return [u for u in self.users.values() if u.role == "collector"
                and (u.unit_id == commune.id or u.unit.parent_id == commune.id)]

    def agency(self, short_or_name: str) -> Agency | None:
        """An agency of the province in force today, by short name or name."""
        return db.session.scalar(select(Agency).where(
            Agency.unit_id == self.province.id, Agency.active.is_(True),
            (Agency.short_name == short_or_name) | (Agency.name == short_or_name),
            (Agency.valid_until.is_(None)) | (Agency.valid_until >= self.today)))

    def person(self, ethnicity: str, sex: str, unique: bool = True) -> str:
        """A made-up name of the group's usual form (NFC); unique ones are never repeated in the demo."""
        for _attempt in range(200):
            middle = MIDDLE.get((ethnicity, sex), ("Văn",) if sex == "M" else ("Thị",))
            name = clean(" ".join((self.rng.choice(SURNAMES[ethnicity]), self.rng.choice(middle),
                                   self.rng.choice(GIVEN[(ethnicity, sex)]))))
            if not unique or name not in self.names_used:
                self.names_used.add(name)
                return name
        raise RuntimeError("not enough demo names")

    def ethnicity(self, code: str) -> str:
        groups = MIX[code]
        return self.rng.choices([g for g, _w in groups], weights=[w for _g, w in groups])[0]


# --- children ----------------------------------------------------------------------------------------------------

SPECIAL = {3: "d", 17: "a", 41: "h", 66: "n"}  # a few children in special circumstances (officers see the letters)


def seed_children(year: Year) -> None:
    """Ten children a village, 3 to 15 years old, each with the recorded basis of keeping their data (the
    parent's consent, and the child's own from 7), entered by the village head, a volunteer or the officer."""
    from .children.models import Child
    from .children.services import build_child
    from .reports.services import place_name

    if year.exists(Child, "child:0"):
        return
    n = 0
    for code, villages in year.villages.items():
        authors = year.collectors(code) or [year.officer(code)]
        place = place_name(year.communes[code])
        for village in villages:
            author = next((u for u in authors if u.unit_id == village.id), authors[n % len(authors)])
            for entered in year.spread(CHILDREN_PER_VILLAGE, year.start, year.day(3, 31)):
                ethnicity, sex = year.ethnicity(code), year.rng.choice("FM")
                age = year.rng.choice((3, 5, 6, 7, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13, 14, 14, 15))
                born = year.today - timedelta(days=365 * age + year.rng.randint(30, 330))
                relation = year.rng.choice(("mother", "father", "mother", "grandparent"))
                parent = year.person(ethnicity, "M" if relation == "father" else "F", unique=False)
                data = {
                    "full_name": year.person(ethnicity, sex), "sex": sex, "ethnicity": ethnicity,
                    "birth_date": born if n % 6 else None, "birth_year": born.year,
                    "guardian_name": parent, "guardian_phone": FAKE_PHONE.format(n) if n % 3 else None,
                    "school": (f"Trường PTDTBT Tiểu học {place}" if age <= 10 else f"Trường PTDTBT THCS {place}")
                    if age >= 6 else None,
                    "consent_by": parent, "consent_relation": relation,
                    "consent_method": "paper" if n % 4 else "verbal", "consent_on": entered,
                    "consent_child": age >= 7, "special_groups": [SPECIAL[n]] if n in SPECIAL else [],
                }
                child = build_child(data, village, may_set_groups=author.role == "officer" or n in SPECIAL)
                year.made(child, f"child:{n}", author, entered)
                n += 1
    year.commit()


def demo_children(year: Year, code: str, ages: tuple[int, int] = (0, 15)):
    from .children.models import Child

    ids = [v.id for v in year.villages[code]]
    children = db.session.scalars(select(Child).where(Child.unit_id.in_(ids), Child.merged_into_id.is_(None),
                                                      Child.erased_at.is_(None)).order_by(Child.id)).all()
    return [c for c in children if ages[0] <= c.age_at(year.today) <= ages[1]]


# --- activities ---------------------------------------------------------------------------------------------------

def _audience(rng: random.Random, children: int, adults: int) -> dict:
    boys = children * rng.randint(40, 60) // 100
    men = adults * rng.randint(35, 55) // 100
    total = children + adults
    return {"children": children, "boys": boys, "girls": children - boys, "adults": adults, "adult_men": men,
            "adult_women": adults - men, "audience_total": total, "ethnic_minority": total * rng.randint(80, 97) // 100}


def _activity_data(year: Year, kind: str, level: str, villages: list[Unit]) -> dict:
    """The fields a person would fill in for one activity of a kind, as the form posts them."""
    rng = year.rng
    small = level in ("commune", "village")
    if kind == "communication":
        channel = rng.choice(("community_talk", "school_talk", "school_talk", "loudspeaker"))
        data = {"channel": channel, "topics": rng.sample(("children_law", "violence_abuse", "injury_drowning",
                                                          "child_labour", "hotlines"), 2)}
        if channel != "loudspeaker":
            data |= _audience(rng, rng.randint(25, 80) if channel == "school_talk" else rng.randint(5, 20),
                              rng.randint(2, 6) if channel == "school_talk" else rng.randint(20, 45))
            data |= {"material_leaflet": rng.choice((30, 50, 60)), "material_poster": rng.choice((0, 2, 4))}
        return data
    if kind == "training":
        data = {"topics": ["children_law", "violence_abuse"], "audience_groups": ["collaborators", "village_heads"]}
        data |= _audience(rng, 0, rng.randint(30, 45) if small else rng.randint(55, 70))
        data |= {"funding_source": "provincial_budget" if not small else "local_budget",
                 "amount_spent": rng.choice((4_500_000, 6_000_000)) if small else 38_000_000}
        if small and villages:
            for i, village in enumerate(villages[:2]):
                data |= {f"participants-{i}-name": year.person("08", "M" if i else "F", unique=False),
                         f"participants-{i}-role": "village_head" if i else "collaborator",
                         f"participants-{i}-village_id": village.id}
        return data
    if kind == "month_of_action":
        data = {"event_type": "launch" if level == "province" else rng.choice(("launch", "event")), "level": level,
                "topics": ["violence_abuse", "injury_drowning"]}
        data |= _audience(rng, rng.randint(120, 300), rng.randint(60, 150))
        data |= {"gifts_count": rng.randint(20, 60), "gifts_value": 0, "money_raised": rng.choice((0, 5_000_000))}
        data["gifts_value"] = data["gifts_count"] * 150_000
        return data
    if kind == "forum":
        data = {"forum_part": "forum", "level": "commune", "topics": ["violence_abuse", "injury_drowning"]}
        return data | _audience(rng, rng.randint(20, 30), rng.randint(4, 8))
    if kind == "support_model":
        data = {"model": rng.choice(("drowning_prevention", "leaders_of_change", "service_connection")),
                "model_steps": rng.sample(("survey", "plan", "training", "communication", "monitoring"), 2)}
        return data | _audience(rng, rng.randint(10, 30), rng.randint(5, 15))
    if kind == "recreation":
        data = {"occasion": "children_day", "recreation_types": ["culture_sports", "visits_gifts"]}
        data |= _audience(rng, rng.randint(60, 150), rng.randint(10, 30))
        scholarships = rng.randint(3, 8)
        return data | {"scholarships_count": scholarships, "scholarships_value": scholarships * 500_000}
    if kind == "violence_prevention":
        data = {"actions": ["monitoring_at_risk", "reports_received"], "cases_handled": rng.choice((0, 1, 1, 2))}
        return data | _audience(rng, rng.randint(10, 30), rng.randint(10, 25)) | {"material_booklet": 20}
    if kind == "injury_prevention":
        data = {"settings": ["drowning_project", "safe_community"], "topics": ["injury_drowning"]}
        return data | _audience(rng, rng.randint(30, 70), rng.randint(10, 20)) | {"material_banner": 2}
    if kind == "child_labour":
        data = {"reached": ["families", "employers"]}
        return data | _audience(rng, rng.randint(5, 15), rng.randint(20, 40)) | {"material_leaflet": 40}
    if kind == "fundraising":
        return {"level": level, "donors": ["companies", "individuals"],
                "money_raised": rng.choice((12_000_000, 18_500_000, 25_000_000)), "in_kind_value": 6_000_000}
    if kind == "inspection":
        checked = rng.randint(40, 90)
        return {"checks": ["health_insurance_under6", "child_database"], "places_checked": rng.randint(2, 5),
                "under6_checked": checked, "under6_with_card": checked * rng.randint(88, 99) // 100}
    if kind == "child_friendly":
        scores = {c: rng.randint(55, 80) for c in range(1, 14)}
        return {"stage": "self_assessment", "threshold": 800} | {f"score_{c}": s for c, s in scores.items()}
    raise ValueError(kind)


VENUES = {"school_talk": "Điểm trường {v}", "community_talk": "Nhà văn hóa {v}"}
# A commune's year, month by month: the kinds it logs (the province's own are in PROVINCE_PLAN).
COMMUNE_MONTHS = {
    1: ("communication", "inspection", "communication"), 2: ("communication", "support_model"),
    3: ("communication", "training", "violence_prevention", "communication"),
    4: ("communication", "child_labour", "communication"),
    5: ("communication", "injury_prevention", "forum", "communication"),
    6: ("month_of_action", "recreation", "communication", "injury_prevention"),
    7: ("communication", "injury_prevention", "communication"), 8: ("communication", "fundraising", "support_model"),
    9: ("communication", "child_friendly", "violence_prevention", "communication"),
    10: ("communication", "child_labour", "communication"), 11: ("communication", "inspection", "training"),
    12: ("communication", "communication"),
}
PROVINCE_PLAN = (  # (month, day, kind, lead agency)
    (3, 20, "training", "Sở Y tế"), (4, 10, "training", "Sở Y tế"), (5, 30, "month_of_action", "Sở Y tế"),
    (7, 15, "fundraising", "Sở Y tế"), (9, 25, "training", "Sở GD&ĐT"), (10, 20, "inspection", "Sở Y tế"),
)


def seed_activities(year: Year) -> None:
    """Activities of every kind month by month up to today, in each commune and at the province: most approved by
    the officer, the latest ones waiting for review, two returned to their author with a comment."""
    from .activities.models import Activity

    if year.exists(Activity, "activity:0"):
        return
    entries = []  # (day, kind, unit, author, level, villages)
    for month in range(1, year.today.month + 1 if year.today.year == year.year else 13):
        for code, commune in year.communes.items():
            villages = year.villages[code]
            for i, kind in enumerate(COMMUNE_MONTHS[month]):
                day = date(year.year, month, 4 + (i * 9 + int(code[-1])) % 24)
                if day > year.today:  # this month's entries so far, spread over its days up to today
                    day = max(date(year.year, month, 1), year.today - timedelta(days=3 * i + int(code[-1]) % 3))
                if kind == "child_friendly" and code == "03006":
                    continue  # a ward still preparing: two communes of three assess themselves this year
                collectors = year.collectors(code)
                author = year.officer(code) if kind in ("training", "inspection", "child_friendly",
                                                       "fundraising") or not collectors \
                    else collectors[(month + i) % len(collectors)]
                unit = author.unit if author.unit.level == "village" else \
                    (villages[(month + i) % len(villages)] if kind == "communication" else commune)
                entries.append((day, kind, unit, author, "commune", villages))
    for month, dom, kind, _lead in PROVINCE_PLAN:
        if date(year.year, month, dom) <= year.today:
            entries.append((date(year.year, month, dom), kind, year.province, year.users["admin"], "province", []))
    entries.sort(key=lambda e: (e[0], e[2].id, e[1]))
    leads = {name: year.agency(name) for name in ("UBND xã", "Trường học", "Sở Y tế", "Sở GD&ĐT", "Hội Phụ nữ")}
    collectors_at = [n for n, e in enumerate(entries) if e[3].role == "collector" and (year.today - e[0]).days >= 12]
    returned = {collectors_at[len(collectors_at) // 2], collectors_at[-1]} if collectors_at else set()
    for n, (day, kind, unit, author, level, villages) in enumerate(entries):
        lead = leads["Sở Y tế"] if level == "province" else \
            leads["Trường học"] if kind == "communication" and n % 2 else leads["UBND xã"]
        activity = _log_activity(year, n, kind, day, unit, author, level, villages, lead)
        if (year.today - day).days < 12:
            continue  # the latest entries wait for the officer's review
        reviewer = year.users["admin"] if level == "province" else year.officer(
            next(c for c, u in year.communes.items() if u.id in (unit.id, unit.parent_id)))
        _review(year, activity, reviewer, n not in returned, day + timedelta(days=2))
    year.commit()


def _log_activity(year: Year, n: int, kind: str, day: date, unit: Unit, author: User, level: str,
                  villages: list[Unit], lead: Agency | None):
    """One activity through the activity form and its checks (`check`, `apply`), saved as the view saves it."""
    from .activities.forms import activity_form, has
    from .activities.models import Activity
    from .activities.services import apply, check

    data = _activity_data(year, kind, level if kind not in ("forum",) else "commune", villages)
    venue = VENUES.get(data.get("channel", ""), "Hội trường {v}").format(v=unit.name)
    posted = MultiDict({"client_id": year.client_id(f"activity:{n}"), "date": day.isoformat(), "unit_id": unit.id,
                        "plan_id": year.plan.id, "venue": venue, "lead_agency_id": lead.id if lead else "",
                        "funding_source": data.pop("funding_source", "")})
    for name, value in data.items():
        for one in value if isinstance(value, list) else [value]:
            posted.add(name, str(one))  # as a browser posts it
    posted = MultiDict([(k, str(v)) for k, v in posted.items(multi=True)])
    form = activity_form(kind, formdata=posted, meta={"csrf": False})
    form.unit_id.choices = [SelectChoice(unit.id, unit.name)]
    form.plan_id.choices = [SelectChoice(year.plan.id, str(year.plan.year))]
    form.lead_agency_id.choices = [SelectChoice("", "—")] + ([SelectChoice(lead.id, lead.label)] if lead else [])
    form.agencies.choices = []
    if has(form, "participants"):
        for entry in form.participants:
            entry.form.village_id.choices = [SelectChoice("", "—")] + [SelectChoice(str(v.id), v.name)
                                                                       for v in villages]
    if not (form.validate() & check(form, author, year.plan)):
        raise ValueError(f"demo activity {n} ({kind}) refused: {form.errors}")
    activity = Activity(kind=kind)
    apply(activity, form, author, year.plan)
    return year.made(activity, f"activity:{n}", author, day, kind=kind)


def _review(year: Year, activity, reviewer: User, approve: bool, on: date) -> None:
    """The officer's decision as the review view records it."""
    from .activities.models import APPROVED, RETURNED

    on = min(on, year.today)
    old = activity.status
    activity.status = APPROVED if approve else RETURNED
    activity.review_comment = None if approve else "Đề nghị ghi rõ số trẻ em nam, nữ và bổ sung ảnh buổi sinh hoạt."
    activity.reviewed_by_id, activity.reviewed_at = reviewer.id, year.moment(on)
    activity.version = (activity.version or 1) + 1
    year.audit("approve" if approve else "return", activity, reviewer, activity.reviewed_at,
               status=[old, activity.status], comment=activity.review_comment)


# --- gifts ---------------------------------------------------------------------------------------------------------

def seed_gifts(year: Year) -> None:
    """Two rounds of gifts (Tết and Children's Day) in villages of two communes, paid from the commune's fund or by
    a donor; one child of Lùng Cẩu ticked again at a second distribution of the same round is flagged for the
    officer (no reason given yet)."""
    from .gifts.models import Distribution
    from .gifts.services import add_recipients

    if year.exists(Distribution, "gifts:0"):
        return
    rounds = [("tet", year.day(2, 6), "in_kind", "Chăn ấm và gạo", 300_000),
              ("children_day", year.day(6, 1), "in_kind", "Cặp sách và vở", 200_000)]
    n = 0
    given: dict[tuple[str, int], list] = {}
    for occasion, given_on, kind, item, value in rounds:
        for code in ("02761", "02839"):
            officer = year.officer(code)
            for village in year.villages[code][:2]:
                kids = [c for c in demo_children(year, code) if c.unit_id == village.id]
                chosen = kids[: 6 if occasion == "tet" else 7]
                distribution = Distribution(
                    unit_id=village.id, commune_id=village.parent_id, occasion=occasion, year=year.year, kind=kind,
                    value_each=value, item=item, source="fund", source_unit_id=village.parent_id,
                    given_on=given_on, place=f"Nhà văn hóa {village.name}", giver=officer.full_name,
                    group_count=0)
                year.made(distribution, f"gifts:{n}", officer, given_on, children=len(chosen))
                db.session.flush()
                add_recipients(distribution, chosen, officer, commit=False)
                given[(occasion, village.id)] = chosen
                n += 1
    # Children's Day: a donor's second handing-out in Thôn Lùng Cẩu, where one child had received already.
    village = year.villages["02761"][0]
    head = next((u for u in year.collectors("02761") if u.unit_id == village.id), year.officer("02761"))
    before = given[("children_day", village.id)]
    kids = before[-1:] + [c for c in demo_children(year, "02761") if c.unit_id == village.id and c not in before][:2]
    given_on = year.day(6, 3)
    distribution = Distribution(
        unit_id=village.id, commune_id=village.parent_id, occasion="children_day", year=year.year, kind="cash",
        value_each=100_000, item="Tiền mặt hỗ trợ mua đồ dùng học tập", source="donor",
        donor_name="Nhóm thiện nguyện Bản Em", given_on=given_on, place="Điểm trường Lùng Cẩu",
        giver=head.full_name, group_count=0)
    year.made(distribution, f"gifts:{n}", head, given_on, children=len(kids))
    db.session.flush()
    add_recipients(distribution, kids, head, commit=False)  # the first received on 1 June already: flagged
    year.commit()


# --- fund ----------------------------------------------------------------------------------------------------------

PROVINCE_DONORS = (  # donor, kind, form, item, value, month, status
    ("Ngân hàng thương mại chi nhánh Lào Cai (minh họa)", "organisation", "cash", None, 150_000_000, 1, "received"),
    ("Công ty khai khoáng Cam Đường (minh họa)", "organisation", "cash", None, 200_000_000, 3, "received"),
    ("Hội Doanh nhân trẻ (minh họa)", "organisation", "in_kind", "500 áo phao cứu sinh", 75_000_000, 5,
     "received"),
    ("Ông Trần Minh Đức", "person", "cash", None, 20_000_000, 6, "received"),
    ("Quỹ từ thiện Ánh Dương (minh họa)", "organisation", "cash", None, 120_000_000, 8, "received"),
    ("Công ty du lịch Fansipan Xanh (minh họa)", "organisation", "cash", None, 100_000_000, 10, "pledged"),
)
COMMUNE_DONORS = (("Hợp tác xã chè {p}", "organisation", 8_000_000, 2), ("Bà Lê Thị Hạnh", "person", 2_000_000, 4),
                  ("Cửa hàng vật tư nông nghiệp {p}", "organisation", 5_000_000, 9))


def seed_fund(year: Year) -> None:
    """The province's fund: donations received through the year (one still pledged) and its spending; each commune's
    fund: a few local donations and a spending record (the distributions it paid count by themselves)."""
    from .fund.models import Donation, Spending
    from .reports.services import place_name

    if year.exists(Donation, "fund:province:0"):
        return
    admin = year.users["admin"]
    for i, (donor, kind, form, item, value, month, status) in enumerate(PROVINCE_DONORS):
        on = year.day(month, 12)
        year.made(Donation(unit_id=year.province.id, donor_name=donor, donor_key=fold(donor), donor_kind=kind,
                           form=form, item=item, value=value, status=status, given_on=on,
                           receipt_no=f"{i + 1:02d}/QBTTE" if status == "received" else None),
                  f"fund:province:{i}", admin, on, value=value)
    for i, (purpose, amount, month) in enumerate((
            ("Hỗ trợ trẻ em mồ côi đón Tết", 60_000_000, 1),
            ("Hỗ trợ phẫu thuật tim cho trẻ em nghèo", 45_000_000, 7))):
        on = year.day(month, 25)
        year.made(Spending(unit_id=year.province.id, spent_on=on, amount=amount, purpose=purpose),
                  f"fund:province:spending:{i}", admin, on, amount=amount)
    for code, commune in year.communes.items():
        officer = year.officer(code)
        for i, (donor, kind, value, month) in enumerate(COMMUNE_DONORS):
            name = donor.format(p=place_name(commune))
            on = year.day(month, 8 + i)
            year.made(Donation(unit_id=commune.id, donor_name=name, donor_key=fold(name), donor_kind=kind, form="cash",
                               value=value, status="received", given_on=on, receipt_no=f"{i + 1:02d}/Q"),
                      f"fund:{code}:{i}", officer, on, value=value)
        on = year.day(9, 2)
        year.made(Spending(unit_id=commune.id, spent_on=on, amount=3_500_000,
                           purpose="Quà khai giảng cho trẻ em có hoàn cảnh khó khăn"),
                  f"fund:{code}:spending", officer, on, amount=3_500_000)
    year.commit()


# --- forum ---------------------------------------------------------------------------------------------------------

RECOMMENDATIONS = (  # text, topic, group, agency, answer, follow-up statuses
    ("Chúng cháu mong có thêm bể bơi ở các điểm trường để học bơi an toàn.", "drowning", "Nhóm trẻ em xã Bắc Hà",
     "Sở GD&ĐT", "Sở sẽ lắp thêm bể bơi di động tại các trường vùng cao trong năm học tới.", ("in_progress",)),
    ("Đề nghị làm rào chắn và biển cảnh báo ở các ao, hồ gần đường đi học.", "drowning",
     "Nhóm trẻ em xã Mường Khương", "UBND tỉnh", "Giao các xã rà soát và làm rào chắn trước mùa mưa.",
     ("in_progress", "done")),
    ("Chúng cháu muốn có điểm vui chơi an toàn ở thôn, bản.", "play_spaces", "Nhóm trẻ em phường Sa Pa",
     "UBND tỉnh", "Tỉnh sẽ bố trí kinh phí xây dựng điểm vui chơi tại các nhà văn hóa thôn.", ()),
    ("Đề nghị tư vấn sức khỏe tuổi dậy thì tại trường học.", "health", "Nhóm trẻ em gái các xã", "Sở Y tế", None,
     ()),
)


def seed_forum(year: Year) -> None:
    """The provincial children's forum: the training class before it, three delegates from each commune registered
    by their officer with both consents (the parent's and the child's own) and checked in on the day, and the
    children's recommendations with the answers given at the dialogue and their follow-up."""
    from .forum.models import (
        RELATIONS,
        CheckIn,
        Consent,
        Delegate,
        Forum,
        ForumTraining,
        Recommendation,
        RecommendationUpdate,
    )

    if year.exists(Forum, "forum:province"):
        return
    admin = year.users["admin"]
    on = year.day(5, 28)
    forum = year.made(Forum(unit_id=year.province.id, level="province", date=on, place="Hội trường Tỉnh đoàn Lào Cai",
                            theme="Trẻ em Lào Cai nói không với bạo lực và đuối nước"), "forum:province", admin, on)
    db.session.flush()
    start = max(year.start, on - timedelta(days=3))
    year.made(ForumTraining(forum_id=forum.id, unit_id=forum.unit_id, start_date=start, end_date=max(start, on -
              timedelta(days=2)), place="Trung tâm Công tác xã hội tỉnh", facilitators=12, children=30, girls=16),
              "forum:training", admin, start)
    presenters = []
    for code in year.communes:
        officer = year.officer(code)
        for child in [c for c in demo_children(year, code, (10, 14))][:3]:
            key = f"forum:delegate:{child.id}"
            delegate = year.made(Delegate(forum_id=forum.id, child_id=child.id, unit_id=child.unit_id, role="delegate",
                                          walk_in=False), key, officer, on - timedelta(days=10),
                                 age=child.age_at(on), override=False)
            signed = on - timedelta(days=9)
            parent = child.consent_relation if child.consent_relation in RELATIONS else "guardian"
            for kind, by, relation in (("guardian", child.guardian_name or child.consent_by, parent),
                                       ("child", child.full_name, "self")):
                year.made(Consent(delegate=delegate, unit_id=delegate.unit_id, kind=kind, given_by=by,
                                  relation=relation, given_on=signed, method="paper", participate=True, photos=True,
                                  press=False, recommendations=True, agencies="Sở Y tế; Sở GD&ĐT"),
                          f"{key}:{kind}", officer, signed, kind=kind)
            year.made(CheckIn(delegate=delegate, forum_id=forum.id, unit_id=delegate.unit_id),
                      f"{key}:checkin", admin, on)
            presenters.append(delegate)
    db.session.flush()
    for i, (text, topic, group, agency, answer, steps) in enumerate(RECOMMENDATIONS):
        rec = year.made(Recommendation(
            forum_id=forum.id, unit_id=forum.unit_id, text=text, topic=topic, group=group,
            presenter_id=presenters[i].id if i < len(presenters) else None,
            agency_id=getattr(year.agency(agency), "id", None), answer=answer,
            status="answered" if answer else "received", due_date=date(year.year, 12, 31)),
            f"forum:recommendation:{i}", admin, on)
        db.session.flush()
        for j, status in enumerate(steps):
            when = min(year.today, on + timedelta(days=45 * (j + 1)))
            old, rec.status = rec.status, status
            rec.version = (rec.version or 1) + 1
            year.audit("update", rec, admin, year.moment(when), changes={"status": [old, status]})
            note = "Đã khảo sát và lập dự toán." if status == "in_progress" else "Đã hoàn thành, báo cáo kết quả."
            year.made(RecommendationUpdate(recommendation_id=rec.id, unit_id=rec.unit_id, status=status, note=note,
                                           on=when, due_date=None), f"forum:recommendation:{i}:{j}", admin, when)
    year.commit()


# --- swim ----------------------------------------------------------------------------------------------------------

SWIM_LESSONS_HELD = 8  # of 16: the course is half taught


def seed_swim(year: Year) -> None:
    """A swim course at Bắc Hà's mobile pool taught by the school's teacher: twelve children of 6 to 15 enrolled,
    eight of its sixteen lessons held (the last a few days ago), attendance and the skills each child showed; and,
    once the summer is over, Mường Khương's summer course of June and July, taught to its end (the annual report
    counts to its cut-off in October: a course running now is in next year's figures)."""
    from .swim.models import SwimCourse

    if year.exists(SwimCourse, "swim:course"):
        return
    code = "02839"
    teacher = year.users.get("giaovien.bacha") or year.officer(code)
    days = [year.ago(3 * (SWIM_LESSONS_HELD - i) - 1) for i in range(SWIM_LESSONS_HELD)]
    _course(year, "swim:course", code, "Lớp học bơi an toàn Bắc Hà", "Trường PTDTBT Tiểu học Na Áng",
            "Bể bơi di động Trường PTDTBT Tiểu học Na Áng", days, 45, teacher, demo_children(year, code, (6, 15))[:12])
    if year.today >= date(year.year, 8, 15):
        code = "02761"
        days = [date(year.year, 6, 8) + timedelta(days=3 * i) for i in range(16)]
        _course(year, "swim:summer", code, "Lớp học bơi hè Mường Khương", "Trường PTDTBT THCS Lùng Vai",
                "Bể bơi di động xã Mường Khương", days, 50, year.officer(code),
                demo_children(year, code, (6, 15))[:10], keen=0.85)
    year.commit()


def _course(year: Year, key: str, code: str, name: str, school: str, place: str, days: list[date], length: int,
            teacher: User, kids: list, keen: float = 0.7) -> None:
    """A course of the commune with its lessons on `days`: attendance and the skills shown, tapped by the teacher."""
    from .swim.data import DEFAULT_TEST_DEFINITION
    from .swim.models import SwimAttendance, SwimCourse, SwimEnrolment, SwimLesson, SwimSkillShown, SwimTap
    from .swim.services import default_skills

    officer = year.officer(code)
    course = year.made(SwimCourse(
        unit_id=year.communes[code].id, name=name, school=school, place_kind="pool", place_name=place,
        start_date=days[0], end_date=days[0] + timedelta(days=length), test_definition=str(DEFAULT_TEST_DEFINITION),
        teachers=[teacher], skills=default_skills()), key, officer, days[0] - timedelta(days=5))
    db.session.flush()
    for child in kids:
        year.made(SwimEnrolment(course_id=course.id, child_id=child.id, unit_id=course.unit_id),
                  f"{key}:enrol:{child.id}", officer, days[0] - timedelta(days=2))
    skills = sorted(course.skills, key=lambda s: s.position)
    reached = {child.id: 0 for child in kids}  # how far up the ladder each child has come
    prefix = "swim" if key == "swim:course" else key  # the first course's taps keep their keys
    for number, day in enumerate(days, start=1):
        lesson = SwimLesson(course_id=course.id, number=number, date=day, unit_id=course.unit_id)
        lesson.created_at = lesson.updated_at = year.moment(day)
        db.session.add(lesson)
        db.session.flush()
        for k, child in enumerate(kids):
            if year.rng.random() < 0.12:  # absent
                continue
            db.session.add(SwimAttendance(lesson_id=lesson.id, child_id=child.id))
            _tap(year, SwimTap(unit_id=course.unit_id, lesson_id=lesson.id, child_id=child.id, what="present",
                               value=True), f"{prefix}:{number}:{child.id}:present", teacher, day)
            if reached[child.id] < len(skills) and year.rng.random() < keen - k * 0.04:
                skill = skills[reached[child.id]]
                reached[child.id] += 1
                db.session.add(SwimSkillShown(lesson_id=lesson.id, child_id=child.id, skill_id=skill.id))
                _tap(year, SwimTap(unit_id=course.unit_id, lesson_id=lesson.id, child_id=child.id, what="skill",
                                   skill_id=skill.id, value=True), f"{prefix}:{number}:{child.id}:{skill.id}", teacher,
                     day)


def _tap(year: Year, tap, key: str, user: User, day: date) -> None:
    """A tap as `swim.services.record_tap` saves it (client_id, author, audited)."""
    year.made(tap, key, user, day)


# --- reports -------------------------------------------------------------------------------------------------------

def report_period(year: Year):
    """The 6-month period whose report the demo shows sent: this year's once due, else the latest one due."""
    from .plans.models import ReportPeriod

    periods = db.session.scalars(select(ReportPeriod).join(Plan).where(Plan.unit_id == year.province.id)).all()
    due = [p for p in periods if p.due_date < year.today]
    halves = [p for p in due if p.code == "half_year" and p.plan.year == year.year]
    return halves[0] if halves else max(due, key=lambda p: p.due_date, default=None)


def seed_reports(year: Year) -> None:
    """Mường Khương sent its 6-month report three days before the due date and the province accepted it; Bắc Hà
    sent its report a week late (waiting for review); Sa Pa has not sent it (late on the calendar)."""
    from .reports.models import ACCEPTED, SUBMITTED, Report
    from .reports.services import issuing_body, place_name

    period = report_period(year)
    if period is None or year.exists(Report, "report:02761"):
        return
    admin = year.users["admin"]
    for code, shift, accepted in (("02761", -3, True), ("02839", 7, False)):
        commune, officer = year.communes[code], year.officer(code)
        sent = min(year.today, period.due_date + timedelta(days=shift))
        written = sent - timedelta(days=2)
        report = year.made(Report(
            period_id=period.id, unit_id=commune.id, status="draft", number=f"{12 + shift:02d}/BC-UBND",
            place=place_name(commune), report_date=sent,
            results="Các thôn, bản đã tổ chức truyền thông về phòng chống bạo lực, xâm hại và đuối nước trẻ em; "
                    "trao quà Tết cho trẻ em có hoàn cảnh khó khăn.",
            shortcomings="Một số hoạt động ghi nhận chưa đủ thông tin, đang bổ sung.",
            proposals="Đề nghị tỉnh hỗ trợ lắp đặt bể bơi di động cho các điểm trường.",
            recipients=f"- {issuing_body(year.province)};\n- Lưu: VT.", signer_title="TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH",
            signer_name=year.person("08", "M", unique=False)), f"report:{code}", officer, written)
        moment = year.moment(sent)
        report.status, report.submitted_at, report.submitted_by_id = SUBMITTED, moment, officer.id
        report.first_submitted_at = moment
        report.version = (report.version or 1) + 1
        year.audit("update", report, officer, moment, changes={"status": ["draft", SUBMITTED]})
        if accepted:
            reviewed = year.moment(min(year.today, sent + timedelta(days=4)))
            report.status, report.reviewed_at, report.reviewed_by_id = ACCEPTED, reviewed, admin.id
            report.version = (report.version or 1) + 1
            year.audit("update", report, admin, reviewed, changes={"status": [SUBMITTED, ACCEPTED]})
    year.commit()


# --- figures an officer enters -------------------------------------------------------------------------------------

ENTERED = {  # goal: value in the goal's unit (hundredths of a percent; T10 done 1 / not yet 0), for the province
    "T1": 362, "T2": 9850, "T3": 10000, "T4": 9950, "T5": 10000, "T8": 9400, "T9": 9870, "T10": 0, "T11": 9500,
}
ENTERED_SOURCE = "Số liệu minh họa của bản demo (không phải số liệu thật)"


def seed_entered_values(year: Year) -> None:
    """The goals no record measures (T1–T5, T8–T11; T14 is said in words) entered with their source for each
    period of the year that has begun: the province's by its administrator, each commune's by its officer (a
    little off the province's figures), so that every dashboard shows them."""
    from .plans.models import Target
    from .reports.models import EnteredValue

    if year.exists(EnteredValue, "entered:first"):
        return
    kinds = {t.code: t.kind for t in db.session.scalars(select(Target).where(Target.plan_id == year.plan.id))}
    units = [(year.province, year.users["admin"], 0)] + [
        (commune, year.officer(code), i + 1) for i, (code, commune) in enumerate(year.communes.items())]
    first = True
    for period in year.plan.periods:
        if period.start_date > year.today:
            continue
        for unit, author, shift in units:
            for goal, value in ENTERED.items():
                if goal not in kinds:
                    continue
                if shift and kinds[goal] == "percent":
                    value = min(10000, value + 50 * year.rng.randint(-6, 3))  # typed to half a percent
                elif shift and goal == "T10":
                    value = 1 if shift == 1 else 0  # one commune's child database is complete
                key = "entered:first" if first else f"entered:{period.code}:{unit.id}:{goal}"
                first = False
                year.made(EnteredValue(period_id=period.id, unit_id=unit.id, goal=goal, value=max(0, value),
                                       source=ENTERED_SOURCE), key, author, min(year.today, period.end_date),
                          goal=goal)
    year.commit()


# The demo communes' children aged 6 to 15 (the denominator of T6 and T7), at the demo's scale, made up.
POPULATION = {"02761": 60, "02839": 30, "03006": 45}
RECOGNISED = {"02761": "huyện Mường Khương", "02839": "huyện Bắc Hà"}  # the communes whose self-assessment meets


def seed_population(year: Year) -> None:
    """Each demo commune's children aged 6 to 15 for the plan's year, entered by its officer with the source: the
    province's shares (T6, T7) are then computed over the communes that have a figure."""
    from .reports.models import PopulationFigure

    if year.exists(PopulationFigure, "population:first"):
        return
    for i, (code, children) in enumerate(POPULATION.items()):
        year.made(PopulationFigure(unit_id=year.communes[code].id, year=year.year, children_6_15=children,
                                   source=ENTERED_SOURCE),
                  "population:first" if i == 0 else f"population:{code}", year.officer(code), year.day(1, 20))
    year.commit()


def seed_recognitions(year: Year) -> None:
    """The decisions recognising two demo communes as child-friendly (T12), taken in December of the year before:
    by the district's chairman before 01/7/2025, by the province's since."""
    from .reports.models import Recognition

    if year.exists(Recognition, "recognition:first"):
        return
    decided = date(year.year - 1, 12, 15)
    by_province = decided >= date(2025, 7, 1)
    for i, (code, district) in enumerate(RECOGNISED.items()):
        body = "Chủ tịch UBND tỉnh Lào Cai" if by_province else f"Chủ tịch UBND {district}"
        year.made(Recognition(unit_id=year.communes[code].id, decision_number=f"{year.rng.randint(1000, 3999)}/QĐ-UBND",
                              decided_on=decided, deciding_level="province" if by_province else "district",
                              deciding_body=body, note=ENTERED_SOURCE),
                  "recognition:first" if i == 0 else f"recognition:{code}", year.users["admin"], year.day(1, 10))
    year.commit()


def seed_concerns(year: Year) -> None:
    """Reports about children (Báo tin về trẻ em) in each demo commune, made as the feature makes them: one of
    violence taken through every step and closed, one of child labour with its plan approved, and one received an
    hour ago of a child in danger, waiting on the officer's home with its 12-hour clock. Described in words only,
    as a village head reports without the register."""
    from .concerns.models import Concern, ConcernStep
    from .concerns.services import apply_step

    if year.exists(Concern, "concern:first"):
        return
    first = True
    for code, commune in year.communes.items():
        officer, reporters = year.officer(code), year.collectors(code) or [year.officer(code)]
        village = year.villages[code][0] if year.villages[code] else None
        for n, (kind, days, steps) in enumerate((("violence", 200, ("verify", "assess", "plan", "carry_out", "review")),
                                                 ("labour", 150, ("verify", "assess", "plan")),
                                                 ("neglect", 0, ()))):
            reporter = reporters[n % len(reporters)]
            received = year.moment(year.ago(days)) if days else clock.now() - timedelta(hours=1)
            sex = "F" if n % 2 == 0 else "M"
            concern = Concern(
                unit_id=commune.id, village_id=village.id if village else None, kind=kind, in_danger=n != 1,
                what={"violence": "Trẻ bị bố đánh nhiều lần, trên tay có vết bầm.",
                      "labour": "Trẻ nghỉ học, đi làm thuê ở xưởng gỗ cả ngày.",
                      "neglect": "Trẻ ở nhà một mình nhiều ngày, bố mẹ đi làm xa."}[kind],
                child_description=f"{'Bé gái' if sex == 'F' else 'Bé trai'} khoảng {9 + n} tuổi, ở cuối thôn",
                happened_on=clock.local_date(received), reporter_name=reporter.full_name,
                reporter_contact=FAKE_PHONE.format(400 + n), received_at=received, status="received", version=1)
            key = "concern:first" if first else f"concern:{code}:{n}"
            first = False
            year.made(concern, key, reporter, clock.local_date(received), kind=kind, in_danger=concern.in_danger)
            concern.created_at = concern.updated_at = received
            at = received
            for i, name in enumerate(steps):
                at = at + (timedelta(hours=2) if name in ("verify", "assess") else timedelta(days=3 + i))
                if at > clock.now():
                    break
                step = ConcernStep(concern=concern, unit_id=commune.id, step=name, done_at=at,
                                   done_by=officer.full_name,
                                   outcome={"verify": "true", "review": "close"}.get(name),
                                   risk="high" if name == "assess" else None,
                                   harm="moderate" if name == "assess" else None,
                                   emergency=(kind == "violence") if name == "assess" else None,
                                   emergency_at=at if name == "assess" and kind == "violence" else None,
                                   text={"assess": "Tạm thời đưa trẻ về ở với bà ngoại.",
                                         "plan": "Hội Phụ nữ thăm gia đình hằng tuần; nhà trường theo dõi.",
                                         "carry_out": "Đã thăm gia đình 4 lần.",
                                         "review": "Trẻ đã an toàn, đi học đều."}.get(name),
                                   due_on=clock.local_date(at) + timedelta(days=30) if name == "plan" else None,
                                   approved_by="Chủ tịch UBND xã" if name == "plan" else None,
                                   approved_on=clock.local_date(at) if name == "plan" else None)
                year.made(step, f"concern:{code}:{n}:{name}", officer, clock.local_date(at), step=name)
                step.created_at = step.updated_at = at
                apply_step(concern, step)
    year.commit()


STEPS = [seed_children, seed_population, seed_recognitions, seed_activities, seed_gifts, seed_fund, seed_forum,
         seed_swim, seed_concerns, seed_reports, seed_entered_values]


def demo_year(province: Unit) -> Year | None:
    """The demo's places, people and this year's plan; None when they are not all there (another province)."""
    from .demo import COMMUNES, USERS

    today = clock.today()
    plan = db.session.scalar(select(Plan).where(Plan.unit_id == province.id, Plan.year == today.year))
    communes = {u.code: u for u in db.session.scalars(select(Unit).where(Unit.code.in_(list(COMMUNES))))}
    users = {u.username: u for u in db.session.scalars(select(User).where(User.username.in_([u[0] for u in USERS])))}
    if plan is None or len(communes) != len(COMMUNES) or "admin" not in users:
        return None
    villages = {code: [v for name in names for v in db.session.scalars(
        select(Unit).where(Unit.parent_id == communes[code].id, Unit.name == name))]
        for code, names in COMMUNES.items()}
    return Year(province, communes, villages, users, plan, today)


def seed_demo_year(province: Unit) -> None:
    """Run every step once (a step that finds its records adds nothing)."""
    year = demo_year(province)
    if year is None:
        return
    with current_app.test_request_context():  # the forms and messages of the features want a request's locale
        for step in STEPS:
            year.rng.seed(f"{SEED}:{step.__name__}")
            step(year)
