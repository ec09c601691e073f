"""Page budgets: tighten within the theme's bounds, never truncate, fail with the reason."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import docx
from pypdf import PdfReader

from tests.conftest import DEMO

Run = Callable[..., subprocess.CompletedProcess[str]]


def _body_size(path: Path) -> float:
    """The document's default type size in points (w:docDefaults, in half-points)."""
    styles = docx.Document(str(path)).styles.element
    size = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}sz")
    assert size is not None
    return int(size.get(f"{W}val")) / 2


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def test_a_profile_budget_fits_one_page_and_docx_uses_the_same_step(
        run_cli: Run, tmp_path: Path) -> None:
    proc = run_cli("render", DEMO, "--profile", "onepage", "--profile", "backend", "-f", "pdf",
                   "-f", "docx", "-o", tmp_path)
    assert proc.returncode == 0, proc.stderr
    onepage = PdfReader(tmp_path / "resume-onepage.pdf")
    assert len(onepage.pages) == 1
    text = " ".join(onepage.pages[0].extract_text().split())
    assert "Inês Carvalho" in text and "Oporto British School" in text  # nothing cut off
    assert _body_size(tmp_path / "resume-onepage.docx") < _body_size(
        tmp_path / "resume-backend.docx")


def test_an_impossible_budget_fails_naming_pages_and_sections_and_writes_nothing(
        run_cli: Run, tmp_path: Path) -> None:
    proc = run_cli("render", DEMO, "--max-pages", "1", "-f", "pdf", "-o", tmp_path / "out")
    assert proc.returncode == 1
    assert "resume: does not fit on 1 page: " in proc.stderr
    assert "pages even at the theme's tightest density" in proc.stderr
    assert "on page 2 and after: " in proc.stderr and "References" in proc.stderr
    assert not (tmp_path / "out").exists()
