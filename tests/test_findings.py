"""Findings and the collector that joins the faults of one code on one element (catchball/findings.py)."""

from __future__ import annotations

import dataclasses

from hypothesis import given
from hypothesis import strategies as st

from catchball.findings import FILE, KINDS, PERSON, FindingCollector, new_finding, visible
from catchball.model import Span
from catchball.rules.catalog import CODES

_codes = st.sampled_from(["CB201", "CB405", "CB104", "CB601"])
_ids = st.none() | st.sampled_from(["O-1", "O-2", "sn"])
_spans = st.none() | st.builds(Span, st.sampled_from(["a.yaml", "b.yaml"]), st.integers(1, 3), st.integers(1, 2))
_messages = st.sampled_from(["late", "no owner", "late", "tab\there", "bell\x07", "rtl\u202eexe.txt", "é 漢"])
_people = st.lists(st.sampled_from(["sn", "wm", "dd"]), max_size=2)


@st.composite
def _fault(draw):
    element_id = draw(_ids)
    kind = draw(st.sampled_from(KINDS[:-1])) if element_id is not None else None
    return draw(_codes), draw(_messages), element_id, draw(_spans), kind, draw(_people)


def _joined(faults) -> list:
    """What the spec asks of the collector, worked out plainly: one finding per code, element and place,
    its messages joined in the order met (each once), its people each once, in the order met."""
    order: dict[tuple, tuple[dict, dict]] = {}
    for code, message, element_id, span, kind, people in faults:
        if element_id is None:
            kind = FILE if span is not None else None  # what a finding with no id is about: its file
        messages, named = order.setdefault((code, element_id, span, kind), ({}, {}))
        messages.setdefault(visible(message))  # each message once, as it is shown
        named.update(dict.fromkeys(people))
    return [
        new_finding(code, "; ".join(messages), element_id, span, kind, tuple(named))
        for (code, element_id, span, kind), (messages, named) in order.items()
    ]


@given(st.lists(_fault(), max_size=12), st.integers(0, 12))
def test_the_collector_joins_faults_whether_given_as_findings_or_added(faults, split):
    # The first `split` faults are added one by one, the rest given as findings (extend): the order met is kept.
    collector = FindingCollector()
    for code, message, element_id, span, kind, people in faults[:split]:
        collector.add(code, message, element_id, span, kind, people)
    collector.extend(new_finding(*fault) for fault in faults[split:])
    assert collector.findings() == _joined(faults)


def test_a_finding_given_alone_is_reported_as_it_is():
    found = new_finding("CB405", "objective O-1 is overdue", "O-1", Span("a.yaml", 3, 5), "objective")
    collector = FindingCollector()
    collector.extend([found])
    assert collector.findings()[0] is found  # not made again: most findings are alone (0.25 s at 45,000)


def test_a_finding_at_another_severity_is_made_again_at_its_codes_own():
    # A finding read back from a kept state carries catchball.yaml's severity; a collector reports the code's own.
    found = new_finding("CB405", "objective O-1 is overdue", "O-1", Span("a.yaml", 3, 5), "objective")
    collector = FindingCollector()
    collector.extend([dataclasses.replace(found, severity="error")])
    assert collector.findings() == [found] and CODES["CB405"][1] == "warning"


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=8))
def test_a_findings_message_shows_control_and_format_characters_as_escapes(text):
    f = new_finding("CB201", text, None, Span("a.yaml", 1, 1))
    assert f.message == visible(text)
    assert f.kind == FILE


def test_a_finding_about_a_person_names_them_first_and_once():
    f = new_finding("CB501", "sn has no objectives", "sn", Span("people.yaml", 2, 5), PERSON, ["wm", "sn", "wm"])
    assert f.people == ("sn", "wm")
    assert new_finding("CB201", "x", "O-1", None, "objective", ["wm", "wm"]).people == ("wm",)
    assert new_finding("CB201", "x", "O-1", None, "objective", []).people == ()
