"""Events the tree announces to the apps above it.

``organizations`` imports no other app (DESIGN.md), yet a merge must move the merged unit's
members: ``members`` listens to ``unit_merged`` and moves them through its own service."""

from django.dispatch import Signal

# sent with: source, target, by, on_date, reason — inside the merge transaction
unit_merged = Signal()
