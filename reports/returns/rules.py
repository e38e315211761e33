"""Who may do what with a return: the one place the views, the services and the inbox ask.

The officers of a unit (anyone holding an open post at the unit itself) send its return; the
officers of the unit directly above (the receiver) accept it or send it back. Reading follows the
subtree scope (organizations.scoping): the sender's and the receiver's officers both see it, and
so do the levels above them."""

from organizations.models import Organization
from organizations.scoping import roles_at

from .models import Return


def is_officer_of(user, unit: Organization | None) -> bool:
    if unit is None or not getattr(user, "is_authenticated", False):
        return False
    return bool(getattr(user, "is_superuser", False) or roles_at(user, unit))


def can_submit(user, root: Organization) -> bool:
    return is_officer_of(user, root)


def can_decide(user, ret: Return) -> bool:
    return ret.receiver_id is not None and is_officer_of(user, ret.receiver)


def can_send_job(user, root: Organization) -> bool:
    """The report page's "Gửi cấp trên": an officer of a unit that has a level above."""
    return root.depth > 1 and can_submit(user, root)
