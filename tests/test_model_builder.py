"""model.builder: the same frozen values as the dataclass makes, only faster."""

from __future__ import annotations

import dataclasses
import pickle

import pytest
from hypothesis import given
from hypothesis import strategies as st

from catchball.findings import Finding
from catchball.graph import Below
from catchball.model import Aim, Measure, Objective, Person, Span, Team, builder

ids = st.text(alphabet="ABC-12", min_size=1, max_size=6)
spans = st.builds(Span, st.text(max_size=5), st.integers(1, 10**6), st.integers(1, 500))


@given(ids, st.none() | st.text(max_size=8), spans, st.none() | ids, st.lists(ids, max_size=3).map(tuple),
       st.sampled_from(["agreed", "done", "dropped"]), st.booleans())
def test_an_objective_built_fast_is_the_objective(id_, title, span, team, supports, status, ok):
    kwargs = dict(id=id_, title=title, span=span, team=team, supports=supports, status=status, ownership_ok=ok)
    fast, slow = builder(Objective)(**kwargs), Objective(**kwargs)
    assert type(fast) is Objective
    assert fast == slow and hash(fast) == hash(slow) and repr(fast) == repr(slow)
    assert pickle.loads(pickle.dumps(fast)) == slow
    assert dataclasses.replace(fast, id="X") == dataclasses.replace(slow, id="X")


@pytest.mark.parametrize("kind", [Aim, Team, Person, Objective, Measure, Span, Finding, Below])
def test_every_built_value_stays_frozen(kind):
    fields = dataclasses.fields(kind)
    values = [f.default if f.default is not dataclasses.MISSING else "x" for f in fields]
    made = builder(kind)(*values)
    assert made == kind(*values)
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(made, fields[0].name, "changed")


def test_a_class_whose_slots_differ_from_its_fields_has_no_builder():
    @dataclasses.dataclass(frozen=True)
    class Unslotted:
        a: int

    with pytest.raises(TypeError):
        builder(Unslotted)
