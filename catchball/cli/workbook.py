"""`catchball export` and `catchball import`: the catchball round by workbook."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from catchball.cli.app import PathArgument, app, command_errors, fail, note

EXPORT_FORMATS = ("xlsx", "csv")


@app.command(
    epilog=(
        "Examples:\n\n"
        "  catchball export goals -o trust.xlsx                 the whole repository\n\n"
        "  catchball export goals --team surgery -o surgery.xlsx   a team's catchball pack\n\n"
        "  catchball export goals --format csv -o trust-csv/    one CSV file per sheet\n\n"
        "  catchball export goals --no-people -o board.xlsx     without people and individual objectives"
    ),
)
def export(
    path: PathArgument = None,
    output: Annotated[
        Optional[str], typer.Option("--output", "-o", help="The workbook to write (a folder with --format csv).")
    ] = None,
    team: Annotated[
        Optional[str],
        typer.Option("--team", help="Write this team's catchball pack: what is above it, its objectives, rows for new ones."),
    ] = None,
    format: Annotated[str, typer.Option("--format", "-f", help="xlsx (a workbook) or csv (a folder of CSV files).")] = "xlsx",
    no_people: Annotated[
        bool, typer.Option("--no-people", help="Leave out people and individual objectives.")
    ] = False,
    force: Annotated[bool, typer.Option("--force", help="Overwrite the output if it exists.")] = False,
) -> None:
    """Write the goals as a workbook (or CSV files) that `catchball import` reads back; exit 2 when it cannot."""
    if format not in EXPORT_FORMATS:
        raise fail(f"unknown format {format!r}: choose one of {', '.join(EXPORT_FORMATS)}")
    if output is None:
        raise fail("give the file to write with -o (for example -o goals.xlsx)")
    if team is not None and format != "xlsx":
        raise fail("a team's pack is a workbook (its lists need one): use --format xlsx")
    if team is not None and no_people:
        raise fail("--no-people does not apply to a team's pack")
    from catchball.check import run_check
    from catchball.output import write_atomic
    from catchball.workbook import export as E
    from catchball.workbook.tables import repository_sheets, team_pack

    with command_errors():
        result = run_check(path, freeze=True)  # one command, then the process ends (load_goals)
        for message in result.notes:
            note(message)
        target = Path(output)
        if format == "csv":
            sheets = repository_sheets(result, people=not no_people)
            written = E.write_csv_folder(sheets, target, force)
            about = target / "catchball.csv"
            write_atomic(about, "".join(f"{k},{v}\r\n" for k, v in E.about_rows("repository", people=not no_people)))
            note(f"wrote {len(written)} CSV files to {target}")
            return
        if target.exists() and not force:
            raise fail(f"{output} already exists: use --force to overwrite (a pack sent back may be in it)")
        if team is not None:
            if team not in result.goals.teams:
                from catchball.spelling import did_you_mean

                raise fail(f"no team {team!r} in the goals{did_you_mean(team, list(result.goals.teams))}")
            data = E.pack_bytes(team_pack(result, team))
        else:
            data = E.workbook_bytes(repository_sheets(result, people=not no_people), people=not no_people)
        write_atomic(target, data)
        note(f"wrote {output}")


@app.command(
    name="import",
    epilog=(
        "Examples:\n\n"
        "  catchball import surgery.xlsx goals --dry-run   show the change as a diff, write nothing\n\n"
        "  catchball import surgery.xlsx goals             add the new objectives\n\n"
        "  catchball import surgery.xlsx goals --force     also change existing values\n\n"
        "  catchball import trust.xlsx new-goals/          a whole repository into an empty folder"
    ),
)
def import_(
    source: Annotated[str, typer.Argument(help="The .xlsx workbook, a .csv file named after its sheet, or a folder of CSV files.")],
    path: PathArgument = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show the change as a unified diff; write nothing.")] = False,
    force: Annotated[
        bool, typer.Option("--force", help="Also change or remove values existing goals already have.")
    ] = False,
) -> None:
    """Read a workbook back into the goals: every row is checked first; any problem, and nothing is written (exit 2).

    New objectives are added to the team's objectives file; changed fields are changed in place, keeping the
    YAML's comments and order. After writing, the goals are checked: exit 1 if the import introduced an error.
    """
    from catchball.errors import CatchballError
    from catchball.workbook.importing import ImportRejected, run_import

    try:
        done = run_import(source, path, force=force, dry_run=dry_run)
    except ImportRejected as exc:
        for problem in exc.problems:  # every one, in sheet and row order: fix them all in one go
            sys.stderr.write(problem.text(exc.source) + "\n")
        raise fail(str(exc)) from None
    except CatchballError as exc:
        raise fail(str(exc)) from None
    for message in done.notes:
        note(message)
    if dry_run:
        for change in done.files:
            sys.stdout.write(change.diff(done.display_root))
        note(_summary(done, "would change") if done.files else "nothing to import: the goals already say this")
        return
    if not done.files:
        note("nothing to import: the goals already say this")
        return
    note(_summary(done, "changed"))
    import dataclasses

    from catchball.formats.changes import emit_text

    after = done.after
    emit_text(dataclasses.replace(after, findings=list(done.changes.introduced), diff=done.changes, new_only=True), sys.stdout)
    raise typer.Exit(1 if any(f.severity == "error" for f in done.changes.introduced) else 0)


def _summary(done, verb: str) -> str:
    plan = done.plan
    shown = [c.path for c in done.files[:5]]
    files = ", ".join(shown) + (f" and {len(done.files) - 5} more" if len(done.files) > 5 else "")
    return f"{verb} {len(done.files)} file{'s' if len(done.files) != 1 else ''} ({files}): {len(plan.new)} new, {len(plan.edits)} edited"
