"""The profile page's token actions (the profile lives in accounts; this app owns its tokens)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from organizations.views_helpers import run_service

from . import tokens
from .forms import TokenForm


@login_required
@require_POST
def create(request):
    """The secret is shown on this one answer and never again (only its hash is kept)."""
    form = TokenForm(request.POST)
    made = form.is_valid() and run_service(form, tokens.create_token, user=request.user, **form.cleaned_data)
    if not made:
        messages.error(request, "Chưa tạo được mã truy cập: " + " ".join(m for ms in form.errors.values() for m in ms))
        return redirect("accounts:profile")
    token, secret = made
    return render(request, "api/token_created.html", {"token": token, "secret": secret})


@login_required
@require_POST
def revoke(request, pk):
    token = get_object_or_404(tokens.tokens_of(request.user), pk=pk)  # another user's token: 404
    tokens.revoke_token(token=token, by=request.user)
    messages.success(request, f"Đã thu hồi mã truy cập “{token.name}”.")
    return redirect("accounts:profile")
