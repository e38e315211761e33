"""Returns of the shared tree, on the rating data set of tests/reports (every figure known there).

The district T1-H1 (Huyện đoàn Đại Từ) sends to the province T1, whose officers receive; the
province T1 sends to TW, whose one officer here is ``tw_staff``."""

import pytest

from organizations.models import Post
from reports.services import build_data
from tests.factories import make_user
from tests.reports.conftest import _media, _memory_broker, done_job, rate, ratings  # noqa: F401 (fixtures)


@pytest.fixture
def tw_staff(tree):
    return make_user("canbo.tw", Post.Role.STAFF, tree.root)


@pytest.fixture
def submit(ratings, users):  # noqa: F811 (the fixture imported above)
    """``submit(root, by)``: a live return of 2025 ratings."""
    from reports.returns import services

    def _submit(root=None, by=None, **kwargs):
        return services.submit(
            kind="ratings", root=root or ratings.district, year=2025, by=by or users.district_approver, **kwargs
        )

    return _submit


def live(root, year=2025):
    return build_data(kind="ratings", root=root, year=year, years=[])


__all__ = ["live", "rate"]
