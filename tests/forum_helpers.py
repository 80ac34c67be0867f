"""Steps of the forum as its users take them, shared by the forum's tests."""

import re
from datetime import date, timedelta

from webapp.core import clock

FORUM_DAY = clock.today() + timedelta(days=10)


def _png() -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (60, 40), "#c8a060").save(out, "PNG")
    return out.getvalue()


PNG = _png()  # a small real image: every upload is decoded and encoded again as a JPEG (core.images)


def born(age: int, on: date = FORUM_DAY) -> str:
    """A date of birth that makes a child exactly `age` on the day `on`."""
    return date(on.year - age, 1, 1).isoformat()


def last_id(response, pattern: str) -> int:
    return int(re.search(pattern, response.headers["Location"]).group(1))


def plan_forum(client, unit_id: int, day: date = FORUM_DAY, level: str = "commune") -> int:
    response = client.submit("/forum/new", {"level": level, "unit_id": str(unit_id), "date": day.isoformat(),
                                            "place": "Nhà văn hoá xã", "theme": "Trẻ em nói, người lớn nghe"})
    assert response.status_code == 303, response.get_data(as_text=True)
    return last_id(response, r"/forum/(\d+)$")


def register_child(client, village_id: int, name: str, age: int, sex: str = "F", ethnicity: str = "08") -> int:
    response = client.submit("/children/new", {"full_name": name, "birth_date": born(age), "birth_year": "",
                                                "sex": sex, "ethnicity": ethnicity, "village_id": str(village_id),
                                                "guardian_name": "Người Giám Hộ", "not_duplicate": "y",
                                                "consent_by": "Người Giám Hộ", "consent_relation": "guardian",
                                                "consent_method": "paper", "consent_child": "y",
                                                "consent_on": clock.today().isoformat()})
    assert response.status_code == 303, response.get_data(as_text=True)
    return last_id(response, r"/children/(\d+)$")


def add_delegate(client, forum_id: int, child_id: int, **data):
    return client.submit(f"/forum/{forum_id}/delegates/add?child={child_id}", {"role": "delegate", **data})


def delegate_id(client, forum_id: int, child_id: int, **data) -> int:
    response = add_delegate(client, forum_id, child_id, **data)
    assert response.status_code == 303, response.get_data(as_text=True)
    return last_id(response, r"/forum/delegates/(\d+)$")


def give_consent(client, delegate: int, kind: str, purposes=("participate",), **data):
    fields = {"kind": kind, "given_by": "Vừ Thị Mai" if kind == "child" else "Vừ A Páo",
              "relation": "self" if kind == "child" else "father", "given_on": clock.today().isoformat(),
              "method": "in_person", "agencies": "", **{p: "y" for p in purposes}}
    fields.update(data)
    return client.submit(f"/forum/delegates/{delegate}", fields, action=f"/forum/delegates/{delegate}/consents")


def both_consents(client, delegate: int, purposes=("participate",)) -> None:
    for kind in ("guardian", "child"):
        assert give_consent(client, delegate, kind, purposes).status_code == 303


def row_fields(client, forum_id: int, delegate: int) -> dict:
    """The hidden fields of one delegate's row on the check-in list (each row has its own client_id)."""
    from tests.conftest import hidden_fields

    page = client.get(f"/forum/{forum_id}/checkin").get_data(as_text=True)
    row = re.search(rf'<li id="d{delegate}">(.*?)</li>', page, re.S)
    assert row, f"delegate {delegate} is not on the check-in list"
    return hidden_fields(row.group(1))


def tap(client, forum_id: int, fields: dict):
    """One tap on a name, as htmx sends it."""
    return client.post(f"/forum/{forum_id}/checkin", data=fields,
                       headers={"HX-Request": "true", "HX-Request-Type": "partial"})


def forum_with_delegates(client, unit_id: int, village_id: int, names, day: date = FORUM_DAY) -> int:
    """A commune forum with a delegate of `village_id` for each name, each with the consents of the child and a
    parent; made through the forms by the signed-in officer. Returns the forum's id."""
    forum_id = plan_forum(client, unit_id, day)
    for name in names:
        both_consents(client, delegate_id(client, forum_id, register_child(client, village_id, name, 12)))
    return forum_id
