"""Default objects are assembled without validation; they must be what validation gives."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import BaseModel

from resumec.schema import model
from resumec.themes import Tokens


def _model_defaults(cls: type[BaseModel]) -> list[tuple[str, BaseModel]]:
    out = []
    for name, field in cls.model_fields.items():
        values: Any = field.default
        for value in values if isinstance(values, tuple) else (values,):
            if isinstance(value, BaseModel):
                out.append((f"{cls.__name__}.{name}", value))
    return out


DEFAULTS = _model_defaults(Tokens) + _model_defaults(model.Resume)


def test_there_are_default_objects_to_check() -> None:
    assert {"Tokens.fonts", "Tokens.density", "Resume.contact"} <= {n for n, _ in DEFAULTS}


@pytest.mark.parametrize(("name", "value"), DEFAULTS, ids=[n for n, _ in DEFAULTS])
def test_a_default_object_is_what_validating_it_gives(name: str, value: BaseModel) -> None:
    validated = type(value).model_validate(value.model_dump(by_alias=True))
    assert value == validated
    assert value.model_dump() == validated.model_dump()
