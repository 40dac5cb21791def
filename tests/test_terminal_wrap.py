"""The terminal views wrap at spaces, under their own tree level, at 60, 80 and 120 columns."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from catchball.check import run_check
from catchball.status import round_status
from catchball.trace import line_of_sight
from catchball.views.cascade import CascadeOptions, CascadeView
from catchball.views.lines import HANG, Line, wrap_line
from catchball.views.status import StatusView
from catchball.views.terminal import print_lines
from catchball.views.trace import TraceView

EXAMPLE = Path(__file__).resolve().parent.parent / "goals"
DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@pytest.fixture(scope="module")
def example():
    return run_check(str(EXAMPLE))


def printed(lines, width) -> str:
    out = io.StringIO()
    print_lines(list(lines), out, width=width)
    return out.getvalue()


def views(result):
    sight = line_of_sight(result.cascade, "W7-1")
    return {
        "cascade": lambda: CascadeView(result, CascadeOptions()).lines(),
        "trace": lambda: TraceView(result, sight).lines(),
        "status": lambda: StatusView(result, round_status(result.cascade), 0).lines(),
    }


@pytest.mark.parametrize("width", [60, 80, 120])
@pytest.mark.parametrize("view", ["cascade", "trace", "status"])
def test_every_row_fits_and_rejoins_to_its_line(example, view, width):
    make = views(example)[view]
    if view == "status":
        make = lambda: StatusView(example, round_status(example.cascade), width).lines()  # noqa: E731
    for line in make():
        rows = wrap_line(line, width)
        texts = ["".join(t for t, _ in row).rstrip(" ") for row in rows]
        assert all(len(t) <= width for t in texts), texts
        indent = "  " * line.depth
        assert texts[0].startswith(indent)
        for row in texts[1:]:  # continuation rows hang under their own level, never at column 0
            assert row.startswith(indent + " " * HANG) and row[len(indent) + HANG] != " "
        # Nothing lost or split: the rows' words are the line's words, in order.
        assert " ".join(" ".join(texts).split()) == " ".join(line.text.split())
        for row in texts:  # a date is never cut, and "due" stays with its date
            assert not re.search(r"\d{4}-\d{0,1}$|^\s*\d{0,2}-\d{2}\b", row), row
            assert not row.rstrip().endswith((" due", " by", " ~", " ?", " ○"))


def test_cascade_at_80_columns_wraps_under_the_title(example):
    text = printed(CascadeView(example, CascadeOptions()).lines(), 80)
    assert (
        "            P-LH-1  Run a daily falls safety huddle on Ward 7 and review every\n"
        "                fall with harm within 72 hours  due 2026-09-30  done\n"
    ) in text
    assert (
        "    SURG-1  Reduce falls with harm on surgical wards by 25%  Mr Chris Fletcher\n"
        "        · due 2027-03-31  agreed\n"
    ) in text
    assert max(len(row) for row in text.splitlines()) <= 80


def test_cascade_at_60_columns_keeps_names_and_dates_whole(example):
    text = printed(CascadeView(example, CascadeOptions()).lines(), 60)
    assert (
        "        W7-1  Reduce falls with harm on Ward 7 to 0.15 per\n"
        "            1,000 bed days  Laura Hughes · due 2027-03-31\n"
        "            agreed\n"
    ) in text
    assert max(len(row) for row in text.splitlines()) <= 60
    assert "👤" not in text and "○ Laura Hughes" in text


def test_cascade_at_120_columns_leaves_short_lines_alone(example):
    text = printed(CascadeView(example, CascadeOptions()).lines(), 120)
    assert "        W7-1  Reduce falls with harm on Ward 7 to 0.15 per 1,000 bed days  Laura Hughes · due 2027-03-31  agreed\n" in text
    assert max(len(row) for row in text.splitlines()) <= 120


def test_status_table_rows_fit_at_60_columns(example):
    text = printed(StatusView(example, round_status(example.cascade), 60).lines(), 60)
    header = text.splitlines()[3]
    assert header.split() == ["Team", "prop.", "chall.", "agreed", "done", "dropped"]  # short headings when narrow
    assert len(header) <= 60
    assert max(len(row) for row in text.splitlines()) <= 60


def test_off_a_terminal_lines_are_not_wrapped(example):
    text = printed(CascadeView(example, CascadeOptions()).lines(), None)
    assert max(len(row) for row in text.splitlines()) > 120


def test_a_word_wider_than_a_row_is_split_only_then():
    line = Line(1).add("X-1  ").add("a" * 70).add(" end")
    rows = ["".join(t for t, _ in row) for row in wrap_line(line, 40)]
    # The long word starts a row of its own and is cut only at that row's end.
    assert rows == ["  X-1", "      " + "a" * 34, "      " + "a" * 34, "      aa end"]


@given(
    depth=st.integers(0, 12),
    words=st.lists(st.text(st.characters(whitelist_categories=("L", "N", "P")), min_size=1, max_size=30), max_size=30),
    width=st.integers(40, 160),
)
def test_wrapping_never_loses_text_or_passes_the_width(depth, words, width):
    line = Line(depth).add(" ".join(words))
    rows = ["".join(t for t, _ in row) for row in wrap_line(line, width)]
    assert all(len(r.rstrip()) <= width for r in rows)
    joined = "".join(r.strip() + " " for r in rows)
    # Only a word wider than its row is split; every other word survives whole.
    room = width - max(len("  " * depth) + HANG, 0)
    for word in words:
        if len(word) <= min(room, width // 2):
            assert word in joined.split() or any(word in r for r in rows)


def test_a_no_break_space_the_user_wrote_is_shown_as_written():
    from catchball.views.lines import GLUE, Line

    line = Line(1).add("Ward\u00a07 falls  ").keep("due 2027-03-31", "dim")
    assert line.text == "  Ward\u00a07 falls  due 2027-03-31"  # the user's no-break space kept, our glue a space
    assert GLUE not in line.text and "\\x00" not in line.text
    rows = printed([line], 20).splitlines()
    assert rows == ["  Ward\u00a07 falls", "      due 2027-03-31"]  # the glue still holds the date to its word


def test_no_view_prints_the_glue(example):
    from rich.console import Console

    from catchball.views.terminal import print_styled

    for name, lines in views(example).items():
        colour = io.StringIO()
        print_styled(Console(file=colour, force_terminal=True, width=100, soft_wrap=True), lines(), 60)
        text = printed(lines(), 60) + printed(lines(), None) + colour.getvalue()
        if name == "cascade":
            assert "due 2027-03-31" in text  # the glued words are there, as text
        assert "\x00" not in text and "\\x00" not in text, name


@given(st.lists(st.text(alphabet=st.sampled_from(["a", " ", "é", "\u00a0", "\t", "\n", "\u200b", "\x07", "·", "\u2028"])), max_size=4))
def test_glued_text_is_made_one_line_piece_by_piece_keeping_the_glue(pieces):
    from catchball.findings import one_line
    from catchball.views.lines import GLUE, glued_line

    text = GLUE.join(pieces)
    assert glued_line(text) == GLUE.join(map(one_line, pieces))


@pytest.mark.parametrize("width", [70, 80, 100, 120])
@pytest.mark.parametrize("depth", [None, 1])
def test_each_status_row_with_its_note_stays_on_one_line(example, width, depth):
    """A row whose note ("no objectives yet") wrapped read as another team, at column 0."""
    state = round_status(example.cascade)
    lines = printed(StatusView(example, state, width, depth).lines(), width).splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("Team "))
    end = next(i for i in range(header, len(lines)) if lines[i].startswith("Total"))
    rows = lines[header + 1:end]
    assert len(rows) == sum(StatusView(example, state, width, depth).rows.listed)  # one printed line a row
    assert all(len(row) <= width for row in rows)
    notes = [row for row in rows if "none yet" in row or "no objectives yet" in row]
    assert len(notes) == 1 and notes[0].startswith("    Pathology" if depth is None else "  Clinical Sup")
