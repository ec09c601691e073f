"""The JSON Schema of the résumé, for editors (yaml-language-server, VS Code).

Takes nothing; gives the schema as a dict, from the same pydantic models that validate.
"""

from __future__ import annotations

from typing import Any

from resumec.schema.model import Resume

SCHEMA_ID = "https://resumec.dev/schema/resume.schema.json"


def json_schema() -> dict[str, Any]:
    """Return the draft 2020-12 JSON Schema of a résumé document."""
    schema = Resume.model_json_schema(by_alias=True, mode="validation")
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": SCHEMA_ID,
            **schema}
