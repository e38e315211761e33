"""Login in two steps, the profile page with the second factor, and its reset by an administrator."""

from axes.handlers.proxy import AxesProxyHandler
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from organizations.selectors import users_in_scope
from organizations.views_helpers import run_service

from . import contact, pending_login, second_factor
from .forms import CodeForm, EmailForm, ResetForm
from .lockout import lockout_response
from .qr import qr_svg


class LoginView(auth_views.LoginView):
    """Step one, the password; a user with a second factor goes on to step two for the code."""

    redirect_authenticated_user = True

    def form_valid(self, form):
        user = form.get_user()
        if second_factor.device_of(user) is None:
            return super().form_valid(form)
        pending_login.hold(self.request, user, self.get_success_url())
        return redirect("login_code")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """A new password set from the emailed link also lifts a lockout on the account (the lockout
    page offers "Quên mật khẩu" as the way out)."""

    def form_valid(self, form):
        response = super().form_valid(form)
        AxesProxyHandler.reset_attempts(username=form.user.get_username())
        return response


@require_http_methods(["GET", "POST"])
def login_code(request):
    """Step two: the 6-digit code; wrong codes count towards the lockout like wrong passwords."""
    waiting = pending_login.held(request)
    if waiting is None:
        messages.info(request, "Phiên đăng nhập đã hết hạn: vui lòng nhập lại mật khẩu.")
        return redirect("login")
    user, device, next_url = waiting
    if pending_login.is_locked(request, user):
        return lockout_response(request, credentials={"username": user.get_username()})
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if pending_login.finish(request, user, device, form.cleaned_data["code"]):
            return redirect(next_url)
        form.add_error("code", second_factor.WRONG_CODE)
    return render(request, "registration/login_code.html", {"form": form, "pending_user": user})


@require_GET
def admin_login(request):
    """The admin logs in through the app's login page, so the lockout and the second factor hold there too."""
    next_url = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = reverse("admin:index")
    if request.user.is_authenticated:
        if request.user.is_active and request.user.is_staff:
            return redirect(next_url)
        return render(request, "accounts/admin_refused.html", status=403)  # not a redirect: that would loop
    return redirect(f"{reverse('login')}?{urlencode({'next': next_url})}")


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    """Tài khoản của tôi: the email that reset links go to, and the second factor."""
    user = request.user
    email_form = EmailForm(request.POST or None)
    if request.method == "POST" and email_form.is_valid():
        if run_service(email_form, contact.change_email, user=user, **email_form.cleaned_data):
            messages.success(request, "Đã đổi email.")
            return redirect("accounts:profile")
    context = {
        "email_form": email_form,
        "may_use": second_factor.may_use(user),
        "required": second_factor.is_required(user),
        "device": second_factor.device_of(user),
        "off_form": CodeForm(),
    }
    return render(request, "accounts/profile.html", context)


@login_required
@require_POST
def second_factor_start(request):
    second_factor.start_setup(user=request.user)
    return redirect("accounts:second_factor_setup")


@login_required
@require_http_methods(["GET", "POST"])
def second_factor_setup(request):
    """Scan the QR code (or type the key), then prove it with the first code."""
    device = second_factor.pending_device(request.user)
    if device is None:
        return redirect("accounts:profile")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if run_service(form, second_factor.confirm_setup, user=request.user, code=form.cleaned_data["code"]):
            messages.success(request, "Đã bật xác thực hai bước: từ lần đăng nhập sau, nhập thêm mã trên điện thoại.")
            return redirect("accounts:profile")
    context = {"form": form, "qr": qr_svg(device.config_url), "secret": second_factor.secret_of(device)}
    return render(request, "accounts/second_factor_setup.html", context)


@login_required
@require_POST
def second_factor_off(request):
    form = CodeForm(request.POST)
    if form.is_valid() and run_service(form, second_factor.turn_off, user=request.user, code=form.cleaned_data["code"]):
        messages.success(request, "Đã tắt xác thực hai bước.")
    else:
        messages.error(request, _errors_of(form))
    return redirect("accounts:profile")


@login_required
@require_POST
def second_factor_reset(request, pk):
    """An administrator above resets a lost phone; a user outside their scope answers 404."""
    target = get_object_or_404(users_in_scope(request.user), pk=pk)
    form = ResetForm(request.POST)
    if form.is_valid() and run_service(form, second_factor.reset, user=target, by=request.user, **form.cleaned_data):
        messages.success(request, f"Đã đặt lại xác thực hai bước của {target.get_username()}.")
    else:
        messages.error(request, _errors_of(form))
    return redirect("organizations:user", pk=target.pk)


def _errors_of(form) -> str:
    """A refused button's form errors as one message (the page it returns to has no form)."""
    return " ".join(message for errors in form.errors.values() for message in errors)
