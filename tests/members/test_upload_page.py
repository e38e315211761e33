"""Upload → preview (every problem by row and column) → confirm."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from members.models import Member

from .conftest import member_row


def upload(client, path, kind="members", name=None):
    data = {"kind": kind, "file": SimpleUploadedFile(name or path.name, path.read_bytes() if path else b"")}
    return client.post(reverse("members:import"), data)


def test_upload_preview_then_confirm(tree, users, login, members_xlsx):
    client = login(users.secretary)
    response = upload(
        client, members_xlsx([member_row(), member_row(name="Hà Thị Thu", gender="Nữ", cccd="079200000002")])
    )
    assert response.status_code == 302
    preview = client.get(response.url)
    assert "2 dòng mới, 0 dòng cập nhật" in preview.content.decode()
    assert Member.objects.count() == 7  # the preview writes nothing
    done = client.post(response.url)
    assert done.status_code == 302 and Member.objects.count() == 9
    assert client.get(response.url).status_code == 404  # the stored file is gone once imported


def test_the_preview_lists_every_problem(tree, users, login, members_xlsx):
    client = login(users.secretary)
    path = members_xlsx([member_row(cccd="1"), member_row(branch="T2-CS1-CD1", cccd="079200000002")])
    page = client.get(upload(client, path).url).content.decode()
    assert "Số CCCD phải gồm đúng 12 chữ số" in page and "ngoài" not in page
    assert "Không có chi đoàn mã “T2-CS1-CD1” trong phạm vi của bạn" in page
    response = client.post(upload(client, path).url)
    assert response.status_code == 200 and Member.objects.count() == 7  # confirm re-validates


def test_bad_files_through_the_page(tree, users, login, tmp_path):
    client = login(users.secretary)
    empty = tmp_path / "rong.xlsx"
    empty.write_bytes(b"")
    assert "Tệp rỗng (0 byte)." in client.get(upload(client, empty).url).content.decode()
    text = tmp_path / "sai.xlsx"
    text.write_text("không phải excel")
    assert "không phải là tệp Excel .xlsx" in client.get(upload(client, text).url).content.decode()
    csv = tmp_path / "danh-sach.csv"
    csv.write_text("a,b")
    assert "Chỉ nhận tệp Excel .xlsx." in upload(client, csv).content.decode()


def test_another_users_token_is_404(tree, users, login, members_xlsx, client):
    url = upload(login(users.secretary), members_xlsx([member_row()])).url
    client.force_login(users.province_admin)
    assert client.get(url).status_code == 404
    assert client.get(reverse("members:import_preview", args=["..%2F..%2Fetc"])).status_code == 404


def test_the_upload_page_needs_a_managing_post(tree, users, login):
    assert login(users.nopost).get(reverse("members:import")).status_code == 403
    assert login(users.grassroots_secretary).get(reverse("members:import")).status_code == 403
    assert login(users.secretary).get(reverse("members:import")).status_code == 200
