"""The Django admin (for operators): every registered model's list opens, with data present."""

import pytest
from django.contrib import admin
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model_admin", list(admin.site._registry.values()), ids=lambda a: a.model._meta.label_lower)
def test_every_admin_list_opens_for_a_superuser(tree, users, login, model_admin):
    meta = model_admin.model._meta
    response = login(users.superuser).get(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))
    assert response.status_code == 200


def test_the_admin_is_closed_to_union_officers(tree, users, login):
    response = login(users.province_admin).get(reverse("admin:members_member_changelist"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
