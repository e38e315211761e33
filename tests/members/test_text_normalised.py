"""Text normalised on the way in, on the member paths (issue 14): the member form, an imported
cell and a reason the service refuses when it holds only a zero-width space."""

import unicodedata

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from members import services
from members.importers import MemberImporter
from members.models import Member

from .conftest import member_row

ZWSP = "\u200b"


def test_the_member_form_keeps_the_name_normalised(tree, users, login):
    typed = unicodedata.normalize("NFD", f"  Lò{ZWSP}  Thị   Mai ")
    data = {"full_name": typed, "birth_date": "10/02/2004", "gender": "nu", "ethnicity": " Thái ", "religion": "Không"}
    response = login(users.secretary).post(reverse("members:create", args=[tree.branch.code]), data)
    member = Member.objects.get(name_folded="lo thi mai")
    assert response.status_code == 302 and (member.full_name, member.ethnicity) == ("Lò Thị Mai", "Thái")


def test_an_imported_cell_is_normalised_as_the_form_is(tree, members_xlsx):
    typed = unicodedata.normalize("NFD", f"Hà{ZWSP}  Thị\u00a0Thu ")
    result = MemberImporter(user=None).run(str(members_xlsx([member_row(name=typed)])))
    assert result.ok, result.errors
    assert Member.objects.get(citizen_id="079200000001").full_name == "Hà Thị Thu"


def test_the_service_refuses_a_reason_of_only_a_zero_width_space(tree, users):
    member = tree.members[0]
    with pytest.raises(ValidationError) as refused:
        services.remove(member=member, by=users.secretary, reason=ZWSP * 2)
    assert refused.value.message_dict == {"reason": ["Cần ghi lý do xóa tên."]}
    member.refresh_from_db()
    assert member.status == Member.Status.ACTIVE


def test_the_page_refuses_a_reason_of_only_a_zero_width_space(tree, users, login):
    member = tree.members[0]
    response = login(users.secretary).post(reverse("members:action", args=[member.pk, "xoa-ten"]), {"reason": ZWSP})
    assert response.status_code == 200 and "Trường này là bắt buộc." in response.content.decode()
    member.refresh_from_db()
    assert member.status == Member.Status.ACTIVE
