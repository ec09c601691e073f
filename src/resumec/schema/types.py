"""The annotated field types of the résumé model: text, lines, URLs, e-mail, tags, dates.

Takes the check functions of ``text.py`` and ``dates.py``; gives the ``Annotated``
types that ``model.py`` declares its fields with.

Each is a plain ``str`` (or date) checked by the functions in ``text.py`` and
``dates.py``, which stay free of pydantic's model machinery so that the compiled
validator (``compiled.py``) can call the very same checks.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BeforeValidator,
    Field,
    PlainSerializer,
    PlainValidator,
    WithJsonSchema,
)

from resumec.schema.dates import PartialDate, end_iso, parse_end
from resumec.schema.text import (
    check_email,
    check_url,
    markdown_links,
    no_control,
    not_empty,
    one_line,
    strip,
    tag,
)

_NOT_EMPTY = Field(json_schema_extra={"minLength": 1})
"""What ``not_empty`` checks, said to editors (pydantic's ``min_length`` would run a
check of pydantic's own, which the compiled validator could not call)."""

Text = Annotated[str, BeforeValidator(strip), AfterValidator(not_empty),
                 AfterValidator(no_control), AfterValidator(markdown_links), _NOT_EMPTY]
"""Prose with inline Markdown: **bold**, *italic*, [links](https://…)."""

Line = Annotated[str, BeforeValidator(strip), AfterValidator(not_empty),
                 AfterValidator(no_control), AfterValidator(one_line), _NOT_EMPTY]
"""Plain text on one line (names, places, phone numbers)."""

Url = Annotated[str, BeforeValidator(strip), AfterValidator(check_url),
                Field(json_schema_extra={"format": "uri"})]
"""An absolute http(s) or mailto URL."""

Email = Annotated[str, BeforeValidator(strip), AfterValidator(check_email),
                  Field(json_schema_extra={"format": "email"})]
"""An e-mail address."""

Tag = Annotated[str, BeforeValidator(strip), AfterValidator(tag)]
"""A tailoring tag: one word such as ``backend`` or ``ml``."""

Present = Literal["present"]
"""An open range's end, as written."""

EndDate = Annotated[
    PartialDate | Present,
    PlainValidator(parse_end),
    PlainSerializer(end_iso),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "integer", "minimum": 1000, "maximum": 9999},
                {"type": "string", "pattern": r"^([1-9]\d{3}(-\d{2}(-\d{2})?)?|present)$"},
            ],
            "description": 'YYYY, YYYY-MM, YYYY-MM-DD or "present"',
        }
    ),
]
"""An end date, or ``"present"`` for a range that is still open."""
