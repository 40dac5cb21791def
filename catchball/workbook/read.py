"""Reading a workbook or CSV as untrusted input: raw cells, with every fault placed.

Size limits are checked before any parser sees the file; an .xlsx is
checked as a zip (its unpacked size, no macros) before openpyxl opens it.
Formulas are never evaluated: a formula cell is a fault at that cell, and
no external link is followed (openpyxl is asked not to keep them, and a
reference to one can only sit in a formula).
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from catchball.errors import CatchballError
from catchball.load.limits import LimitExceeded, read_bounded
from catchball.workbook import layout as L
from catchball.workbook.cells import restore


@dataclass(frozen=True, slots=True)
class Problem:
    """One fault of the workbook: where it is (sheet, row, column) and what is wrong."""

    sheet: str
    row: int | None  # the spreadsheet's row number (the header is row 1)
    column: str | None  # the column heading (or its letter when it has none)
    message: str

    def text(self, source: str) -> str:
        where = [f"sheet {self.sheet}"]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column}")
        return f"{source}: {', '.join(where)}: {self.message}"


@dataclass(slots=True)
class RawSheet:
    name: str
    header: list[str]
    rows: list[tuple[int, list]]  # (row number, values in header order); blank rows left out


@dataclass(slots=True)
class RawBook:
    """What a file holds before its cells are read as goals."""

    source: str
    sheets: dict[str, RawSheet] = field(default_factory=dict)
    about: dict[str, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    single_sheet: bool = False  # one CSV file: only its sheet is imported


class UnreadableFile(CatchballError):
    """The file as a whole cannot be read (too large, not a workbook, macros)."""


def read_book(path: Path) -> RawBook:
    """The sheets of an .xlsx workbook, a CSV file, or a folder of CSV files."""
    source = str(path)
    if path.is_dir():
        return _read_csv_folder(path)
    suffix = path.suffix.lower()
    if suffix in (".xlsm", ".xltm", ".xlam"):
        raise UnreadableFile(f"{source}: a macro-enabled workbook is refused: save it as .xlsx (Excel Workbook)")
    if suffix == ".xls":
        raise UnreadableFile(f"{source}: the old .xls format is not read: save it as .xlsx (Excel Workbook)")
    raw = _bounded(path)
    if suffix == ".csv":
        book = RawBook(source, single_sheet=True)
        sheet = _sheet_for_csv(path.name)
        if sheet is None:
            raise UnreadableFile(
                f"{source}: a CSV file is named after its sheet: "
                + ", ".join(L.csv_name(s) for s in L.IMPORTED_SHEETS)
            )
        _read_csv(book, sheet, raw)
        return book
    if not raw:
        raise UnreadableFile(f"{source}: the file is empty")
    return _read_xlsx(source, raw)


def _bounded(path: Path) -> bytes:
    try:
        return read_bounded(path, L.MAX_FILE_BYTES)
    except LimitExceeded as exc:
        raise UnreadableFile(f"{path}: {exc} (the limit is {L.MAX_FILE_BYTES // (1024 * 1024)} MB)") from None
    except FileNotFoundError:
        raise UnreadableFile(f"no such file: {path}") from None
    except OSError as exc:
        raise UnreadableFile(f"{path}: cannot be read: {exc.strerror or exc}") from None


# -- .xlsx --------------------------------------------------------------------------


def _read_xlsx(source: str, raw: bytes) -> RawBook:
    _check_zip(source, raw)
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=False, keep_links=False)
    except Exception as exc:  # openpyxl raises many kinds on a damaged file; each means "not readable"
        raise UnreadableFile(f"{source}: not a readable .xlsx workbook ({type(exc).__name__})") from None
    book = RawBook(source)
    try:
        for ws in workbook.worksheets:
            if ws.title == L.ABOUT:
                book.about = _about(ws)
            elif ws.title in L.COLUMNS:
                _read_sheet(book, ws)
    except CatchballError:
        raise
    except Exception as exc:
        raise UnreadableFile(f"{source}: not a readable .xlsx workbook ({type(exc).__name__})") from None
    finally:
        workbook.close()
    return book


def _check_zip(source: str, raw: bytes) -> None:
    if not zipfile.is_zipfile(io.BytesIO(raw)):
        raise UnreadableFile(f"{source}: not an .xlsx workbook (a workbook is a zip file; this is not one)")
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise UnreadableFile(f"{source}: not an .xlsx workbook (a damaged zip file)") from None
    names = {m.filename for m in members}
    if "xl/workbook.xml" not in names:
        raise UnreadableFile(f"{source}: not an .xlsx workbook (no xl/workbook.xml inside)")
    if any(n.lower().endswith("vbaproject.bin") for n in names):
        raise UnreadableFile(f"{source}: the workbook holds macros: refused; save it as .xlsx (Excel Workbook)")
    unpacked = sum(m.file_size for m in members)
    if unpacked > L.MAX_UNPACKED_BYTES:
        raise UnreadableFile(
            f"{source}: the workbook unpacks to {unpacked / (1024 * 1024):.0f} MB, more than the "
            f"{L.MAX_UNPACKED_BYTES // (1024 * 1024)} MB limit (a zip bomb?): refused"
        )


def _about(ws) -> dict[str, str]:
    about = {}
    for row in ws.iter_rows(max_row=50, max_col=2, values_only=True):
        if row and isinstance(row[0], str) and len(row) > 1 and row[1] is not None:
            about[row[0].strip()] = str(row[1]).strip()
    return about


def _read_sheet(book: RawBook, ws) -> None:
    from openpyxl.utils import get_column_letter

    rows = ws.iter_rows()
    header_cells = next(rows, None)
    if header_cells is None:
        book.sheets[ws.title] = RawSheet(ws.title, [], [])
        return
    header = [_heading(c.value) for c in header_cells]
    while header and not header[-1]:
        header.pop()
    sheet = RawSheet(ws.title, header, [])
    for number, cells in enumerate(rows, 2):
        if number > L.MAX_ROWS:
            break
        values = []
        for index, cell in enumerate(cells):
            value = cell.value
            if getattr(cell, "data_type", None) == "f" or (
                value is not None and type(value).__name__ in ("ArrayFormula", "DataTableFormula")
            ):
                column = header[index] if index < len(header) and header[index] else get_column_letter(index + 1)
                book.problems.append(
                    Problem(ws.title, number, column, "a formula: formulas are not evaluated; type the value itself")
                )
                value = None
            if index >= len(header):
                if value is not None and not (isinstance(value, str) and not value.strip()):
                    book.problems.append(
                        Problem(ws.title, number, get_column_letter(index + 1), "a value in a column with no heading")
                    )
                continue
            values.append(value)
        values += [None] * (len(header) - len(values))
        if any(v is not None and not (isinstance(v, str) and not v.strip()) for v in values):
            sheet.rows.append((number, values))
    book.sheets[ws.title] = sheet


def _heading(value) -> str:
    return str(value).strip().lower() if value is not None else ""


# -- CSV ----------------------------------------------------------------------------


def _sheet_for_csv(name: str) -> str | None:
    lowered = name.lower()
    for sheet in (*L.IMPORTED_SHEETS, L.FINDINGS):
        if lowered == L.csv_name(sheet):
            return sheet
    return None


def _read_csv_folder(folder: Path) -> RawBook:
    book = RawBook(str(folder))
    found = False
    for sheet in (*L.IMPORTED_SHEETS, L.FINDINGS):
        path = folder / L.csv_name(sheet)
        if path.is_file():
            found = True
            _read_csv(book, sheet, _bounded(path))
    about = folder / f"{L.ABOUT}.csv"
    if about.is_file():
        text = _decode(str(about), _bounded(about))
        book.about = {r[0].strip(): r[1].strip() for r in csv.reader(io.StringIO(text)) if len(r) >= 2}
    if not found:
        raise UnreadableFile(f"{folder}: no workbook CSV files in this folder ({L.csv_name(L.OBJECTIVES)}, ...)")
    return book


def _decode(source: str, raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UnreadableFile(
            f"{source}: not UTF-8 text (byte {exc.start + 1}): save it as 'CSV UTF-8', or it is not a CSV file"
        ) from None


def _read_csv(book: RawBook, sheet_name: str, raw: bytes) -> None:
    source = f"{book.source}/{L.csv_name(sheet_name)}" if not book.single_sheet else book.source
    text = _decode(source, raw)
    if "\x00" in text:
        raise UnreadableFile(f"{source}: holds NUL bytes: not a CSV file")
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip().lower() for h in next(reader, [])]
        sheet = RawSheet(sheet_name, header, [])
        # Row numbers as a spreadsheet shows the file (a quoted line break stays in its row).
        for number, values in enumerate(reader, 2):
            if len(values) > len(header) and any(v.strip() for v in values[len(header):]):
                book.problems.append(Problem(sheet_name, number, None, "more values than the header has columns"))
            values = [restore(v) if v.strip() else None for v in values[: len(header)]]
            values += [None] * (len(header) - len(values))
            if any(v is not None for v in values):
                sheet.rows.append((number, values))
            if len(sheet.rows) > L.MAX_ROWS:
                break
    except csv.Error as exc:
        raise UnreadableFile(f"{source}: not a readable CSV file (line {reader.line_num}: {exc})") from None
    book.sheets[sheet_name] = sheet
