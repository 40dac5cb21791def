"""One cell of an untrusted workbook or CSV, read as what its column holds.

Each reader returns the value, or raises CellFault with a message for the
user. What is unambiguous is accepted (a date typed as 31/03/2027, an id
with spaces around it, a list separated by semicolons); the rest is
refused with a reason, never guessed.
"""

from __future__ import annotations

import datetime as dt
import math
import re

from catchball.load.fields import ID_PATTERN
from catchball.workbook import layout as L

_ID = re.compile(ID_PATTERN)
_SEPARATORS = re.compile(r"[,;\n\r]+")
_DAY_FIRST = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_NUMBER = re.compile(r"[+-]?(\d{1,3}(,\d{3})+|\d+)?(\.\d+)?([eE][+-]?\d+)?")
_MONTHS = {
    name: number
    for number, names in enumerate(
        (("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",),
         ("jun", "june"), ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"),
         ("oct", "october"), ("nov", "november"), ("dec", "december")),
        1,
    )
    for name in names
}
_WORDY = re.compile(r"(\d{1,2})\s+([A-Za-z]+)\s+(\d{4})")
# Excel counts days from 1899-12-30 (its 1900 leap-year bug folded in);
# serials outside these years are not dates anyone means.
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_SERIAL_YEARS = (1950, 2200)
# Text a spreadsheet would take for a formula (CSV injection, OWASP).
_FORMULA_START = re.compile(r"'*[=+\-@\t\r]")


class CellFault(ValueError):
    """A cell holds something its column cannot take; the message says why."""


def blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def read_cell(column: L.Column, value):
    """The value of a non-blank cell for `column`, or CellFault."""
    kind = column.kind
    if kind == L.ID:
        return read_id(value)
    if kind == L.IDS:
        return read_ids(value)
    if kind == L.TEXT:
        return read_text(value)
    if kind == L.CHOICE:
        return read_choice(value, column.choices)
    if kind == L.NUMBER:
        return read_number(value)
    if kind == L.COUNT:
        return read_count(value)
    if kind == L.DATE:
        return read_date(value)
    if kind == L.PERIOD:
        return read_period(value)
    raise AssertionError(kind)  # pragma: no cover - the layout is ours


def read_text(value) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"  # a spreadsheet's TRUE in a text column is what was typed
    if isinstance(value, (dt.datetime, dt.date)):
        raise CellFault(f"expected text, found the date {_iso(value)} (type it as text, or start it with ')")
    if isinstance(value, float):
        if not math.isfinite(value):
            raise CellFault("expected text, found a number that is not finite")
        return repr(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, int):
        return str(value)
    text = str(value)
    if len(text) > L.MAX_CELL_CHARS:
        raise CellFault(f"the text is longer than {L.MAX_CELL_CHARS:,} characters")
    return text  # as written: a folded description keeps its last line break


def read_id(value) -> str:
    if isinstance(value, bool) or isinstance(value, (dt.datetime, dt.date)):
        raise CellFault(f"{_shown(value)} is not an id (ids are text: letters, digits, -, _ and .)")
    if isinstance(value, float):
        # 1.10 typed into a number cell arrives as 1.1: the text is lost.
        if not value.is_integer():
            raise CellFault(f"the id {value!r} was read as a number, which may have lost digits: type it as text")
        value = int(value)
    text = str(value).strip()
    if not _ID.fullmatch(text):
        raise CellFault(f"{text!r} is not a valid id (ASCII letters, digits, -, _ and ., no spaces)")
    return text


def read_ids(value) -> tuple[str, ...]:
    if isinstance(value, str):
        parts = [p.strip() for p in _SEPARATORS.split(value)]
        ids = []
        for part in parts:
            if not part:
                continue
            if " " in part or "\t" in part:
                raise CellFault(f"{part!r} is not an id: separate ids with commas, semicolons or new lines")
            ids.append(read_id(part))
        return tuple(dict.fromkeys(ids))
    return (read_id(value),)


def read_choice(value, choices: tuple[str, ...]) -> str:
    text = value.strip().lower() if isinstance(value, str) else None
    if text not in choices:
        raise CellFault(f"{_shown(value)} is not one of {', '.join(choices)}")
    return text


def read_number(value) -> int | float:
    if isinstance(value, bool) or isinstance(value, (dt.datetime, dt.date)):
        raise CellFault(f"expected a number, found {_shown(value)}")
    if isinstance(value, (int, float)):
        number = value
    else:
        text = str(value).strip()
        if not _NUMBER.fullmatch(text) or not any(c.isdigit() for c in text):
            raise CellFault(f"expected a number, found {text!r}")
        number = float(text.replace(",", ""))
        if number.is_integer() and not re.search(r"[.eE]", text):
            number = int(number)
    if isinstance(number, float) and not math.isfinite(number):
        raise CellFault("expected a number, found one that is not finite")
    return number


def read_count(value) -> int:
    number = read_number(value)
    if number != int(number) or number < 0:
        raise CellFault(f"expected a whole number of 0 or more, found {_shown(value)}")
    return int(number)


def read_date(value) -> dt.date:
    """A date from a date cell, an Excel serial number, or text: ISO or day first (UK)."""
    if isinstance(value, dt.datetime):
        if value.time() != dt.time():
            raise CellFault(f"expected a date, found a date and time {value.isoformat(' ')}")
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):
        raise CellFault(f"expected a date, found {_shown(value)}")
    if isinstance(value, (int, float)):
        return _serial(value)
    text = str(value).strip()
    match = _ISO.fullmatch(text)
    if match:
        year, month, day = (int(g) for g in match.groups())
        return _date(year, month, day, text)
    match = _DAY_FIRST.fullmatch(text)
    if match:
        day, month, year = (int(g) for g in match.groups())
        if month > 12 and day <= 12:
            raise CellFault(f"{text!r} reads as month first (US); write day first (31/03/2027) or YYYY-MM-DD")
        return _date(year, month, day, text)
    match = _WORDY.fullmatch(text)
    if match and match.group(2).lower() in _MONTHS:
        return _date(int(match.group(3)), _MONTHS[match.group(2).lower()], int(match.group(1)), text)
    if re.fullmatch(r"\d+(\.0+)?", text):
        return _serial(float(text))
    raise CellFault(f"{text!r} is not a date: write YYYY-MM-DD or day/month/year (31/03/2027)")


def read_period(value) -> str:
    """A month (2026-04) or a date (2026-04-07); a date cell is that date."""
    from catchball.asof import period_kind

    if isinstance(value, (dt.datetime, dt.date)):
        return read_date(value).isoformat()
    text = str(value).strip()
    if period_kind(text) is None:
        raise CellFault(f"{text!r} is not a period: a month (2026-04) or a date (2026-04-07)")
    return text


def _serial(number: float) -> dt.date:
    if not math.isfinite(number) or number != int(number):
        raise CellFault(f"{number!r} is not a date (a date serial number is a whole number)")
    try:
        day = _EXCEL_EPOCH + dt.timedelta(days=int(number))
    except OverflowError:
        day = None
    if day is None or not _SERIAL_YEARS[0] <= day.year <= _SERIAL_YEARS[1]:
        raise CellFault(f"{int(number)} is not a date: write YYYY-MM-DD or day/month/year")
    return day


def _date(year: int, month: int, day: int, text: str) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise CellFault(f"{text!r} is not a date of the calendar") from None


def _iso(value) -> str:
    return (value.date() if isinstance(value, dt.datetime) else value).isoformat()


def _shown(value) -> str:
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (dt.datetime, dt.date)):
        return f"the date {_iso(value)}"
    return repr(value.strip() if isinstance(value, str) else value)


# -- text that a spreadsheet must never run --------------------------------


def defuse(text: str) -> str:
    """CSV text that no spreadsheet reads as a formula: a leading ' before =, +, -, @.

    `restore` undoes it exactly, so the round trip keeps the text.
    """
    return "'" + text if _FORMULA_START.match(text) else text


def restore(text: str) -> str:
    return text[1:] if text.startswith("'") and _FORMULA_START.match(text) else text


def looks_like_formula(text: str) -> bool:
    return bool(_FORMULA_START.match(text)) and not text.startswith("'")
