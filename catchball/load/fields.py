"""What each element may hold: the field table of the goals format, v1 and v1.1.

One place to read the format from; the loader, the JSON Schema and the docs
follow it.
"""

from __future__ import annotations

from dataclasses import dataclass

from catchball.model import AIM_STATUSES, IMPROVEMENT_LEVELS, OBJECTIVE_STATUSES

# Field kinds understood by the reader.
TEXT = "text"  # any scalar, kept as written
ID = "id"  # text that must match ID_PATTERN
NUMBER = "number"
COUNT = "count"  # a whole number >= 0
DATE = "date"
ID_LIST = "id-list"  # one id or a list of ids
MEASURES = "measures"
CHOICE = "choice"
DATA = "data"  # a measure's series: a mapping of period to number, or a CSV path

ID_PATTERN = r"[A-Za-z0-9_.\-]+"


@dataclass(frozen=True, slots=True)
class Field:
    kind: str
    required: bool = False
    choices: tuple[str, ...] = ()


MEASURE_FIELDS = {
    "id": Field(ID),  # v1.1: measure ids are a namespace of their own
    "name": Field(TEXT, required=True),
    "unit": Field(TEXT),
    "baseline": Field(NUMBER),
    "target": Field(NUMBER),
    "by": Field(DATE),
    "direction": Field(CHOICE, choices=("up", "down")),
    "data": Field(DATA),  # v1.1
}

AIM_FIELDS = {
    "id": Field(ID, required=True),
    "title": Field(TEXT, required=True),
    "dimension": Field(TEXT),
    "owner": Field(TEXT),  # a person id, or free text when no people are defined
    "description": Field(TEXT),
    "status": Field(CHOICE, choices=AIM_STATUSES),
    "measures": Field(MEASURES),
}

TEAM_FIELDS = {
    "id": Field(ID, required=True),
    "name": Field(TEXT, required=True),
    "parent": Field(ID),
    "lead": Field(TEXT),
    "headcount": Field(COUNT),
    "description": Field(TEXT),
}

PERSON_FIELDS = {
    "id": Field(ID, required=True),
    "name": Field(TEXT, required=True),
    "team": Field(ID, required=True),
    "role": Field(TEXT),
    "improvement-level": Field(CHOICE, choices=IMPROVEMENT_LEVELS),
}

OBJECTIVE_FIELDS = {
    "id": Field(ID, required=True),
    "title": Field(TEXT, required=True),
    "team": Field(ID),
    "person": Field(ID),
    "supports": Field(ID_LIST),
    "owner": Field(TEXT),
    "due": Field(DATE),
    "status": Field(CHOICE, choices=OBJECTIVE_STATUSES),
    "measures": Field(MEASURES),
    "description": Field(TEXT),
}

# Top-level keys of a goals file: element lists, and the objectives' file defaults.
SECTIONS = {
    "aims": AIM_FIELDS,
    "teams": TEAM_FIELDS,
    "people": PERSON_FIELDS,
    "objectives": OBJECTIVE_FIELDS,
}
FILE_DEFAULTS = {"team": Field(ID), "person": Field(ID)}
TOP_LEVEL_KEYS = tuple(SECTIONS) + tuple(FILE_DEFAULTS)

ELEMENT_NOUN = {"aims": "aim", "teams": "team", "people": "person", "objectives": "objective"}
