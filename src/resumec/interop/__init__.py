"""Other résumé formats in and out: JSON Resume, RenderCV and FRESH, plus YAML writing.

Takes a parsed file of another tool (a mapping); gives resumec data that validates,
and notes naming every field that was renamed, changed or could not be imported
(:func:`convert`). :func:`~resumec.interop.yamlout.dump_yaml` writes that data as
YAML that reads as if written by hand.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from resumec.errors import ResumecError
from resumec.interop.jsonresume import Format, detect, from_jsonresume, to_jsonresume

__all__ = ["Format", "convert", "detect", "from_jsonresume", "to_jsonresume"]


def convert(data: Any, *, base_dir: Path | None = None) -> tuple[Format, dict[str, Any],
                                                                   list[str]]:
    """Detect the format of ``data`` and convert it to resumec data, with notes.

    A resumec document is returned unchanged; anything unrecognised is an error.
    """
    fmt = detect(data)
    if fmt == "jsonresume":
        return (fmt, *from_jsonresume(data, base_dir=base_dir))
    if fmt == "rendercv":
        from resumec.interop.rendercv import from_rendercv

        return (fmt, *from_rendercv(data, base_dir=base_dir))
    if fmt == "fresh":
        from resumec.interop.fresh import from_fresh

        return (fmt, *from_fresh(data, base_dir=base_dir))
    if fmt == "resumec":
        return fmt, data, []
    raise ResumecError("not a résumé format resumec can import: expected JSON Resume "
                       "('basics', 'work', …), RenderCV ('cv:' with 'sections:'), FRESH "
                       "(meta.format 'FRESH@…') or resumec ('name:', 'experience:', …)")
