from tests.members.conftest import members_xlsx  # noqa: F401 - the upload's workbook
from tests.reports.conftest import ratings  # noqa: F401 - the report's data
