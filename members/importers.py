"""The "members" and "organizations" import kinds (``import_xlsx KIND FILE``, the upload page).

Each is a django-import-export resource (``members.resources``, ``members.unit_resources``) run
by the shared engine in ``members.importing``: every row checked first, nothing written unless
every row is valid, a re-import updates and never duplicates, and only inside the importing
user's scope (without a user — the command run by an operator — the whole tree)."""

from .importing import ResourceImporter, register
from .resources import MemberResource
from .unit_resources import UnitResource


def _headers(resource_class) -> list[str]:
    resource = resource_class()
    return [f.column_name for f in resource.get_import_fields() if not f.readonly]


MEMBER_HEADERS = _headers(MemberResource)
MEMBER_REQUIRED = MEMBER_HEADERS[:9]  # the published template's minimum (the list)
UNIT_HEADERS = _headers(UnitResource)


class MemberImporter(ResourceImporter):
    kind = "members"
    label = "Đoàn viên"
    resource_class = MemberResource
    headers = MEMBER_REQUIRED
    optional_headers = MEMBER_HEADERS[9:]
    example = {
        "Họ và tên": "Nguyễn Thị Lan",
        "Ngày sinh": "15/03/2003",
        "Giới tính": "Nữ",
        "Số CCCD": "001303012345",
        "Mã chi đoàn": "T01-H01-CS01-CD01",
        "Ngày vào Đoàn": "26/03/2019",
        "Số thẻ đoàn": "",
        "Dân tộc": "Kinh",
        "Số điện thoại": "0912345678",
    }


class OrganizationImporter(ResourceImporter):
    kind = "organizations"
    label = "Đơn vị"
    resource_class = UnitResource
    headers = UNIT_HEADERS
    example = {
        "Mã đơn vị": "T01-H01-CS01-CD09",
        "Tên đơn vị": "Chi đoàn thôn Đồng Tâm",
        "Cấp": "Chi đoàn",
        "Mã đơn vị cấp trên": "T01-H01-CS01",
    }

    @classmethod
    def choices(cls) -> dict[str, list[str]]:
        """Cấp and Loại hình by the names officers know (their codes and aliases are read too)."""
        from organizations.levels import level_order
        from organizations.models import Level, UnitKind

        return {
            **super().choices(),
            "Cấp": list(Level.objects.order_by(*level_order(), "name").values_list("name", flat=True)),
            "Loại hình": list(UnitKind.objects.order_by("name").values_list("name", flat=True)),
        }


def register_all() -> None:
    register(MemberImporter)
    register(OrganizationImporter)


__all__ = [
    "MemberImporter",
    "OrganizationImporter",
    "MEMBER_HEADERS",
    "MEMBER_REQUIRED",
    "UNIT_HEADERS",
    "register_all",
]
