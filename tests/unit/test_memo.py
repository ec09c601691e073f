"""The memo behind the WeasyPrint adaptations: one value per set of style values."""

from __future__ import annotations

from typing import Any

from resumec.backends.memo import per_values


def test_one_value_per_set_of_values_and_other_values_ignored() -> None:
    calls: list[tuple[Any, ...]] = []

    def make(style: dict[str, Any], values: tuple[Any, ...]) -> str:
        calls.append(values)
        return f"{style['a']}-{style['b']}"

    memo = per_values(("a", "b"), make)
    assert memo({"a": 1, "b": 2, "c": 3}) == "1-2"
    assert memo({"a": 1, "b": 2, "c": 4}) == "1-2"  # c is not one of the names
    assert memo({"a": 1, "b": 5}) == "1-5"
    assert calls == [(1, 2), (1, 5)]


def test_values_that_cannot_be_a_key_are_made_every_time() -> None:
    calls = []
    memo = per_values(("a", "b"), lambda style, values: calls.append(values) or len(calls))
    assert memo({"a": [1], "b": 2}) == 1
    assert memo({"a": [1], "b": 2}) == 2
