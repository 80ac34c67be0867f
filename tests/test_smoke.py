def test_sign_in_page_is_vietnamese(client):
    page = client.get("/login")
    assert page.status_code == 200
    assert "Đăng nhập" in page.get_data(as_text=True)


def test_home_after_sign_in(login_as, client):
    login_as("officer_A")
    page = client.get("/").get_data(as_text=True)
    assert "Xin chào, Lý Thị Mai" in page
    assert "Xã Mường Khương" in page
