from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from . import services
from .forms import PreferenceForm
from .models import Notification, Preference

PAGE = 50


@login_required
@require_GET
def inbox(request):
    """Thông báo của tôi: the latest notifications, unread first in the home page's list."""
    rows = Notification.objects.filter(recipient=request.user).select_related("unit")[:PAGE]
    return render(request, "notifications/inbox.html", {"rows": rows})


@login_required
@require_GET
def open_notification(request, pk: int):
    """Another person's notification answers 404, as anything outside one's scope does."""
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    return redirect(services.open_notification(notification=notification))


@login_required
@require_POST
def preferences(request):
    instance = Preference.objects.filter(user=request.user).first() or Preference(user=request.user)
    form = PreferenceForm(request.POST, instance=instance)
    if form.is_valid():
        services.save_preference(user=request.user, **form.cleaned_data)
        messages.success(request, "Đã lưu cách nhận thông báo qua email.")
    else:
        messages.error(request, "Cách nhận thông báo chưa lưu: hãy chọn một cách gửi email.")
    return redirect("accounts:profile")
