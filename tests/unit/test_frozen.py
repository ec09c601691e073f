"""The small immutable value classes on ``resumec validate``'s path behave as values."""

from __future__ import annotations

import copy
import pickle

import pytest

from resumec.errors import Issue
from resumec.loader import Source
from resumec.schema.dates import PartialDate


@pytest.mark.parametrize("value", [
    PartialDate(2021, 3),
    Issue("cv.yaml", 3, 5, "experience[0]", "missing"),
    Source("cv.yaml", {"name": "A"}, {("name",): (1, 1)}),
])
def test_values_are_immutable_and_survive_copy_and_pickle(value: object) -> None:
    field = type(value)._fields[0]  # type: ignore[attr-defined]
    with pytest.raises(AttributeError, match="immutable"):
        setattr(value, field, 1)
    with pytest.raises(AttributeError, match="immutable"):
        delattr(value, field)
    with pytest.raises(AttributeError):
        value.undeclared = 1  # type: ignore[attr-defined]
    for twin in (copy.copy(value), copy.deepcopy(value), pickle.loads(pickle.dumps(value))):
        assert twin == value and twin is not value and type(twin) is type(value)
        assert isinstance(value, Source) or hash(twin) == hash(value)  # a Source holds dicts


def test_equality_is_by_fields_and_type() -> None:
    assert PartialDate(2021, 3) == PartialDate(2021, 3, None)
    assert PartialDate(2021, 3) != PartialDate(2021)
    assert PartialDate(2021) != (2021, None, None)  # not a tuple
    assert len({PartialDate(2021), PartialDate(2021), PartialDate(2022)}) == 2
    assert repr(PartialDate(2021, 3)) == "PartialDate(year=2021, month=3, day=None)"


def test_issues_sort_by_file_then_place() -> None:
    issues = [Issue("b.yaml", 1, 1, "", "x"), Issue("a.yaml", 10, 2, "p", "m"),
              Issue("a.yaml", 2, 9, "p", "m"), Issue("a.yaml", 2, 3, "q", "m")]
    assert [(i.file, i.line, i.col) for i in sorted(issues)] == [
        ("a.yaml", 2, 3), ("a.yaml", 2, 9), ("a.yaml", 10, 2), ("b.yaml", 1, 1)]
    assert str(issues[1]) == "a.yaml:10:2: p: m"
    assert str(issues[0]) == "b.yaml:1:1: x"


def test_dates_order_by_calendar_an_unknown_part_counting_as_the_start() -> None:
    assert PartialDate(2021) < PartialDate(2021, 1) < PartialDate(2021, 1, 2) < PartialDate(2022)
    assert PartialDate(2021, 5) >= PartialDate(2021, 5)
    assert max(PartialDate(2020, 12), PartialDate(2021)) == PartialDate(2021)
