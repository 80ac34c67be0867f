"""`next` stays on the site: wherever a page is asked where to go afterwards (sign-in's ?next=, the language switch's
next field), only a local path is followed; anything else goes home, and nothing in it ever breaks the answer."""

from urllib.parse import quote, urlsplit

import pytest

from webapp.core.security import local_path

HOSTILE = [
    "//evil.example", "/\t/evil.example", "/\n/evil.example", "/\r\n/evil.example",
    "/\\evil.example", "\\\\evil.example", "/\\/evil.example", "https://evil.example/", "http:evil.example",
    "javascript:alert(1)", "java\tscript:alert(1)", " //evil.example", "\x01//evil.example", "/ /evil.example",
    "///evil.example", "evil.example", "/x\r\nSet-Cookie: a=b", "/x\u2028y", "//evil.example/%2e%2e",
    "\u3000//evil.example", "",
]
FINE = ["/", "/children/", "/children/3?q=v%C3%A0&page=2", "/forum/2/checkin#d4", "/reports/dashboard?unit=5"]


def goes_off_site(location: str) -> bool:
    # As a browser reads it: tabs and line breaks dropped, backslashes as slashes, leading C0 and spaces trimmed.
    seen = location.replace("\t", "").replace("\n", "").replace("\r", "").replace("\\", "/").lstrip("\x00\x01 ")
    parts = urlsplit(seen)
    return bool(parts.scheme or parts.netloc) or not seen.startswith("/") or seen.startswith("//")


@pytest.mark.parametrize("target", HOSTILE)
def test_the_helper_refuses_anything_but_a_local_path(target):
    assert local_path(target) is None


@pytest.mark.parametrize("target", FINE)
def test_the_helper_keeps_a_local_path(target):
    assert local_path(target) == target


def test_signing_in_goes_only_to_a_page_of_the_site(new_client, users):
    for target in HOSTILE:
        client = new_client()
        response = client.submit("/login", {"identifier": "canbo.a", "password": users["admin"].password},
                                 action="/login?next=" + quote(target, safe=""))
        assert response.status_code == 303, (target, response.status_code)
        location = response.headers["Location"]
        assert not goes_off_site(location), (target, location)
        assert "Set-Cookie" not in location and "\n" not in location
    for target in FINE:
        client = new_client()
        response = client.submit("/login", {"identifier": "canbo.a", "password": users["admin"].password},
                                 action="/login?next=" + quote(target, safe=""))
        assert response.status_code == 303 and response.headers["Location"] == target


def test_the_language_switch_goes_only_to_a_page_of_the_site(client, users):
    token = client.csrf_token()
    for target in HOSTILE:
        response = client.post("/language", data={"csrf_token": token, "locale": "en", "next": target})
        assert response.status_code == 303, (target, response.status_code)
        assert not goes_off_site(response.headers["Location"]), (target, response.headers["Location"])
    response = client.post("/language", data={"csrf_token": token, "locale": "vi", "next": "/children/?q=a"})
    assert response.headers["Location"] == "/children/?q=a"


def test_the_sign_in_page_after_a_signed_out_visit_comes_back_to_it(client, users):
    """The next= a signed-out visit is sent with is one the helper keeps, so the way back still works."""
    response = client.get("/children/?q=a")
    assert response.status_code == 302
    login_page = response.headers["Location"]
    signed_in = client.submit(login_page, {"identifier": "canbo.a", "password": users["admin"].password},
                              action=login_page)
    assert signed_in.headers["Location"] == "/children/?q=a"
