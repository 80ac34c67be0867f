"""A list over a large area is counted up to core.pagination.ESTIMATE_ABOVE rows and then says "more than": the
count of 420,000 activities cost more than the page (bench/server_time.py). Its pages still go on to the end."""

import re

from webapp.core import pagination

from .test_caches import FORM, _post_as_shown


def test_a_long_list_says_more_than_and_pages_on_to_the_end(monkeypatch, login_as, client, places,
                                                             this_years_plan, app):
    login_as("collector_A")
    for boys in range(1, 8):
        assert _post_as_shown(client, FORM, {"topics": ["violence_abuse"], "boys": str(boys)}).status_code == 303
    app.config["PAGE_SIZE"] = 2
    page = client.get("/activities/").get_data(as_text=True)
    assert "7 hoạt động" in page and "Trang 1/4" in page
    monkeypatch.setattr(pagination, "ESTIMATE_ABOVE", 3)
    page = client.get("/activities/").get_data(as_text=True)
    assert "Hơn 3 hoạt động" in page and "7 hoạt động" not in page
    assert "Trang 1" in page and "Trang 1/" not in page
    seen, n = set(), 1
    while True:  # follow "Sau" as she would, to the last entry
        found = set(re.findall(r'href="/activities/(\d+)"', page))
        assert found and not found & seen
        seen |= found
        following = re.search(r'href="([^"]*page=(\d+)[^"]*)" rel="next"', page)
        if not following:
            break
        n += 1
        assert following.group(2) == str(n)
        page = client.get(following.group(1).replace("&amp;", "&")).get_data(as_text=True)
    assert len(seen) == 7 and n == 4
