"""Every POST needs the CSRF token: without it, a clear message in the user's language and nothing saved."""

import pytest

from webapp.geo.models import Unit


def test_a_post_without_token_is_refused_and_saves_nothing(login_as, client, places, count):
    login_as("officer_A")
    response = client.post(f"/places/{places['A'].id}/villages/new",
                           data={"kind": "thôn", "name": "Thôn Giả Mạo",
                                 "client_id": "5b0f3a5e-7a43-4a1f-9f3e-5a3c1f0e2d11"})
    assert response.status_code == 400
    assert "chưa có gì được lưu" in response.get_data(as_text=True)
    assert count(Unit, name="Thôn Giả Mạo") == 0


def test_a_post_with_a_wrong_token_is_refused(login_as, client, places, count):
    login_as("officer_A")
    response = client.post(f"/places/{places['A'].id}/villages/new",
                           data={"csrf_token": "forged", "kind": "thôn", "name": "Thôn Giả Mạo",
                                 "client_id": "5b0f3a5e-7a43-4a1f-9f3e-5a3c1f0e2d12"})
    assert response.status_code == 400 and count(Unit, name="Thôn Giả Mạo") == 0


def test_the_token_in_the_htmx_header_is_accepted(login_as, client, places, count):
    login_as("officer_A")
    response = client.post(f"/places/{places['A'].id}/villages/new",
                           headers={"X-CSRFToken": client.csrf_token(), "HX-Request": "true"},
                           data={"kind": "thôn", "name": "Thôn Qua Htmx",
                                 "client_id": "5b0f3a5e-7a43-4a1f-9f3e-5a3c1f0e2d13"})
    assert response.status_code == 200 and response.headers["HX-Redirect"].endswith(f"/places/{places['A'].id}")
    assert count(Unit, name="Thôn Qua Htmx") == 1


@pytest.mark.parametrize("url", ["/login", "/logout", "/language", "/account", "/users/new", "/places/import"])
def test_every_post_route_needs_the_token(client, url):
    response = client.post(url, data={"identifier": "x", "password": "y"})
    assert response.status_code == 400


def test_a_token_does_not_expire_while_the_session_lives(app):
    assert app.config["WTF_CSRF_TIME_LIMIT"] is None
