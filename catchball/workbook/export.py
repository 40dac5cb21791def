"""Writing sheets as an .xlsx workbook or CSV files, and a team's catchball pack.

Cells are typed (dates as dates, numbers as numbers), header rows frozen,
columns fitted to their content. No cell is ever a formula: text that a
spreadsheet would take for one (=, +, -, @) is stored as text, marked to
stay text when edited, and in CSV starts with a ' (CSV injection).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path

from catchball import __version__
from catchball.errors import CatchballError
from catchball.model import OBJECTIVE_STATUSES
from catchball.output import write_atomic
from catchball.workbook import layout as L
from catchball.workbook.cells import defuse, looks_like_formula
from catchball.workbook.tables import ABOVE_COLUMNS, Pack, Sheet

DATE_FORMAT = "yyyy-mm-dd"
MAX_WIDTH = 60
# openpyxl refuses control characters a workbook cannot hold; they are
# shown as \xNN, as every other output of catchball shows them.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def about_rows(kind: str, team: str | None = None, people: bool = True) -> list[list]:
    rows = [["kind", kind], ["catchball", __version__], ["exported", dt.date.today().isoformat()]]
    if team is not None:
        rows.append(["team", team])
    rows.append(["people", "yes" if people else "no"])
    return rows


# -- the whole repository ----------------------------------------------------------


def workbook_bytes(sheets: list[Sheet], people: bool = True) -> bytes:
    """The .xlsx file of `sheets`, streamed (write-only mode keeps memory flat for big trusts)."""
    from openpyxl import Workbook

    _check_rows(sheets)
    book = Workbook(write_only=True)
    for sheet in sheets:
        ws = book.create_sheet(sheet.name)
        _fit_columns(ws, sheet.columns, sheet.rows)
        ws.freeze_panes = "A2"
        _print_wide(ws)
        ws.append(_header(ws, sheet.columns))
        for row in sheet.rows:
            ws.append([_cell(ws, value) for value in row])
    about = book.create_sheet(L.ABOUT)
    about.sheet_state = "hidden"
    for row in about_rows(L.REPOSITORY, people=people):
        about.append(row)
    return _saved(book)


def write_csv_folder(sheets: list[Sheet], folder: Path, force: bool) -> list[Path]:
    """One CSV file per sheet in `folder` (created if missing); returns the files written."""
    if folder.exists() and not folder.is_dir():
        raise CatchballError(f"cannot write CSV files into {folder}: it is a file (give a folder)")
    targets = [(folder / L.csv_name(s.name), s) for s in sheets]
    existing = [str(p) for p, _ in targets if p.exists()]
    if existing and not force:
        raise CatchballError(f"{existing[0]} already exists: use --force to overwrite")
    folder.mkdir(parents=True, exist_ok=True)
    for path, sheet in targets:
        write_atomic(path, csv_text(sheet))
    return [p for p, _ in targets]


def csv_text(sheet: Sheet) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([c.name for c in sheet.columns])
    for row in sheet.rows:
        writer.writerow([_csv_value(v) for v in row])
    return out.getvalue()


def _csv_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float)):
        return repr(value)
    return defuse(str(value))


def _check_rows(sheets: list[Sheet]) -> None:
    for sheet in sheets:
        if len(sheet.rows) + 1 > L.MAX_ROWS:
            raise CatchballError(
                f"sheet {sheet.name} would have {len(sheet.rows) + 1:,} rows, more than a workbook holds "
                f"({L.MAX_ROWS:,}): use --format csv, --no-people or --team"
            )


# -- cells ------------------------------------------------------------------------


def _header(ws, columns) -> list:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font, PatternFill

    cells = []
    for column in columns:
        cell = WriteOnlyCell(ws, value=column.name)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDE4EE")
        cells.append(cell)
    return cells


def _cell(ws, value):
    from openpyxl.cell import WriteOnlyCell

    if isinstance(value, str):
        return _text_cell(WriteOnlyCell(ws), value)
    cell = WriteOnlyCell(ws, value=value)
    if isinstance(value, dt.date):
        cell.number_format = DATE_FORMAT
    return cell


def _text_cell(cell, text: str):
    text = _ILLEGAL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)
    cell.value = text
    # openpyxl takes a string starting with = for a formula: force text, and
    # quotePrefix keeps it text when someone edits the cell in Excel.
    cell.data_type = "s"
    if looks_like_formula(text):
        cell.quotePrefix = True
    return cell


def _fit_columns(ws, columns, rows, sample: int = 2000) -> None:
    from openpyxl.utils import get_column_letter

    for index, column in enumerate(columns):
        if column.width:
            width = column.width
        else:
            longest = max((_shown_length(row[index]) for row in rows[:sample]), default=0)
            width = min(MAX_WIDTH, max(len(column.name) + 2, longest + 2))
        ws.column_dimensions[get_column_letter(index + 1)].width = width


def _shown_length(value) -> int:
    if value is None:
        return 0
    if isinstance(value, dt.date):
        return 10
    return max(len(line) for line in str(value).split("\n")) if str(value) else 0


def _saved(book) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# -- a team's pack ----------------------------------------------------------------

COVER_TEXT = """\
Catchball pack for {team_name}
{organisation}

This workbook is how {team_name} takes part in this year's catchball round.
The strategy office will read it back into the goals repository and check it.

1. Read the sheet "Above you". It shows the aims of the organisation and the
   objectives of the teams above you, with their measures. You cannot change it.
2. In the sheet "Objectives", look at your team's objectives for this year.
   Change a title, owner, due date or status where it is wrong.
3. To propose a new objective, fill in one of the empty rows at the bottom of
   "Objectives": a title, what it supports, an owner and a due date. The id is
   filled in for you. A new objective goes back as "proposed" unless you choose
   another status.
4. "supports" must be something above you: pick it from the list in the cell.
   For a second one, use "also supports". Linking sideways to another team's
   objective is not allowed; talk to that team instead.
5. Give each objective a measure in the sheet "Measures": the objective's id
   in "for", a name, and where possible a baseline, a target and a date.
6. Save the file and send it back. Please do not rename the sheets or the
   column headings, or add columns: the file is read back by a program.

Team: {team}  ·  Exported {today} by catchball {version}
"""

PACK_OBJECTIVES = L.COLUMNS[L.OBJECTIVES]


def pack_bytes(pack: Pack) -> bytes:
    """The team's catchball pack as an .xlsx file."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    cover = book.active
    cover.title = L.COVER
    text = COVER_TEXT.format(
        team_name=pack.team_name, organisation=pack.organisation or "", team=pack.team,
        today=dt.date.today().isoformat(), version=__version__,
    )
    for number, line in enumerate(text.splitlines(), 1):
        _text_cell(cover.cell(row=number, column=1), line) if line else None
    cover["A1"].font = Font(bold=True, size=14)
    cover.column_dimensions["A"].width = 90

    above = book.create_sheet(L.ABOVE)
    _table(above, ABOVE_COLUMNS, pack.above)
    above.protection.sheet = True  # read-only: what is above the team is not the team's to change
    above.protection.formatColumns = False  # but columns may still be widened to read

    list_columns = {
        "supports": [t for t, _ in pack.targets],
        "status": list(OBJECTIVE_STATUSES),
        "people": [p for p, _ in pack.people],
        "team": [pack.team],
        "direction": ["up", "down"],
    }
    objectives = book.create_sheet(L.OBJECTIVES)
    rows = [_pack_objective_row(o) for o in pack.objectives]
    rows += [[new_id] + [None] * (len(PACK_OBJECTIVES) - 1) for new_id in pack.next_ids]
    _table(objectives, PACK_OBJECTIVES, rows)
    last = len(rows) + 1 + 200  # room for rows typed below the blank ones
    names = [c.name for c in PACK_OBJECTIVES]

    def validate(column: str, source: str, values: list, title: str, message: str) -> None:
        letter = _letter(names.index(column) + 1)
        if not values:
            return
        list_letter = _letter(list(list_columns).index(source) + 1)
        rule = DataValidation(
            type="list", formula1=f"{L.LISTS}!${list_letter}$2:${list_letter}${len(values) + 1}",
            allow_blank=True, showErrorMessage=True, errorStyle="stop",
            errorTitle=title, error=message,
        )
        rule.add(f"{letter}2:{letter}{last}")
        objectives.add_data_validation(rule)

    above_word = "Choose one of the aims or objectives above your team (see the sheet 'Above you')."
    validate("supports", "supports", list_columns["supports"], "Not above your team", above_word)
    validate("also supports", "supports", list_columns["supports"], "Not above your team", above_word)
    validate("status", "status", list_columns["status"], "Unknown status", "Choose a status from the list.")
    validate("owner", "people", list_columns["people"], "Not in your team", "Choose one of your team's people.")
    validate("person", "people", list_columns["people"], "Not in your team", "Choose one of your team's people.")
    validate("team", "team", list_columns["team"], "Another team", f"Objectives in this pack are {pack.team}'s.")

    measures = book.create_sheet(L.MEASURES)
    measure_rows = pack.measures + [[None] * len(L.COLUMNS[L.MEASURES]) for _ in range(L.BLANK_ROWS)]
    _table(measures, L.COLUMNS[L.MEASURES], measure_rows)
    direction = DataValidation(
        type="list", formula1=f"{L.LISTS}!$E$2:$E$3", allow_blank=True, showErrorMessage=True,
        errorTitle="Unknown direction", error="up or down",
    )
    direction.add(f"G2:G{len(measure_rows) + 201}")
    measures.add_data_validation(direction)

    # The lists the cells above offer; hidden, and locked so nobody widens them.
    lists = book.create_sheet(L.LISTS)
    lists.sheet_state = "hidden"
    for index, (name, values) in enumerate(list_columns.items(), 1):
        lists.cell(row=1, column=index, value=name)
        for number, value in enumerate(values, 2):
            _text_cell(lists.cell(row=number, column=index), value)
    lists.protection.sheet = True


    about = book.create_sheet(L.ABOUT)
    about.sheet_state = "hidden"
    for row in about_rows(L.PACK, team=pack.team):
        about.append(row)
    book.active = 0
    return _saved(book)


def _pack_objective_row(o) -> list:
    from catchball.workbook.tables import objective_row

    return objective_row(o, split_supports=True)


def _table(ws, columns, rows) -> None:
    from openpyxl.styles import Font, PatternFill

    _fit_columns(ws, columns, rows)
    for index, column in enumerate(columns, 1):
        cell = ws.cell(row=1, column=index, value=column.name)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDE4EE")
    for number, row in enumerate(rows, 2):
        for index, value in enumerate(row, 1):
            if value is None:
                continue
            cell = ws.cell(row=number, column=index)
            if isinstance(value, str):
                _text_cell(cell, value)
            else:
                cell.value = value
                if isinstance(value, dt.date):
                    cell.number_format = DATE_FORMAT
    _wrap_long_text(ws, columns, rows)
    ws.freeze_panes = "A2"
    _print_wide(ws)


def _print_wide(ws) -> None:
    """Printed, a sheet fits the page's width, landscape, its header on every page."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"


def _wrap_long_text(ws, columns, rows) -> None:
    """Long text wraps in its column, and the row grows to show it (spreadsheets do not grow rows themselves)."""
    import math

    from openpyxl.styles import Alignment

    wrap = Alignment(wrap_text=True, vertical="top")
    top = Alignment(vertical="top")
    for number, row in enumerate(rows, 2):
        lines = 1
        for index, (column, value) in enumerate(zip(columns, row), 1):
            cell = ws.cell(row=number, column=index)
            if column.width and isinstance(value, str):
                cell.alignment = wrap
                # about 1.1 characters of body text per unit of column width
                needed = sum(max(1, math.ceil(len(part) / (column.width * 1.1))) for part in value.split("\n"))
                lines = max(lines, needed)
            elif value is not None:
                cell.alignment = top
        if lines > 1:
            ws.row_dimensions[number].height = 15 * lines


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index)
