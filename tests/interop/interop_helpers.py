"""Helpers for the interop tests: corpus paths, the official JSON Resume schema, jobs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from resumec.backends import RenderJob
from resumec.loader import load_resume
from resumec.render import document_for
from resumec.schema.model import Resume
from resumec.tailor import apply_profile
from resumec.themes import load_theme

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT.parent / "shared" / "corpus"
DEMO = ROOT / "resume.yaml"
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
FRESH = sorted(CORPUS.glob("fresh-test-resumes.fresh.*.json"))
JSON_RESUME = sorted(p for p in CORPUS.glob("*.json")
                     if p.name != "jsonresume-schema.json" and p not in FRESH)
RENDERCV = sorted(p for p in CORPUS.glob("*.yaml") if "rendercv" in p.name)
SOURCES = [p for p in (DEMO, *EXAMPLES) if p.is_file()]


def load_json(path: Path) -> Any:
    """Parse a JSON file."""
    return json.loads(path.read_text(encoding="utf-8"))


def jsonresume_validator() -> Any:
    """A draft-07 validator for the official JSON Resume schema, with format checks."""
    jsonschema = pytest.importorskip("jsonschema")
    schema = load_json(CORPUS / "jsonresume-schema.json")
    return jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker())


def make_job(resume: Resume, base_dir: Path = ROOT, theme: str = "classic") -> RenderJob:
    """A render job for ``resume`` with a built-in theme."""
    t = load_theme(theme)
    return RenderJob(resume, document_for(resume, t), t, "a4", base_dir)


def tailored(path: Path, profile: str | None = None) -> Resume:
    """Load ``path`` and apply ``profile`` as ``resumec render`` does."""
    return apply_profile(load_resume(path), profile)
