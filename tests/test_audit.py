"""The audit log page: admins browse who did what, with filters; nobody else may."""


def test_admin_browses_and_filters_the_audit_log(login_as, client, users, places):
    client.login("canbo.a", "wrong-password")
    login_as("officer_A")
    client.submit(f"/places/{places['A'].id}/villages/new", {"kind": "thôn", "name": "Thôn Nhật Ký"})
    client.logout()
    login_as("admin")
    body = client.get("/audit").get_data(as_text=True)
    assert "login_failed" in body and "create Unit" in body
    filtered = client.get("/audit?action=create&user=canbo.a").get_data(as_text=True).split("<tbody>")[1]
    assert "Thôn Nhật Ký" in filtered and "login_failed" not in filtered
    partial = client.get("/audit?action=login_failed", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<html" not in partial and "login_failed" in partial


def test_bad_filter_dates_are_ignored_not_an_error(login_as, client):
    login_as("admin")
    assert client.get("/audit?start=31/31/2023&end=x").status_code == 200


def test_officers_cannot_read_the_audit_log(login_as, client):
    login_as("officer_A")
    assert client.get("/audit").status_code == 403
