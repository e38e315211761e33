"""List endpoints cost the same few queries however many rows they return."""

import pytest

from tests.factories import MemberFactory, make_unit, refresh_counts

LISTS = [
    "/api/v1/units/",
    "/api/v1/units/{code}/children/",
    "/api/v1/members/?unit={code}",
    "/api/v1/ratings/?unit={code}&year=2025",
    "/api/v1/rollups/?unit={code}&year=2025",
    "/api/v1/recognition/",
    "/api/v1/fieldwork/",
    "/api/v1/report-jobs/",
]
# token lookup + last-used update + posts + the endpoint's own (at most 10, the rollup's: levels,
# the reference date, the root's past paths, the units where they hung on it, the children,
# decided assessments, members in two passes; issue 18)
MAX_QUERIES = 15


def _grow(tree):
    for i in range(30):
        make_unit(tree.grassroots, f"T1-H1-CS1-X{i}", f"Chi đoàn thêm {i}", "chi-doan")
    MemberFactory.create_batch(40, branch=tree.branch)
    refresh_counts()


@pytest.mark.parametrize("endpoint", LISTS)
def test_it_costs_the_same_queries_for_few_rows_and_many(
    ratings, users, bearer, endpoint, django_assert_max_num_queries
):
    client = bearer(users.province_approver)
    url = endpoint.format(code=ratings.grassroots.code)
    with django_assert_max_num_queries(MAX_QUERIES) as few:
        assert client.get(url).status_code == 200
    _grow(ratings)
    with django_assert_max_num_queries(MAX_QUERIES) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)
