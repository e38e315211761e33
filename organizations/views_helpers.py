"""Small helpers shared by the views of every app."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.forms import Form
from django.http import FileResponse, Http404


def run_service(form: Form, call, *args, **kwargs):
    """Call a service; a rule it refuses becomes a form error instead of a crash.

    Returns the service's result, or None when it refused (the form then carries the message)."""
    try:
        return call(*args, **kwargs)
    except ValidationError as exc:
        for message in exc.messages:
            form.add_error(None, message)
    return None


def run_action(request, call, done: str = "", **kwargs) -> bool:
    """Run a service from a button, for the user: a rule it refuses becomes an error message, not
    a crash; ``done`` is the message when it succeeded. Returns whether it did."""
    try:
        call(by=request.user, **kwargs)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return False
    if done:
        messages.success(request, done)
    return True


def require(allowed: bool) -> None:
    """Inside the scope but without the role: 403 (the object's existence is already known)."""
    if not allowed:
        raise PermissionDenied


def paginate(request, queryset, per_page: int = 50):
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def stream_stored(file, *, filename: str, missing: str) -> FileResponse:
    """A stored file (a FileField's, in any storage: local disk or the S3-compatible store) as a
    download streamed through the view that checked login and scope; never a redirect to the
    store, whose objects stay private. The file gone from the store answers 404 with ``missing``."""
    if not file:
        raise Http404(missing)
    try:
        handle = file.storage.open(file.name, "rb")
    except FileNotFoundError:
        raise Http404(missing) from None
    return FileResponse(handle, as_attachment=True, filename=filename)
