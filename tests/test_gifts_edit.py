"""Correcting a distribution and adding recipients later: the second-receipt flag applies as on create, a change of
round moves the receipts, totals, the sign-off sheet and the fund's spending follow, a stale edit is kept as a
conflict, and the same refusals as everywhere."""

import re

import pytest
from sqlalchemy import select

from tests import test_gifts_distributions as base
from tests.conftest import hidden_fields
from tests.test_gifts_distributions import dist_id, gift, record
from webapp.core.audit import AuditLog
from webapp.core.edits import EditConflict
from webapp.extensions import db
from webapp.gifts.models import Distribution, Receipt

kids = base.kids  # the same children of villages A and B as the distribution tests


def edit_data(places, children=(), **overrides) -> dict:
    data = gift(places, children, **overrides)
    data.pop("client_id", None)
    return data


def figure(page: str, key: str) -> int:
    return int(re.search(rf'id="{key}">(?:<strong>)?([\d.]+)\u00a0₫', page).group(1).replace(".", ""))


def test_correcting_and_adding_recipients_keeps_totals_sheet_and_fund_together(login_as, client, places, kids,
                                                                               app):
    login_as("officer_A")
    commune = places["A"].id
    client.submit(f"/fund/donations/new?unit={commune}", {
        "donor_name": "Công ty Cổ phần Apatit", "donor_kind": "organisation", "form": "cash", "value": "10.000.000",
        "status": "received", "given_on": "2023-06-01"})
    d = dist_id(record(client, places, [kids["an"]]))  # 150.000 from commune A's fund
    fund = client.get(f"/fund/?unit={commune}&year=2023").get_data(as_text=True)
    assert figure(fund, "spent") == 150_000 and figure(fund, "balance") == 9_850_000
    form = client.get(f"/gifts/{d}/edit").get_data(as_text=True)
    assert 'value="Bánh trung thu và đèn ông sao"' in form and "trong lần trao quà này" in form
    assert f'name="children" value="{kids["an"]}"' not in form  # already in: shown ticked, not sent again
    response = client.submit(f"/gifts/{d}/edit", edit_data(places, [kids["mai"], kids["pao"], kids["hoa"]],
                                                            item="Bánh nướng", value_each="200.000",
                                                            group_count="2", group_note="Lớp mẫu giáo"))
    assert response.status_code == 303 and response.headers["Location"] == f"/gifts/{d}"
    with app.app_context():
        distribution = db.session.get(Distribution, d)
        assert distribution.item == "Bánh nướng" and distribution.version == 2
        assert sorted(r.child_id for r in distribution.receipts) == sorted([kids["an"], kids["mai"], kids["pao"]])
        assert distribution.recipients == 5 and distribution.total == 1_000_000  # Hoa, of village B, not slipped in
        update = db.session.scalar(select(AuditLog).where(AuditLog.action == "update"))
        assert update.detail_dict["changes"]["item"] == ["Bánh trung thu và đèn ông sao", "Bánh nướng"]
        assert update.detail_dict["changes"]["recipients"] == [1, 3]
    assert "1.000.000\u00a0₫" in client.get(f"/gifts/{d}").get_data(as_text=True)
    sheet = client.get(f"/gifts/{d}/sheet").get_data(as_text=True)
    assert sheet.count("Bánh nướng</td><td>200.000\u00a0₫") == 3 and "Sùng Seo Páo" in sheet
    assert "1.000.000\u00a0₫" in sheet
    fund = client.get(f"/fund/?unit={commune}&year=2023").get_data(as_text=True)
    assert figure(fund, "spent") == 1_000_000 and figure(fund, "balance") == 9_000_000
    totals = client.get("/gifts/totals?year=2023").get_data(as_text=True)
    assert re.search(r'id="grand">1\.000\.000\u00a0₫', totals)
    # paid by a donor instead: the fund's spending gives it back
    client.submit(f"/gifts/{d}/edit", edit_data(places, item="Bánh nướng", value_each="200.000", group_count="2",
                                                source="donor", donor_name="Công ty Cổ phần Apatit"))
    fund = client.get(f"/fund/?unit={commune}&year=2023").get_data(as_text=True)
    assert figure(fund, "spent") == 0 and figure(fund, "balance") == 10_000_000


def test_a_second_receipt_added_later_is_flagged_and_a_change_of_round_moves_receipts(login_as, client, places,
                                                                                      kids, app):
    login_as("village_head_A")
    first = dist_id(record(client, places, [kids["an"]]))
    second = dist_id(record(client, places, [kids["mai"]], item="Đèn lồng"))
    form = client.get(f"/gifts/{second}/edit").get_data(as_text=True)
    assert "đã nhận quà trong dịp này" in form  # An, who received in the first
    client.submit(f"/gifts/{second}/edit", edit_data(places, [kids["an"]], item="Đèn lồng"))

    def an_receipts():
        with app.app_context():
            return [(r.distribution_id, r.occasion, r.first_in_round, r.flagged) for r in db.session.scalars(
                select(Receipt).where(Receipt.child_id == kids["an"]).order_by(Receipt.id))]

    assert an_receipts() == [(first, "mid_autumn", True, False), (second, "mid_autumn", None, True)]
    # the first one was really given at 1 June: it leaves the round, and An's other receipt is alone there now
    client.submit(f"/gifts/{first}/edit", edit_data(places, occasion="children_day", given_on="2023-06-01"))
    assert an_receipts() == [(first, "children_day", True, False), (second, "mid_autumn", True, False)]
    # and moved back, it is the second in the round, flagged
    client.submit(f"/gifts/{first}/edit", edit_data(places, occasion="mid_autumn"))
    assert an_receipts() == [(first, "mid_autumn", None, True), (second, "mid_autumn", True, False)]


def test_an_edit_on_an_older_version_is_kept_as_a_conflict(login_as, client, places, kids, users, new_client, app,
                                                           count):
    login_as("officer_A")
    d = dist_id(record(client, places, [kids["an"]]))
    other = new_client()
    other.login(users["village_head_A"].username)
    stale = {**hidden_fields(other.get(f"/gifts/{d}/edit").get_data(as_text=True)),
             **edit_data(places, [kids["pao"]], item="Đèn ông sao")}
    client.submit(f"/gifts/{d}/edit", edit_data(places, item="Bánh dẻo"))
    answer = other.post(f"/gifts/{d}/edit", data=stale)
    assert answer.status_code == 303 and answer.headers["Location"] == "/conflicts"
    with app.app_context():
        distribution = db.session.get(Distribution, d)
        assert distribution.item == "Bánh dẻo" and len(distribution.receipts) == 1
        conflict_id = db.session.scalar(select(EditConflict.id))
    page = other.get("/conflicts").get_data(as_text=True)
    assert "Bánh dẻo" in page and "Đèn ông sao" in page
    other.post(f"/conflicts/{conflict_id}", data={"csrf_token": other.get("/csrf").get_json()["token"],
                                                  "choice": "mine"})
    with app.app_context():
        distribution = db.session.get(Distribution, d)
        assert distribution.item == "Đèn ông sao" and len(distribution.receipts) == 2


@pytest.mark.parametrize("role, status", [("viewer", 403), ("officer_B", 404), ("collector_B", 404),
                                          ("collector_A", 200), ("admin", 200)])
def test_who_may_correct_a_distribution_of_commune_a(role, status, login_as, client, places, kids, users):
    login_as("officer_A")
    d = dist_id(record(client, places, [kids["an"]]))
    client.logout()
    client.login(users[role].username)
    assert client.get(f"/gifts/{d}/edit").status_code == status
    token = client.csrf_token()
    if status != 200:
        assert client.post(f"/gifts/{d}/edit", data={"csrf_token": token, "item": "x"}).status_code == status


def test_bad_input_is_refused_keeping_what_was_typed(login_as, client, places, kids, app):
    login_as("officer_A")
    d = dist_id(record(client, places, [], group_count="10"))
    response = client.submit(f"/gifts/{d}/edit", edit_data(places, [kids["mai"]], item="Áo ấm",
                                                            value_each="hai trăm", group_count="0"))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="value_each-error"' in page and 'value="hai trăm"' in page and 'value="Áo ấm"' in page
    assert f'value="{kids["mai"]}" checked' in page
    # nothing ticked and the group emptied: nobody would have received
    response = client.submit(f"/gifts/{d}/edit", edit_data(places, group_count="0"))
    assert response.status_code == 422 and 'id="group_count-error"' in response.get_data(as_text=True)
    with app.app_context():
        distribution = db.session.get(Distribution, d)
        assert distribution.group_count == 10 and distribution.version == 1 and not distribution.receipts
