"""The README's promises: its example résumé validates, its two commands exist."""

from __future__ import annotations

import re

from resumec.loader import parse, validate
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_the_readme_example_resume_is_valid() -> None:
    block = re.search(r"```yaml\n(# yaml-language-server.*?)```", README, re.S)
    assert block is not None
    resume = validate(parse(block[1], "README.md"))
    assert resume.experience[0].roles[0].title == "Staff Engineer"
    assert "how-i-work" in resume.section_order


def test_the_quick_start_has_exactly_the_two_make_targets() -> None:
    quick = README.split("## Quick start", 1)[1].split("##", 1)[0]
    commands = re.findall(r"^make (\w+)", quick, re.M)
    assert commands == ["demo", "test"]
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "resumec render resume.yaml" in makefile.split("demo:", 1)[1].split("test:", 1)[0]
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
