"""Page or partial: htmx partial requests get the rows, everything else (history restore too) the full page."""

PARTIAL = {"HX-Request": "true", "HX-Request-Type": "partial"}


def test_a_plain_request_gets_the_full_page(login_as, client):
    login_as("officer_A")
    response = client.get("/places/?q=lung")
    assert "<html" in response.get_data(as_text=True)
    assert "HX-Request" in response.headers["Vary"]


def test_an_htmx_partial_request_gets_only_the_rows(login_as, client):
    login_as("officer_A")
    body = client.get("/places/?q=lung", headers=PARTIAL).get_data(as_text=True)
    assert "<html" not in body and "Thôn Lùng Cẩu" in body


def test_a_history_restore_gets_the_full_page(login_as, client):
    login_as("officer_A")
    headers = {**PARTIAL, "HX-History-Restore-Request": "true"}
    assert "<html" in client.get("/places/?q=lung", headers=headers).get_data(as_text=True)


def test_a_full_body_swap_gets_the_full_page(login_as, client):
    login_as("officer_A")
    headers = {"HX-Request": "true", "HX-Request-Type": "full"}
    assert "<html" in client.get("/places/", headers=headers).get_data(as_text=True)


def test_the_csrf_header_is_set_once_on_body_for_htmx(client):
    body = client.get("/login").get_data(as_text=True)
    assert "hx-headers:inherited='{\"X-CSRFToken\": " in body
