"""A JSON Schema of goals files, built from the field table so it cannot drift.

Editors (VS Code's YAML extension, JetBrains IDEs) use it to validate and
complete goals files as they are typed. It says what catchball's reader
accepts, with two limits that only the reader can check: references between
files (CB106, CB107, CB2xx) and the rules on the cascade as a whole.

One schema covers both kinds of file, so one `yaml.schemas` glob can map a
whole goals folder: a mapping with `organisation`, `period` or `rules` is
read as catchball.yaml (settings), anything else as a goals file.

The shipped copy, catchball/schema/goals.schema.json, is draft 2020-12; a
test keeps it equal to `build_schema()`. `build_schema("7")` gives the same
schema in draft-07 form, which yaml-language-server supports fully.
"""

from __future__ import annotations

import json

from catchball.links import SCHEMA_URL
from catchball.load import fields as F
from catchball.rules.catalog import CODES, NAMES
from catchball.model import IMPROVEMENT_LEVELS
from catchball.settings import CAPABILITY_KEYS, RULE_KEYS, SEVERITY_WORDS, SPC_KEYS, SPC_RANGES, TOP_KEYS

DRAFTS = {
    "2020-12": "https://json-schema.org/draft/2020-12/schema",
    "7": "http://json-schema.org/draft-07/schema#",
}
DRAFT_ALIASES = {"2020-12": "2020-12", "2020": "2020-12", "7": "7", "07": "7", "draft-07": "7", "draft7": "7"}

# YAML reads `id: 2027` as a number and (YAML 1.1) `id: no` as false; catchball
# keeps the text as written, so every scalar type is accepted where text is.
SCALAR = ["string", "number", "boolean"]
OPTIONAL_ID = "^[A-Za-z0-9_.\\-]*$"  # empty counts as absent
REQUIRED_ID = "^[A-Za-z0-9_.\\-]+$"
NUMBER_TEXT = "^\\s*([-+]?(\\d[\\d,]*(\\.\\d*)?|\\.\\d+)([eE][-+]?\\d+)?)?\\s*$"  # "1,000" is 1000
COUNT_TEXT = "^\\s*(\\d[\\d,]*(\\.0*)?)?\\s*$"
DATE_TEXT = "^(\\d{4}-\\d{2}-\\d{2}([Tt ].*)?)?$"
PERIOD = "^\\d{4}-(0[1-9]|1[0-2])(-(0[1-9]|[12]\\d|3[01]))?$"  # a month 2026-04 or a date 2026-04-07
DATA_VALUE_TEXT = "^\\s*([-+]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][-+]?\\d+)?\\s*%?)?\\s*$"  # 12.5 or 12.5%
SHARE = "^\\s*([0-9]+(\\.[0-9]*)?|\\.[0-9]+)\\s*%?\\s*$"  # as catchball.settings reads a share
# a code, a prefix such as CB2, or ALL; the first digit is a family that exists
SELECTOR = "^([Cc][Bb]([%s][0-9]{0,2})?|[Aa][Ll][Ll])$" % "".join(sorted({code[2] for code in CODES}))

# What each field means, shown by editors on hover. A test checks that every
# field of the field table has a description here and that nothing is left over.
DESCRIPTIONS = {
    ("measure", "name"): "What is measured, e.g. `Falls with harm per 1,000 occupied bed days`. Required.",
    ("measure", "unit"): "The unit, e.g. `%` or `per 1,000 bed days` (quote it inside `{...}` when it holds a comma).",
    ("measure", "baseline"): "Where we are now (a number). Missing is CB404.",
    ("measure", "target"): "Where we aim to be (a number). Missing is CB404.",
    ("measure", "by"): "When the target should be met (YYYY-MM-DD).",
    ("measure", "direction"): "`up` or `down`: which way is better. Needed only when baseline equals target.",
    ("measure", "id"): "The measure's id (measures have their own namespace): names it in `catchball chart` and in a CSV's `measure` column.",
    ("measure", "data"): (
        "The measure's data: a mapping of period (a month `2026-04` or a date `2026-04-07`) to number, "
        "or the path of a CSV file under the goals root with `period` and `value` columns. See docs/measures.md."
    ),
    ("aim", "id"): "The aim's id: letters, digits, `-`, `_` and `.`. Aims and objectives share one namespace.",
    ("aim", "title"): "The aim, in a few words. Required.",
    ("aim", "dimension"): "Free text; suggested: safe, effective, timely, efficient, equitable, person-centred, people, value.",
    ("aim", "owner"): "The accountable person's id when `people` are defined (CB107), free text otherwise.",
    ("aim", "description"): "Longer text about the aim.",
    ("aim", "status"): "`active` (the default) or `retired` (kept for the record, takes no part in tracing).",
    ("aim", "measures"): "How progress is measured. An active aim without measures is CB401.",
    ("team", "id"): "The team's id (teams have their own namespace).",
    ("team", "name"): "The team's name. Required.",
    ("team", "parent"): "The id of the team above. Exactly one team, the board, has no parent.",
    ("team", "lead"): "The team lead's person id when `people` are defined, free text otherwise.",
    ("team", "headcount"): "How many people work in the team (a whole number).",
    ("team", "description"): "Longer text about the team.",
    ("person", "id"): "The person's id (people have their own namespace).",
    ("person", "name"): "The person's name. Required.",
    ("person", "team"): "The id of the team the person belongs to. Required.",
    ("person", "role"): "The person's role, e.g. `Ward Manager`.",
    ("person", "improvement-level"): "Improvement training, the skills escalator from low to high: foundation, champion, practitioner, advanced or expert.",
    ("objective", "id"): "The objective's id: letters, digits, `-`, `_` and `.`. Aims and objectives share one namespace.",
    ("objective", "title"): "The objective, in a few words. Required.",
    ("objective", "team"): "The owning team's id (or use `person`, or the file's default). Not both.",
    ("objective", "person"): "The owning person's id, for an individual objective. Not together with `team`.",
    ("objective", "supports"): "The aims or objectives this objective serves: one id or a list of ids, upward in the org tree.",
    ("objective", "owner"): "The accountable person of a team objective (a person id when `people` are defined). Missing is CB402.",
    ("objective", "due"): "When the objective is due (YYYY-MM-DD); not after what it supports (CB403).",
    ("objective", "status"): (
        "Where the catchball conversation stands: proposed, challenged, agreed (default), done (delivered) or dropped."
    ),
    ("objective", "measures"): "How progress is measured. An active team objective without measures is CB401.",
    ("objective", "description"): "Longer text about the objective.",
    ("file", "team"): "The default owning team for the objectives of this file.",
    ("file", "person"): "The default owning person for the objectives of this file.",
    ("file", "aims"): "True North: the board's few bold, measurable aims.",
    ("file", "teams"): "The organisation tree: every team with its parent.",
    ("file", "people"): "People, optional. When any are defined, `owner` and `lead` must name one of them.",
    ("file", "objectives"): "Team and individual objectives, each supporting an aim or an objective above it.",
    ("settings", "organisation"): "The organisation's name, shown in views and reports.",
    ("settings", "period"): "The planning period, e.g. `2026/27`.",
    ("settings", "rules"): "Rule settings: limits, rules switched off, severity overrides.",
    ("settings", "capability"): "Improvement capability (docs/capability.md): its presence switches CB701 and CB702 on.",
    ("capability", "targets"): "The share of headcount at or above each level, in per cent (`10%` or `10`): the organisation's own dosing.",
    ("rules", "max-aims"): "CB303 fires above this many active aims (default 5).",
    ("rules", "max-objectives"): "CB304 fires when a team or person owns more active objectives than this (default 5).",
    ("rules", "ignore"): "Rules switched off: codes (CB302), names (silent-team) or prefixes (CB3).",
    ("rules", "severity"): "Severity overrides: a rule code mapped to error, warning or info.",
    ("settings", "spc"): "How measures' XmR charts are computed (Making Data Count's rules) and when data is stale.",
    ("spc", "minimum-points"): "Points the last phase needs before it gets limits and icons (default 13, at least 2).",
    ("spc", "shift"): "Points in a row on one side of the mean that make a shift (6 to 8, default 6).",
    ("spc", "trend"): "Points in a row rising or falling that make a trend (6 to 8, default 6).",
    ("spc", "fix-limits-after"): "Compute each phase's mean and limits from its first N points only (default: all).",
    ("spc", "stale-after"): "Days after the end of a measure's last period before its data is stale, CB603 (default 62).",
}

SECTION_ELEMENT = {"aims": "aim", "teams": "team", "people": "person", "objectives": "objective"}
ELEMENT_FIELDS = {"aim": F.AIM_FIELDS, "team": F.TEAM_FIELDS, "person": F.PERSON_FIELDS, "objective": F.OBJECTIVE_FIELDS}
DIMENSIONS = ["safe", "effective", "timely", "efficient", "equitable", "person-centred", "people", "value"]


def normalise_draft(draft: str) -> str:
    """'7', '07', 'draft-07' -> '7'; '2020-12' -> '2020-12'; ValueError otherwise."""
    try:
        return DRAFT_ALIASES[draft.strip().lower()]
    except KeyError:
        raise ValueError(f"unknown JSON Schema draft {draft!r}: choose 2020-12 or 7") from None


def build_schema(draft: str = "2020-12") -> dict:
    """The JSON Schema of goals files and catchball.yaml, in the given draft."""
    draft = normalise_draft(draft)
    defs_key = "$defs" if draft == "2020-12" else "definitions"

    def ref(name: str) -> dict:
        return {"$ref": f"#/{defs_key}/{name}"}

    defs: dict[str, dict] = {"measure": _element("measure", F.MEASURE_FIELDS, ref)}
    for element, table in ELEMENT_FIELDS.items():
        defs[element] = _element(element, table, ref)
    defs["goalsFile"] = _goals_file(ref)
    defs["settingsFile"] = _settings_file()
    return {
        "$schema": DRAFTS[draft],
        "$id": SCHEMA_URL,
        "title": "catchball goals file",
        "description": (
            "A file of a catchball goals repository (format v1.1): aims, teams, people or objectives; "
            "or the goals root's catchball.yaml."
        ),
        "if": {"type": "object", "anyOf": [{"required": [key]} for key in TOP_KEYS]},
        "then": ref("settingsFile"),
        "else": ref("goalsFile"),
        defs_key: defs,
    }


def schema_text(draft: str = "2020-12") -> str:
    """The schema as the JSON text that is shipped and printed."""
    return json.dumps(build_schema(draft), indent=2, ensure_ascii=False) + "\n"


# -- pieces -------------------------------------------------------------------


def _described(schema: dict, where: tuple[str, str]) -> dict:
    text = DESCRIPTIONS[where]
    return {"description": text, "markdownDescription": text, **schema}


def _field(spec: F.Field, ref) -> dict:
    """The schema of one field's value; optional fields may be empty or null (absent)."""
    kind, required = spec.kind, spec.required
    if kind == F.TEXT:
        return {"type": SCALAR, "minLength": 1} if required else {"type": SCALAR + ["null"]}
    if kind == F.ID:
        if required:
            return {"type": SCALAR, "pattern": REQUIRED_ID}
        return {"type": SCALAR + ["null"], "pattern": OPTIONAL_ID}
    if kind == F.NUMBER:
        return {"type": ["number", "string", "null"], "pattern": NUMBER_TEXT}
    if kind == F.COUNT:
        return {"type": ["integer", "string", "null"], "minimum": 0, "pattern": COUNT_TEXT}
    if kind == F.DATE:
        return {"type": ["string", "null"], "pattern": DATE_TEXT}
    if kind == F.CHOICE:
        return {"enum": [*spec.choices, None, ""]}
    if kind == F.ID_LIST:
        return {
            "type": SCALAR + ["array", "null"],
            "pattern": OPTIONAL_ID,
            "items": {"type": SCALAR + ["null"], "pattern": OPTIONAL_ID},
        }
    if kind == F.DATA:
        value = {"type": ["number", "string", "null"], "pattern": DATA_VALUE_TEXT}
        return {
            "type": ["object", "string", "null"],
            "propertyNames": {"pattern": PERIOD},
            "additionalProperties": value,
        }
    if kind == F.MEASURES:
        # An empty string counts as absent: maxLength applies to strings only.
        return {"type": ["array", "string", "null"], "maxLength": 0, "items": ref("measure")}
    raise AssertionError(kind)  # pragma: no cover - the field table is ours


_PRESENT = {"not": {"enum": [None, ""]}}


def _one_owner(message: str) -> dict:
    """`team` and `person` may not both be given (with values)."""
    return {
        "not": {
            "type": "object",
            "required": ["team", "person"],
            "properties": {"team": _PRESENT, "person": _PRESENT},
        },
        "$comment": message,
    }


def _element(element: str, table: dict, ref) -> dict:
    properties = {}
    for key, spec in table.items():
        schema = _field(spec, ref)
        if element == "aim" and key == "dimension":
            schema["examples"] = DIMENSIONS
        properties[key] = _described(schema, (element, key))
    schema = {
        # Empty list entries (`- `) are skipped by the reader; a measure must be a mapping.
        "type": "object" if element == "measure" else ["object", "null"],
        "required": [key for key, spec in table.items() if spec.required],
        "properties": properties,
        "additionalProperties": False,
    }
    if element == "objective":
        schema["allOf"] = [_one_owner("an objective is owned by one team or one person, not both")]
    return schema


def _goals_file(ref) -> dict:
    properties = {}
    for section, element in SECTION_ELEMENT.items():
        properties[section] = _described({"type": ["array", "null"], "items": ref(element)}, ("file", section))
    for key, spec in F.FILE_DEFAULTS.items():
        properties[key] = _described(_field(spec, ref), ("file", key))
    assert set(properties) == set(F.TOP_LEVEL_KEYS)
    return {
        "type": ["object", "null"],
        "properties": properties,
        "additionalProperties": False,
        "allOf": [_one_owner("a file may set a default `team` or `person`, not both")],
    }


def _settings_file() -> dict:
    selector = {"type": "string", "anyOf": [{"enum": sorted(NAMES)}, {"pattern": SELECTOR}]}
    limit = {"type": ["integer", "null"], "minimum": 1}
    rules = {
        "max-aims": limit,
        "max-objectives": limit,
        "ignore": {"anyOf": [selector, {"type": "array", "items": selector}, {"type": "null"}]},
        "severity": {
            "type": ["object", "null"],
            "propertyNames": {"enum": sorted(CODES)},
            "additionalProperties": {"enum": list(SEVERITY_WORDS)},
        },
    }
    assert tuple(rules) == RULE_KEYS
    rules_schema = {
        "type": ["object", "null"],
        "properties": {key: _described(schema, ("rules", key)) for key, schema in rules.items()},
        "additionalProperties": False,
    }
    spc = {
        key: {"type": ["integer", "null"], "minimum": low, **({"maximum": high} if high is not None else {})}
        for key, (low, high) in SPC_RANGES.items()
    }
    assert tuple(spc) == SPC_KEYS
    spc_schema = {
        "type": ["object", "null"],
        "properties": {key: _described(schema, ("spc", key)) for key, schema in spc.items()},
        "additionalProperties": False,
    }
    share = {"anyOf": [{"type": "number", "minimum": 0, "maximum": 100}, {"type": "string", "pattern": SHARE}]}
    capability_schema = {
        "type": ["object", "null"],
        "properties": {
            "targets": _described(
                {
                    "type": ["object", "null"],
                    "propertyNames": {"enum": list(IMPROVEMENT_LEVELS)},
                    "additionalProperties": share,
                },
                ("capability", "targets"),
            )
        },
        "additionalProperties": False,
    }
    assert tuple(capability_schema["properties"]) == CAPABILITY_KEYS
    top = {
        "organisation": {"type": SCALAR + ["null"]},
        "period": {"type": SCALAR + ["null"]},
        "rules": rules_schema,
        "spc": spc_schema,
        "capability": capability_schema,
    }
    assert tuple(top) == TOP_KEYS
    return {
        "type": ["object", "null"],
        "properties": {key: _described(schema, ("settings", key)) for key, schema in top.items()},
        "additionalProperties": False,
    }
