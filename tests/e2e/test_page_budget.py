"""Page budgets: tighten within the theme's bounds, never truncate, fail with the reason."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import docx
import pytest
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


def _search(monkeypatch: pytest.MonkeyPatch, pages_at: list[int], budget: int = 1
            ) -> tuple[int | None, list[int]]:
    """Fit with a stand-in layout giving ``pages_at[step]`` pages; (chosen step, tried)."""
    import resumec.backends.pdf as pdf
    from resumec.backends.pdf import PdfResult
    from resumec.errors import ResumecError
    from resumec.loader import load_resume
    from resumec.render import Options, fit_pages, tasks

    resume = load_resume(DEMO)
    [task] = tasks(resume, DEMO, Options(formats=["pdf"]))
    steps = [task.job.theme.with_density(s) for s in range(len(pages_at))]
    tried: list[int] = []

    def layout(job: object, max_pages: int | None = None) -> PdfResult:
        step = steps.index(job.theme)  # type: ignore[attr-defined]
        tried.append(step)
        return PdfResult(b"%PDF" if pages_at[step] <= budget else b"", pages_at[step])

    monkeypatch.setattr(pdf, "render_pdf", layout)
    assert len(task.job.theme.tokens.density) == len(pages_at) - 1  # classic: three steps
    try:
        job, _ = fit_pages(task.job, budget, "r")
    except ResumecError:
        return None, tried
    return steps.index(job.theme), tried


def test_the_budget_search_halves_and_keeps_the_loosest_step_that_fits(
        monkeypatch: pytest.MonkeyPatch) -> None:
    assert _search(monkeypatch, [1, 1, 1, 1]) == (0, [0])
    assert _search(monkeypatch, [2, 2, 2, 1]) == (3, [0, 2, 3])  # 3 layouts, not 4
    assert _search(monkeypatch, [3, 2, 1, 1]) == (2, [0, 2, 1])
    assert _search(monkeypatch, [2, 1, 1, 1]) == (1, [0, 2, 1])


def test_the_budget_search_never_misses_a_step_that_fits(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # A theme whose pages grow again as it tightens: halving would miss step 1.
    assert _search(monkeypatch, [2, 1, 2, 2]) == (1, [0, 2, 3, 1])
    assert _search(monkeypatch, [2, 2, 2, 2]) == (None, [0, 2, 3, 1])
