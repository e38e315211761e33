"""No file can take the server down (issue 14): every limit of ``members.xlsxlimits`` refuses its
bad file with a message that states the limit, writes nothing, and holds on every path (the
importer, the command, the upload page, the worker's check). Each bad file is built here."""

import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from members import import_jobs, tasks, xlsxlimits, xlsxreader
from members.importers import MemberImporter
from members.importing import CountingResult, ImportCancelled
from members.models import ImportJob, Member

from . import bad_xlsx
from .conftest import start_job

BOMB = "của tệp nén tới 1.006 lần (giới hạn 200 lần)"


def errors(path, *, dry_run=False) -> list[str]:
    result = MemberImporter(user=None).run(str(path), dry_run=dry_run)
    return [str(e) for e in result.errors]


def test_a_valid_generated_file_imports(tree, tmp_path):
    """The builder's files are real workbooks: without a fault, the rows are written."""
    assert errors(bad_xlsx.workbook(tmp_path / "ok.xlsx", bad_xlsx.member_rows(3))) == []
    assert Member.objects.count() == 10


# -- before parsing -------------------------------------------------------------------------------


def test_it_refuses_a_zip_bomb_from_its_directory(tree, tmp_path):
    path = bad_xlsx.bomb(tmp_path / "bomb.xlsx", 20_000_000)
    [message] = errors(path)
    assert message.startswith("Tệp: Phần “xl/worksheets/sheet1.xml”") and BOMB in message
    assert "bom nén" in message and Member.objects.count() == 7


def test_it_refuses_a_file_larger_than_the_limit(tree, tmp_path, settings):
    path = bad_xlsx.workbook(tmp_path / "big.xlsx", bad_xlsx.member_rows(200))
    settings.DOANHUB_IMPORT_MAX_BYTES = 2 * 1024 * 1024
    assert errors(path) == []  # under the limit: read (a dry run would do; this writes the 200 rows)
    settings.DOANHUB_IMPORT_MAX_BYTES = 1024
    [message] = errors(path)
    assert message.startswith("Tệp: Tệp nặng ") and "quá giới hạn 1 KB cho một lần nhập" in message
    settings.DOANHUB_IMPORT_MAX_BYTES = 20 * 1024 * 1024
    assert xlsxlimits.size_problem(83 * 1024 * 1024) == (
        "Tệp nặng 83 MB, quá giới hạn 20 MB cho một lần nhập. Hãy chia thành nhiều tệp nhỏ hơn rồi tải lên từng tệp."
    )


def test_it_refuses_a_file_unpacking_past_the_total(tree, tmp_path, settings):
    settings.DOANHUB_IMPORT_MAX_UNPACKED_BYTES = 1024 * 1024
    path = bad_xlsx.workbook(tmp_path / "wide.xlsx", bad_xlsx.member_rows(20_000))
    [message] = errors(path, dry_run=True)
    assert message.startswith("Tệp: Tệp giải nén ra ") and "quá giới hạn 1 MB" in message
    assert Member.objects.count() == 7


# -- while parsing ------------------------------------------------------------------------------


def test_it_stops_a_bomb_whose_directory_lies(tree, tmp_path, monkeypatch):
    """The directory claims a plausible ratio (100:1): the part is read a chunk at a time and its
    huge row cut off at a fixed size, never held whole (nor parsed first by openpyxl)."""
    monkeypatch.setattr(xlsxlimits, "MAX_ROW_XML", 1024 * 1024)  # under the 2 MB the directory claims
    path = bad_xlsx.bomb(tmp_path / "lie.xlsx", 20_000_000)
    with zipfile.ZipFile(path) as z:
        compressed = z.getinfo(bad_xlsx.SHEET).compress_size
    bad_xlsx.lie_about(path, bad_xlsx.SHEET, file_size=compressed * 100, compress_size=compressed)
    [message] = errors(path)
    assert message.startswith("Dòng 3: Dòng 3 của trang tính lớn hơn 1 MB") and Member.objects.count() == 7


def test_it_stops_a_huge_cell_while_reading(tree, tmp_path, monkeypatch):
    """Should a bomb pass the directory's checks, the row is cut off at a fixed size, not read whole."""
    monkeypatch.setattr(xlsxlimits, "MAX_RATIO", 10_000)
    [message] = errors(bad_xlsx.bomb(tmp_path / "bomb.xlsx", 20_000_000))
    assert message == (
        "Dòng 3: Dòng 3 của trang tính lớn hơn 8 MB (có ô dài hơn 32.767 ký tự, giới hạn của một ô Excel). "
        "Tệp có thể là “bom nén” (nhỏ nhưng giải nén ra rất lớn) nên không được đọc."
    )
    assert Member.objects.count() == 7


def test_it_refuses_a_cell_longer_than_excel_allows(tree, tmp_path):
    rows = [*bad_xlsx.member_rows(1), bad_xlsx.row_xml(3, ["x" * 32_768])]
    [message] = errors(bad_xlsx.workbook(tmp_path / "long.xlsx", rows))
    assert message.startswith("Dòng 3: Ô A3 dài hơn 32.767 ký tự, giới hạn của một ô Excel")
    assert Member.objects.count() == 7


def test_a_cell_at_excels_limit_is_read(tree, tmp_path):
    rows = [bad_xlsx.row_xml(2, ["x" * 32_767])]
    messages = errors(bad_xlsx.workbook(tmp_path / "long.xlsx", rows))
    assert messages and not any("32.767" in m for m in messages)  # refused for its content, not by the reader


def test_it_stops_reading_at_the_row_limit(tree, tmp_path, settings):
    settings.DOANHUB_IMPORT_MAX_ROWS = 5
    assert errors(bad_xlsx.workbook(tmp_path / "five.xlsx", bad_xlsx.member_rows(5)), dry_run=True) == []
    [message] = errors(bad_xlsx.workbook(tmp_path / "six.xlsx", bad_xlsx.member_rows(6)))
    assert message == (
        "Dòng 7: Tệp có hơn 5 dòng dữ liệu, quá giới hạn một lần nhập. "
        "Hãy chia thành nhiều tệp nhỏ hơn rồi tải lên từng tệp."
    )
    assert Member.objects.count() == 7


def test_the_row_limit_reads_one_row_past_it(tmp_path, settings):
    settings.DOANHUB_IMPORT_MAX_ROWS = 5
    _, rows = xlsxreader.read_sheet(
        str(bad_xlsx.workbook(tmp_path / "many.xlsx", bad_xlsx.member_rows(100))), ["Họ và tên"]
    )
    read = []
    with pytest.raises(xlsxlimits.FileProblem, match="hơn 5 dòng"):
        for number, _ in rows:
            read.append(number)
    assert read == [2, 3, 4, 5, 6]


def _shared(count: int, text: str = "x") -> list[str]:
    return [f"<si><t>{text}{i}</t></si>" for i in range(count)]


def test_it_refuses_a_shared_strings_table_past_its_count(tree, tmp_path, monkeypatch):
    monkeypatch.setattr(xlsxlimits, "MAX_SHARED_STRINGS", 100)
    path = bad_xlsx.workbook(tmp_path / "sst.xlsx", bad_xlsx.member_rows(1), strings=_shared(101))
    [message] = errors(path)
    assert message.startswith("Tệp: Tệp có hơn 100 chuỗi văn bản khác nhau (bảng chuỗi dùng chung)")
    assert Member.objects.count() == 7


def test_it_refuses_a_shared_strings_table_past_its_characters(tree, tmp_path, monkeypatch):
    monkeypatch.setattr(xlsxlimits, "MAX_SHARED_CHARS", 10_000)
    path = bad_xlsx.workbook(tmp_path / "sst.xlsx", bad_xlsx.member_rows(1), strings=_shared(20, "y" * 1000))
    [message] = errors(path)
    assert message.startswith("Tệp: Bảng chuỗi dùng chung của tệp dài hơn 10.000 ký tự")


def test_it_refuses_a_huge_shared_string(tree, tmp_path, monkeypatch):
    monkeypatch.setattr(xlsxlimits, "MAX_RATIO", 10_000)  # a bomb in the table, past the directory check
    strings = ["<si><t>", *bad_xlsx.repeated("B", 20_000_000), "</t></si>"]
    [message] = errors(bad_xlsx.workbook(tmp_path / "sst.xlsx", bad_xlsx.member_rows(1), strings=strings))
    assert message.startswith("Tệp: Một chuỗi trong bảng chuỗi dùng chung của tệp dài hơn 32.767 ký tự")
    assert Member.objects.count() == 7


def test_shared_strings_are_read_as_openpyxl_reads_them(tmp_path):
    strings = ["<si><t>Nguyễn Văn An</t></si>", "<si><r><t>Lê </t></r><r><t>Thị Hà</t></r></si>"]
    rows = ['<row r="2"><c r="A2" t="s"><v>1</v></c><c r="B2" t="s"><v>0</v></c></row>']
    path = bad_xlsx.workbook(tmp_path / "s.xlsx", rows, strings=strings)
    _, read = xlsxreader.read_sheet(str(path), ["Họ và tên", "Ngày sinh"])
    assert list(read) == [(2, {"Họ và tên": "Lê Thị Hà", "Ngày sinh": "Nguyễn Văn An"})]


# -- every path --------------------------------------------------------------------------------


def test_the_command_refuses_a_bomb(tree, tmp_path, capsys):
    path = bad_xlsx.bomb(tmp_path / "bomb.xlsx", 20_000_000)
    with pytest.raises(CommandError, match="Không ghi gì: 1 lỗi"):
        call_command("import_xlsx", "members", str(path), "--dry-run")
    assert BOMB in capsys.readouterr().err and Member.objects.count() == 7


def test_the_upload_page_refuses_an_oversized_file_before_storing_it(tree, users, login, settings):
    settings.DOANHUB_IMPORT_MAX_BYTES = 20 * 1024 * 1024
    client = login(users.secretary)
    big = SimpleUploadedFile("lon.xlsx", b"PK" + b"\0" * (21 * 1024 * 1024))
    response = client.post(reverse("members:import"), {"kind": "members", "file": big})
    assert response.status_code == 200
    assert "Tệp nặng 21 MB, quá giới hạn 20 MB cho một lần nhập." in response.content.decode()
    assert not ImportJob.objects.exists()
    imports = Path(settings.MEDIA_ROOT) / "imports"
    assert not imports.exists() or not any(imports.iterdir())


def test_the_workers_check_refuses_a_bomb(tree, users, tmp_path):
    job = start_job(users.secretary, bad_xlsx.bomb(tmp_path / "bomb.xlsx", 20_000_000))
    assert tasks.check_import(job.pk) == ImportJob.Status.CHECKED
    job.refresh_from_db()
    assert job.error_count == 1 and BOMB in job.errors[0][2]
    assert Member.objects.count() == 7


# -- a discarded job stops its running check -------------------------------------------------------


def test_a_discarded_job_stops_its_check(tree, users, tmp_path, monkeypatch):
    monkeypatch.setattr(xlsxreader, "TICK_EVERY", 10)
    job = start_job(users.secretary, bad_xlsx.workbook(tmp_path / "m.xlsx", bad_xlsx.member_rows(50)))
    ticks = []
    real = import_jobs.RowProgress.__call__

    def discarded_on_first_tick(self, done, total):
        if not ticks:  # the uploader discards while the worker is reading the file
            import_jobs.discard_import(job=job, by=users.secretary)
        ticks.append((done, total))
        return real(self, done, total)

    monkeypatch.setattr(import_jobs.RowProgress, "__call__", discarded_on_first_tick)
    assert tasks.check_import(job.pk) == ImportJob.Status.DISCARDED
    assert ticks == [(0, 0)]  # stopped at the first look, 10 rows in
    job.refresh_from_db()
    assert (job.status, job.rows_total, job.error_count) == (ImportJob.Status.DISCARDED, 0, 0)


def test_progress_of_a_discarded_job_raises_cancelled(tree, users, tmp_path):
    job = start_job(users.secretary, bad_xlsx.workbook(tmp_path / "m.xlsx", bad_xlsx.member_rows(1)))
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.CHECKING)
    progress = import_jobs.RowProgress(job.pk)
    progress(0, 10)  # still checking: goes on
    import_jobs.expire_stale()  # not a day old: untouched
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.DISCARDED)
    progress._last = 0
    with pytest.raises(ImportCancelled):
        progress(5, 10)


# -- a file of rows all in error keeps the first ones whole, counts the rest ----------------------


def _rows_with_an_unknown_chi_doan(count: int):
    for i in range(count):
        values = list(bad_xlsx.ROW)
        values[3], values[4] = f"0792{i:08d}", "KHONG-CO"
        yield bad_xlsx.row_xml(2 + i, values)


def test_rows_in_error_past_the_kept_ones_are_counted_not_kept(tree, users, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(CountingResult, "KEEP_INVALID", 3)
    path = bad_xlsx.workbook(tmp_path / "bad.xlsx", _rows_with_an_unknown_chi_doan(5))
    result = MemberImporter(user=None).run(str(path), dry_run=True)
    assert (len(result.errors), result.unkept, result.error_count, result.ok) == (3, 2, 5, False)
    with pytest.raises(CommandError, match="Không ghi gì: 5 lỗi"):
        call_command("import_xlsx", "members", str(path))
    assert "… và 2 lỗi nữa ở các dòng sau." in capsys.readouterr().err
    job = start_job(users.secretary, path)
    tasks.check_import(job.pk)
    job.refresh_from_db()
    assert (job.error_count, len(job.errors)) == (5, 3) and Member.objects.count() == 7
