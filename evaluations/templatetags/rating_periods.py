from django import template

from evaluations.selectors import deadline_for

register = template.Library()


@register.filter
def due_for(period, unit):
    """``{{ period|due_for:unit }}``: the unit's deadline in the period (its deadlines prefetched).
    A filter, not a loop in the template: the queue shows it on each of its 50 rows (11 ms a page
    as a loop over the deadlines, issue 13)."""
    return deadline_for(period, unit)
