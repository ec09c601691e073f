"""The résumé schema: models, dates, validated text types and whole-document checks."""

from resumec.schema.dates import PartialDate
from resumec.schema.model import SECTION_KEYS, CustomSection, Profile, Resume

__all__ = ["SECTION_KEYS", "CustomSection", "PartialDate", "Profile", "Resume"]
