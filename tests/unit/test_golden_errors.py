"""Golden error output: each tests/data/invalid/<case>.yaml gives exactly <case>.expected.

Regenerate with ``RESUMEC_REGEN_GOLDEN=1 pytest tests/unit/test_golden_errors.py`` and
review the diff like code: line, column, path and message must be right and helpful.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from resumec.errors import ResumecError
from resumec.loader import load_resume

DATA = Path(__file__).resolve().parent.parent / "data" / "invalid"
CASES = sorted(DATA.glob("*.yaml"))
REGEN = os.environ.get("RESUMEC_REGEN_GOLDEN") == "1"

# Cases whose .expected holds the output we want, not the output we get: each is a known bug
# in src/. Regeneration leaves these files alone; remove the entry once the bug is fixed.
KNOWN_BUGS: dict[str, str] = {}


def _case(path: Path) -> object:
    reason = KNOWN_BUGS.get(path.stem)
    marks = [pytest.mark.xfail(strict=True, reason=f"BUG: {reason}")] if reason else []
    return pytest.param(path, id=path.stem, marks=marks)


def _errors(path: Path) -> str:
    try:
        load_resume(path, display=path.name)
    except ResumecError as exc:
        return "".join(f"{issue}\n" for issue in exc.issues)
    pytest.fail(f"{path.name} is valid, but every file in {DATA} must be invalid")


def test_there_are_enough_cases() -> None:
    assert len(CASES) >= 12
    stale = sorted(p.name for p in DATA.glob("*.expected") if not p.with_suffix(".yaml").exists())
    assert stale == [], "an .expected file without its .yaml"
    assert set(KNOWN_BUGS) <= {p.stem for p in CASES}


@pytest.mark.parametrize("path", [_case(p) for p in CASES])
def test_golden_errors(path: Path) -> None:
    expected_path = path.with_suffix(".expected")
    actual = _errors(path)
    if REGEN and path.stem not in KNOWN_BUGS:
        expected_path.write_text(actual, encoding="utf-8")
    assert expected_path.exists(), f"run with RESUMEC_REGEN_GOLDEN=1 to create {expected_path}"
    expected = expected_path.read_text(encoding="utf-8")
    assert actual.splitlines() == expected.splitlines()
    for line in actual.splitlines():
        assert line.startswith(f"{path.name}:"), line
