"""Résumé dates: a year, a month or a day, checked against the calendar.

Takes ``2021``, ``"2021-03"``, ``"2021-03-14"`` (or a YAML date) and gives a
:class:`PartialDate`; ``"present"`` is accepted where a range may still be open.
``resumec validate`` calls these functions through the compiled schema, so this module
imports neither pydantic nor typing (nor dataclasses): only pydantic-core's engine.
"""

from __future__ import annotations

import datetime as _dt
import functools
import re

from resumec.frozen import Frozen
from resumec.schema.corelib import PydanticCustomError

TYPE_CHECKING = False
if TYPE_CHECKING:  # pydantic's model machinery is not loaded by `resumec validate`
    from typing import Any

    from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
    from pydantic.json_schema import JsonSchemaValue
    from pydantic_core import core_schema

    from resumec.schema.types import Present

_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_EXPECTED = "expected YYYY, YYYY-MM or YYYY-MM-DD"
_EXPECTED_END = 'expected YYYY, YYYY-MM, YYYY-MM-DD or "present"'

MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def _kind(value: object) -> str:
    """What a value that is no date is, in words (as ``loader.describe``)."""
    if isinstance(value, bool):
        return str(value).lower()
    if value is None:
        return "nothing"
    if isinstance(value, dict):
        return "a mapping"
    return "a list" if isinstance(value, list | tuple) else type(value).__name__


@functools.total_ordering
class PartialDate(Frozen):
    """A calendar date known to the year, the month or the day."""

    __slots__ = ("day", "month", "year")
    _fields = ("year", "month", "day")
    year: int
    month: int | None
    day: int | None

    def __init__(self, year: int, month: int | None = None, day: int | None = None) -> None:
        self._init(year, month, day)

    @classmethod
    def parse(cls, value: object) -> PartialDate:
        """Parse a YAML/JSON value; raise ``ValueError`` with a message for people."""
        if isinstance(value, PartialDate):
            return value
        if isinstance(value, _dt.date):  # a datetime too: its day is what counts
            value = value.isoformat()[:10]
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            raise ValueError(f"{_EXPECTED}, got {_kind(value)}")
        text = str(getattr(value, "source", value)).strip()
        m = _DATE_RE.match(text)
        if not m:
            shown = text if len(text) <= 50 else text[:47] + "…"  # as loader.describe
            raise ValueError(f'{_EXPECTED}, got "{shown}"')
        year = int(m[1])
        if year < 1000:
            raise ValueError(f'year {m[1]} is before 1000 in "{text}"')
        month = int(m[2]) if m[2] else None
        day = int(m[3]) if m[3] else None
        if month is not None and not 1 <= month <= 12:
            raise ValueError(f'month {month} does not exist in "{text}"')
        if day is not None:
            try:
                _dt.date(year, month or 1, day)  # month is set: the regex needs it before a day
            except ValueError:
                raise ValueError(f'"{text}" is not a calendar date') from None
        return cls(year, month or None, day or None)

    @property
    def iso(self) -> str:
        """The date as written: ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``."""
        out = f"{self.year:04d}"
        if self.month:
            out += f"-{self.month:02d}"
            if self.day:
                out += f"-{self.day:02d}"
        return out

    def sort_key(self) -> tuple[int, int, int]:
        """Order dates, an unknown month or day counting as its start."""
        return (self.year, self.month or 0, self.day or 0)

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, PartialDate):
            return NotImplemented
        return self.sort_key() < other.sort_key()

    def covers_before(self, other: PartialDate) -> bool:
        """Whether this date ends before ``other`` starts at the shared precision."""
        a = (self.year, self.month, self.day)
        b = (other.year, other.month, other.day)
        for x, y in zip(a, b, strict=True):
            if x is None or y is None:
                return False
            if x != y:
                return x < y
        return False

    def format(self, style: str) -> str:
        """Format for display: ``"Mar 2021"`` (``short``), ``"March 2021"`` (``long``),
        ``"2021-03"`` (``iso``), ``"03/2021"`` (``numeric``)."""
        if self.month is None:
            return str(self.year)
        if style == "iso":
            return self.iso
        if style == "numeric":
            return f"{self.month:02d}/{self.year}"
        name = MONTHS[self.month - 1]
        if style == "short":
            name = name[:3]
        return f"{name} {self.year}"

    def __str__(self) -> str:
        return self.iso

    @classmethod
    def __get_pydantic_core_schema__(
        cls, _source: Any, _handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        from pydantic_core import core_schema

        return core_schema.no_info_plain_validator_function(
            parse_date, serialization=core_schema.plain_serializer_function_ser_schema(str)
        )

    @classmethod
    def __get_pydantic_json_schema__(
        cls, _schema: core_schema.CoreSchema, _handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return {
            "anyOf": [
                {"type": "integer", "minimum": 1000, "maximum": 9999},
                {"type": "string", "pattern": r"^[1-9]\d{3}(-\d{2}(-\d{2})?)?$"},
            ],
            "description": "YYYY, YYYY-MM or YYYY-MM-DD",
        }


def parse_date(value: Any) -> PartialDate:
    """Validate a date for pydantic: a :class:`PartialDate`, or a located error."""
    try:
        return PartialDate.parse(value)
    except ValueError as exc:
        raise PydanticCustomError("date", str(exc)) from None


def parse_end(value: Any) -> PartialDate | Present:
    """Validate an end date for pydantic: a :class:`PartialDate` or ``"present"``."""
    if isinstance(value, str) and value.strip().lower() == "present":
        return "present"
    try:
        return PartialDate.parse(value)
    except ValueError as exc:
        message = str(exc).replace(_EXPECTED, _EXPECTED_END)
        raise PydanticCustomError("date", message) from None


def end_iso(value: PartialDate | Present) -> str:
    """An end date as written in YAML: ``YYYY[-MM[-DD]]`` or ``present``."""
    return value if isinstance(value, str) else value.iso
