from django import template

from ..forms import TokenForm
from ..tokens import tokens_of

register = template.Library()


@register.inclusion_tag("api/_tokens.html", takes_context=True)
def api_tokens(context):
    """The profile page's "Mã truy cập API" section (the profile lives in accounts)."""
    request = context["request"]
    return {"tokens": tokens_of(request.user), "form": TokenForm(), "request": request}
