"""The compiled validator (``resumec validate``'s fast path) against the pydantic models.

The compiled core schema must be current, must be what ``validate`` uses here, and must
give exactly the verdict the models give — the same issues, in the same words, at the
same places — for valid résumés, every golden invalid file and fuzzed mutations.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from resumec.errors import Issue, ResumecError
from resumec.loader import Source, check_source, load_source, parse, validate
from resumec.schema import compile as generator
from resumec.schema import compiled
from resumec.schema.checks import all_tags
from resumec.schema.model import Resume
from tests.conftest import DEMO, EXAMPLES, ROOT
from tests.fuzz.test_fuzz_loader import mutated, yamlish

INVALID = sorted((ROOT / "tests" / "data" / "invalid").glob("*.yaml"))


def issues_of(fn: Callable[..., object], source: Source, **kwargs: object
              ) -> list[Issue | str]:
    try:
        fn(source, ROOT, **kwargs)
    except ResumecError as exc:
        return list(exc.issues)
    return []


def same_verdict(text: str, name: str = "r.yaml") -> list[Issue | str]:
    """The verdict of the pydantic models, which the two compiled paths must share."""
    try:
        source = parse(text, name)
    except ResumecError as exc:  # not even YAML: the schema stage is never reached
        return list(exc.issues)
    models = issues_of(validate, source, compiled_schema=False)
    assert issues_of(check_source, source) == models  # records: resumec validate
    assert issues_of(validate, source) == models  # model objects: rendering
    return models


def test_the_stored_schema_is_current() -> None:
    assert generator.main(["--check"]) == 0, "run: make schema"


def test_generating_does_not_depend_on_what_ran_before() -> None:
    """Pydantic shares nested models differently once some were built: same file anyway."""
    proc = subprocess.run([sys.executable, "-c", "from resumec.schema.model import Role, Resume;"
                           "Role(title='x'); Resume.model_json_schema();"
                           "from resumec.schema import compile as g;"
                           "import sys; sys.exit(g.main(['--check']))"],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr


def test_the_compiled_validator_is_used_here() -> None:
    assert compiled.resume_validator() is not None
    assert compiled.model_validator() is not None


@pytest.mark.parametrize("path", [DEMO, *EXAMPLES], ids=lambda p: p.name)
def test_valid_resumes_give_the_same_objects(path: Path) -> None:
    source = load_source(path)
    fast = compiled.resume_validator().validator.validate_python(source.data)  # type: ignore[union-attr]
    full = Resume.model_validate(source.data)
    assert type(fast).__name__ == "Resume"
    assert vars(fast)["name"] == full.name
    assert all_tags(fast) == all_tags(full)
    assert _plain(fast) == _plain(full)
    assert fast._order == full._order
    assert issues_of(check_source, source) == []
    # Rendering's objects: the real models, equal to what pydantic itself builds.
    rendered = compiled.model_validator().validator.validate_python(source.data)  # type: ignore[union-attr]
    assert type(rendered) is Resume and rendered == full
    assert rendered.section_order == full.section_order
    assert rendered.contact.model_fields_set == full.contact.model_fields_set


def _plain(value: object) -> object:
    """A model or stand-in object tree as nested (class name, fields) data."""
    if hasattr(value, "__pydantic_fields_set__"):
        return (type(value).__name__, {k: _plain(v) for k, v in vars(value).items()
                                       if not k.startswith("_")})
    if isinstance(value, tuple):
        return tuple(_plain(v) for v in value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.stem)
def test_invalid_files_give_the_same_issues(path: Path) -> None:
    assert same_verdict(path.read_text(encoding="utf-8", errors="replace"), path.name)


def test_checks_of_the_whole_document_run_on_the_compiled_objects() -> None:
    text = DEMO.read_text(encoding="utf-8").replace("include: [backend", "include: [bakend", 1)
    assert text != DEMO.read_text(encoding="utf-8")
    found = same_verdict(text)
    assert any("no item is tagged 'bakend'" in str(i) and "did you mean 'backend'" in str(i)
               for i in found)


def test_unknown_keys_suggest_from_the_compiled_schema() -> None:
    found = same_verdict("name: A\nexperience:\n  - employer: X\n    titel: Y\n")
    assert any("unknown key 'titel'" in str(i) and "did you mean 'title'" in str(i)
               for i in found)


FUZZ = settings(max_examples=120, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@FUZZ
@given(mutated())
def test_mutated_examples_get_the_same_verdict(data: bytes) -> None:
    same_verdict(data.decode("utf-8", errors="replace").replace("\x00", ""))


@FUZZ
@given(yamlish)
def test_random_documents_get_the_same_verdict(doc: object) -> None:
    same_verdict(json.dumps(doc, indent=1))


def test_a_stale_schema_is_never_used(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(compiled, "fingerprint", lambda: "changed sources")
    compiled.resume_validator.cache_clear()
    compiled.model_validator.cache_clear()
    try:
        assert compiled.resume_validator() is None
        assert compiled.model_validator() is None
        # ...and validation still works, through the models.
        assert same_verdict("name: A\nheadline: [1]\n")
    finally:
        monkeypatch.undo()
        compiled.resume_validator.cache_clear()
        compiled.model_validator.cache_clear()


def test_another_pydantic_core_validates_but_renders_through_the_models(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A pre-commit environment may hold a newer pydantic: validate stays fast."""
    monkeypatch.setattr(compiled.corelib, "__version__", "2.999.0")
    compiled.resume_validator.cache_clear()
    compiled.model_validator.cache_clear()
    try:
        assert compiled.resume_validator() is not None
        assert compiled.model_validator() is None
        assert same_verdict("name: A\nheadline: [1]\n")
    finally:
        monkeypatch.undo()
        compiled.resume_validator.cache_clear()
        compiled.model_validator.cache_clear()


def test_a_schema_pydantic_core_refuses_is_not_used(monkeypatch: pytest.MonkeyPatch) -> None:
    stored = compiled.load_artifact()
    assert stored is not None
    broken = {**stored, "schema": {"type": "no-such-schema-type"}}
    monkeypatch.setattr(compiled, "load_artifact", lambda: broken)
    compiled.resume_validator.cache_clear()
    try:
        assert compiled.resume_validator() is None
    finally:
        monkeypatch.undo()
        compiled.resume_validator.cache_clear()


def test_the_generator_refuses_a_check_it_cannot_name() -> None:
    with pytest.raises(generator.CompileError, match="module-level function"):
        generator.encode({"type": "function-plain", "function": lambda v: v})
    with pytest.raises(generator.CompileError, match="module-level function"):
        generator.encode({"type": "function-plain", "function": json.dumps})


def test_validate_never_builds_the_pydantic_models() -> None:
    code = ("import sys; from pathlib import Path; from resumec.loader import validate_files;"
            f"rc = validate_files([Path({str(DEMO)!r})], sys.stderr);"
            "print(rc, sorted(m for m in sys.modules if m.startswith('pydantic')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.split(" ", 1)
    assert out[0] == "0"
    assert "pydantic.main" not in out[1] and "resumec.schema.model" not in out[1]
    assert "'pydantic'" not in out[1]
