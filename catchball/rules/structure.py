"""Structure rules (CB1xx): the files can be read and the references resolve.

CB101 to CB105 are found by the loader while it reads each file; they are
registered here so that they are documented, selectable and listed like
every other rule.
"""

from __future__ import annotations

from typing import Iterator

from catchball.findings import AIM, OBJECTIVE, PERSON, TEAM, Finding, new_finding
from catchball.graph import Cascade
from catchball.rules.registry import rule
from catchball.spelling import Suggestions


@rule("CB101")
def invalid_yaml(cascade: Cascade) -> Iterator[Finding]:
    """A file is not valid YAML, not UTF-8 text, or uses an unsafe tag.

    What it checks
    Every goals file must be one YAML document of UTF-8 text (a byte-order
    mark is accepted) using only plain YAML: no `!!python/...` or custom
    tags, no alias expansion far beyond the file's size, and nothing
    unreadable.

    Why it matters
    A file that cannot be read hides every aim, team and objective in it, so
    the rest of the cascade looks broken in confusing ways. Unsafe tags are
    how YAML files attack the programs that load them.

    Example
        objectives:
          - id: SURG-1
            title: Cut falls [on surgical wards    # bracket never closed

    How to fix
    Go to the line and column given: the parser's message says what it
    expected. Save files as UTF-8, keep one document per file (no second
    `---`), and remove tags such as `!!python/object`.
    """
    return iter(())


@rule("CB102")
def invalid_field(cascade: Cascade) -> Iterator[Finding]:
    """A required field is missing, or a field has the wrong type or an unknown value.

    What it checks
    Aims and objectives need `id` and `title`, teams `id` and `name`, people
    `id`, `name` and `team`, measures `name`. Numbers, dates, statuses,
    directions and improvement levels must be of their kind; an objective
    must have exactly one owner (`team` or `person`, on it or as the file's
    default); ids use ASCII letters, digits, `-`, `_` and `.` only.

    Why it matters
    A missing title or a status of "agred" silently changes what the cascade
    says. A date written as "end of Q3" cannot be compared with anything.

    Example
        objectives:
          - id: W7-1
            title: Falls risk assessment on admission
            due: end of March        # not a date
            status: agred            # not a status

    How to fix
    Give the field in the form the format asks for (see docs/format.md):
    dates as YYYY-MM-DD, statuses from the list in the message.
    """
    return iter(())


@rule("CB103")
def unknown_key(cascade: Cascade) -> Iterator[Finding]:
    """A key the format does not define.

    What it checks
    Every key in a goals file (top level, elements, measures) and in
    catchball.yaml must be one the format defines. The message suggests the
    closest known key, or lists the known keys when none is close.

    Why it matters
    A misspelt key is silently ignored by every other tool: `suports:`
    leaves the objective an orphan and `ownr:` leaves it unowned.

    Example
        - id: SURG-1
          title: Cut falls with harm by 30%
          suports: [TN-SAFE]

    How to fix
    Correct the spelling to the suggested key, or remove the key. Keep notes
    in `description`.
    """
    return iter(())


@rule("CB104")
def duplicate_id(cascade: Cascade) -> Iterator[Finding]:
    """An id is defined twice in its namespace.

    What it checks
    Aims and objectives share one namespace; teams and people each have
    their own. The second definition in read order (files by path, then
    file order) is reported and left out of every further check.

    Why it matters
    A `supports` link to a duplicated id is ambiguous: nobody can tell which
    objective it means, and the line of sight is no longer clear.

    Example
        # objectives/surgery.yaml         # objectives/theatres.yaml
        - id: SURG-1                      - id: SURG-1

    How to fix
    Give the second element its own id, and update the links that meant it.
    """
    return iter(())


@rule("CB105")
def duplicate_key(cascade: Cascade) -> Iterator[Finding]:
    """A YAML mapping repeats a key.

    What it checks
    No mapping (a file's top level, an element, a measure) may give the same
    key twice. The finding points at the repeat; the last value is used.

    Why it matters
    Most YAML readers keep the last value without a word, so an edit that
    adds a second `status:` or `supports:` quietly overrides the first.

    Example
        - id: ED-2
          status: challenged
          title: Four-hour standard at 78%
          status: agreed

    How to fix
    Keep one of the two keys: the one that says what was agreed.
    """
    return iter(())


@rule("CB106")
def unknown_team(cascade: Cascade) -> Iterator[Finding]:
    """A `team`, `parent` or person's `team` names no team.

    What it checks
    Every team an objective, a person or a team's `parent` names must be
    defined in `teams`.

    Why it matters
    An objective of an unknown team has no place in the org tree, so nobody
    can tell whether its links go up the organisation.

    Example
        team: surgical-divison     # the team is `surgical-division`
        objectives: [...]

    How to fix
    Correct the id (the message suggests the closest team), or add the team
    to `teams`.
    """
    goals = cascade.goals
    teams = Suggestions(goals.teams)
    for team in goals.teams.values():
        if team.parent is not None and team.parent not in goals.teams:
            yield _unknown(team.id, TEAM, team.span, f"team {team.id}: parent `{team.parent}`", team.parent, teams)
    for person in goals.people.values():
        if person.team is not None and person.team not in goals.teams:
            label = f"person {person.id}: team `{person.team}`"
            yield _unknown(person.id, PERSON, person.span, label, person.team, teams)
    for objective in goals.objectives.values():
        if objective.team is not None and objective.team not in goals.teams:
            label = f"objective {objective.id}: team `{objective.team}`"
            yield _unknown(objective.id, OBJECTIVE, objective.span, label, objective.team, teams)


def _unknown(element_id, kind, span, label, name, teams: Suggestions) -> Finding:
    return new_finding("CB106", f"{label} is not a defined team{teams.hint(name)}", element_id, span, kind)


@rule("CB107")
def unknown_person(cascade: Cascade) -> Iterator[Finding]:
    """A `person`, `owner` or `lead` names no person.

    What it checks
    An individual objective's `person` must always be a defined person (its
    place in the org tree comes from that person's team). When any people
    are defined, every `owner` (of aims and objectives) and `lead` (of
    teams) must name one of them too; with no people defined they are free
    text.

    Why it matters
    An owner who is not on the list is usually a typo or someone who has
    left: either way the objective has nobody accountable.

    Example
        - id: P-0042-1
          person: p0024            # the person is p0042

    How to fix
    Correct the id (the message suggests the closest person), or add the
    person to `people`.
    """
    goals = cascade.goals
    people = goals.people
    names = Suggestions(people)
    checked = bool(people)
    for aim in goals.aims.values():
        if checked and aim.owner is not None and aim.owner not in people:
            yield _unknown_person(aim.id, AIM, aim.span, f"aim {aim.id}: owner `{aim.owner}`", aim.owner, names)
    for team in goals.teams.values():
        if checked and team.lead is not None and team.lead not in people:
            yield _unknown_person(team.id, TEAM, team.span, f"team {team.id}: lead `{team.lead}`", team.lead, names)
    for objective in goals.objectives.values():
        if objective.person is not None and objective.person not in people:
            label = f"objective {objective.id}: person `{objective.person}`"
            yield _unknown_person(objective.id, OBJECTIVE, objective.span, label, objective.person, names)
        if checked and objective.owner is not None and objective.owner not in people:
            label = f"objective {objective.id}: owner `{objective.owner}`"
            yield _unknown_person(objective.id, OBJECTIVE, objective.span, label, objective.owner, names)


def _unknown_person(element_id, kind, span, label, name, names) -> Finding:
    """The message names a person twice over: the name written, and the closest defined person."""
    closest = names.closest(name)
    hint = f" (did you mean `{closest}`?)" if closest else ""
    people = (name, closest) if closest else (name,)
    return new_finding("CB107", f"{label} is not a defined person{hint}", element_id, span, kind, people)


@rule("CB108")
def bad_org_tree(cascade: Cascade) -> Iterator[Finding]:
    """The org tree has no root, several roots, or a cycle in `parent`.

    What it checks
    Exactly one team (the board) has no `parent`, and following `parent`
    from any team reaches it. The first root in read order is taken as the
    board; each further root, and one team on each cycle, is reported.

    Why it matters
    Alignment means "up the organisation": without one tree there is no up,
    and the objectives of a detached branch cannot be checked.

    Example
        teams:
          - {id: board, name: Trust Board}
          - {id: estates, name: Estates}          # no parent: a second root

    How to fix
    Give every team but the board a `parent`, and break any loop of parents.
    """
    goals = cascade.goals
    org = cascade.org
    for team_id in org.extra_roots:
        team = goals.teams[team_id]
        message = f"team {team_id} has no parent, but {org.root} is already the root: give it a `parent`"
        yield new_finding("CB108", message, team_id, team.span, TEAM)
    for cycle in org.cycles:
        team = goals.teams[cycle[0]]
        path = " → ".join(cycle + [cycle[0]]) if len(cycle) > 1 else f"{cycle[0]} → {cycle[0]}"
        yield new_finding("CB108", f"teams form a cycle of parents: {path}", team.id, team.span, TEAM)
    if org.root is None and goals.teams and not org.cycles:  # pragma: no cover - a rootless tree has a cycle
        first = next(iter(goals.teams.values()))
        yield new_finding("CB108", "no team is the root: the board must have no `parent`", first.id, first.span, TEAM)
    if not goals.teams and (goals.aims or goals.objectives):
        yield new_finding("CB108", "no teams are defined: add `teams:` with the board as the root", None, None)
