"""Raw sheets -> rows of typed values, with every fault placed by sheet, row and column.

Checks here need only the workbook itself: the layout (sheets, columns),
each cell's type, required values and repeated ids. What depends on the
goals already in the repository is catchball/workbook/plan.py's job.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from catchball.workbook import layout as L
from catchball.workbook.cells import CellFault, blank, read_cell
from catchball.workbook.read import Problem, RawBook


@dataclass(slots=True)
class Row:
    """One row of a sheet: its number, and its non-empty values by column (YAML key)."""

    sheet: str
    number: int
    values: dict
    given: frozenset = frozenset()  # the columns the sheet has: a field without one is left as it is


@dataclass(slots=True)
class Book:
    """A workbook read and typed: what kind it is, its rows by sheet, and every problem."""

    source: str
    kind: str
    team: str | None
    people: bool
    rows: dict[str, list[Row]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def sheet(self, name: str) -> list[Row]:
        return self.rows.get(name, [])


def typed_book(raw: RawBook) -> Book:
    """Type every cell of `raw`; every fault found is in `problems`."""
    kind = raw.about.get("kind", L.REPOSITORY)
    if kind not in (L.REPOSITORY, L.PACK):
        kind = L.REPOSITORY
    book = Book(
        raw.source, kind, raw.about.get("team") if kind == L.PACK else None,
        raw.about.get("people", "yes").lower() != "no", problems=list(raw.problems),
    )
    if kind == L.PACK and not book.team:
        book.problems.append(Problem(L.ABOUT, None, None, "a team pack that does not say whose it is (no team)"))
    for name in _expected_sheets(raw, book):
        if name not in raw.sheets:
            if raw.single_sheet:
                continue
            book.problems.append(Problem(name, None, None, "the sheet is missing (it was renamed or deleted?)"))
            continue
        book.rows[name] = _typed_sheet(raw.sheets[name], book.problems, unused_ids=book.kind == L.PACK)
    _repeated_ids(book)
    return book


def _expected_sheets(raw: RawBook, book: Book) -> list[str]:
    if raw.single_sheet:
        return [name for name in raw.sheets if name in L.IMPORTED_SHEETS]
    if book.kind == L.PACK:
        return [L.OBJECTIVES, L.MEASURES]
    expected = [L.AIMS, L.TEAMS, L.PEOPLE, L.OBJECTIVES, L.MEASURES, L.DATA]
    if not book.people:
        expected.remove(L.PEOPLE)
    if L.SETTINGS in raw.sheets:
        expected.insert(0, L.SETTINGS)
    return expected


def _typed_sheet(sheet, problems: list[Problem], unused_ids: bool = False) -> list[Row]:
    columns = {c.name: c for c in L.COLUMNS[sheet.name]}
    optional = L.OPTIONAL_COLUMNS.get(sheet.name, ())
    positions: dict[str, int] = {}
    for index, heading in enumerate(sheet.header):
        if not heading:
            continue
        if heading not in columns:
            problems.append(
                Problem(sheet.name, 1, heading, f"an unknown column (the columns are: {', '.join(columns)})")
            )
        elif heading in positions:
            problems.append(Problem(sheet.name, 1, heading, "the column heading is given twice"))
        else:
            positions[heading] = index
    if not sheet.header and not sheet.rows:
        problems.append(Problem(sheet.name, 1, None, "the sheet is empty: it has no heading row"))
        return []
    # A column left out leaves that field as it is; but the import needs the
    # required ones, and all of a measure's (measures are replaced whole).
    for name, column in columns.items():
        if name not in positions and name not in optional and (column.required or sheet.name in (L.MEASURES, L.DATA)):
            problems.append(Problem(sheet.name, 1, name, "the column is missing"))
    rows = []
    given = frozenset(positions)
    id_at = positions.get("id")
    for number, values in sheet.rows:
        if unused_ids and id_at is not None and all(blank(v) for i, v in enumerate(values) if i != id_at):
            continue  # a pack's blank row for a new objective: only its suggested id is filled in
        typed = {}
        for name, index in positions.items():
            column = columns[name]
            value = values[index] if index < len(values) else None
            if blank(value):
                if column.required:
                    problems.append(Problem(sheet.name, number, name, f"`{name}` is required"))
                continue
            try:
                typed[name] = read_cell(column, value)
            except CellFault as exc:
                problems.append(Problem(sheet.name, number, name, str(exc)))
        rows.append(Row(sheet.name, number, typed, given))
    return rows


def _repeated_ids(book: Book) -> None:
    """Ids given twice: per sheet, and across Aims and Objectives (they share one namespace)."""
    for sheets in ((L.AIMS, L.OBJECTIVES), (L.TEAMS,), (L.PEOPLE,)):
        seen: dict[str, Row] = {}
        for name in sheets:
            for row in book.sheet(name):
                element_id = row.values.get("id")
                if element_id is None:
                    continue
                first = seen.get(element_id)
                if first is not None:
                    book.problems.append(
                        Problem(name, row.number, "id", f"the id {element_id} is given twice (first on sheet {first.sheet}, row {first.number})")
                    )
                else:
                    seen[element_id] = row
