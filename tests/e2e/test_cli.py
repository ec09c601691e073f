"""The command line as a user meets it: exit codes, messages, files written or not."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import jsonschema
import pytest
import yaml

from tests.conftest import DEMO, EXAMPLES, ROOT

Run = Callable[..., subprocess.CompletedProcess[str]]

BAD = """\
name: Ada
contact:
  emial: ada@example.com
experience:
  - employer: X
    title: Engineer
    start: 2020-13
"""


def test_validate_accepts_the_demo_and_every_example(run_cli: Run) -> None:
    proc = run_cli("validate", DEMO, *EXAMPLES)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""


def test_validate_reports_every_problem_of_every_file_then_exits_1(run_cli: Run,
                                                                    tmp_path: Path) -> None:
    a, b = tmp_path / "a.yaml", tmp_path / "b.yaml"
    a.write_text(BAD, encoding="utf-8")
    b.write_text("name: [unclosed\n", encoding="utf-8")
    proc = run_cli("validate", a, DEMO, b)
    assert proc.returncode == 1
    lines = proc.stderr.splitlines()
    assert f"{a}:3:3: contact.emial: unknown key 'emial'; did you mean 'email'?" in lines
    assert any(line.startswith(f"{a}:7:12: experience[0].start: month 13") for line in lines)
    assert any(line.startswith(f"{b}:2:1: YAML syntax") for line in lines), lines
    assert lines[-1] == "2 of 3 files invalid"
    assert "Traceback" not in proc.stderr


def test_validate_through_the_full_cli_parser_behaves_the_same(run_cli: Run,
                                                               tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(BAD, encoding="utf-8")
    fast = run_cli("validate", bad)
    help_text = run_cli("validate", "--help")
    assert help_text.returncode == 0 and "FILE:LINE:COL" in help_text.stdout.replace("\n", " ")
    assert fast.returncode == 1


def test_validate_does_not_import_the_rendering_engines(tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "resumec", "validate",
                           str(DEMO)], capture_output=True, text=True, check=False)
    assert proc.returncode == 0
    imported = {line.rsplit("|", 1)[-1].strip() for line in proc.stderr.splitlines()
                if line.startswith("import time:")}
    assert "resumec.loader" in imported  # the probe itself works
    heavy = {m for m in imported if m.split(".")[0] in ("weasyprint", "docx", "typer", "jinja2")}
    assert not heavy
    # Nor what a valid file's check does not need: ~20 ms of a ~50 ms validation.
    slow = {"pydantic", "pydantic_core", "pydantic_core.core_schema", "typing_extensions",
            "typing", "dataclasses", "inspect"} & imported
    assert not slow


def test_missing_file_is_a_clean_error(run_cli: Run, tmp_path: Path) -> None:
    proc = run_cli("validate", tmp_path / "nope.yaml")
    assert proc.returncode == 1
    assert "no such file" in proc.stderr and "Traceback" not in proc.stderr


def test_schema_is_json_schema_that_accepts_the_demo_and_is_committed(run_cli: Run) -> None:
    proc = run_cli("schema")
    assert proc.returncode == 0
    schema = json.loads(proc.stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    for path in (DEMO, *EXAMPLES):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        data = json.loads(json.dumps(data, default=str))  # YAML dates -> strings, as we read them
        errors = [e.message for e in validator.iter_errors(data)]
        assert not errors, (path.name, errors[:3])
    committed = json.loads((ROOT / "schema" / "resume.schema.json").read_text(encoding="utf-8"))
    assert committed == schema, "run: resumec schema > schema/resume.schema.json"


def test_schema_rejects_a_typo_for_editors(run_cli: Run) -> None:
    schema = json.loads(run_cli("schema").stdout)
    errors = list(jsonschema.Draft202012Validator(schema).iter_errors({"name": "A", "emial": 1}))
    assert errors and "emial" in errors[0].message


def test_new_writes_a_valid_starter_with_a_modeline_and_never_overwrites(
        run_cli: Run, tmp_path: Path) -> None:
    proc = run_cli("new", "cv.yaml", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    text = (tmp_path / "cv.yaml").read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=resume.schema.json")
    assert (tmp_path / "resume.schema.json").is_file()
    assert run_cli("validate", "cv.yaml", cwd=tmp_path).returncode == 0
    (tmp_path / "cv.yaml").write_text("name: Mine\n", encoding="utf-8")
    again = run_cli("new", "cv.yaml", cwd=tmp_path)
    assert again.returncode == 1 and "already exists" in again.stderr
    assert (tmp_path / "cv.yaml").read_text(encoding="utf-8") == "name: Mine\n"


def test_themes_lists_each_builtin_with_a_description(run_cli: Run) -> None:
    proc = run_cli("themes")
    assert proc.returncode == 0
    rows = [line.split(None, 1) for line in proc.stdout.splitlines()]
    names = [r[0] for r in rows]
    assert {"classic", "modern", "compact", "sidebar"} <= set(names)
    assert all(len(r) == 2 and len(r[1]) > 10 for r in rows)


@pytest.mark.parametrize(("args", "expected"), [
    (("-f", "pfd"), "no format 'pfd'; did you mean 'pdf'?"),
    (("--theme", "moderm"), "no theme 'moderm'; did you mean 'modern'?"),
    (("--theme", "t" * 300), "no theme 'ttt"),  # a name too long to look up
    (("--theme", "./" + "t" * 300), "no theme './ttt"),
    (("--profile", "bakend"), "no profile 'bakend'; did you mean 'backend'?"),
    (("--paper", "a5"), "--paper: expected a4 or letter, got 'a5'"),
])
def test_render_option_mistakes_are_clean_errors(run_cli: Run, tmp_path: Path,
                                                 args: tuple[str, ...], expected: str) -> None:
    proc = run_cli("render", DEMO, "-o", tmp_path / "out", *args)
    assert proc.returncode == 1
    assert expected in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not (tmp_path / "out").exists()



HOSTILE = "x\x1b[2J\u202e\n"
"""Clears a terminal, reverses what follows it, and starts a line of its own."""


@pytest.mark.parametrize("args", [
    ("render", DEMO, "--theme", HOSTILE),
    ("render", DEMO, "--profile", HOSTILE),
    ("render", DEMO, "--paper", HOSTILE),
    ("render", DEMO, "--format", HOSTILE),
    ("render", f"{HOSTILE}.yaml"),
    ("validate", f"{HOSTILE}.yaml"),  # the fast path, without typer
])
def test_option_values_and_file_names_are_quoted_as_inert_text(run_cli: Run, tmp_path: Path,
                                                               args: tuple[str, ...]) -> None:
    """A file name in the user's repository (the pre-commit hook passes them on) or an
    option can hold control characters too: errors quote them as escapes, on one line."""
    proc = run_cli(*args, "-o", tmp_path / "out") if args[0] == "render" else run_cli(*args)
    assert proc.returncode == 1
    assert "x\\x1b[2J\\u202e\\n" in proc.stderr
    assert not {"\x1b", "\u202e"} & set(proc.stderr)
    assert proc.stderr.splitlines()[0].count("x\\x1b") == 1  # the quote's line is whole
    assert "Traceback" not in proc.stderr

def test_explain_prints_decisions_and_writes_nothing(run_cli: Run, tmp_path: Path) -> None:
    proc = run_cli("render", DEMO, "--profile", "backend", "--explain", "-o", tmp_path / "o")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("backend: drops ")
    assert "(excluded)" in proc.stdout
    assert not (tmp_path / "o").exists()


def test_profiles_lists_each_profile_with_its_description(run_cli: Run) -> None:
    proc = run_cli("profiles", DEMO)
    assert proc.returncode == 0
    names = [line.split()[0] for line in proc.stdout.splitlines()]
    data = yaml.safe_load(DEMO.read_text(encoding="utf-8"))
    assert names == list(data["profiles"])
    assert all("drops" in line for line in proc.stdout.splitlines())


def test_an_invalid_resume_leaves_earlier_outputs_untouched(run_cli: Run, tmp_path: Path) -> None:
    src = tmp_path / "cv.yaml"
    src.write_text("name: Ada Lovelace\nheadline: Analyst\n", encoding="utf-8")
    out = tmp_path / "out"
    first = run_cli("render", src, "-f", "txt", "-f", "md", "-o", out)
    if first.returncode != 0 and "no format" in first.stderr:
        pytest.skip("text backends not built yet")
    assert first.returncode == 0, first.stderr
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    src.write_text(BAD, encoding="utf-8")
    second = run_cli("render", src, "-f", "txt", "-f", "md", "-o", out)
    assert second.returncode == 1
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_output_may_not_overwrite_the_input(run_cli: Run, tmp_path: Path) -> None:
    src = tmp_path / "cv.md"
    src.write_text("name: Ada\n", encoding="utf-8")
    proc = run_cli("render", src, "-f", "md", "-o", tmp_path)
    if "no format" in proc.stderr:
        pytest.skip("markdown backend not built yet")
    assert proc.returncode == 1 and "refusing to overwrite" in proc.stderr
    assert src.read_text(encoding="utf-8") == "name: Ada\n"
