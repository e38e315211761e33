"""A chi đoàn cơ sở for the tests of issue 15: a tổ chức cơ sở Đoàn holding members itself, placed
under a district or a province of the shared tree (tests/conftest.py)."""

from organizations.models import Organization

from .factories import MemberFactory, make_unit, refresh_counts


def make_grassroots_branch(parent: Organization, code: str, name: str, members: int = 5) -> Organization:
    unit = make_unit(parent, code, name, "chi-doan-co-so")
    MemberFactory.create_batch(members, branch=unit)
    refresh_counts()
    unit.refresh_from_db()
    return unit
