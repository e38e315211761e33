"""Personal data (CCCD, phone, email, address) follows one rule, members.permissions: the member
page, the roster export and the API show it to the record's keepers (the chi đoàn's secretary,
the officers above it) and to no one else in scope; outside the scope every path is 404."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from members.models import Member
from organizations.models import AuditEntry

CCCD, PHONE, EMAIL, ADDRESS = "001203004005", "0912345678", "an.nguyen@example.vn", "Thôn Đồng Tâm, xã Hùng Sơn"
KEEPERS = [
    "secretary",
    "grassroots_approver",
    "district_approver",
    "province_staff",
    "province_approver",
    "province_admin",
    "superuser",
]
IN_SCOPE_NOT_KEEPERS = ["grassroots_secretary"]
OUT_OF_SCOPE = ["outsider", "nopost"]


@pytest.fixture
def member(tree):
    member = tree.members[0]
    Member.objects.filter(pk=member.pk).update(citizen_id=CCCD, phone=PHONE, email=EMAIL, address=ADDRESS)
    return member


def _page(login, user, member):
    return login(user).get(reverse("members:detail", args=[member.pk]))


def _export_row(login, user, unit, member) -> dict | None:
    """The member's row of the unit's roster export, header → value; None if the export is 404."""
    response = login(user).get(reverse("members:export", args=[unit.code]))
    if response.status_code == 404:
        return None
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    header = next(i for i, row in enumerate(rows) if "Số CCCD" in row)
    for row in rows[header + 1 :]:
        values = dict(zip(rows[header], row, strict=False))
        if values["Họ và tên"] == member.full_name and values["Ngày sinh"].date() == member.birth_date:
            return values
    raise AssertionError("the member is missing from the export")


def _api_row(bearer, user, unit, member):
    response = bearer(user).get(f"/api/v1/members/?unit={unit.code}&status=all")
    if response.status_code == 404:
        return None
    return next(m for m in response.json()["results"] if m["id"] == member.pk)


@pytest.mark.parametrize("role", KEEPERS)
def test_the_records_keepers_see_it_on_every_path(role, tree, users, member, login, bearer):
    user = getattr(users, role)
    unit = tree.grassroots if role != "secretary" else tree.branch
    page = _page(login, user, member).content.decode()
    assert CCCD in page and PHONE in page and EMAIL in page and ADDRESS in page
    exported = _export_row(login, user, unit, member)
    assert (exported["Số CCCD"], exported["Số điện thoại"], exported["Email"], exported["Địa chỉ"]) == (
        CCCD,
        PHONE,
        EMAIL,
        ADDRESS,
    )
    row = _api_row(bearer, user, unit, member)
    assert (row["citizen_id"], row["phone"], row["email"], row["address"]) == (CCCD, PHONE, EMAIL, ADDRESS)


@pytest.mark.parametrize("role", IN_SCOPE_NOT_KEEPERS)
def test_others_in_scope_see_the_record_without_it(role, tree, users, member, login, bearer):
    user = getattr(users, role)
    response = _page(login, user, member)
    page = response.content.decode()
    assert response.status_code == 200 and member.full_name in page
    assert not any(value in page for value in (CCCD, PHONE, EMAIL, ADDRESS))
    assert "Chỉ bí thư chi đoàn và cán bộ cấp trên quản lý hồ sơ được xem." in page
    exported = _export_row(login, user, tree.grassroots, member)
    assert exported["Họ và tên"] == member.full_name
    assert [exported[h] for h in ("Số CCCD", "Số điện thoại", "Email", "Địa chỉ")] == [None] * 4
    row = _api_row(bearer, user, tree.grassroots, member)
    assert row["full_name"] == member.full_name
    assert [row[f] for f in ("citizen_id", "phone", "email", "address")] == [None] * 4
    assert not AuditEntry.objects.filter(action="api_personal_read").exists()  # nothing personal was read


@pytest.mark.parametrize("role", OUT_OF_SCOPE)
def test_outside_the_scope_every_path_is_404(role, tree, users, member, login, bearer):
    user = getattr(users, role)
    assert _page(login, user, member).status_code == 404
    assert _export_row(login, user, tree.grassroots, member) is None
    assert _api_row(bearer, user, tree.grassroots, member) is None


def test_a_user_keeping_one_chi_doan_of_the_list_sees_only_its_rows(tree, users, member, bearer):
    """A cơ sở secretary who is also one chi đoàn's secretary: its rows carry the data, the others not;
    the audit entry counts only the rows read with it."""
    from organizations.models import Post

    Member.objects.filter(pk=tree.members2[0].pk).update(citizen_id="001203004006", phone="0987654321")
    Post.objects.create(user=users.grassroots_secretary, organization=tree.branch2, role=Post.Role.SECRETARY)
    body = bearer(users.grassroots_secretary).get(f"/api/v1/members/?unit={tree.grassroots.code}").json()
    by_id = {m["id"]: m for m in body["results"]}
    assert by_id[tree.members2[0].pk]["citizen_id"] == "001203004006"
    assert by_id[member.pk]["citizen_id"] is None and by_id[member.pk]["phone"] is None
    entry = AuditEntry.objects.get(action="api_personal_read")
    assert entry.reason.startswith(f"{len(tree.members2)} hồ sơ đoàn viên")
