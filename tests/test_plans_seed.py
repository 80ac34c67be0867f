"""The 2023 Lào Cai plan, as `sotay load-plan-2023` and `sotay seed` load it, matches the seed summary figure by
figure and is spelt with the summary's diacritics."""

import re
import unicodedata
from pathlib import Path

import pytest
from sqlalchemy import select

from webapp.core import clock
from webapp.extensions import db

SUMMARY = Path(__file__).resolve().parents[1].parent / "shared" / "seed" / "plan-2023-summary.md"

# What the summary's table of targets says, figure by figure (percentages in hundredths of a percent).
EXPECTED = {
    "T1": ("percent", "at_most", 350, 370), "T2": ("percent", "at_least", 10000, None),
    "T3": ("percent", "at_least", 10000, None), "T4": ("percent", "at_least", 10000, None),
    "T5": ("percent", "at_least", 10000, None), "T6": ("percent", "at_least", 9300, None),
    "T7": ("percent", "rising", None, None), "T8": ("percent", "at_least", 9300, None),
    "T9": ("percent", "at_least", 10000, None), "T10": ("done", "at_least", 1, None),
    "T11": ("percent", "at_least", 10000, None), "T12": ("percent", "at_least", 10000, None),
    "T13": ("money", "at_least", 1_000_000_000, None), "T14": ("qualitative", "none", None, None),
}


# The summary's texts, kept here too so that the test runs where the shared folder is not at hand.
TEXTS = {
    "T1": "Giảm tỷ lệ trẻ em có hoàn cảnh đặc biệt",
    "T2": "Trẻ em có hoàn cảnh đặc biệt được trợ giúp, chăm sóc",
    "T3": "Trẻ em bị bạo lực, xâm hại được kịp thời phát hiện, can thiệp, trợ giúp",
    "T4": "Cơ quan, đơn vị, doanh nghiệp, cơ sở sản xuất kinh doanh trên địa bàn không sử dụng lao động trẻ em",
    "T5": "Trẻ em lao động trái quy định được phát hiện, can thiệp, hỗ trợ kịp thời",
    "T6": "Trẻ em trong và ngoài trường học được hướng dẫn và biết kỹ năng phòng, chống tai nạn thương tích, "
          "đặc biệt đuối nước",
    "T7": "Tỷ lệ trẻ em được học bơi, biết bơi, có kỹ năng tự cứu đuối",
    "T8": "Hộ gia đình, nhà trường, cộng đồng và trẻ em được tuyên truyền về phòng, chống tai nạn, thương tích, "
          "đuối nước",
    "T9": "Trẻ em dưới 6 tuổi được khám, chữa bệnh miễn phí tại cơ sở y tế công lập",
    "T10": "Hoàn thành hệ thống cơ sở dữ liệu trẻ em các cấp",
    "T11": "Cán bộ làm công tác bảo vệ, chăm sóc trẻ em cấp xã được tập huấn, bồi dưỡng",
    "T12": "Xã, phường, thị trấn đạt tiêu chuẩn phù hợp với trẻ em",
    "T13": "Quỹ Bảo trợ trẻ em cấp tỉnh vận động được",
    "T14": "Quỹ Bảo trợ trẻ em cấp huyện, cấp xã hoạt động hiệu quả",
}


def summary_targets() -> dict[str, str]:
    """{code: Vietnamese text} from the summary's table when the shared folder is at hand, else the copy above."""
    if not SUMMARY.exists():
        return TEXTS
    text = SUMMARY.read_text(encoding="utf-8")
    found = {m[1]: m[2].strip() for m in re.finditer(r"^\| (T\d+) \| (.+?) \| .+ \|$", text, re.M)}
    assert found == TEXTS
    return found


@pytest.fixture
def loaded(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["load-plan-2023"])
    assert result.exit_code == 0, result.output
    return result


def _plan(app):
    from webapp.plans.models import Plan

    return db.session.scalar(select(Plan).where(Plan.year == 2023))


def test_targets_match_the_summary_figure_by_figure(app, loaded):
    with app.app_context():
        plan = _plan(app)
        got = {t.code: (t.kind, t.direction, t.figure, t.baseline) for t in plan.targets}
        assert got == EXPECTED
        assert [t.code for t in plan.targets] == [f"T{i}" for i in range(1, 15)]
        t1 = plan.targets[0]
        assert t1.baseline_year == 2022


def test_target_texts_are_the_summarys_with_diacritics(app, loaded):
    expected = summary_targets()
    assert len(expected) == 14
    with app.app_context():
        for target in _plan(app).targets:
            assert target.text_vi == expected[target.code]
            assert unicodedata.is_normalized("NFC", target.text_vi)
            assert target.text_en


def test_plan_facts_periods_and_agencies(app, loaded):
    from datetime import date

    with app.app_context():
        plan = _plan(app)
        assert plan.title == "Kế hoạch triển khai thực hiện công tác bảo vệ, chăm sóc trẻ em tỉnh Lào Cai năm 2023"
        assert plan.issuing_agency.name == "Ủy ban nhân dân tỉnh Lào Cai"
        assert plan.lead_agency.name == "Sở Lao động – Thương binh và Xã hội"
        assert plan.provincial_hotline == "1800 1136"
        assert {p.code: p.due_date for p in plan.periods} == {"half_year": date(2023, 5, 15),
                                                               "annual": date(2023, 10, 10)}
        assert "Sở Thông tin và Truyền thông" in [a.name for a in plan.agencies]


def test_activity_quantities_match_the_summary(app, loaded):
    with app.app_context():
        got = [(q.activity_kind, q.level, q.events, q.participants, q.adult_participants, q.child_participants)
               for q in _plan(app).quantities]
    assert got == [
        ("training", None, 9, 540, None, None),  # 09 training classes for 540 people
        ("month_of_action", "province", 1, None, None, None),  # 01 provincial launch ceremony
        ("forum", None, 1, 80, 20, 60),  # 01 class for 20 facilitators and 60 children
        ("forum", "province", 1, None, None, None),  # 01 provincial forum
        ("forum", "district", 9, None, None, None),  # 9/9 district-level forums
    ]


def test_loading_twice_adds_nothing(app, loaded, count):
    from webapp.plans.models import Agency, Plan, Target

    before = (count(Plan), count(Target), count(Agency))
    again = app.test_cli_runner().invoke(args=["load-plan-2023"])
    assert "already there" in again.output
    assert (count(Plan), count(Target), count(Agency)) == before == (1, 14, before[2])


def test_seed_command_loads_the_plan(app, count):
    from webapp.plans.models import Target

    result = app.test_cli_runner().invoke(args=["seed"])
    assert result.exit_code == 0, result.output
    assert count(Target) == 14


def test_agencies_are_data_the_2025_lead_is_the_health_department(app, loaded):
    from datetime import date

    from webapp.plans.models import Agency

    with app.app_context():
        names = {a.name: a for a in db.session.scalars(select(Agency))}
        assert names["Sở Lao động – Thương binh và Xã hội"].valid_until == date(2025, 2, 28)
        assert names["Sở Y tế"].valid_until is None


def test_demo_seed_adds_a_plan_for_this_year(app, count):

    from webapp.plans.models import Plan

    result = app.test_cli_runner().invoke(args=["seed", "--demo"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        years = sorted(db.session.scalars(select(Plan.year)))
    assert years == sorted({2023, clock.today().year})
    again = app.test_cli_runner().invoke(args=["seed", "--demo"])
    assert again.exit_code == 0 and count(Plan) == len(years)
