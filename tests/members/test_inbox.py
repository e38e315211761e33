from datetime import date

from members import inbox, services
from members.models import Member, MemberPosition


def test_pending_transfers_in_and_over_age_cadres_show_on_the_home_page(tree, users, django_assert_max_num_queries):
    assert inbox.items(users.outsider) == []
    services.request_transfer(member=tree.members[0], to_branch=tree.branch_other, by=users.secretary)
    old = Member.objects.create(branch=tree.branch, full_name="Đinh Văn Già", birth_date=date(1980, 1, 1), gender="nam")
    MemberPosition.objects.create(member=old, title="uy_vien_bch", unit=tree.district, since=date(2015, 1, 1))
    with django_assert_max_num_queries(4):
        [item] = inbox.items(users.outsider)
    assert item.count == 1 and "chờ tiếp nhận" in item.title
    [item] = inbox.items(users.province_staff)
    assert item.count == 1 and "quá tuổi" in item.title and item.url.endswith("/don-vi/T1/can-bo-qua-tuoi/")
    assert inbox.items(users.nopost) == []


def test_a_subtree_may_tighten_the_age_limit(tree, users):
    from members.models import CadreAgeLimit
    from members.selectors import over_age_cadres
    from organizations.models import Level

    holder = Member.objects.create(
        branch=tree.branch, full_name="Lý Văn Ba", gender="nam", birth_date=date(date.today().year - 33, 1, 1)
    )
    MemberPosition.objects.create(member=holder, title="bi_thu", unit=tree.branch, since=date(2020, 1, 1))
    assert not over_age_cadres(tree.province).exists()
    CadreAgeLimit.objects.create(
        title="bi_thu",
        level=Level.objects.get(code="chi-doan"),
        organization=tree.province,
        max_age_first=28,
        max_age_holding=32,
    )
    assert over_age_cadres(tree.province).get().member == holder
    CadreAgeLimit.objects.create(
        title="bi_thu",
        level=Level.objects.get(code="chi-doan"),
        organization=tree.district,
        max_age_first=40,
        max_age_holding=45,
    )  # a looser row cannot loosen
    assert over_age_cadres(tree.province).exists()


def test_a_limit_applies_only_to_its_own_title_and_level(tree, users):
    """Rules sharing a cut-off are tested together (one IN test per set of titles): a title
    limited at one level does not become limited at another level that limits another title."""
    from members.models import CadreAgeLimit
    from members.selectors import over_age_cadres
    from organizations.models import Level

    CadreAgeLimit.objects.all().delete()
    branch_level, district_level = Level.objects.get(code="chi-doan"), tree.district.level
    for title, level in (("bi_thu", branch_level), ("pho_bi_thu", district_level)):
        CadreAgeLimit.objects.create(title=title, level=level, max_age_first=28, max_age_holding=30)
    born = date(date.today().year - 40, 1, 1)
    held = {}
    for title, unit in (("bi_thu", tree.branch), ("pho_bi_thu", tree.branch), ("bi_thu", tree.district)):
        member = Member.objects.create(branch=tree.branch, full_name=f"Hà Văn {title}", gender="nam", birth_date=born)
        held[(title, unit.pk)] = MemberPosition.objects.create(member=member, title=title, unit=unit, since=born)
    assert set(over_age_cadres(tree.province)) == {held[("bi_thu", tree.branch.pk)]}
    CadreAgeLimit.objects.create(title="bi_thu", level=district_level, max_age_first=28, max_age_holding=30)
    assert set(over_age_cadres(tree.province)) == {held[("bi_thu", tree.branch.pk)], held[("bi_thu", tree.district.pk)]}
