"""catchball export and import: the catchball round by workbook, end to end."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import shutil
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

from catchball.check import run_check
from tests.conftest import HEALTHY

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "goals"
TEST_REPOS = sorted(p for p in (ROOT / "tests" / "repos").iterdir() if p.is_dir())
# Where a measure's data was written (a CSV path, the `data` key's place) is a file path too.
POSITIONS = {"span", "data_span", "data_file"}
# Findings about how the YAML text was written (invalid YAML, unknown and
# repeated keys, a second definition of an id, a value the loader could not
# read): a workbook holds what was read, so these cannot travel through it.
TEXT_FINDINGS = {"CB101", "CB103", "CB104", "CB105"}


def model(goals) -> dict:
    """Every element's fields, without positions: ids, links and values."""
    out = {}
    for name in ("aims", "teams", "people", "objectives"):
        rows = []
        for element in getattr(goals, name).values():
            record = {f.name: getattr(element, f.name) for f in dataclasses.fields(element) if f.name not in POSITIONS}
            if "measures" in record:
                record["measures"] = [
                    {f.name: getattr(m, f.name) for f in dataclasses.fields(m) if f.name not in POSITIONS}
                    for m in record["measures"]
                ]
            rows.append(record)
        out[name] = sorted(rows, key=lambda r: r["id"])
    out["settings"] = goals.settings
    return out


def finding_keys(result, unread: bool = False) -> list[tuple]:
    keep = [f for f in result.findings if f.code not in TEXT_FINDINGS]
    if unread:  # CB102 for a value the loader refused (the workbook holds the default it used)
        keep = [f for f in keep if not (f.code == "CB102" and "is not one of" in f.message)]
    return sorted((f.code, f.severity, f.id, f.message) for f in keep)


def summary(result) -> dict:
    s = result.summary()
    s.pop("files")
    return s


def assert_round_trip(original: Path, rebuilt: Path, unread: bool = False) -> None:
    before, after = run_check(str(original)), run_check(str(rebuilt))
    assert model(after.goals) == model(before.goals)
    assert finding_keys(after, unread) == finding_keys(before, unread)
    if not unread and not any(f.code in TEXT_FINDINGS for f in before.findings):
        assert summary(after) == summary(before)


@pytest.fixture
def export(cli, tmp_path):
    def run(goals: Path, name: str = "goals.xlsx", *options: str) -> Path:
        out = tmp_path / name
        done = cli("export", goals, "-o", out, *options)
        assert done.exit_code == 0, done.output
        return out

    return run


def import_into(cli, source: Path, root: Path, *options: str):
    root.mkdir(parents=True, exist_ok=True)
    return cli("import", source, root, *options)


# -- the round trip ---------------------------------------------------------------


@pytest.mark.parametrize("repo", [EXAMPLE, *TEST_REPOS], ids=lambda p: p.name)
def test_round_trip_through_a_workbook(repo, export, cli, tmp_path):
    workbook = export(repo)
    done = import_into(cli, workbook, tmp_path / "rebuilt")
    assert done.exit_code in (0, 1), done.output  # 1: the repository's own error findings came back
    assert_round_trip(repo, tmp_path / "rebuilt")


def test_round_trip_through_csv(export, cli, tmp_path):
    folder = export(EXAMPLE, "csv", "--format", "csv")
    assert sorted(p.name for p in folder.iterdir()) == [
        "aims.csv", "catchball.csv", "data.csv", "findings.csv", "measures.csv", "objectives.csv", "people.csv",
        "settings.csv", "teams.csv",
    ]
    import_into(cli, folder, tmp_path / "rebuilt")
    assert_round_trip(EXAMPLE, tmp_path / "rebuilt")


@pytest.mark.slow
def test_round_trip_of_a_generated_1000_staff_trust(export, cli, tmp_path):
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from generate import generate

    generate(tmp_path / "trust", 1000)
    workbook = export(tmp_path / "trust")
    import_into(cli, workbook, tmp_path / "rebuilt")
    # The generator writes invalid statuses (CB102) on purpose: the workbook holds what the loader read.
    assert_round_trip(tmp_path / "trust", tmp_path / "rebuilt", unread=True)


def test_no_people_leaves_out_people_and_individual_objectives(make_repo, export):
    workbook = openpyxl.load_workbook(export(make_repo(), "board.xlsx", "--no-people"))
    assert "People" not in workbook.sheetnames
    ids = [row[0] for row in workbook["Objectives"].iter_rows(min_row=2, values_only=True)]
    assert ids == ["SURG-1", "W7-1"]  # P-SN-1 is sn's own


def test_cells_are_typed_and_headers_frozen(make_repo, export):
    workbook = openpyxl.load_workbook(export(make_repo()))
    assert workbook.sheetnames[:8] == ["Aims", "Teams", "People", "Objectives", "Measures", "Data", "Findings", "Settings"]
    objectives = workbook["Objectives"]
    assert objectives.freeze_panes == "A2"
    surg = row_of(objectives, "SURG-1")
    assert objectives[f"G{surg}"].value == dt.datetime(2027, 3, 31) and objectives[f"G{surg}"].is_date
    measures = workbook["Measures"]
    assert [c.value for c in measures[2]] == ["TN-SAFE", "Falls with harm per 1,000 bed days", None, 0.19, 0.11, dt.datetime(2029, 3, 31), None, None]
    assert objectives.column_dimensions["B"].width == 50  # titles get room
    assert objectives.column_dimensions["A"].width >= len("P-SN-1")
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            assert all(cell.data_type != "f" for cell in row)


def test_text_that_looks_like_a_formula_stays_text(make_repo, export, cli, tmp_path):
    title = '=HYPERLINK("http://evil.example","click")'
    root = make_repo({"objectives/ward-7.yaml": HEALTHY["objectives/ward-7.yaml"].replace(
        "Falls risk assessment for every admission", f"'{title}'")})
    workbook = export(root)
    sheet = openpyxl.load_workbook(workbook)["Objectives"]
    cell = sheet[f"B{row_of(sheet, 'W7-1')}"]
    assert (cell.value, cell.data_type, cell.quotePrefix) == (title, "s", True)
    folder = export(root, "csv", "--format", "csv")
    assert f"'{title}".replace('"', '""') in (folder / "objectives.csv").read_text()
    import_into(cli, folder, tmp_path / "rebuilt")
    assert run_check(str(tmp_path / "rebuilt")).goals.objectives["W7-1"].title == title


def test_export_never_overwrites_without_force(make_repo, export, cli, tmp_path):
    workbook = export(make_repo())
    again = cli("export", make_repo(), "-o", workbook)
    assert again.exit_code == 2
    assert "already exists: use --force" in again.stderr
    assert cli("export", make_repo(), "-o", workbook, "--force").exit_code == 0


# -- a team's pack ------------------------------------------------------------------


def header(sheet) -> dict[str, int]:
    return {cell.value: cell.column for cell in sheet[1]}


def fill(sheet, row: int, **values) -> None:
    columns = header(sheet)
    for name, value in values.items():
        sheet.cell(row=row, column=columns[name.replace("_", " ")], value=value)


def row_of(sheet, element_id: str) -> int:
    for row in sheet.iter_rows(min_row=2):
        if row[0].value == element_id:
            return row[0].row
    raise AssertionError(f"no row {element_id}")


def first_blank_row(sheet) -> int:
    for row in sheet.iter_rows(min_row=2):
        if row[0].value is not None and row[1].value is None:
            return row[0].row
    raise AssertionError("no blank row")


@pytest.fixture
def surgery_pack(cli, tmp_path):
    goals = tmp_path / "goals"
    shutil.copytree(EXAMPLE, goals)
    pack = tmp_path / "surgery.xlsx"
    assert cli("export", goals, "--team", "surgery", "-o", pack).exit_code == 0
    return goals, pack


def test_pack_offers_only_what_the_team_may_support(surgery_pack):
    goals, pack = surgery_pack
    workbook = openpyxl.load_workbook(pack)
    assert workbook.sheetnames == ["Read me", "Above you", "Objectives", "Measures", "Lists", "catchball"]
    assert workbook["Above you"].protection.sheet
    assert workbook["Lists"].sheet_state == "hidden"
    lists = {c[0].value: [x.value for x in c[1:] if x.value] for c in workbook["Lists"].iter_cols()}
    result = run_check(str(goals))
    surgery = [o.id for o in result.cascade.team_objectives("surgery")]
    aims = list(result.goals.aims)  # surgery's parent is the board, the root
    assert lists["supports"] == surgery + aims
    assert lists["people"] == result.cascade.members("surgery")
    assert lists["status"] == ["proposed", "challenged", "agreed", "done", "dropped"]
    rules = {str(v.sqref).split(":")[0][0]: v.formula1 for v in workbook["Objectives"].data_validations.dataValidation}
    columns = {name: openpyxl.utils.get_column_letter(i) for name, i in header(workbook["Objectives"]).items()}
    assert rules[columns["supports"]] == f"Lists!$A$2:$A${len(lists['supports']) + 1}"
    assert rules[columns["also supports"]] == rules[columns["supports"]]
    assert rules[columns["owner"]] == rules[columns["person"]] == "Lists!$C$2:$C$2"
    assert "Catchball pack for Surgical Division" in workbook["Read me"]["A1"].value


def test_pack_of_a_ward_offers_its_own_and_its_parents_objectives(tmp_path, cli, make_repo):
    root = make_repo()
    pack = tmp_path / "w7.xlsx"
    assert cli("export", root, "--team", "ward-7", "-o", pack).exit_code == 0
    lists = openpyxl.load_workbook(pack)["Lists"]
    assert [c.value for c in lists["A"][1:] if c.value] == ["W7-1", "SURG-1"]  # not TN-SAFE: that skips a level


def test_filled_in_pack_imports_as_proposed_objectives(surgery_pack, cli):
    goals, pack = surgery_pack
    before = (goals / "objectives" / "surgery.yaml").read_text()
    workbook = openpyxl.load_workbook(pack)
    sheet = workbook["Objectives"]
    row = first_blank_row(sheet)
    new_a, new_b = sheet.cell(row=row, column=1).value, sheet.cell(row=row + 1, column=1).value
    fill(sheet, row, title="Open a surgical same-day emergency care unit", supports="TN-CARE",
         owner="cfletcher", due="31/03/2027")
    fill(sheet, row + 1, title="Every surgical ward runs a falls huddle", supports="SURG-1", also_supports="TN-SAFE",
         due=46477, status="agreed")
    fill(sheet, 3, title="Raise capped theatre utilisation to 87%")  # SURG-2 edited
    measures = workbook["Measures"]
    fill(measures, first_blank_row_of(measures), **{"for": new_a, "name": "SDEC patients a day", "baseline": 0, "target": 25})
    workbook.save(pack)

    refused = cli("import", pack, goals)
    assert refused.exit_code == 2  # SURG-2's title is an existing value
    assert "would change 1 existing value (SURG-2: title" in refused.stderr
    assert (goals / "objectives" / "surgery.yaml").read_text() == before

    done = cli("import", pack, goals, "--force")
    assert done.exit_code == 0, done.output
    result = run_check(str(goals))
    a, b = result.goals.objectives[new_a], result.goals.objectives[new_b]
    assert (a.status, a.team, a.supports, a.owner, a.due) == ("proposed", "surgery", ("TN-CARE",), "cfletcher", dt.date(2027, 3, 31))
    assert [(m.name, m.baseline, m.target) for m in a.measures] == [("SDEC patients a day", 0, 25)]
    assert (b.status, b.supports, b.due) == ("agreed", ("SURG-1", "TN-SAFE"), dt.date(2027, 3, 31))
    assert result.goals.objectives["SURG-2"].title == "Raise capped theatre utilisation to 87%"
    assert a.span.file.endswith("objectives/surgery.yaml")
    assert "Introduced by this change" in done.stdout and f"CB502 objective {new_a}" in done.stdout


def first_blank_row_of(sheet) -> int:
    for row in sheet.iter_rows(min_row=2):
        if all(c.value is None for c in row):
            return row[0].row
    return sheet.max_row + 1


def test_a_sideways_link_typed_over_the_list_is_refused(surgery_pack, cli):
    goals, pack = surgery_pack
    before = {p: p.read_text() for p in goals.rglob("*.yaml")}
    workbook = openpyxl.load_workbook(pack)
    sheet = workbook["Objectives"]
    row = first_blank_row(sheet)
    sideways = run_check(str(goals)).cascade.team_objectives("medicine")[0].id
    fill(sheet, row, title="Borrow medicine's objective", supports=sideways)
    fill(sheet, row + 1, title="Support an objective nobody has", also_supports="NOPE-1")
    workbook.save(pack)
    done = cli("import", pack, goals)
    assert done.exit_code == 2
    lines = done.stderr.splitlines()
    assert lines[0] == (
        f"{pack}: sheet Objectives, row {row}, column supports: {sideways} belongs to medicine, which is not above "
        "surgery: a link must go up the organisation (a sideways or downward link is misaligned, CB204); choose from the list"
    )
    assert lines[1] == f"{pack}: sheet Objectives, row {row + 1}, column also supports: NOPE-1 is no aim or objective in the goals"
    assert lines[2] == f"catchball: error: {pack}: 2 problems; nothing was imported"
    assert {p: p.read_text() for p in goals.rglob("*.yaml")} == before


def test_a_pack_cannot_take_another_teams_id(surgery_pack, cli):
    goals, pack = surgery_pack
    workbook = openpyxl.load_workbook(pack)
    sheet = workbook["Objectives"]
    row = first_blank_row(sheet)
    fill(sheet, row, id="TN-SAFE", title="Ours now", supports="SURG-1")
    workbook.save(pack)
    done = cli("import", pack, goals)
    assert done.exit_code == 2
    assert f"row {row}, column id: the id TN-SAFE is already an aim" in done.stderr


# -- editing YAML in place ------------------------------------------------------------

COMMENTED = """\
# Surgery's plan for 2026/27, agreed at the divisional board.
team: surgery
objectives:
  # The falls work carries on from last year.
  - id: SURG-1
    title: Cut falls with harm on surgical wards by 30%   # the board asked for 30
    supports: [TN-SAFE]
    owner: dd
    due: 2027-03-31
    measures:
      - {name: Falls with harm, baseline: 0.21, target: 0.15, by: 2027-03-31}
"""


def test_comments_survive_an_import_that_changes_one_field(make_repo, export, cli):
    root = make_repo({"objectives/surgery.yaml": COMMENTED})
    workbook = export(root)
    book = openpyxl.load_workbook(workbook)
    fill(book["Objectives"], row_of(book["Objectives"], "SURG-1"), due=dt.datetime(2027, 6, 30))
    book.save(workbook)
    dry = cli("import", workbook, root, "--dry-run")
    assert dry.exit_code == 0
    assert dry.stdout == (
        f"--- a/{root}/objectives/surgery.yaml\n+++ b/{root}/objectives/surgery.yaml\n"
        "@@ -6,6 +6,6 @@\n"
        "     title: Cut falls with harm on surgical wards by 30%   # the board asked for 30\n"
        "     supports: [TN-SAFE]\n"
        "     owner: dd\n"
        "-    due: 2027-03-31\n"
        "+    due: 2027-06-30\n"
        "     measures:\n"
        "       - {name: Falls with harm, baseline: 0.21, target: 0.15, by: 2027-03-31}\n"
    )
    assert (root / "objectives" / "surgery.yaml").read_text() == COMMENTED  # a dry run writes nothing
    done = cli("import", workbook, root, "--force")
    assert done.exit_code == 0, done.output
    assert (root / "objectives" / "surgery.yaml").read_text() == COMMENTED.replace("due: 2027-03-31", "due: 2027-06-30")
    assert "Introduced by this change (0)" in done.stdout


def test_an_unchanged_workbook_imports_nothing(make_repo, export, cli):
    root = make_repo()
    done = cli("import", export(root), root)
    assert done.exit_code == 0
    assert "nothing to import" in done.stderr


def test_new_objectives_go_to_a_new_file_without_force(make_repo, tmp_path, cli):
    root = make_repo()
    csv = tmp_path / "objectives.csv"
    csv.write_text("id,title,team,supports,owner,due\nSURG-2, Theatre flow ,surgery,\"TN-SAFE\",dd,2027-03-31\n"
                   "W7-2,Night falls huddles,ward-7,SURG-1; SURG-2,wm,31/01/2027\n")
    done = cli("import", csv, root)
    assert done.exit_code == 0, done.output
    result = run_check(str(root))
    assert result.goals.objectives["SURG-2"].title == " Theatre flow "  # text is kept as written; the id is trimmed
    assert result.goals.objectives["W7-2"].supports == ("SURG-1", "SURG-2")
    assert result.goals.objectives["W7-2"].status == "proposed"
    assert result.goals.objectives["W7-2"].span.file == f"{root}/objectives/ward-7.yaml"


# -- broken workbooks and CSVs ----------------------------------------------------------


def broken(make_repo, export, change) -> tuple[Path, Path]:
    root = make_repo()
    workbook = export(root)
    book = openpyxl.load_workbook(workbook)
    change(book)
    book.save(workbook)
    return root, workbook


def assert_refused(cli, root: Path, source: Path, *expected: str) -> str:
    before = {p: p.read_bytes() for p in root.rglob("*")if p.is_file()}
    done = cli("import", source, root, "--force")
    assert done.exit_code == 2, done.output
    assert "Traceback" not in done.output
    for line in expected:
        assert line in done.stderr.splitlines(), done.stderr
    assert {p: p.read_bytes() for p in root.rglob("*") if p.is_file()} == before
    return done.stderr


def test_wrong_types_are_reported_cell_by_cell(make_repo, export, cli):
    def change(book):
        fill(book["Objectives"], 3, due="soon")
        fill(book["Objectives"], 4, due="03/31/2027", status="maybe")
        fill(book["Measures"], 2, baseline="lots")
        fill(book["Teams"], 3, headcount=-3)
    root, workbook = broken(make_repo, export, change)
    stderr = assert_refused(
        cli, root, workbook,
        f"{workbook}: sheet Teams, row 3, column headcount: expected a whole number of 0 or more, found -3",
        f"{workbook}: sheet Objectives, row 3, column due: 'soon' is not a date: write YYYY-MM-DD or day/month/year (31/03/2027)",
        f"{workbook}: sheet Objectives, row 4, column due: '03/31/2027' reads as month first (US); write day first (31/03/2027) or YYYY-MM-DD",
        f"{workbook}: sheet Objectives, row 4, column status: 'maybe' is not one of proposed, challenged, agreed, done, dropped",
        f"{workbook}: sheet Measures, row 2, column baseline: expected a number, found 'lots'",
    )
    assert stderr.endswith("5 problems; nothing was imported\n")


def test_unknown_and_repeated_ids(make_repo, export, cli):
    def change(book):
        fill(book["Measures"], 2, **{"for": "TN-NOPE"})
        fill(book["Objectives"], 4, id="SURG-1")
        fill(book["Teams"], 4, id="not an id")
    root, workbook = broken(make_repo, export, change)
    assert_refused(
        cli, root, workbook,
        f"{workbook}: sheet Teams, row 4, column id: 'not an id' is not a valid id (ASCII letters, digits, -, _ and ., no spaces)",
        f"{workbook}: sheet Objectives, row 4, column id: the id SURG-1 is given twice (first on sheet Objectives, row 3)",
        f"{workbook}: sheet Measures, row 2, column for: TN-NOPE is no aim or objective in the workbook's Aims or Objectives",
    )


def test_a_missing_sheet_and_an_extra_column(make_repo, export, cli):
    def change(book):
        del book["Teams"]
        book["Objectives"].cell(row=1, column=11, value="priority")
        book["Objectives"].cell(row=2, column=11, value="high")
        book["Aims"].cell(row=2, column=8, value="stray")
    root, workbook = broken(make_repo, export, change)
    assert_refused(
        cli, root, workbook,
        f"{workbook}: sheet Teams: the sheet is missing (it was renamed or deleted?)",
        f"{workbook}: sheet Objectives, row 1, column priority: an unknown column (the columns are: id, title, team, person, supports, also supports, owner, due, status, description)",
        f"{workbook}: sheet Aims, row 2, column H: a value in a column with no heading",
    )


def test_a_missing_column(make_repo, export, cli):
    root, workbook = broken(make_repo, export, lambda book: book["Objectives"].delete_cols(2))
    assert_refused(cli, root, workbook, f"{workbook}: sheet Objectives, row 1, column title: the column is missing")


def test_a_column_left_out_leaves_its_field_as_it_is(make_repo, export, cli):
    root = make_repo()
    workbook = export(root)
    book = openpyxl.load_workbook(workbook)
    book["Objectives"].delete_cols(7)  # due
    fill(book["Objectives"], row_of(book["Objectives"], "W7-1"), title="Falls risk assessment at every admission")
    book.save(workbook)
    assert cli("import", workbook, root, "--force").exit_code == 0
    w7 = run_check(str(root)).goals.objectives["W7-1"]
    assert (w7.title, w7.due) == ("Falls risk assessment at every admission", dt.date(2027, 1, 31))


def test_a_formula_is_never_evaluated(make_repo, export, cli):
    root, workbook = broken(make_repo, export, lambda book: fill(book["Objectives"], 2, title="=1+1"))
    assert_refused(
        cli, root, workbook,
        f"{workbook}: sheet Objectives, row 2, column title: a formula: formulas are not evaluated; type the value itself",
    )


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("empty.xlsx", b"", "the file is empty"),
        ("notes.xlsx", b"Dear strategy office, here are our objectives.\n", "not an .xlsx workbook (a workbook is a zip file; this is not one)"),
        ("macros.xlsm", b"PK\x03\x04", "a macro-enabled workbook is refused: save it as .xlsx (Excel Workbook)"),
        ("old.xls", b"\xd0\xcf\x11\xe0", "the old .xls format is not read: save it as .xlsx (Excel Workbook)"),
        ("objectives.csv", b"\xff\xfeo\x00b\x00", "not UTF-8 text (byte 1): save it as 'CSV UTF-8', or it is not a CSV file"),
        ("plan.csv", b"id,title\n", "a CSV file is named after its sheet: settings.csv, aims.csv, teams.csv, people.csv, objectives.csv, measures.csv, data.csv"),
    ],
)
def test_files_that_are_not_workbooks(make_repo, cli, tmp_path, name, content, message):
    source = tmp_path / name
    source.write_bytes(content)
    assert_refused(cli, make_repo(), source, f"catchball: error: {source}: {message}")


def test_an_empty_csv_says_so(make_repo, cli, tmp_path):
    source = tmp_path / "objectives.csv"
    source.write_text("")
    assert_refused(cli, make_repo(), source, f"{source}: sheet Objectives, row 1: the sheet is empty: it has no heading row")


def test_a_50_mb_file_is_refused_unread(make_repo, cli, tmp_path, monkeypatch):
    source = tmp_path / "huge.xlsx"
    with open(source, "wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    monkeypatch.setattr(openpyxl, "load_workbook", lambda *a, **k: pytest.fail("openpyxl was asked to parse it"))
    assert_refused(
        cli, make_repo(), source,
        f"catchball: error: {source}: file is too large (50.0 MB > 20.0 MB): split it (the limit is 20 MB)",
    )


def test_a_zip_bomb_is_refused_before_unpacking(make_repo, cli, tmp_path):
    source = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(source, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            chunk = b"\0" * (1 << 20)
            for _ in range(210):
                member.write(chunk)
    assert source.stat().st_size < 1024 * 1024
    assert_refused(
        cli, make_repo(), source,
        f"catchball: error: {source}: the workbook unpacks to 210 MB, more than the 200 MB limit (a zip bomb?): refused",
    )


def test_a_workbook_with_macros_inside_is_refused(make_repo, export, cli, tmp_path):
    workbook = export(make_repo())
    data = io.BytesIO(workbook.read_bytes())
    with zipfile.ZipFile(data, "a") as archive:
        archive.writestr("xl/vbaProject.bin", b"\0" * 16)
    workbook.write_bytes(data.getvalue())
    assert_refused(
        cli, make_repo(), workbook,
        f"catchball: error: {workbook}: the workbook holds macros: refused; save it as .xlsx (Excel Workbook)",
    )


def test_import_into_a_folder_that_does_not_exist(make_repo, export, cli, tmp_path):
    done = cli("import", export(make_repo()), tmp_path / "nowhere")
    assert done.exit_code == 2
    assert done.stderr == f"catchball: error: no such folder: {tmp_path / 'nowhere'}\n"


# -- measure data ------------------------------------------------------------------------

WITH_DATA = {
    "true-north.yaml": """
        aims:
          - id: TN-SAFE
            title: Zero avoidable harm
            owner: ceo
            measures:
              - id: falls
                name: Falls with harm per 1,000 bed days
                baseline: 0.19
                target: 0.11
                by: 2029-03-31
                data: data/falls.csv
              - name: C. difficile cases
                target: 3
                direction: down
                data: {2026-04: 6, 2026-05: 4, 2026-06: null, 2026-07: 5}
    """,
    "data/falls.csv": "period,value,note,recalculate\n2026-04,0.2,,\n2026-05,0.18,new huddles,\n2026-06,0.15,,yes\n",
}


def test_measure_data_goes_through_the_data_sheet(make_repo, export, cli, tmp_path):
    root = make_repo(WITH_DATA)
    workbook = export(root)
    rows = list(openpyxl.load_workbook(workbook)["Data"].iter_rows(values_only=True))
    assert rows[:4] == [
        ("for", "measure", "period", "value", "note", "recalculate"),
        ("TN-SAFE", "falls", "2026-04", 0.2, None, None),
        ("TN-SAFE", "falls", "2026-05", 0.18, "new huddles", None),
        ("TN-SAFE", "falls", "2026-06", 0.15, None, "yes"),
    ]
    assert rows[4] == ("TN-SAFE", "C. difficile cases", "2026-04", 6, None, None)
    import_into(cli, workbook, tmp_path / "rebuilt")
    assert_round_trip(root, tmp_path / "rebuilt")
    # Notes and phase breaks need a CSV file; numbers alone go inline.
    assert (tmp_path / "rebuilt" / "data" / "TN-SAFE-falls.csv").read_text().splitlines()[2] == "2026-05,0.18,new huddles,"
    assert "    data:\n      2026-04: 6\n      2026-05: 4\n      2026-07: 5\n" in (
        tmp_path / "rebuilt" / "true-north.yaml"
    ).read_text()


def test_a_bad_period_on_the_data_sheet(make_repo, export, cli):
    root = make_repo(WITH_DATA)
    workbook = export(root)
    book = openpyxl.load_workbook(workbook)
    fill(book["Data"], 3, period="May 2026")
    fill(book["Data"], 4, measure="nothing like it")
    book.save(workbook)
    assert_refused(
        cli, root, workbook,
        f"{workbook}: sheet Data, row 3, column period: 'May 2026' is not a period: a month (2026-04) or a date (2026-04-07)",
        f"{workbook}: sheet Data, row 4, column measure: TN-SAFE has no measure 'nothing like it' on the sheet Measures",
    )


def test_a_pack_keeps_the_data_of_the_measures_it_edits(make_repo, cli, tmp_path):
    files = {"objectives/surgery.yaml": HEALTHY["objectives/surgery.yaml"].replace(
        "by: 2027-03-31}", "by: 2027-03-31, data: {2026-04: 0.2, 2026-05: 0.19}}")}
    root = make_repo(files)
    pack = tmp_path / "surgery.xlsx"
    assert cli("export", root, "--team", "surgery", "-o", pack).exit_code == 0
    book = openpyxl.load_workbook(pack)
    fill(book["Measures"], 2, target=0.14)
    book.save(pack)
    assert cli("import", pack, root, "--force").exit_code == 0
    measure = run_check(str(root)).goals.objectives["SURG-1"].measures[0]
    assert (measure.target, [p.value for p in measure.points]) == (0.14, [0.2, 0.19])


def test_check_diff_after_an_import_reads_the_base_revisions_data_files(tmp_path, cli):
    import subprocess

    goals = tmp_path / "goals"
    shutil.copytree(EXAMPLE, goals)
    git = ["git", "-c", "user.email=lead@example.org", "-c", "user.name=lead", "-C", str(tmp_path)]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "before the round"], check=True)
    done = cli("check", goals, "--diff", "HEAD", "--format", "json")
    diff = __import__("json").loads(done.stdout)["diff"]
    assert (diff["introduced"], diff["resolved"]) == ([], [])  # CSV series read at HEAD as in the working tree


# -- properties --------------------------------------------------------------------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from catchball.workbook.cells import defuse  # noqa: E402
from catchball.workbook.importing import run_import  # noqa: E402

TITLES = st.text(
    st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufeff") | st.sampled_from("\n\t"),
    min_size=1, max_size=40,
).filter(lambda t: t.strip())


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=TITLES)
def test_any_title_written_by_import_reads_back_exactly(tmp_path_factory, title):
    from tests.conftest import write_repo

    base = tmp_path_factory.mktemp("p")
    root = write_repo(base / "goals", HEALTHY)
    csv_file = base / "objectives.csv"
    import csv

    with open(csv_file, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([["id", "title"], ["W7-1", defuse(title)]])
    run_import(str(csv_file), str(root), force=True)
    assert run_check(str(root)).goals.objectives["W7-1"].title == title


def test_import_needs_no_c_extension_for_ruamel(make_repo, tmp_path):
    # ruamel.yaml.clib is optional from 0.19: the round-trip edit must work without it.
    import subprocess

    root = make_repo()
    source = tmp_path / "objectives.csv"
    source.write_text("id,title\nW7-1,Falls risk assessment at every admission\n")
    code = (
        "import sys; sys.modules['_ruamel_yaml'] = None; sys.modules['ruamel.yaml.clib'] = None\n"
        "from catchball.cli import main\n"
        f"sys.argv = ['catchball', 'import', {str(source)!r}, {str(root)!r}, '--force']\n"
        "main()\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "ruamel.yaml.clib" not in done.stderr
    assert run_check(str(root)).goals.objectives["W7-1"].title == "Falls risk assessment at every admission"


def test_a_file_written_with_crlf_and_a_bom_keeps_them(make_repo, tmp_path, cli):
    text = "\ufeff" + HEALTHY["objectives/ward-7.yaml"].replace("\n", "\r\n")
    root = make_repo({"objectives/ward-7.yaml": text.encode("utf-8")})
    source = tmp_path / "objectives.csv"
    source.write_text("id,title,due\nW7-1,Falls risk assessment for every admission,31/03/2027\n")
    assert cli("import", source, root, "--force").exit_code == 0
    assert (root / "objectives" / "ward-7.yaml").read_bytes().decode("utf-8") == text.replace("2027-01-31", "2027-03-31")
