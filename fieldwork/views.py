"""Thin views over fieldwork.services and fieldwork.selectors.

Objects come through the scoped selectors (outside them: 404); a service refuses a wrong role
with PermissionDenied (403) and a broken rule with ValidationError (shown as a message)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from organizations import audit
from organizations.levels import level_order, province_levels
from organizations.models import Level
from organizations.scoping import get_org_or_404, scope_roots
from organizations.views_helpers import paginate, require, run_action, run_service

from . import reporting, rules, selectors, services
from .forms import (
    AssignmentForm,
    DecisionForm,
    DepartmentForm,
    PlanCreateForm,
    PolicyForm,
    QuarterForm,
    QuarterReportForm,
    ReasonForm,
    VisitForm,
    VisitReportForm,
)
from .models import Department, DepartmentQuarterReport, PlannedVisit, QuarterReport, StaffAssignment, StaffPlan


def _year(request) -> int:
    raw = request.POST.get("year") or request.GET.get("nam") or ""
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else timezone.localdate().year


def _quarter(request) -> int:
    raw = request.GET.get("quy", "")
    return int(raw) if raw in ("1", "2", "3", "4") else (timezone.localdate().month - 1) // 3 + 1


@login_required
def index(request):
    """The dashboard: my progress and plans, my departments, each staff member's pace."""
    year = _year(request)
    return render(request, "fieldwork/index.html", _dashboard(request.user, year))


def _dashboard(user, year: int) -> dict:
    tallies = selectors.tallies(selectors.assignments_visible(user), year)
    mine = next((t for t in tallies if t.assignment.user_id == user.pk), None)
    policy = selectors.effective_policy(mine.assignment.department.organization, year) if mine else None
    provinces = [p for p in selectors.staff_provinces(user) if rules.can_manage(user, p)]
    roots = scope_roots(user)
    province_ids = set(province_levels().values_list("pk", flat=True))
    context = {
        "year": year,
        "years": range(year - 2, year + 2),
        "mine": mine,
        "tallies": tallies,
        "summary": selectors.completion(tallies),
        "my_plans": {
            p.quarter: p for p in selectors.plans_visible(user).filter(assignment__user=user, assignment__year=year)
        },
        "quarters": range(1, 5),
        "deadlines": {q: policy.plan_deadline(q) for q in range(1, 5)} if policy else {},
        "today": timezone.localdate(),
        "plan_form": PlanCreateForm(initial={"year": year}),
        "departments": selectors.departments_managed(user),
        "department_plans": selectors.department_plans_visible(user).filter(year=year),
        "provinces": provinces,
        "manageable": provinces
        + [r for r in roots if r.level_id in province_ids and r not in provinces and rules.can_manage(user, r)],
        "roots": roots,
    }
    return context


@login_required
@require_POST
def plan_create(request):
    form = PlanCreateForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Quý không hợp lệ.")
        return redirect("fieldwork:index")
    assignment = (
        selectors.assignments_visible(request.user, form.cleaned_data["year"]).filter(user=request.user).first()
    )
    require(assignment is not None)
    plan = services.plan_create(assignment=assignment, quarter=form.cleaned_data["quarter"], by=request.user)
    return redirect("fieldwork:plan", pk=plan.pk)


@login_required
@require_http_methods(["GET", "POST"])
def plan_detail(request, pk):
    plan = get_object_or_404(selectors.plans_visible(request.user), pk=pk)
    is_owner = plan.assignment.user_id == request.user.pk
    form = VisitForm(request.POST or None, user=request.user)
    if request.method == "POST":
        require(is_owner)
        if form.is_valid() and run_service(form, services.visit_add, plan=plan, by=request.user, **_visit_data(form)):
            messages.success(request, "Đã thêm chuyến đi vào kế hoạch.")
            return redirect("fieldwork:plan", pk=plan.pk)
    visits = plan.visits.select_related("target__level", "report")
    return render(
        request,
        "fieldwork/plan.html",
        {
            "plan": plan,
            "visits": visits,
            "form": form,
            "can_edit": is_owner and plan.is_editable,
            "unit_codes": selectors.unit_suggestions(plan.assignment.department.organization) if is_owner else [],
            "total_days": sum(v.days for v in visits),
            "deadline": services.plan_deadline(plan),
            "history": audit.history(plan)[:30],
        },
    )


def _visit_data(form) -> dict:
    data = form.cleaned_data
    return {k: data[k] for k in ("target", "content", "starts_on", "ends_on", "days", "purpose")}


@login_required
@require_POST
def plan_submit(request, pk):
    plan = get_object_or_404(selectors.plans_visible(request.user), pk=pk)
    run_action(request, services.plan_submit, "Đã đăng ký kế hoạch với trưởng ban.", plan=plan)
    return redirect("fieldwork:plan", pk=plan.pk)


@login_required
@require_POST
def visit_remove(request, pk):
    visit = get_object_or_404(selectors.visits_visible(request.user), pk=pk, plan__isnull=False)
    run_action(request, services.visit_remove, "Đã bỏ chuyến đi khỏi kế hoạch.", visit=visit)
    return redirect("fieldwork:plan", pk=visit.plan_id)


@login_required
def department(request, pk):
    dept = get_object_or_404(selectors.departments_managed(request.user), pk=pk)
    year, quarter = _year(request), _quarter(request)
    plans = StaffPlan.objects.filter(assignment__department=dept, assignment__year=year, quarter=quarter)
    reports = QuarterReport.objects.filter(assignment__department=dept, assignment__year=year, quarter=quarter)
    deadline = selectors.effective_policy(dept.organization, year).plan_deadline(quarter)
    return render(
        request,
        "fieldwork/department.html",
        {
            "dept": dept,
            "year": year,
            "quarter": quarter,
            "quarters": range(1, 5),
            "plans": plans.select_related("assignment__user", "department_plan").order_by(
                "assignment__user__last_name"
            ),
            "reports": reports.select_related("assignment__user"),
            "deadline": deadline,
            "past_deadline": timezone.localdate() > deadline,
            "unplanned": selectors.unplanned_staff([dept], year, quarter).select_related("user"),
            "consolidated": DepartmentQuarterReport.objects.filter(department=dept, year=year, quarter=quarter).first(),
            "department_plan": dept.plans.filter(year=year, quarter=quarter).first(),
            "is_head": rules.heads(request.user, dept),
            "form": QuarterForm(initial={"year": year, "quarter": quarter}),
        },
    )


@login_required
@require_POST
def department_merge(request, pk):
    dept = get_object_or_404(selectors.departments_managed(request.user), pk=pk)
    form = QuarterForm(request.POST)
    require(form.is_valid())
    year, quarter = form.cleaned_data["year"], form.cleaned_data["quarter"]
    try:
        plan = services.department_plan_merge(department=dept, year=year, quarter=quarter, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(f"{reverse('fieldwork:department', args=[dept.pk])}?nam={year}&quy={quarter}")
    messages.success(request, "Đã tổng hợp và đăng ký kế hoạch của ban.")
    return redirect("fieldwork:department_plan", pk=plan.pk)


@login_required
@require_POST
def department_consolidate(request, pk):
    dept = get_object_or_404(selectors.departments_managed(request.user), pk=pk)
    form = QuarterForm(request.POST)
    require(form.is_valid())
    data = form.cleaned_data
    run_action(
        request,
        services.department_report_consolidate,
        "Đã tổng hợp báo cáo quý của ban.",
        department=dept,
        year=data["year"],
        quarter=data["quarter"],
        notes=data["notes"],
    )
    return redirect(f"{reverse('fieldwork:department', args=[dept.pk])}?nam={data['year']}&quy={data['quarter']}")


@login_required
def department_plan(request, pk):
    plan = get_object_or_404(selectors.department_plans_visible(request.user), pk=pk)
    province = plan.department.organization
    visits = PlannedVisit.objects.filter(plan__department_plan=plan).select_related("assignment__user", "target__level")
    return render(
        request,
        "fieldwork/department_plan.html",
        {
            "plan": plan,
            "visits": visits.order_by("assignment__user__last_name", "starts_on"),
            "total_days": sum(v.days for v in visits),
            "reason_form": ReasonForm(),
            "can_forward": rules.heads_organisation_department(request.user, province),
            "can_decide": rules.is_standing_office(request.user, province),
            "history": audit.history(plan)[:30],
        },
    )


def _department_plan_action(request, pk, call, done, **kwargs):
    plan = get_object_or_404(selectors.department_plans_visible(request.user), pk=pk)
    run_action(request, call, done, plan=plan, **kwargs)
    return redirect("fieldwork:department_plan", pk=plan.pk)


@login_required
@require_POST
def department_plan_forward(request, pk):
    return _department_plan_action(request, pk, services.department_plan_forward, "Đã trình Thường trực.")


@login_required
@require_POST
def department_plan_approve(request, pk):
    return _department_plan_action(request, pk, services.department_plan_approve, "Đã phê duyệt kế hoạch.")


@login_required
@require_POST
def department_plan_return(request, pk):
    return _department_plan_action(
        request, pk, services.department_plan_return, "Đã trả lại kế hoạch.", reason=request.POST.get("reason", "")
    )


@login_required
@require_http_methods(["GET", "POST"])
def request_create(request):
    year = _year(request)
    assignment = selectors.assignments_visible(request.user, year).filter(user=request.user).first()
    require(assignment is not None)
    form = VisitForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        visit = run_service(form, services.visit_request, assignment=assignment, by=request.user, **_visit_data(form))
        if visit:
            messages.success(request, "Đã gửi đề xuất chuyến đi đột xuất tới Thường trực.")
            return redirect("fieldwork:visit", pk=visit.pk)
    unit_codes = selectors.unit_suggestions(assignment.department.organization)
    return render(request, "fieldwork/request_form.html", {"form": form, "year": year, "unit_codes": unit_codes})


@login_required
def requests(request):
    """Step 4's waiting requests; one whose visit has begun is shown as expired, to refuse only."""
    visits = selectors.visits_visible(request.user).filter(status=PlannedVisit.Status.REQUESTED)
    today = timezone.localdate()
    items = []
    for v in visits:
        expired = not rules.consent_open(v, today)
        form = DecisionForm(auto_id=f"id_%s_{v.pk}", refusal_only=expired)
        items.append((v, rules.is_standing_office(request.user, v.assignment.department.organization), expired, form))
    return render(request, "fieldwork/requests.html", {"items": items})


@login_required
@require_POST
def request_decide(request, pk):
    visit = get_object_or_404(selectors.visits_visible(request.user), pk=pk)
    form = DecisionForm(request.POST)
    require(form.is_valid())
    done = "Đã đồng ý chuyến đi." if form.cleaned_data["consent"] else "Đã không đồng ý chuyến đi."
    run_action(request, services.visit_request_decide, done, visit=visit, **form.cleaned_data)
    return redirect("fieldwork:requests")


@login_required
@require_http_methods(["GET", "POST"])
def visit_detail(request, pk):
    visit = get_object_or_404(selectors.visits_visible(request.user), pk=pk)
    is_owner = visit.assignment.user_id == request.user.pk
    form = VisitReportForm(request.POST or None, initial={"days_spent": visit.days})
    if request.method == "POST":
        require(is_owner)
        if form.is_valid() and run_service(
            form, services.visit_report, visit=visit, by=request.user, **form.cleaned_data
        ):
            messages.success(request, "Đã gửi báo cáo chuyến đi.")
            return redirect("fieldwork:visit", pk=visit.pk)
    report = getattr(visit, "report", None)
    return render(
        request,
        "fieldwork/visit.html",
        {
            "visit": visit,
            "report": report,
            "form": form,
            "history": audit.history(visit)[:30],
            "can_report": is_owner
            and report is None
            and services.is_confirmed(visit)
            and visit.ends_on <= timezone.localdate(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def quarter_report(request, year, quarter):
    require(quarter in (1, 2, 3, 4))
    assignment = get_object_or_404(selectors.assignments_visible(request.user, year), user=request.user)
    form = QuarterReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if run_service(
            form,
            services.quarter_report_submit,
            assignment=assignment,
            quarter=quarter,
            by=request.user,
            **form.cleaned_data,
        ):
            messages.success(request, "Đã nộp báo cáo quý.")
            return redirect("fieldwork:quarter_report", year=year, quarter=quarter)
    start, end = services.quarter_bounds(year, quarter)
    visits = assignment.visits.filter(starts_on__range=(start, end)).select_related("target__level", "report")
    return render(
        request,
        "fieldwork/quarter_report.html",
        {
            "assignment": assignment,
            "year": year,
            "quarter": quarter,
            "visits": visits,
            "form": form,
            "figures": services.quarter_figures(assignment, quarter),
            "submitted": assignment.quarter_reports.filter(quarter=quarter).first(),
        },
    )


@login_required
def unit_visits(request, code):
    org = get_org_or_404(request.user, code)
    year = _year(request)
    visits = paginate(request, selectors.visits_to_unit(request.user, org, year))
    return render(
        request,
        "fieldwork/unit_visits.html",
        {
            "org": org,
            "year": year,
            "visits": visits,
            "today": timezone.localdate(),
        },
    )


@login_required
def year_end(request, code):
    org = get_org_or_404(request.user, code)
    require(rules.can_manage(request.user, org))
    year = _year(request)
    return render(
        request,
        "fieldwork/year_end.html",
        {
            "org": org,
            "year": year,
            "data": reporting.build(root=org, year=year),
            "as_of": timezone.localdate(),
        },
    )


def _setup_forms(request, org, year):
    """The three set-up forms; only the one posted (``form`` field) is bound."""
    posted = request.POST.get("form") if request.method == "POST" else None
    policy = selectors.effective_policy(org, year)
    initial = {
        "minimum_days": policy.minimum_days,
        "report_late_days": policy.report_late_days,
        "plan_deadline_days": policy.plan_deadline_days,
    }
    initial.update({f"quota_{lv.code}": days for lv, days in policy.quotas.values()})
    levels = Level.objects.filter(rank__gt=org.level.rank)
    departments = Department.objects.filter(organization=org)
    return posted, {
        "policy": PolicyForm(
            request.POST if posted == "policy" else None,
            levels=levels.order_by(*level_order(), "code"),
            initial=initial,
        ),
        "department": DepartmentForm(request.POST if posted == "department" else None, org=org),
        "assignment": AssignmentForm(
            request.POST if posted == "assignment" else None, org=org, departments=departments
        ),
    }


def _save_setup(request, posted, form, org, year):
    data = form.cleaned_data
    if posted == "policy":
        return run_service(
            form,
            services.policy_save,
            organization=org,
            year=year,
            minimum_days=data["minimum_days"],
            report_late_days=data["report_late_days"],
            plan_deadline_days=data["plan_deadline_days"],
            quotas=form.quotas(),
            note=data["note"],
            by=request.user,
        )
    if posted == "department":
        return run_service(form, services.department_save, organization=org, by=request.user, **data)
    return run_service(form, services.assignment_save, year=year, by=request.user, **data)


@login_required
@require_http_methods(["GET", "POST"])
def setup(request, code):
    """Quy định, các ban và danh sách cán bộ (with exemptions) of a year, for the province's managers."""
    org = get_org_or_404(request.user, code)
    require(rules.can_manage(request.user, org))
    year = _year(request)
    posted, forms = _setup_forms(request, org, year)
    if posted in forms and forms[posted].is_valid() and _save_setup(request, posted, forms[posted], org, year):
        messages.success(request, "Đã lưu.")
        return redirect(f"{reverse('fieldwork:setup', args=[org.code])}?nam={year}")
    assignments = StaffAssignment.objects.filter(department__organization=org, year=year)
    return render(
        request,
        "fieldwork/setup.html",
        {
            "org": org,
            "year": year,
            "forms": forms,
            "policy": selectors.effective_policy(org, year),
            "departments": Department.objects.filter(organization=org).select_related("head"),
            "assignments": assignments.select_related("user", "department"),
        },
    )
