"""The child protection fund: donations (cash, in kind, pledged, received), spending and distributions it paid,
the balance, progress against the year's target, donors with their totals, the thank-you receipt, privacy."""

import re

import pytest
from sqlalchemy import select

from webapp.extensions import db
from webapp.fund.models import Donation


def donate(client, unit_id, **overrides):
    data = {"donor_name": "Công ty Cổ phần Apatit Việt Nam", "donor_kind": "organisation", "form": "cash",
            "value": "500.000.000", "status": "received", "given_on": "2023-06-01", "receipt_no": "BL-0012"}
    data.update(overrides)
    return client.submit(f"/fund/donations/new?unit={unit_id}", data)


def figure(page: str, key: str) -> int:
    return int(re.search(rf'id="{key}">(?:<strong>)?([\d.]+)\u00a0₫', page).group(1).replace(".", ""))


def test_balance_and_progress_against_the_provinces_target(login_as, client, places, app):
    login_as("admin")
    province = places["province"].id
    client.submit(f"/fund/?unit={province}&year=2023",
                  {"year": "2023", "amount": "1.000.000.000", "plan_target_ref": "T13"},
                  action=f"/fund/target?unit={province}")
    donate(client, province)
    donate(client, province, donor_name="Nguyễn Văn Hùng", donor_kind="person", value="200000000", receipt_no="")
    donate(client, province, donor_name="Ngân hàng Agribank", value="300.000.000", status="pledged")
    donate(client, province, donor_name="nguyen van hung", donor_kind="person", form="in_kind",
           item="500 bộ sách giáo khoa", value="50.000.000", given_on="2023-09-01")
    client.submit(f"/fund/spending/new?unit={province}", {"purpose": "Hỗ trợ trẻ mồ côi", "amount": "40.000.000",
                                                          "spent_on": "2023-07-01"})
    page = client.get(f"/fund/?unit={province}&year=2023").get_data(as_text=True)
    assert figure(page, "received") == 750_000_000
    assert figure(page, "pledged") == 300_000_000
    assert figure(page, "spent") == 40_000_000
    assert figure(page, "balance") == 710_000_000
    assert "1.000.000.000\u00a0₫ · 75%" in page
    donors = client.get(f"/fund/donors?unit={province}").get_data(as_text=True)
    # the same donor written with and without accents is one donor
    # (its count of donations under its name: two sums of money, each kept whole with its ₫, fill a phone's width)
    assert re.search(r"(Nguyễn Văn Hùng|nguyen van hung)<span class=\"muted\">Các khoản ủng hộ: 2</span></td>"
                     r"<td>250\.000\.000\u00a0₫", donors)


def test_a_distribution_paid_by_the_fund_moves_its_balance(login_as, client, places, make_child):
    login_as("officer_A")
    commune = places["A"].id
    donate(client, commune, value="10.000.000")
    ids = [make_child(name, birth_year=2015) for name in ("Vàng Thị Dung", "Sùng A Tủa")]
    client.submit(f"/gifts/new?village={places['village_A'].id}&occasion=mid_autumn&year=2023",
                  {"occasion": "mid_autumn", "year": "2023", "kind": "cash", "item": "Tiền mặt", "value_each": "300000",
                   "source": "fund", "source_unit_id": str(commune), "given_on": "2023-09-28", "group_count": "0",
                   "children": [str(i) for i in ids]})
    page = client.get(f"/fund/?unit={commune}&year=2023").get_data(as_text=True)
    assert figure(page, "spent") == 600_000 and figure(page, "balance") == 9_400_000
    assert "Tiền mặt" in page[page.index('id="spending"'):]


def test_thank_you_receipt_names_the_donor_and_the_value(login_as, client, places):
    login_as("admin")
    donate(client, places["province"].id)
    with client.application.app_context():
        donation_id = db.session.scalar(select(Donation.id))
    page = client.get(f"/fund/donations/{donation_id}/receipt").get_data(as_text=True)
    assert "Công ty Cổ phần Apatit Việt Nam" in page and "500.000.000\u00a0₫" in page and "BL-0012" in page
    assert "Quỹ Bảo trợ trẻ em Lào Cai trân trọng cảm ơn" in page


def test_bad_donation_is_refused_next_to_the_fields_keeping_what_was_typed(login_as, client, places, count):
    login_as("admin")
    response = donate(client, places["province"].id, value="năm triệu", form="in_kind", item="")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="value-error"' in page and 'id="item-error"' in page and 'value="năm triệu"' in page
    assert count(Donation) == 0


def test_a_replayed_donation_is_saved_once(login_as, client, places, count):
    from tests.conftest import hidden_fields

    login_as("admin")
    url = f"/fund/donations/new?unit={places['province'].id}"
    fields = {**hidden_fields(client.get(url).get_data(as_text=True)), "donor_name": "Bà Lý Thị Lan",
              "donor_kind": "person", "form": "cash", "value": "1000000", "status": "received",
              "given_on": "2023-06-01"}
    client.post(url, data=fields)
    client.post(url, data=fields)
    assert count(Donation) == 1


def test_viewer_sees_totals_but_not_donor_names(login_as, client, places, users):
    login_as("admin")
    donate(client, places["province"].id, donor_name="Nguyễn Văn Hùng", donor_kind="person")
    client.logout()
    client.login(users["viewer"].username)
    page = client.get("/fund/?year=2023")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "500.000.000\u00a0₫" in html and "Nguyễn Văn Hùng" not in html
    assert client.get("/fund/donors").status_code == 403
    assert client.get("/fund/donations/new").status_code == 403


@pytest.mark.parametrize("role, status", [("officer_B", 404), ("officer_A", 200), ("collector_A", 403)])
def test_a_commune_fund_is_open_to_its_own_officers_only(role, status, login_as, client, places):
    login_as(role)
    assert client.get(f"/fund/?unit={places['A'].id}").status_code == status


def test_the_plans_t13_becomes_the_provinces_fund_target_and_an_admin_may_change_it(app, login_as, client, places,
                                                                                      count):
    """Loading the 2023 plan gives the province's fund its 2023 target (T13: at least 1 tỷ đồng), copying the plan
    gives next year's; an admin's own figure is kept when the plan is loaded again."""
    from webapp.fund.models import FundTarget
    from webapp.plans.models import Plan

    assert app.test_cli_runner().invoke(args=["load-plan-2023"]).exit_code == 0
    province = places["province"].id
    with app.app_context():
        target = db.session.scalar(select(FundTarget))
        assert (target.unit_id, target.year, target.amount, target.plan_target_ref) == \
            (province, 2023, 1_000_000_000, "T13")
        plan_id = db.session.scalar(select(Plan.id))
    login_as("admin")
    donate(client, province, value="250.000.000")
    page = client.get(f"/fund/?unit={province}&year=2023").get_data(as_text=True)
    assert "1.000.000.000\u00a0₫ · 25%" in page and "chỉ tiêu T13 của kế hoạch" in page
    client.submit(f"/fund/?unit={province}&year=2023", {"year": "2023", "amount": "1.250.000.000"},
                  action=f"/fund/target?unit={province}")
    app.test_cli_runner().invoke(args=["load-plan-2023"])
    page = client.get(f"/fund/?unit={province}&year=2023").get_data(as_text=True)
    assert "1.250.000.000\u00a0₫ · 20%" in page
    assert count(FundTarget) == 1
    assert client.submit(f"/plans/{plan_id}", action=f"/plans/{plan_id}/copy").status_code == 303
    with app.app_context():
        copied = db.session.scalar(select(FundTarget).where(FundTarget.year == 2024))
        assert (copied.unit_id, copied.amount, copied.plan_target_ref) == (province, 1_000_000_000, "T13")


def test_money_received_or_spent_after_today_is_refused_as_in_the_future(login_as, client, places, count,
                                                                         vietnam_time):
    """Issue 15 item 9: a donation or a spending records what happened; tomorrow (in Vietnam) is in the future."""
    vietnam_time(2023, 6, 1, 8, 0)
    login_as("officer_A")
    unit = places["A"].id
    response = donate(client, unit, given_on="2023-06-02")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert re.search(r'id="given_on-error"[^>]*>Ngày không được sau hôm nay\.<', page)
    assert 'value="2023-06-02"' in page and "Công ty Cổ phần Apatit Việt Nam" in page
    response = client.submit(f"/fund/spending/new?unit={unit}", {"purpose": "Hỗ trợ trẻ mồ côi",
                                                                "amount": "40.000.000", "spent_on": "2024-01-10"})
    assert response.status_code == 422
    assert re.search(r'id="spent_on-error"[^>]*>Ngày không được sau hôm nay\.<', response.get_data(as_text=True))
    assert count(Donation) == 0
    assert donate(client, unit, given_on="2023-06-01").status_code == 303
