"""The résumé model's own rules: what a field's type cannot say on its own.

Takes raw data or validated objects; gives them back, or raises a
``PydanticCustomError`` that the loader locates. The pydantic models in
``model.py`` attach them as validators; the compiled validator (``compiled.py``)
calls the very same functions on its light stand-in objects. So this module imports
only pydantic-core, never pydantic's model machinery, and reads objects by attribute
name only.
"""

from __future__ import annotations

from resumec.schema.corelib import PydanticCustomError
from resumec.schema.dates import PartialDate

TYPE_CHECKING = False  # `resumec validate` runs without importing typing
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

SECTION_KEYS: tuple[str, ...] = (
    "summary", "experience", "education", "skills", "projects", "publications", "talks",
    "awards", "certifications", "volunteering", "languages", "interests", "references",
)  # fmt: skip
"""The well-known sections, in the default order."""


# --- before validation --------------------------------------------------------------------


def expand_shorthand(key: str, value: Any) -> Any:
    """A bare scalar stands for a mapping with one key: ``- Python`` is ``{name: Python}``."""
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        return {key: value}
    return value


# --- fields -------------------------------------------------------------------------------


def end_after_start(end: Any, info: Any) -> Any:
    """An end date may not come before the start (compared at the shared precision)."""
    start = info.data.get("start")
    if isinstance(end, PartialDate) and isinstance(start, PartialDate) and (
        end.covers_before(start)
    ):
        raise PydanticCustomError(
            "date_order", "ends ({end}) before it starts ({start})",
            {"end": end.iso, "start": start.iso},
        )
    return end


# --- whole objects ------------------------------------------------------------------------


def one_kind_of_date(item: Any) -> Any:
    """Either a single ``date`` or a ``start``/``end`` range, and no end without a start."""
    if item.date is not None and (item.start is not None or item.end is not None):
        raise PydanticCustomError("date_kind", "give either 'date' or 'start'/'end', not both")
    if item.end is not None and item.start is None:
        raise PydanticCustomError("date_kind", "'end' needs a 'start'")
    return item


def title_or_roles(job: Any) -> Any:
    """A job has one role written directly or several under ``roles``, not both."""
    single = (job.title, job.summary, job.highlights, job.start, job.date, job.when)
    if job.roles and any(single):
        raise PydanticCustomError(
            "roles", "give either 'roles' or a single role's title, dates, summary and "
            "highlights directly, not both",
        )
    if not job.roles and not job.title:
        raise PydanticCustomError("roles", "give the job a 'title', or list its 'roles'")
    return job


def has_items(group: Any) -> Any:
    """A skill group lists at least one skill."""
    if not group.items:
        raise PydanticCustomError("empty_group", "a skill group needs at least one item")
    return group


def title_or_event(talk: Any) -> Any:
    """A talk has a title, or at least names its event."""
    if not (talk.title or talk.event):
        raise PydanticCustomError("talk", "give the talk a 'title', or name the 'event'")
    return talk


def has_content(section: Any) -> Any:
    """A custom section holds text, entries or bullets."""
    if not (section.text or section.entries or section.bullets):
        raise PydanticCustomError(
            "empty_section", "a custom section needs 'text', 'entries' or 'bullets'"
        )
    return section


# --- section order ------------------------------------------------------------------------


def remember_order(data: Any, handler: Callable[[Any], Any]) -> Any:
    """Validate a résumé, remembering the order its section keys were written in."""
    resume = handler(data)
    if isinstance(data, dict) and not getattr(resume, "_order", ()):
        resume._order = section_order(data)
    return resume


def section_order(data: dict[str, Any]) -> tuple[str, ...]:
    """Section ids in the order their keys appear in the raw document."""
    out: list[str] = []
    for key, value in data.items():
        if key == "custom" and isinstance(value, dict):
            out.extend(str(k) for k in value)
        elif key in SECTION_KEYS:
            out.append(key)
    return tuple(out)


def section_content(resume: Any, key: str) -> Any:
    """The content of section ``key``: a tuple of items, text, or a custom section."""
    if key in resume.custom:
        return resume.custom[key]
    if key in SECTION_KEYS:
        return getattr(resume, key)
    raise KeyError(key)


def sections_in_order(resume: Any) -> tuple[str, ...]:
    """Section ids with content, in the author's order (``order:`` first, then as written)."""
    present = [k for k in SECTION_KEYS if section_content(resume, k)] + list(resume.custom)
    have = set(present)  # sets: a file may hold thousands of custom sections and entries
    asked = set(resume.order or ())
    written = [k for k in getattr(resume, "_order", ()) if k not in asked]
    order = list(dict.fromkeys(k for k in (*(resume.order or ()), *written) if k in have))
    placed = set(order)
    return tuple(order + [k for k in present if k not in placed])
