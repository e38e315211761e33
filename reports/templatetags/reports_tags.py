from django import template

from organizations.numbers import vn_int

from ..builders.common import vn_percent

register = template.Library()


@register.simple_tag
def report_cell(value, index, percent_columns):
    """One table cell as the page shows it: "20,4%" for rates, "2.294" for counts."""
    if index in percent_columns and isinstance(value, int | float):
        return vn_percent(float(value))
    if isinstance(value, int) and not isinstance(value, bool):
        return vn_int(value)
    return "" if value is None else value


@register.filter
def is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)
