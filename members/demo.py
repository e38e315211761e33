"""Deterministic demo data: a realistic tree, members with Vietnamese names, one user per role.

The tree: Trung ương Đoàn; a Đoàn Khối with cơ sở trực thuộc; provinces with districts, cơ sở
(some directly under the province since the 2025 reform, some with intermediate units) and chi
đoàn of 3–60 members. Provinces are added until the member count asked for is reached."""

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from organizations.models import Level, Organization, Post, UnitKind
from organizations.services import PathAllocator, rebuild_counts

from .bulk import branch_member_counts, insert_members
from .models import Member

SURNAMES = (
    ["Nguyễn"] * 8
    + ["Trần"] * 3
    + ["Lê"] * 3
    + [
        "Phạm",
        "Hoàng",
        "Huỳnh",
        "Phan",
        "Vũ",
        "Võ",
        "Đặng",
        "Bùi",
        "Đỗ",
        "Hồ",
        "Ngô",
        "Dương",
        "Lý",
        "Đinh",
        "Lương",
        "Triệu",
        "Hà",
    ]
)
MIDDLE_M = ["Văn", "Minh", "Đức", "Quốc", "Hữu", "Thanh", "Hoàng", "Xuân", "Ngọc", "Công", "Tuấn", "Duy"]
MIDDLE_F = ["Thị", "Thị", "Ngọc", "Thu", "Thanh", "Minh", "Phương", "Hồng", "Mỹ", "Khánh", "Bảo", "Diệu"]
GIVEN_M = [
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Đạt",
    "Giang",
    "Hải",
    "Hiếu",
    "Hòa",
    "Hùng",
    "Huy",
    "Khánh",
    "Khoa",
    "Long",
    "Minh",
    "Nam",
    "Nghĩa",
    "Phong",
    "Phúc",
    "Quân",
    "Quang",
    "Sơn",
    "Tâm",
    "Thắng",
    "Thành",
    "Trung",
    "Tuấn",
    "Tùng",
    "Việt",
    "Vinh",
]
GIVEN_F = [
    "Anh",
    "Châu",
    "Chi",
    "Dung",
    "Giang",
    "Hà",
    "Hạnh",
    "Hằng",
    "Hiền",
    "Hoa",
    "Hương",
    "Lan",
    "Linh",
    "Loan",
    "Mai",
    "My",
    "Ngân",
    "Ngọc",
    "Nhung",
    "Oanh",
    "Phương",
    "Quỳnh",
    "Thảo",
    "Thu",
    "Trang",
    "Tuyết",
    "Uyên",
    "Vân",
    "Xuân",
    "Yến",
]
ETHNIC = ["Kinh"] * 40 + ["Tày", "Tày", "Nùng", "Thái", "Mường", "Dao", "Mông", "Khmer", "Hoa", "Sán Dìu"]
PROVINCES = [
    "Thái Nguyên",
    "Hưng Yên",
    "Bạc Liêu",
    "Bắc Giang",
    "Nghệ An",
    "Đắk Lắk",
    "Cần Thơ",
    "Quảng Ninh",
    "Lâm Đồng",
    "Hà Tĩnh",
    "Thanh Hóa",
    "Đồng Nai",
    "Khánh Hòa",
    "Phú Thọ",
    "Tuyên Quang",
    "Lào Cai",
]
DISTRICT_WORDS = [
    "Phú Bình",
    "Đại Từ",
    "Định Hóa",
    "Võ Nhai",
    "Đồng Hỷ",
    "Phổ Yên",
    "Sông Công",
    "Phú Lương",
    "Tân Yên",
    "Yên Thế",
    "Kim Động",
    "Ân Thi",
    "Văn Lâm",
    "Mỹ Hào",
    "Hồng Dân",
    "Giá Rai",
]
COMMUNES = [
    "Tân Thành",
    "Hòa Bình",
    "Quyết Thắng",
    "Đồng Tâm",
    "Thống Nhất",
    "Tiên Phong",
    "Hợp Tiến",
    "Minh Đức",
    "Phúc Xuân",
    "Tân Cương",
    "Cù Vân",
    "Hà Thượng",
    "Yên Lãng",
    "Quân Chu",
    "Bình Sơn",
]
OCCUPATIONS = ["Học sinh", "Sinh viên", "Công nhân", "Nông dân", "Công chức", "Viên chức", "Lao động tự do"]
DEMO_PASSWORD = "DoanHub@2026"


@dataclass
class DemoResult:
    members: int = 0
    units: int = 0
    top_units: list[tuple[str, str]] = field(default_factory=list)
    logins: list[tuple[str, str, str]] = field(default_factory=list)  # username, role, unit


class _Builder:
    def __init__(self, rng: random.Random, today: date):
        self.rng, self.today = rng, today
        self.levels = {lv.code: lv for lv in Level.objects.all()}
        self.kinds = {k.code: k for k in UnitKind.objects.all()}
        self.paths = PathAllocator()
        # only the part of the tree not yet written: flush() empties them after each province
        self.units: list[Organization] = []
        self.branches: list[tuple[Organization, int]] = []
        self.seq = 0
        self.saved_units = self.saved_members = 0

    def flush(self) -> None:
        """Write the units built so far and their members, then forget them: memory holds one
        province's units at a time, whatever the member count (issue 13: 6 M members)."""
        _save_units(self.units)
        self.saved_members += insert_members(self.member(branch) for branch, size in self.branches for _ in range(size))
        self.saved_units += len(self.units)
        self.units, self.branches = [], []

    def unit(self, parent_path: str, code: str, name: str, level: str, kind: str | None = None) -> Organization:
        org = Organization(
            path=self.paths.child_path(parent_path),
            code=code,
            name=name,
            level=self.levels[level],
            kind=self.kinds.get(kind) if kind else None,
            founded_on=date(2000 + self.rng.randint(0, 20), 3, 26),
        )
        org.depth = len(org.path) // Organization.steplen
        org.numchild = 0
        self.units.append(org)
        return org

    def branches_under(self, parent: Organization, prefix: str, count: int, left: int, kind: str) -> int:
        for i in range(1, count + 1):
            if left <= 0:
                break
            size = min(self.rng.randint(3, 60), left)
            branch = self.unit(
                parent.path, f"{prefix}-CD{i:02d}", f"Chi đoàn {self._branch_name(kind, i)}", "chi-doan", kind
            )
            self.branches.append((branch, size))
            left -= size
        return left

    def _branch_name(self, kind: str, i: int) -> str:
        if kind == "truong-hoc":
            return f"lớp {10 + i % 3}A{i}"
        if kind == "dia-ban-dan-cu":
            return f"thôn {i}"
        return f"phòng {i}"

    def grassroots(self, parent: Organization, code: str, name: str, kind: str, left: int) -> int:
        base = self.unit(parent.path, code, name, "co-so", kind)
        if self.rng.random() < 0.15:  # a large cơ sở with liên chi đoàn in between
            for j in range(1, 3):
                mid = self.unit(base.path, f"{code}-BP{j}", f"Liên chi đoàn {j} — {name}", "trung-gian", kind)
                left = self.branches_under(mid, f"{code}-BP{j}", self.rng.randint(2, 6), left, kind)
            return left
        return self.branches_under(base, code, self.rng.randint(3, 14), left, kind)

    def grassroots_branch(self, parent: Organization, code: str, name: str, kind: str, left: int) -> int:
        """A chi đoàn cơ sở: a tổ chức cơ sở Đoàn directly under a district or province that holds
        its members itself (issue 15), so the demo shows one rated and approved as grassroots."""
        if left <= 0:
            return left
        size = min(self.rng.randint(15, 60), left)
        self.branches.append((self.unit(parent.path, code, name, "chi-doan-co-so", kind), size))
        return left - size

    def member(self, branch: Organization) -> dict:
        rng = self.rng
        female = rng.random() < 0.5
        name = " ".join(
            [
                rng.choice(SURNAMES),
                rng.choice(MIDDLE_F if female else MIDDLE_M),
                rng.choice(GIVEN_F if female else GIVEN_M),
            ]
        )
        # old enough that an admission a month ago still found them 16 (the validation rules hold)
        birth = self.today - timedelta(days=rng.randint(16 * 365 + 40, 30 * 365 - 5))
        admitted = birth + timedelta(days=rng.randint(16 * 365 + 5, 18 * 365))
        admitted = min(admitted, self.today - timedelta(days=30))
        self.seq += 1
        party = rng.random() < 0.08
        return dict(
            branch_id=branch.pk,
            full_name=name,
            birth_date=birth,
            gender="nu" if female else "nam",
            ethnicity=rng.choice(ETHNIC),
            religion="Không",
            citizen_id=f"0{self.seq:011d}" if rng.random() < 0.9 else None,
            card_number=f"DV{self.seq:09d}" if rng.random() < 0.8 else None,
            admitted_on=admitted,
            admitted_at=branch.name,
            phone=f"09{rng.randint(10000000, 99999999)}",
            is_party_member=party,
            party_joined_on=min(admitted + timedelta(days=700), self.today) if party else None,
            status=Member.Status.ACTIVE,
            joined_branch_on=admitted,
            occupation=rng.choice(OCCUPATIONS),
        )


def _build_tree(b: _Builder, members: int) -> list[Organization]:
    rng = b.rng
    root = Organization.objects.filter(depth=1).first()
    if root is None:
        root = b.unit("", "TW", "Trung ương Đoàn TNCS Hồ Chí Minh", "tw")
    left = members
    khoi = b.unit(root.path, "DKTW", "Đoàn Khối các cơ quan Trung ương", "tinh", "co-quan")
    tops = [khoi]
    for i in range(1, 6):  # cơ sở trực thuộc Đoàn Khối
        left = b.grassroots(
            khoi,
            f"DKTW-CS{i:02d}",
            f"Đoàn Bộ {['Tài chính', 'Y tế', 'Giáo dục', 'Tư pháp', 'Công Thương'][i - 1]}",
            "co-quan",
            left,
        )
    b.flush()
    p = 0
    while left > 0:
        p += 1
        pname = PROVINCES[(p - 1) % len(PROVINCES)] + ("" if p <= len(PROVINCES) else f" {p}")
        pcode = f"T{p:02d}"
        prov = b.unit(root.path, pcode, f"Tỉnh đoàn {pname}", "tinh", "co-quan")
        tops.append(prov)
        for j in range(1, 4):  # đoàn trực thuộc tỉnh (no district)
            left = b.grassroots(
                prov,
                f"{pcode}-TT{j}",
                f"Đoàn trường {['Cao đẳng Sư phạm', 'Đại học Kỹ thuật', 'Công ty Điện lực'][j - 1]} {pname}",
                "truong-hoc" if j < 3 else "doanh-nghiep",
                left,
            )
        left = b.grassroots_branch(
            prov, f"{pcode}-CDCS1", f"Chi đoàn cơ sở Bệnh viện Đa khoa tỉnh {pname}", "don-vi-su-nghiep", left
        )
        for d in range(1, rng.randint(7, 11) + 1):
            if left <= 0:
                break
            dname = DISTRICT_WORDS[(d - 1) % len(DISTRICT_WORDS)]
            dist = b.unit(prov.path, f"{pcode}-H{d:02d}", f"Huyện đoàn {dname}", "huyen", "co-quan")
            if d <= 2:  # a few chi đoàn cơ sở directly under a district
                name = f"Chi đoàn cơ sở Trung tâm Y tế {dname}"
                left = b.grassroots_branch(dist, f"{pcode}-H{d:02d}-CDCS1", name, "don-vi-su-nghiep", left)
            for c in range(1, rng.randint(12, 25) + 1):
                if left <= 0:
                    break
                kind = rng.choice(["dia-ban-dan-cu"] * 3 + ["truong-hoc", "doanh-nghiep", "co-quan"])
                cname = COMMUNES[(c - 1) % len(COMMUNES)]
                label = {
                    "dia-ban-dan-cu": f"Đoàn xã {cname}",
                    "truong-hoc": f"Đoàn trường THPT {cname}",
                    "doanh-nghiep": f"Đoàn Công ty {cname}",
                    "co-quan": f"Đoàn cơ quan {cname}",
                }[kind]
                left = b.grassroots(dist, f"{pcode}-H{d:02d}-CS{c:02d}", f"{label} ({dname})", kind, left)
        b.flush()
    return tops


DEMO_USERS = [
    # username, role, how to find the unit, full name
    ("quantri", Post.Role.ADMIN, "root", "Quản Trị Viên"),
    ("thuongtruc.tinh", Post.Role.APPROVER, "province", "Trần Thị Thường Trực"),
    ("canbo.tinh", Post.Role.STAFF, "province", "Lê Văn Cán Bộ"),
    ("quantri.tinh", Post.Role.ADMIN, "province", "Phạm Minh Quản Trị"),
    ("duyet.huyen", Post.Role.APPROVER, "district", "Hoàng Đức Huyện"),
    ("duyet.coso", Post.Role.APPROVER, "grassroots", "Vũ Thị Cơ Sở"),
    ("bithu.coso", Post.Role.SECRETARY, "grassroots", "Đỗ Văn Bí Thư"),
    ("bithu.chidoan", Post.Role.SECRETARY, "branch", "Nguyễn Thị Chi Đoàn"),
]


def _demo_users(tops: list[Organization]) -> list[tuple[str, str, str]]:
    User = get_user_model()
    province = tops[1] if len(tops) > 1 else tops[0]
    district = (
        Organization.objects.filter(path__startswith=province.path, level__code="huyen").order_by("path").first()
        or province
    )
    grassroots = (
        Organization.objects.filter(path__startswith=district.path, level__code="co-so").order_by("path").first()
        or district
    )
    branch = (
        Organization.objects.filter(path__startswith=grassroots.path, level__code="chi-doan").order_by("path").first()
        or grassroots
    )
    where = {
        "root": Organization.objects.get(depth=1, path=province.path[: Organization.steplen]),
        "province": province,
        "district": district,
        "grassroots": grassroots,
        "branch": branch,
    }
    logins = []
    hashed = make_password(DEMO_PASSWORD)  # hashed once: PBKDF2 is deliberately slow
    for username, role, place, full_name in DEMO_USERS:
        first, _, last = full_name.rpartition(" ")
        user = User.objects.create(
            username=username,
            password=hashed,
            first_name=first,
            last_name=last,
            is_staff=(role == Post.Role.ADMIN and place == "root"),
            is_superuser=(role == Post.Role.ADMIN and place == "root"),
        )
        Post.objects.create(user=user, organization=where[place], role=role)
        logins.append((username, Post(role=role).get_role_display(), where[place].name))
    return logins


def has_demo_data() -> bool:
    return Organization.objects.exists() or Member.objects.exists()


@transaction.atomic
def reset_demo_data() -> None:
    """Remove the tree, members and demo users (levels and kinds stay): for --reset only."""
    from django.apps import apps
    from django.db import connection

    demo_users = get_user_model().objects.filter(username__in=[u[0] for u in DEMO_USERS])
    if connection.vendor == "postgresql":
        # Millions of rows: TRUNCATE … CASCADE also empties every table that points into them.
        with connection.cursor() as cursor:
            cursor.execute(
                "TRUNCATE members_member, organizations_organization, organizations_post, "
                "organizations_auditentry RESTART IDENTITY CASCADE"
            )
        demo_users.delete()
        return

    # Higher apps' rows reference members and units; they are demo data too. Delete every table
    # that points into the tree by walking the models, leaves first.
    for model in reversed(apps.get_models()):
        if model._meta.app_label in ("evaluations", "recognition", "fieldwork", "reports"):
            model.objects.all().delete()
    Member.objects.all().delete()
    Post.objects.all().delete()
    from organizations import audit

    audit.erase_everything_for_demo_reset()
    demo_users.delete()
    Organization.objects.all().delete()


def seed(*, members: int, seed: int = 1, today: date | None = None) -> DemoResult:
    """Build the demo tree, ``members`` members and the demo users, in one transaction."""
    rng = random.Random(seed)
    today = today or date(timezone.localdate().year, 1, 1)
    b = _Builder(rng, today)
    with transaction.atomic():
        tops = _build_tree(b, members)
        _demo_cadres(rng, today)
        rebuild_counts(branch_member_counts())
        logins = _demo_users(tops)
    return DemoResult(
        members=b.saved_members, units=b.saved_units, top_units=[(t.code, t.name) for t in tops], logins=logins
    )


CADRES_PER_BATCH = 5000


def _demo_cadres(rng: random.Random, today: date) -> None:
    """Each chi đoàn's two oldest members become its bí thư and phó bí thư; about 3% of the bí
    thư are made 36, past the statute's limit, as the over-age cadres provinces track (seed 002)."""
    from django.db.models import Window
    from django.db.models.functions import RowNumber

    from .models import CadreTitle, MemberPosition

    ranked = (
        Member.objects.annotate(
            rank=Window(RowNumber(), partition_by=[F("branch_id")], order_by=[F("birth_date").asc(), F("pk").asc()])
        )
        .filter(rank__lte=2)
        .order_by("branch_id", "rank")
        .values_list("pk", "branch_id", "rank")
    )
    since = today - timedelta(days=400)
    positions, over_age = [], []
    for pk, branch_id, rank in ranked.iterator(chunk_size=CADRES_PER_BATCH):  # two per chi đoàn: streamed
        title = CadreTitle.SECRETARY if rank == 1 else CadreTitle.DEPUTY
        positions.append(MemberPosition(member_id=pk, unit_id=branch_id, title=title, since=since))
        if rank == 1 and rng.random() < 0.03:
            over_age.append(pk)
        if len(positions) == CADRES_PER_BATCH:
            MemberPosition.objects.bulk_create(positions)
            positions = []
    MemberPosition.objects.bulk_create(positions)
    born = today.replace(year=today.year - 36)
    Member.objects.filter(pk__in=over_age).update(birth_date=born, admitted_on=born.replace(year=born.year + 17))


def _save_units(units: list[Organization]) -> None:
    from organizations.text import fold

    children: dict[str, int] = {}
    for org in units:
        parent = org.path[: -Organization.steplen]
        children[parent] = children.get(parent, 0) + 1
        org.name_folded = fold(f"{org.name} {org.code}")
    for org in units:
        org.numchild = children.get(org.path, 0)
    Organization.objects.bulk_create(units, batch_size=5000)
    # a parent written earlier (the root, by an earlier flush or an earlier seed) gained children
    for path in set(children) - {u.path for u in units} - {""}:
        Organization.objects.filter(path=path).update(numchild=F("numchild") + children[path])
