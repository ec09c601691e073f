"""JSON Resume output: the tailored résumé as a document for the JSON Resume ecosystem.

Takes a :class:`~resumec.backends.RenderJob`; gives UTF-8 JSON that validates against
the official JSON Resume schema (v1.0.0). It converts ``job.resume`` (the tailored
data, not the laid-out document); what JSON Resume cannot hold is reported through
``job.warn``, one message per field (see :mod:`resumec.interop.jsonresume`).
"""

from __future__ import annotations

import json

from resumec.backends import RenderJob
from resumec.interop.jsonresume import to_jsonresume


class JsonResumeBackend:
    """JSON Resume, the interchange format of jsonresume.org."""

    name = "json"
    suffix = "json"
    description = "JSON Resume (jsonresume.org schema v1.0.0) for other résumé tools"

    def render(self, job: RenderJob) -> bytes:
        """Convert ``job.resume`` to JSON Resume; warn about each field left out."""
        notes: list[str] = []
        data = to_jsonresume(job.resume, notes)
        for note in notes:
            job.warn(f"json: {note}")
        return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
