"""The résumé schema: models, dates, validated text types and whole-document checks.

The models are loaded on first use, so that importing a pydantic-free part of this
package (``rules``, ``text``, ``dates``, ``compiled``) does not build them.
"""

from __future__ import annotations

from resumec.schema.dates import PartialDate
from resumec.schema.rules import SECTION_KEYS

TYPE_CHECKING = False  # `resumec validate` runs without importing typing
if TYPE_CHECKING:
    from typing import Any

    from resumec.schema.model import CustomSection, Profile, Resume

__all__ = ["SECTION_KEYS", "CustomSection", "PartialDate", "Profile", "Resume"]


def __getattr__(name: str) -> Any:
    if name in ("CustomSection", "Profile", "Resume"):
        from resumec.schema import model

        return getattr(model, name)
    raise AttributeError(f"module 'resumec.schema' has no attribute '{name}'")
