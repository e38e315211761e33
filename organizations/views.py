from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from . import audit, selectors, services
from .forms import (
    PostAssignForm,
    UnitCreateForm,
    UnitDissolveForm,
    UnitEditForm,
    UnitMergeForm,
    UnitMoveForm,
    UserCreateForm,
)
from .scoping import can_manage_children, can_manage_users, get_org_or_404, is_admin_anywhere, scope_roots
from .views_helpers import paginate, require, run_service


@login_required
def tree(request):
    roots = scope_roots(request.user)
    if len(roots) == 1:
        return redirect("organizations:detail", code=roots[0].code)
    return render(request, "organizations/roots.html", {"roots": roots})


@login_required
def detail(request, code):
    org = get_org_or_404(request.user, code)
    parent = org.parent()
    context = {
        "org": org,
        "crumbs": selectors.breadcrumbs(request.user, org),
        "children": paginate(request, selectors.children(org, include_closed="closed" in request.GET)),
        "can_manage_children": can_manage_children(request.user, org),
        "can_manage_self": parent is not None and can_manage_children(request.user, parent),
        "history": audit.history(org)[:20],
    }
    return render(request, "organizations/detail.html", context)


@login_required
def search(request):
    query = request.GET.get("q", "").strip()
    results = paginate(request, selectors.search_units(request.user, query)) if query else None
    return render(request, "organizations/search.html", {"query": query, "results": results})


def _unit_form_view(request, code, *, form_class, template, title, on_valid, target="self", form_kwargs=None):
    """One view body for every tree operation: scope, permission, form, service, redirect."""
    org = get_org_or_404(request.user, code)
    guard = org if target == "children" else org.parent()
    require(guard is not None and can_manage_children(request.user, guard))
    kwargs = (form_kwargs or (lambda: {}))()
    if target == "children":
        kwargs["parent"] = org
    form = (
        form_class(request.POST or None, **kwargs)
        if request.method == "POST"
        else form_class(**kwargs, initial=_initial(org, target))
    )
    if request.method == "POST" and form.is_valid():
        result = run_service(form, on_valid, org, form.cleaned_data)
        if result is not None:
            messages.success(request, "Đã lưu thay đổi.")
            return redirect("organizations:detail", code=result.code)
    return render(
        request,
        template,
        {"org": org, "form": form, "title": title, "crumbs": selectors.breadcrumbs(request.user, org)},
    )


def _initial(org, target):
    if target == "children":
        return {}
    return {"name": org.name, "kind": org.kind_id, "founded_on": org.founded_on}


def _unit_action(service, subject: str, form_class, title: str, *, target="self", pass_user=False):
    """Build the view of one tree operation: ``service(<subject>=unit, by=user, **form data)``."""

    @login_required
    @require_http_methods(["GET", "POST"])
    def view(request, code):
        def on_valid(unit, data):
            return service(**{subject: unit}, by=request.user, **data)

        return _unit_form_view(
            request,
            code,
            form_class=form_class,
            template="organizations/form.html",
            title=title,
            on_valid=on_valid,
            target=target,
            form_kwargs=(lambda: {"user": request.user}) if pass_user else None,
        )

    return view


create = _unit_action(services.create_unit, "parent", UnitCreateForm, "Thành lập đơn vị trực thuộc", target="children")
edit = _unit_action(services.update_unit, "unit", UnitEditForm, "Sửa thông tin đơn vị")
move = _unit_action(services.move_unit, "unit", UnitMoveForm, "Chuyển đơn vị sang cấp trên khác", pass_user=True)
merge = _unit_action(services.merge_unit, "source", UnitMergeForm, "Hợp nhất đơn vị", pass_user=True)
dissolve = _unit_action(services.dissolve_unit, "unit", UnitDissolveForm, "Giải thể đơn vị")


@login_required
def users(request):
    require(is_admin_anywhere(request.user))
    qs = selectors.users_in_scope(request.user).prefetch_related(
        Prefetch("posts", queryset=selectors.posts_in_scope(request.user), to_attr="scoped_posts")
    )
    return render(request, "organizations/users.html", {"users": paginate(request, qs)})


@login_required
@require_http_methods(["GET", "POST"])
def user_create(request):
    require(is_admin_anywhere(request.user))
    form = UserCreateForm(request.POST or None)
    post_form = PostAssignForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid() and post_form.is_valid():
        org = post_form.cleaned_data["organization"]
        if not can_manage_users(request.user, org):
            post_form.add_error("organization", "Bạn không quản trị người dùng ở đơn vị này.")
        else:
            data, post = form.cleaned_data, post_form.cleaned_data
            user = services.create_user(
                username=data["username"],
                full_name=data["full_name"],
                email=data["email"],
                password=data["password"],
                organization=org,
                role=post["role"],
                title=post["title"],
                by=request.user,
            )
            messages.success(request, f"Đã tạo tài khoản {user.username}.")
            return redirect("organizations:user", pk=user.pk)
    return render(request, "organizations/user_create.html", {"form": form, "post_form": post_form})


def _user_in_scope_or_404(request, pk):
    require(is_admin_anywhere(request.user))
    return get_object_or_404(selectors.users_in_scope(request.user), pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def user_detail(request, pk):
    target = _user_in_scope_or_404(request, pk)
    form = PostAssignForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if not can_manage_users(request.user, data["organization"]):
            form.add_error("organization", "Bạn không quản trị người dùng ở đơn vị này.")
        elif run_service(form, services.assign_post, user=target, by=request.user, **data):
            messages.success(request, "Đã giao chức vụ.")
            return redirect("organizations:user", pk=target.pk)
    posts = selectors.posts_in_scope(request.user).filter(user=target).order_by("-ended_on", "organization__path")
    return render(request, "organizations/user_detail.html", {"target": target, "posts": posts, "form": form})


@login_required
@require_POST
def post_end(request, pk):
    require(is_admin_anywhere(request.user))
    post = get_object_or_404(selectors.posts_in_scope(request.user).select_related("user"), pk=pk)
    require(can_manage_users(request.user, post.organization))
    services.end_post(post=post, by=request.user)
    messages.success(request, "Đã kết thúc chức vụ.")
    return redirect("organizations:user", pk=post.user_id)


@login_required
@require_POST
def user_toggle_active(request, pk):
    target = _user_in_scope_or_404(request, pk)
    services.set_user_active(user=target, active=not target.is_active, by=request.user)
    messages.success(request, "Đã mở khóa tài khoản." if target.is_active else "Đã khóa tài khoản.")
    return redirect("organizations:user", pk=target.pk)
