"""The reader behind every import (issue 13): python-calamine reads what Excel, openpyxl and
LibreOffice write; the streaming XML reader takes only the files calamine cannot read; a broken
file is refused with the reader's message; a re-import finds its members through the file's
keys in the database, across chi đoàn."""

import zipfile
from datetime import date, datetime
from types import SimpleNamespace

import pytest
import python_calamine
from openpyxl import Workbook

from members import matching, xlsxreader
from members.importers import MEMBER_REQUIRED, MemberImporter
from members.models import Member
from members.widgets import ERROR_CELL
from tests.factories import patched

from . import bad_xlsx
from .conftest import member_row, write_xlsx

pytestmark = pytest.mark.django_db
STYLES = "xl/styles.xml"


def read(path, headers=MEMBER_REQUIRED) -> list[tuple[int, dict]]:
    _, rows = xlsxreader.read_sheet(str(path), headers[:1], headers[1:])
    return list(rows)


@pytest.fixture
def readers(monkeypatch):
    """Which reader read the sheet: "calamine", "xml" or both (calamine tried, then refused)."""
    used = []
    calamine_rows, xml_rows = xlsxreader._calamine_rows, xlsxreader._xml_rows

    def spy(name, real):
        def reader(*args, **kwargs):
            used.append(name)
            return real(*args, **kwargs)

        return reader

    monkeypatch.setattr(xlsxreader, "_calamine_rows", spy("calamine", calamine_rows))
    monkeypatch.setattr(xlsxreader, "_xml_rows", spy("xml", xml_rows))
    return used


# -- what calamine reads -------------------------------------------------------------------------


def test_it_reads_what_openpyxl_wrote_dates_numbers_and_text(tree, tmp_path, readers):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(MEMBER_REQUIRED)
    sheet.append(member_row(birth=datetime(2000, 5, 15), cccd=79200000001, phone=912345678))
    sheet["B2"].number_format = "dd/mm/yyyy"
    workbook.save(tmp_path / "a.xlsx")
    [(number, row)] = read(tmp_path / "a.xlsx")
    assert readers == ["calamine"] and number == 2
    assert row["Ngày sinh"] == date(2000, 5, 15) and row["Số CCCD"] == 79200000001 and row["Số điện thoại"] == 912345678
    result = MemberImporter(user=None).run(str(tmp_path / "a.xlsx"))
    assert result.ok and result.created == 1, result.errors
    member = Member.objects.get(citizen_id="079200000001")  # the leading zero Excel dropped, restored
    assert (member.birth_date, member.phone) == (date(2000, 5, 15), "0912345678")


def _libreoffice_like(path, *, date_cell: str) -> zipfile.ZipFile:
    """A workbook as LibreOffice saves one: shared strings for the text, a custom DD/MM/YYYY
    format in its styles, rows in order; plus one inline string (another tool's habit)."""
    strings = [f"<si><t>{bad_xlsx.escape(text)}</t></si>" for text in [*MEMBER_REQUIRED, *bad_xlsx.ROW]]
    index = {text: i for i, text in enumerate([*MEMBER_REQUIRED, *bad_xlsx.ROW])}
    header = "".join(f'<c r="{bad_xlsx.column_letters(i)}1" t="s"><v>{i}</v></c>' for i in range(9))
    cells = []
    for i, text in enumerate(bad_xlsx.ROW):
        ref = f"{bad_xlsx.column_letters(i)}2"
        if i == 1:
            cells.append(date_cell.format(ref=ref))
        elif i == 7:
            cells.append(bad_xlsx.cell(ref, text))  # inline
        elif text:
            cells.append(f'<c r="{ref}" s="0" t="s"><v>{index[text]}</v></c>')
    rows = [f'<row r="1">{header}</row>', f'<row r="2">{"".join(cells)}</row>']
    bad_xlsx.workbook(path, rows, strings=strings, header=False)
    styles = (
        f'<styleSheet xmlns="{bad_xlsx.MAIN}"><numFmts count="1"><numFmt numFmtId="164" formatCode="DD/MM/YYYY"/>'
        '</numFmts><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="164" applyNumberFormat="1"/></cellXfs>'
        "</styleSheet>"
    )
    rels = "xl/_rels/workbook.xml.rels"
    with zipfile.ZipFile(path) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    parts[rels] = parts[rels].replace(
        b"</Relationships>",
        f'<Relationship Id="rId9" Type="{bad_xlsx.REL}/styles" Target="styles.xml"/></Relationships>'.encode(),
    )
    parts[STYLES] = styles.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            target.writestr(name, data)
    return path


@pytest.mark.parametrize(
    "date_cell",
    ['<c r="{ref}" s="1"><v>36661</v></c>', '<c r="{ref}" t="inlineStr"><is><t>15/05/2000</t></is></c>'],
    ids=["date as a number", "date as text"],
)
def test_it_reads_what_libreoffice_writes(tree, tmp_path, readers, date_cell):
    path = _libreoffice_like(tmp_path / "lo.xlsx", date_cell=date_cell)
    [(number, row)] = read(path)
    assert readers == ["calamine"] and number == 2
    assert row["Họ và tên"] == "Nguyễn Văn Mới" and row["Dân tộc"] == "Kinh" and row["Mã chi đoàn"] == "T1-H1-CS1-CD1"
    result = MemberImporter(user=None).run(str(path))
    assert result.ok and result.created == 1, result.errors
    assert Member.objects.get(full_name="Nguyễn Văn Mới").birth_date == date(2000, 5, 15)


def test_a_title_above_the_header_keeps_the_sheets_row_numbers(tree, tmp_path, readers):
    path = write_xlsx(tmp_path / "t.xlsx", None, [["DANH SÁCH ĐOÀN VIÊN"], [], MEMBER_REQUIRED, member_row(gender="?")])
    result = MemberImporter(user=None).run(str(path))
    assert readers == ["calamine"] and [(e.row, e.column) for e in result.errors] == [(4, "Giới tính")]


# -- what the XML reader takes over --------------------------------------------------------------


def test_an_error_cell_is_read_by_the_xml_reader_and_refused_at_its_column(tree, tmp_path, readers):
    """calamine reads #N/A as a blank: the file would import with the cell silently empty."""
    path = write_xlsx(tmp_path / "e.xlsx", MEMBER_REQUIRED, [member_row()])
    path = patched(path, {"I2": '<c r="I2" t="e"><v>#N/A</v></c>'})
    result = MemberImporter(user=None).run(str(path))
    assert readers == ["xml"]
    assert [(e.row, e.column, e.message) for e in result.errors] == [
        (2, "Số điện thoại", ERROR_CELL.format(value="#N/A"))
    ]


def test_rich_text_runs_are_read_by_the_xml_reader_with_their_spaces(tree, tmp_path, readers):
    strings = ["<si><r><t>Lê </t></r><r><t>Thị Hà</t></r></si>"]
    rows = [bad_xlsx.row_xml(1, MEMBER_REQUIRED), '<row r="2"><c r="A2" t="s"><v>0</v></c></row>']
    path = bad_xlsx.workbook(tmp_path / "r.xlsx", rows, strings=strings, header=False)
    assert read(path) == [(2, {"Họ và tên": "Lê Thị Hà", **dict.fromkeys(MEMBER_REQUIRED[1:])})]
    assert readers == ["xml"]


def test_a_file_calamine_refuses_is_read_by_the_xml_reader(tree, tmp_path, readers, monkeypatch):
    def refuse(handle):
        raise python_calamine.CalamineError("unsupported")

    stub = SimpleNamespace(
        CalamineError=python_calamine.CalamineError, CalamineWorkbook=SimpleNamespace(from_filelike=refuse)
    )
    monkeypatch.setattr(xlsxreader, "python_calamine", stub)
    result = MemberImporter(user=None).run(str(write_xlsx(tmp_path / "f.xlsx", MEMBER_REQUIRED, [member_row()])))
    assert readers == ["calamine", "xml"] and result.ok and result.created == 1, result.errors


def test_a_sheet_too_wide_to_lay_out_is_read_by_the_xml_reader(tree, tmp_path, readers, monkeypatch):
    """A stray cell at XFD under many rows would be 16,384 columns × every row in calamine."""
    monkeypatch.setattr(xlsxreader, "MAX_DENSE_CELLS", 1000)
    path = write_xlsx(tmp_path / "w.xlsx", MEMBER_REQUIRED, [member_row()])
    path = patched(path, {}, after={1: '<c r="XFD1" t="inlineStr"><is><t>Ghi chú</t></is></c>'})
    assert MemberImporter(user=None).run(str(path)).created == 1
    assert readers == ["xml"]


# -- broken files ----------------------------------------------------------------------------------


def test_a_malformed_sheet_is_refused_and_nothing_written(tree, tmp_path):
    path = write_xlsx(tmp_path / "m.xlsx", MEMBER_REQUIRED, [member_row()])
    broken = tmp_path / "broken.xlsx"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(broken, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == bad_xlsx.SHEET:
                data = data[: len(data) // 2]  # cut off mid-row, as a transfer that broke off leaves it
            target.writestr(item, data)
    before = Member.objects.count()
    result = MemberImporter(user=None).run(str(broken))
    assert [str(e) for e in result.errors] == [f"Tệp: {xlsxreader.NOT_XLSX}"]
    assert Member.objects.count() == before


def test_a_workbook_without_its_sheet_part_is_refused(tree, tmp_path):
    path = write_xlsx(tmp_path / "n.xlsx", MEMBER_REQUIRED, [member_row()])
    broken = tmp_path / "nosheet.xlsx"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(broken, "w") as target:
        for item in source.infolist():
            if item.filename != bad_xlsx.SHEET:
                target.writestr(item, source.read(item.filename))
    assert [str(e) for e in MemberImporter(user=None).run(str(broken)).errors] == [f"Tệp: {xlsxreader.NOT_XLSX}"]


# -- re-import matching, through the database ------------------------------------------------------


def _row(member, **changes):
    values = dict(
        name=member.full_name,
        birth=member.birth_date.strftime("%d/%m/%Y"),
        gender=member.get_gender_display(),
        cccd=member.citizen_id or "",
        branch=member.branch.code,
        admitted=member.admitted_on.strftime("%d/%m/%Y"),
        card=member.card_number or "",
    )
    return member_row(**(values | changes))


def test_a_reimport_across_chi_doan_matches_by_cccd_card_and_person(tree, members_xlsx, monkeypatch):
    by_cid, by_card, by_person = tree.members[0], tree.members2[0], tree.member3
    Member.objects.filter(pk=by_card.pk).update(citizen_id=None)
    Member.objects.filter(pk=by_person.pk).update(citizen_id=None, card_number=None)
    for member in (by_card, by_person):
        member.refresh_from_db()
    rows = [
        _row(by_cid, phone="0911111111"),
        _row(by_card, phone="0922222222"),
        _row(by_person, phone="0933333333", card=""),
        member_row(name="Người Mới", cccd="079200000099", branch=tree.branch_other.code),
    ]
    seen = []
    real = matching.saved_members
    monkeypatch.setattr(matching, "saved_members", lambda keys: seen.append(real(keys)) or seen[-1])
    before = Member.objects.count()
    result = MemberImporter(user=None).run(str(members_xlsx(rows)))
    assert (result.created, result.updated) == (1, 3), result.errors
    assert Member.objects.count() == before + 1
    phones = dict(Member.objects.filter(pk__in=[by_cid.pk, by_card.pk, by_person.pk]).values_list("pk", "phone"))
    assert phones == {by_cid.pk: "0911111111", by_card.pk: "0922222222", by_person.pk: "0933333333"}
    # only the members the file names came back from the database, each for its own row
    [(cids, cards, people)] = seen
    assert {n: s.pk for n, s in cids.items()} == {2: by_cid.pk}
    assert {n: s.pk for n, s in cards.items()} == {2: by_cid.pk, 3: by_card.pk}
    assert {n: s.pk for n, s in people.items()} == {2: by_cid.pk, 3: by_card.pk, 4: by_person.pk}


def test_a_person_is_matched_only_in_the_chi_doan_the_row_names(tree, members_xlsx):
    member = tree.members[0]
    Member.objects.filter(pk=member.pk).update(citizen_id=None, card_number=None)
    member.refresh_from_db()
    result = MemberImporter(user=None).run(str(members_xlsx([_row(member, branch=tree.branch3.code, card="")])))
    assert (result.created, result.updated) == (1, 0), result.errors  # same name and birth, another chi đoàn


def test_matching_reads_only_the_keys_it_is_given(tree):
    member = tree.members[0]
    assert matching.saved_members({}) == ({}, {}, {})
    matches, conflicts = matching.match_rows({7: (member.citizen_id, None, None), 8: ("079211111111", None, None)})
    assert {n: s.pk for n, s in matches.items()} == {7: member.pk} and conflicts == {}
