"""The second-factor box on the users page (organizations' template), without organizations
importing this app: the template asks for it by tag."""

from django import template
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import second_factor
from accounts.forms import ResetForm

register = template.Library()


@register.inclusion_tag("accounts/_second_factor_admin.html", takes_context=True)
def second_factor_admin(context, target):
    by = context["request"].user
    return {
        "target": target,
        "has_device": TOTPDevice.objects.filter(user=target, confirmed=True).exists(),
        "may_reset": second_factor.may_reset(by, target),
        "form": ResetForm(),
        "csrf_token": context.get("csrf_token"),
    }
