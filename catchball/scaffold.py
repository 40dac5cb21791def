"""`catchball init`: a small, valid goals repository that explains itself."""

from __future__ import annotations

from pathlib import Path

from catchball.errors import CatchballError
from catchball.output import write_atomic

FILES: dict[str, str] = {
    "catchball.yaml": """\
# Settings for catchball. Every key is optional.
organisation: Example Hospitals NHS Trust   # shown at the top of views and reports
period: 2026/27                              # the planning year of this round
rules:
  max-aims: 5            # CB303: True North is a few bold aims
  max-objectives: 5      # CB304: per team, and per person
  ignore: []             # rule codes to switch off, e.g. [CB502]
  severity: {}           # e.g. {CB206: error} to make skip-level links fail CI
""",
    "true-north.yaml": """\
# True North: the board's few bold, measurable aims (3 to 5, over 3 to 7 years).
aims:
  - id: TN-SAFE                      # letters, digits, - _ . ; objectives link to it
    title: Zero avoidable harm to patients
    dimension: safe                  # optional: safe, effective, timely, efficient,
                                     # equitable, person-centred, people, value
    owner: cnurse                    # optional: a person id from people.yaml
    measures:
      - name: Falls with harm per 1,000 occupied bed days
        unit: per 1,000 bed days
        baseline: 0.19               # where we are
        target: 0.11                 # where we aim to be
        by: 2029-03-31
        direction: down              # up | down (needed only if baseline = target)
  - id: TN-PEOPLE
    title: The best place to work in the region
    dimension: people
    owner: cpo
    measures:
      - name: Staff engagement score (NHS Staff Survey)
        baseline: 6.8
        target: 7.4
        by: 2029-03-31
""",
    "org.yaml": """\
# The org tree. Exactly one team (the board) has no parent.
teams:
  - id: board
    name: Trust Board
  - id: surgery
    name: Surgical Division
    parent: board
    lead: dsurg                      # optional: a person id
    headcount: 1800                  # optional
  - id: ward-7
    name: Ward 7 (Orthopaedics)
    parent: surgery
    lead: w7lead
""",
    "people.yaml": """\
# People (optional). Once any are defined, every owner and lead must be one of them.
people:
  - id: cnurse
    name: Chief Nurse
    team: board
  - id: cpo
    name: Chief People Officer
    team: board
  - id: dsurg
    name: Divisional Director of Surgery
    team: surgery
  - id: w7lead
    name: Ward 7 Manager
    team: ward-7
    role: Ward Manager
    improvement-level: practitioner  # foundation | champion | practitioner | advanced | expert
  - id: p0042
    name: Staff Nurse, Ward 7
    team: ward-7
""",
    "objectives/surgery.yaml": """\
# A division's objectives support the True North aims directly.
team: surgery                        # the owner team of every objective in this file
objectives:
  - id: SURG-1
    title: Cut falls with harm on surgical wards by 30%
    supports: [TN-SAFE]              # ids of aims or objectives above
    owner: dsurg                     # the accountable person
    due: 2027-03-31
    status: agreed                   # proposed | challenged | agreed | dropped
    measures:
      - name: Falls with harm per 1,000 bed days (surgery)
        baseline: 0.21
        target: 0.15
        by: 2027-03-31
  - id: SURG-2
    title: Every surgical team member has a wellbeing conversation
    supports: TN-PEOPLE              # a single id may be a plain string
    owner: dsurg
    due: 2027-03-31
    measures:
      - name: Share of staff with a recorded wellbeing conversation
        unit: "%"
        baseline: 35
        target: 90
        by: 2027-03-31
""",
    "objectives/ward-7.yaml": """\
# A team's objectives support its parent team's objectives.
team: ward-7
objectives:
  - id: W7-1
    title: Falls risk assessment within 6 hours for every admission
    supports: [SURG-1]
    owner: w7lead
    due: 2027-01-31
    status: proposed                 # thrown up to surgery, not yet agreed
    measures:
      - name: Admissions with a falls risk assessment within 6 hours
        unit: "%"
        baseline: 62
        target: 95
        by: 2027-01-31
  - id: W7-2
    title: Every Ward 7 nurse has a wellbeing conversation
    supports: [SURG-2]
    owner: w7lead
    due: 2027-03-31
    measures:
      - name: Ward 7 staff with a wellbeing conversation
        unit: "%"
        baseline: 20
        target: 100
        by: 2027-03-31
""",
    "objectives/people/ward-7.yaml": """\
# Individual objectives: owned by a person, placed at that person's team.
objectives:
  - id: P-0042-1
    person: p0042
    title: Complete falls risk assessment for every admission on my shifts
    supports: [W7-1]
    due: 2026-12-31
""",
}


def scaffold(folder: str, force: bool = False) -> list[tuple[Path, bool]]:
    """Write the example files under `folder`; refuse to overwrite unless `force`.

    Returns each file written and whether it replaced one that was there.
    """
    root = Path(folder)
    if root.exists() and not root.is_dir():
        raise CatchballError(f"{folder} exists and is not a folder")
    existing = [name for name in FILES if (root / name).exists()]
    if existing and not force:
        raise CatchballError(
            f"{root / existing[0]} already exists ({len(existing)} of the files would be overwritten): "
            "use --force to overwrite them"
        )
    written = []
    for name, text in FILES.items():
        path = root / name
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:  # a file where a folder should be, no permission, a full disk
            raise CatchballError(f"cannot create {path.parent}: {exc.strerror or exc}") from None
        write_atomic(path, text)
        written.append((path, name in existing))
    return written
