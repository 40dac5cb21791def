"""The as-of date, and the calendar of measure periods.

Findings that depend on the calendar (CB405 overdue, CB603 stale data) are
judged on one day, the as-of date: `--as-of YYYY-MM-DD`, else the day
SOURCE_DATE_EPOCH names (seconds since 1970, UTC: the reproducible-builds
convention, which the report's date already follows), else today. A CI
result can so be reproduced on any later day.
"""

from __future__ import annotations

import calendar
import datetime as dt
import os
import re

from catchball.errors import CatchballError

MONTH = "month"
DATE = "date"

_MONTH = re.compile(r"(\d{4})-(\d{2})")
_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def default_day(environ=None) -> dt.date:
    """SOURCE_DATE_EPOCH's day (UTC) when it is set, else today."""
    epoch = (os.environ if environ is None else environ).get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch:
        return dt.date.today()
    try:
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc).date()
    except (ValueError, OverflowError, OSError):
        raise CatchballError(f"SOURCE_DATE_EPOCH must be a whole number of seconds, not {epoch!r}") from None


def parse_day(text: str, option: str = "--as-of") -> dt.date:
    """A YYYY-MM-DD date given on the command line; CatchballError (exit 2) otherwise."""
    match = _DATE.fullmatch(text.strip())
    try:
        if match is None:
            raise ValueError
        return dt.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        raise CatchballError(f"{option} must be a date like 2027-03-31, not {text!r}") from None


def as_of_day(given: str | dt.date | None) -> dt.date:
    """The as-of date: `given` (a date or its YYYY-MM-DD text), else default_day()."""
    if given is None:
        return default_day()
    if isinstance(given, dt.date):
        return given
    return parse_day(given)


def period_kind(text: str) -> str | None:
    """MONTH for `2026-04`, DATE for `2026-04-07`, None for anything else (a fault)."""
    match = _MONTH.fullmatch(text)
    if match is not None:
        return MONTH if 1 <= int(match[2]) <= 12 and int(match[1]) >= 1 else None
    match = _DATE.fullmatch(text)
    if match is not None:
        try:
            dt.date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            return None
        return DATE
    return None


def period_end(text: str) -> dt.date:
    """The last day a period covers: a month ends on its last day, a date is its own end."""
    if len(text) == 7:
        year, month = int(text[:4]), int(text[5:])
        return dt.date(year, month, calendar.monthrange(year, month)[1])
    return dt.date.fromisoformat(text)
