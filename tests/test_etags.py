"""A phone revalidating a kept page (core/etags.py): 304 with no body only when nothing of the page changed, never
for another person's or another session's copy, and a write changes the next answer."""

from .conftest import hidden_fields
from .test_caches import FORM, _post_as_shown

BR = {"Accept-Encoding": "br, gzip"}


def revalidate(client, url, tag, **headers):
    return client.get(url, headers={**BR, "If-None-Match": tag, **headers})


def test_an_unchanged_page_is_answered_304_without_a_body(login_as, client, places, this_years_plan):
    login_as("collector_A")
    for url in ("/", FORM, "/activities/", "/activities/new", "/outbox"):
        first = client.get(url, headers=BR)
        tag = first.headers["ETag"]
        assert tag.startswith('W/"') and first.headers["Cache-Control"] == "private, no-cache"
        again = revalidate(client, url, tag)
        assert again.status_code == 304, url
        assert again.get_data() == b"" and "Content-Encoding" not in again.headers
        assert again.headers["X-Sotay-User"] == first.headers["X-Sotay-User"]  # the worker still knows whose


def test_a_write_changes_the_next_answer(login_as, client, places, this_years_plan):
    login_as("collector_A")
    tag = client.get("/activities/", headers=BR).headers["ETag"]
    assert _post_as_shown(client, FORM, {"topics": ["violence_abuse"], "boys": "7"}).status_code == 303
    after = revalidate(client, "/activities/", tag)  # the new entry (and, once, the "Saved" message)
    assert after.status_code == 200 and after.headers["ETag"] != tag
    settled = client.get("/activities/", headers=BR).headers["ETag"]
    assert settled != tag and revalidate(client, "/activities/", settled).status_code == 304


def test_another_persons_copy_is_never_confirmed(new_client, make_user, users, places, this_years_plan):
    """Two collectors of one unit see the same blank form, yet neither's tag answers the other."""
    one, two = new_client(), new_client()
    one.login(users["collector_A"].username)
    two.login(make_user("collector", places["A"].id, "thuthap.a2").username)
    tag = one.get(FORM, headers=BR).headers["ETag"]
    assert revalidate(two, FORM, tag).status_code == 200
    assert revalidate(one, FORM, tag).status_code == 304
    outbox = one.get("/outbox", headers=BR).headers["ETag"]
    assert revalidate(two, "/outbox", outbox).status_code == 200


def test_a_new_session_of_the_same_person_gets_the_page_again(login_as, client, users, places, this_years_plan):
    """The kept copy holds the old session's CSRF token, which would not post: a new sign-in is a new validator."""
    login_as("collector_A")
    first = client.get(FORM)
    tag, token = first.headers["ETag"], hidden_fields(first.get_data(as_text=True))["csrf_token"]
    client.logout()
    assert revalidate(client, FORM, tag).status_code != 304  # signed out: the sign-in page
    login_as("collector_A")
    fresh = revalidate(client, FORM, tag, **{"Accept-Encoding": "identity"})
    assert fresh.status_code == 200
    assert hidden_fields(fresh.get_data(as_text=True))["csrf_token"] != token


def test_the_full_page_and_its_partial_have_their_own_tags(login_as, client, places, this_years_plan):
    login_as("collector_A")
    page = client.get("/activities/", headers=BR)
    partial = client.get("/activities/", headers={**BR, "HX-Request": "true", "HX-Request-Type": "partial"})
    assert page.headers["ETag"] != partial.headers["ETag"]
    assert revalidate(client, "/activities/", partial.headers["ETag"]).status_code == 200


def test_a_page_marked_no_store_has_no_tag(login_as, client, places):
    login_as("collector_A")
    answer = client.get("/offline/working-set", headers=BR)
    assert "ETag" not in answer.headers
    export = client.get("/sw.js", headers=BR)
    assert "W/" not in (export.headers.get("ETag") or "")
