"""Accessibility of the newest screens, checked by axe-core (the engine behind Lighthouse's accessibility audits) in
Chromium at 360×740 in Vietnamese: the dashboard read at a glance and a goal's page with their charts (issue 19),
and a report about a child, blank and refused (issue 17). Every WCAG 2.x A and AA rule axe knows must pass: a chart
is an image with its numbers in its name, every field has its label, colours keep their contrast."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.test_reports_glance import filled_commune  # noqa: F401  (the fixture: every goal with a figure)

pytestmark = pytest.mark.browser

RULES = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
         "resultTypes": ["violations"]}


def violations(page) -> list[str]:
    """What axe finds wrong on the page as shown, one line per rule and element."""
    results = Axe().run(page, options=RULES).response
    return [f"{v['id']} ({v['impact']}): {node['target']} — {v['help']}"
            for v in results["violations"] for node in v["nodes"]]


def test_the_dashboard_and_a_goal_page_pass_axe(page, sign_in, users, places, filled_commune):  # noqa: F811
    sign_in(users["officer_A"].username, users["officer_A"].password)
    page.goto(f"/reports/dashboard?unit={places['A'].id}&period={filled_commune}")
    assert page.get_by_role("img", name="Hoạt động theo tháng", exact=False).count() == 1  # the chart is checked too
    assert violations(page) == []
    page.locator(".goalgrid li.g a").first.click()
    page.wait_for_load_state()
    assert violations(page) == []


def test_a_viewer_dashboard_passes_axe(page, sign_in, users, places, filled_commune):  # noqa: F811
    sign_in(users["viewer"].username, users["viewer"].password)
    page.goto(f"/reports/dashboard?period={filled_commune}")
    assert violations(page) == []


def test_the_report_about_a_child_passes_axe_blank_and_refused(page, sign_in, users):
    sign_in(users["village_head_A"].username, users["village_head_A"].password)
    assert violations(page) == []  # home, with the hotline
    page.get_by_role("link", name="Báo tin về trẻ em").first.click()
    page.wait_for_load_state()
    assert violations(page) == []
    page.get_by_role("button", name="Gửi về xã").click()  # nothing typed: refused, the messages beside the fields
    page.locator("p.error").first.wait_for()  # the outbox sends it and shows the server's answer in place
    assert violations(page) == []
