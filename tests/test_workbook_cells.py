"""Reading one cell of an untrusted workbook: what is accepted, what is refused, and why."""

from __future__ import annotations

import datetime as dt
import pytest
from hypothesis import given
from hypothesis import strategies as st

from catchball.workbook import layout as L
from catchball.workbook.cells import (
    CellFault, defuse, looks_like_formula, read_cell, read_date, read_id, read_ids, read_number, read_period, restore,
)

IDS = st.from_regex(r"[A-Za-z0-9_.\-]{1,12}", fullmatch=True)


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("31/03/2027", dt.date(2027, 3, 31)),  # day first, as in the UK
        ("1/4/2027", dt.date(2027, 4, 1)),
        ("31.03.2027", dt.date(2027, 3, 31)),
        ("2027-03-31", dt.date(2027, 3, 31)),
        (" 2027-03-31 ", dt.date(2027, 3, 31)),
        ("31 March 2027", dt.date(2027, 3, 31)),
        ("31 Mar 2027", dt.date(2027, 3, 31)),
        (46477, dt.date(2027, 3, 31)),  # Excel's serial number
        (46477.0, dt.date(2027, 3, 31)),
        ("46477", dt.date(2027, 3, 31)),
        (dt.datetime(2027, 3, 31), dt.date(2027, 3, 31)),
    ],
)
def test_dates_typed_by_hand(typed, expected):
    assert read_date(typed) == expected


@pytest.mark.parametrize(
    "typed, message",
    [
        ("03/31/2027", "'03/31/2027' reads as month first (US); write day first (31/03/2027) or YYYY-MM-DD"),
        ("31/02/2027", "'31/02/2027' is not a date of the calendar"),
        ("1/2/27", "'1/2/27' is not a date: write YYYY-MM-DD or day/month/year (31/03/2027)"),
        ("next March", "'next March' is not a date: write YYYY-MM-DD or day/month/year (31/03/2027)"),
        (46477.5, "46477.5 is not a date (a date serial number is a whole number)"),
        (12, "12 is not a date: write YYYY-MM-DD or day/month/year"),
        (True, "expected a date, found TRUE"),
        (dt.datetime(2027, 3, 31, 9, 30), "expected a date, found a date and time 2027-03-31 09:30:00"),
    ],
)
def test_dates_that_are_not_unambiguous_are_refused(typed, message):
    with pytest.raises(CellFault) as fault:
        read_date(typed)
    assert str(fault.value) == message


@given(st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2200, 12, 31)))
def test_every_way_a_date_is_written_reads_back(day):
    written = [day.isoformat(), f"{day.day}/{day.month}/{day.year}", f"{day.day:02d}/{day.month:02d}/{day.year}"]
    serial = (day - dt.date(1899, 12, 30)).days
    assert {read_date(w) for w in written} | {read_date(serial)} == {day}


def test_ids_with_stray_spaces_and_lists_with_any_separator():
    assert read_id("  SURG-1 ") == "SURG-1"
    assert read_id(2027) == "2027"
    assert read_ids("TN-SAFE, SURG-1;W7-1\nW7-2\r\n") == ("TN-SAFE", "SURG-1", "W7-1", "W7-2")
    assert read_ids("SURG-1; SURG-1") == ("SURG-1",)
    with pytest.raises(CellFault, match="'SURG 1' is not an id: separate ids with commas"):
        read_ids("SURG 1")
    with pytest.raises(CellFault, match="was read as a number, which may have lost digits: type it as text"):
        read_id(1.1)  # 1.10 typed into a number cell


@given(st.lists(IDS, min_size=1, max_size=6), st.sampled_from([",", ";", "\n", ", ", " ; ", "\r\n"]))
def test_a_joined_list_of_ids_reads_back(ids, separator):
    assert read_ids(separator.join(ids)) == tuple(dict.fromkeys(ids))


@pytest.mark.parametrize(
    "typed, expected", [("0.19", 0.19), ("1,200", 1200), ("-3", -3), (" 62 ", 62), (7, 7), (0.5, 0.5), ("1e3", 1000.0)]
)
def test_numbers(typed, expected):
    assert read_number(typed) == expected


@pytest.mark.parametrize("typed", ["lots", "1,2", "12%", "", ".", "nan", "inf", True])
def test_what_is_not_a_number(typed):
    with pytest.raises(CellFault):
        read_number(typed)


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_a_number_written_as_text_reads_back(number):
    assert read_number(repr(number)) == number


def test_a_choice_ignores_case_and_spaces():
    status = next(c for c in L.COLUMNS[L.OBJECTIVES] if c.name == "status")
    assert read_cell(status, " Proposed ") == "proposed"
    with pytest.raises(CellFault, match="'maybe' is not one of proposed, challenged, agreed"):
        read_cell(status, "maybe")


def test_periods():
    assert read_period("2026-04") == "2026-04"
    assert read_period(dt.datetime(2026, 4, 7)) == "2026-04-07"
    with pytest.raises(CellFault, match="'2026-13' is not a period"):
        read_period("2026-13")


@given(st.text(max_size=30))
def test_defused_text_never_starts_a_formula_and_restores_exactly(text):
    safe = defuse(text)
    assert not looks_like_formula(safe)
    assert safe[:1] not in ("=", "+", "-", "@", "\t", "\r")
    assert restore(safe) == text


def test_formula_like_text():
    assert defuse("=1+1") == "'=1+1"
    assert defuse("@SUM(A1)") == "'@SUM(A1)"
    assert defuse("'=x") == "''=x"
    assert defuse("plain") == "plain" and defuse("'quoted'") == "'quoted'"
