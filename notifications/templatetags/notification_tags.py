from django import template

from ..forms import PreferenceForm
from ..models import Preference

register = template.Library()


@register.inclusion_tag("notifications/_preferences.html", takes_context=True)
def notification_preferences(context):
    """The profile page's "Nhận thông báo" form (the profile lives in accounts; this app owns it)."""
    user = context["request"].user
    instance = Preference.objects.filter(user=user).first() or Preference(user=user)
    return {"form": PreferenceForm(instance=instance), "request": context["request"], "user": user}
