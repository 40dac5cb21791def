"""The workbook layout: sheets, their columns, and what each column holds.

This is the import format (docs/workbooks.md): `export` writes it and
`import` reads it. Column headers are the YAML keys, so a reader who knows
the goals format knows the workbook. Change it only in ways that keep
workbooks already sent out importable.
"""

from __future__ import annotations

from dataclasses import dataclass

from catchball.model import AIM_STATUSES, IMPROVEMENT_LEVELS, OBJECTIVE_STATUSES

# Column kinds: how a cell is read (catchball/workbook/cells.py).
ID = "id"
TEXT = "text"
NUMBER = "number"
COUNT = "count"
DATE = "date"
IDS = "ids"  # one id or several, separated by commas, semicolons or new lines
CHOICE = "choice"
PERIOD = "period"  # a month (2026-04) or a date (2026-04-07), as measure data takes it


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    kind: str
    required: bool = False
    choices: tuple[str, ...] = ()
    width: int = 0  # a fixed width for long text; 0: fitted to the content


AIMS, TEAMS, PEOPLE, OBJECTIVES, MEASURES, DATA, FINDINGS, SETTINGS = (
    "Aims", "Teams", "People", "Objectives", "Measures", "Data", "Findings", "Settings",
)
# The hidden sheet that says what the workbook is (the whole repository or
# one team's pack), so import knows which rules apply.
ABOUT = "catchball"
COVER, ABOVE, LISTS = "Read me", "Above you", "Lists"

COLUMNS: dict[str, tuple[Column, ...]] = {
    AIMS: (
        Column("id", ID, required=True),
        Column("title", TEXT, required=True, width=50),
        Column("dimension", TEXT),
        Column("owner", TEXT),
        Column("status", CHOICE, choices=AIM_STATUSES),
        Column("description", TEXT, width=60),
    ),
    TEAMS: (
        Column("id", ID, required=True),
        Column("name", TEXT, required=True),
        Column("parent", ID),
        Column("lead", TEXT),
        Column("headcount", COUNT),
        Column("description", TEXT, width=60),
    ),
    PEOPLE: (
        Column("id", ID, required=True),
        Column("name", TEXT, required=True),
        Column("team", ID, required=True),
        Column("role", TEXT),
        Column("improvement-level", CHOICE, choices=IMPROVEMENT_LEVELS),
    ),
    OBJECTIVES: (
        Column("id", ID, required=True),
        Column("title", TEXT, required=True, width=50),
        Column("team", ID),
        Column("person", ID),
        Column("supports", IDS),
        Column("also supports", IDS),  # a pack's second list-checked cell; optional in the format
        Column("owner", TEXT),
        Column("due", DATE),
        Column("status", CHOICE, choices=OBJECTIVE_STATUSES),
        Column("description", TEXT, width=60),
    ),
    MEASURES: (
        Column("for", ID, required=True),  # the aim or objective the measure belongs to
        Column("name", TEXT, required=True, width=50),
        Column("unit", TEXT),
        Column("baseline", NUMBER),
        Column("target", NUMBER),
        Column("by", DATE),
        Column("direction", CHOICE, choices=("up", "down")),
        Column("id", ID),  # the measure's own id (v1.1), which Data and CSV files may name
    ),
    # Measure data in long form: one row per point. `measure` is the
    # measure's id, or its name when it has none.
    DATA: (
        Column("for", ID, required=True),
        Column("measure", TEXT, required=True, width=40),
        Column("period", PERIOD, required=True),
        Column("value", NUMBER),
        Column("note", TEXT, width=40),
        Column("recalculate", TEXT),
    ),
    FINDINGS: (
        Column("code", TEXT),
        Column("severity", TEXT),
        Column("name", TEXT),
        Column("message", TEXT, width=80),
        Column("id", TEXT),
        Column("file", TEXT),
        Column("line", COUNT),
        Column("column", COUNT),
    ),
    SETTINGS: (
        Column("setting", TEXT, required=True),
        Column("value", TEXT),
    ),
}

# Columns a reader may leave out: the import treats them as empty.
OPTIONAL_COLUMNS = {OBJECTIVES: ("also supports",)}

# What import reads, in the order it reads them. Findings are for reading
# only: they are recomputed after the import.
IMPORTED_SHEETS = (SETTINGS, AIMS, TEAMS, PEOPLE, OBJECTIVES, MEASURES, DATA)

# CSV files of `export --format csv`: one per sheet, the sheet name in lower case.
def csv_name(sheet: str) -> str:
    return f"{sheet.lower()}.csv"


# Settings rows: the catchball.yaml keys a workbook carries.
SETTING_KEYS = (
    "organisation", "period", "max-aims", "max-objectives", "ignore", "severity",
    "minimum-points", "shift", "trend", "fix-limits-after", "stale-after",  # the spc block (v1.1)
    "capability targets",  # the capability block (v1.1): "practitioner: 10%; expert: 0.1%", or "none"
)
RULE_SETTINGS = ("max-aims", "max-objectives", "ignore", "severity")
SPC_SETTINGS = ("minimum-points", "shift", "trend", "fix-limits-after", "stale-after")

# Untrusted files: limits checked before a parser sees the content.
MAX_FILE_BYTES = 20 * 1024 * 1024  # as for a goals file (catchball/load/limits.py)
# An .xlsx is a zip of XML: a small file can hold a huge expansion (a zip
# bomb). The parts' declared sizes are added up before anything is unpacked.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_ROWS = 1_048_576  # Excel's own limit per sheet, header included
MAX_CELL_CHARS = 32_767  # Excel's limit per cell

# Kinds of workbook (the `kind` row of the hidden catchball sheet).
REPOSITORY, PACK = "repository", "team pack"

# Empty rows for new objectives at the end of a team's pack.
BLANK_ROWS = 10
