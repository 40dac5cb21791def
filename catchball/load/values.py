"""Scalars to values: the conversions both reading routes share.

A goals file is read by the one-pass reader (plain.py) or by libyaml and
reader.py; a number, a date or an id must come out the same either way, so
both call these, never a copy of them.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import sys

import yaml

from catchball.load import yaml_nodes as Y

_CONSTRUCT = yaml.constructor.SafeConstructor()

# PyYAML's implicit resolvers (the ones SafeLoader and CSafeLoader use), by
# first character, exactly as yaml.resolver.BaseResolver.resolve looks them up.
IMPLICIT_RESOLVERS = yaml.resolver.Resolver.yaml_implicit_resolvers
_EMPTY: list = []


def resolve_plain(value: str) -> str:
    """The tag PyYAML gives a plain scalar: null, bool, int, float, timestamp, merge or str."""
    resolvers = IMPLICIT_RESOLVERS.get(value[0] if value else "", _EMPTY) + IMPLICIT_RESOLVERS.get(None, _EMPTY)
    for tag, regexp in resolvers:
        if regexp.match(value):
            return tag
    return Y.STR


def intern_id(text: str) -> str:
    # An id is written many times (as an id, a team, a person, in supports):
    # one string for all of them saves memory at national scale.
    return sys.intern(text)


# YAML 1.1 reads `1:8` as 68 (base 60) and `010` as 8 (octal): a staffing
# ratio or a zero-padded count would be shown as another number with no
# word of warning. YAML 1.2 and most people read them otherwise.
NOT_DECIMAL = object()
_SEXAGESIMAL = re.compile(r"[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?")
_OCTAL = re.compile(r"[-+]?0[0-7_]+")


def misread_number(tag: str, text: str) -> bool:
    """Whether YAML 1.1 reads `text` as another number than it looks (base-60 `1:8` is 68, octal `010` is 8)."""
    if _SEXAGESIMAL.fullmatch(text):
        return True
    if tag != Y.INT or not _OCTAL.fullmatch(text):
        return False
    digits = text.replace("_", "").lstrip("+-")
    return int(digits, 8) != int(digits)  # `07` is 7 either way


def not_decimal_kind(text: str) -> str:
    """Which YAML 1.1 form a misread number is written in, for the message."""
    return "base-60" if ":" in text else "octal"


def as_number(tag: str, text: str) -> float | int | None:
    """The finite number `text` is, None when it is none, NOT_DECIMAL when YAML 1.1 misreads it."""
    if tag in (Y.INT, Y.FLOAT) and misread_number(tag, text):
        return NOT_DECIMAL
    try:
        if tag in (Y.INT, Y.FLOAT):
            # An explicit tag (`!!int _`, `!!float x`) claims a type the text may not
            # have, and PyYAML's constructors then fail in odd ways: the text must
            # read as that type on its own.
            if resolve_plain(text) != tag:
                return None
            construct = _CONSTRUCT.construct_yaml_int if tag == Y.INT else _CONSTRUCT.construct_yaml_float
            number = construct(yaml.ScalarNode(tag, text))
        elif tag == Y.STR:
            number = float(text.replace(",", ""))
        else:
            return None
        # NaN and infinity are no measure; an integer past a float's range cannot be shown or compared
        return number if math.isfinite(number) else None
    except (ValueError, ArithmeticError):
        return None


def as_date(tag: str, text: str) -> dt.date | None:
    """The date `text` is (a timestamp's day), None when it is none."""
    try:
        if tag == Y.TIMESTAMP:
            if resolve_plain(text) != tag:  # `!!timestamp garbage`
                return None
            value = _CONSTRUCT.construct_yaml_timestamp(yaml.ScalarNode(tag, text))
            return value.date() if isinstance(value, dt.datetime) else value
        return dt.date.fromisoformat(text.strip())
    except (ValueError, ArithmeticError):
        return None


# Numbers and dates repeat (the same due dates and targets in file after
# file): each distinct text is converted once.
_TYPED: dict[tuple, object] = {}
_TYPED_MAX = 100_000


def typed(convert, tag: str, text: str):
    """`convert(tag, text)`, remembered for short texts."""
    key = (convert, tag, text)
    try:
        return _TYPED[key]
    except KeyError:
        value = convert(tag, text)
        if len(text) <= 40 and len(_TYPED) < _TYPED_MAX:
            _TYPED[key] = value
        return value


def unknown_key_message(key: str, where: str, known, hint: str) -> str:
    """CB103's message for an unknown key (`where`: "in objective X"), with `hint`, the closest known key's.

    Both routes word it here: the one-pass reader reads a file whose only
    faults are unknown keys, the exact route every other.
    """
    if not hint and re.fullmatch(r"\d[\d ].*", key):
        hint = " (a comma inside `{...}` ends the value: quote text such as 'per 1,000 bed days')"
    if not hint:  # nothing close: the spec asks for a suggestion, so name what is allowed
        hint = f" (known keys: {', '.join(f'`{k}`' for k in known)})"
    return f"unknown key `{key}` {where}{hint}"
