"""The Django admin (for operators): every registered model's list opens, and no admin form can
change a row that a service owns (the services keep the summary counts and write the audit)."""

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from members.models import Member
from organizations import audit
from organizations.models import AuditEntry, AuditTrailIsPermanent, Organization

pytestmark = pytest.mark.django_db

REGISTERED = list(admin.site._registry.values())
READ_ONLY = (False, False, False)
# (add, change, delete) for every registered model. Workflow rows are read-only; lookup and
# config tables an operator may edit safely are the only exceptions (docs/architecture.md).
EXPECTED = {
    "organizations.level": (True, True, False),
    "organizations.unitkind": (True, True, False),
    "members.cadreagelimit": (True, True, True),
    "auth.group": (True, True, True),
    "axes.accessattempt": (False, False, True),  # deleting a lockout's attempt lifts it (axes' way)
    "notifications.reminderpolicy": (True, True, True),  # a period's schedule; without it, the defaults
}
WORKFLOW = {
    "organizations.organization",
    "organizations.post",
    "organizations.auditentry",
    "auth.user",
    "members.member",
    "members.memberevent",
    "members.transfer",
    "members.memberposition",
    "members.importjob",
    "evaluations.ratingperiod",
    "evaluations.ratingpolicy",
    "evaluations.criteriaframe",
    "evaluations.assessment",
    "evaluations.submission",
    "evaluations.reviewminutes",  # rendered by a worker from the sent batch (organizations.pdfdocs)
    "recognition.rendereddocument",
    "recognition.campaign",
    "recognition.registration",
    "recognition.decision",
    "recognition.flag",
    "recognition.registrationreport",
    "fieldwork.fieldworkpolicy",
    "fieldwork.department",
    "fieldwork.staffassignment",
    "fieldwork.staffplan",
    "fieldwork.departmentplan",
    "fieldwork.plannedvisit",
    "fieldwork.visitreport",
    "reports.reportjob",
    "returns.return",  # frozen when sent; accepted or sent back through returns.services only
    "returns.returndeadline",  # set by the receiving unit on its page (returns.services)
    "notifications.notification",
    "otp_totp.totpdevice",
    "axes.accesslog",
    "axes.accessfailurelog",
}
EXPECTED.update(dict.fromkeys(WORKFLOW, READ_ONLY))


def _label(model_admin) -> str:
    return model_admin.model._meta.label_lower


@pytest.mark.parametrize("model_admin", REGISTERED, ids=_label)
def test_every_admin_list_opens_for_a_superuser(tree, users, login, model_admin):
    meta = model_admin.model._meta
    response = login(users.superuser).get(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))
    assert response.status_code == 200


@pytest.mark.parametrize("model_admin", REGISTERED, ids=_label)
def test_every_admin_allows_only_what_its_rule_says(users, model_admin):
    """A model registered without a rule fails here: decide whether the admin may change it."""
    request = RequestFactory().get("/admin/")
    request.user = users.superuser
    assert _label(model_admin) in EXPECTED, f"{_label(model_admin)}: add it to EXPECTED, read-only unless safe"
    allowed = (
        model_admin.has_add_permission(request),
        model_admin.has_change_permission(request),
        model_admin.has_delete_permission(request),
    )
    assert allowed == EXPECTED[_label(model_admin)]
    for inline in model_admin.get_inline_instances(request):
        if allowed == READ_ONLY:
            assert not inline.has_add_permission(request, None) and not inline.has_delete_permission(request)


def test_a_member_cannot_be_added_or_deleted_in_the_admin(tree, users, login):
    client = login(users.superuser)
    member = tree.members[0]
    before = Member.objects.count()
    assert client.get(reverse("admin:members_member_add")).status_code == 403
    added = client.post(reverse("admin:members_member_add"), {"full_name": "Nguyễn Văn Mới", "branch": tree.branch.pk})
    assert added.status_code == 403
    deleted = client.post(reverse("admin:members_member_delete", args=[member.pk]), {"post": "yes"})
    assert deleted.status_code == 403
    assert Member.objects.count() == before
    assert Organization.objects.get(pk=tree.branch.pk).members_total == 3


def test_a_member_page_in_the_admin_is_for_reading(tree, users, login):
    page = login(users.superuser).get(reverse("admin:members_member_change", args=[tree.members[0].pk]))
    body = page.content.decode()
    assert page.status_code == 200 and tree.members[0].full_name in body
    assert 'name="_save"' not in body and "deletelink" not in body


def test_the_changelist_has_no_bulk_delete_action(tree, users, login):
    body = login(users.superuser).get(reverse("admin:members_member_changelist")).content.decode()
    assert "delete_selected" not in body


def test_an_audit_entry_cannot_be_deleted_in_the_admin(tree, users, login):
    entry = audit.record(target=tree.branch, action="edit", by=users.superuser, reason="thử")
    response = login(users.superuser).post(
        reverse("admin:organizations_auditentry_delete", args=[entry.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_an_audit_entry_cannot_be_deleted_or_saved_again_in_code(tree, users):
    entry = audit.record(target=tree.branch, action="edit", by=users.superuser, reason="thử")
    with pytest.raises(AuditTrailIsPermanent, match="không thể sửa hay xóa"):
        entry.delete()
    with pytest.raises(AuditTrailIsPermanent):
        AuditEntry.objects.filter(pk=entry.pk).delete()
    entry.reason = "sửa lại"
    with pytest.raises(AuditTrailIsPermanent):
        entry.save()
    assert AuditEntry.objects.get(pk=entry.pk).reason == "thử"


def test_a_level_keeps_its_flags_once_saved(users):
    from organizations.models import Level

    level = Level.objects.get(code="chi-doan")
    request = RequestFactory().get("/admin/")
    request.user = users.superuser
    readonly = admin.site._registry[Level].get_readonly_fields(request, level)
    assert {"is_branch", "is_grassroots", "code"} <= set(readonly)


def test_the_admin_is_closed_to_union_officers(tree, users, login):
    response = login(users.province_admin).get(reverse("admin:members_member_changelist"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_deleting_a_user_keeps_their_audit_entries(tree, users):
    entry = audit.record(target=tree.branch, action="edit", by=users.nopost, reason="thử")
    users.nopost.delete()
    entry = AuditEntry.objects.get(pk=entry.pk)
    assert entry.by is None and entry.reason == "thử"


def test_the_admin_login_is_the_app_login(client, db):
    response = client.get(reverse("admin:login") + "?next=/admin/members/")
    assert response.status_code == 302 and response.url == reverse("login") + "?next=%2Fadmin%2Fmembers%2F"


def test_an_officer_sent_to_the_admin_login_is_refused_not_looped(tree, users, login):
    response = login(users.province_admin).get(reverse("admin:login"))
    assert response.status_code == 403
    assert "Tài khoản <strong>quantri.tinh</strong> không có quyền vào trang quản trị" in response.content.decode()


def test_a_superuser_sent_to_the_admin_login_goes_on(tree, users, login):
    response = login(users.superuser).get(reverse("admin:login") + "?next=/admin/members/")
    assert response.status_code == 302 and response.url == "/admin/members/"


def test_the_tree_cannot_be_dragged_in_the_admin(tree, users, login):
    # treebeard's drag-and-drop move would skip move_unit (level rules, counts, audit).
    response = login(users.superuser).post(
        "/admin/organizations/organization/move/",
        {"node": tree.branch.pk, "target": tree.branch_other.pk, "relation": "sibling"},
    )
    assert response.status_code == 403
    assert Organization.objects.get(pk=tree.branch.pk).path == tree.branch.path
