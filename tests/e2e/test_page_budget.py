"""Page budgets: tighten within the theme's bounds, never truncate, fail with the reason."""

from __future__ import annotations

import shutil
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


def test_a_budget_leaves_formats_without_pages_alone(run_cli: Run, tmp_path: Path) -> None:
    """Markdown, text and JSON have no pages: a budget the PDF cannot meet is no error
    for them, and they are what they are without one (nothing is laid out)."""
    free = run_cli("render", DEMO, "-f", "md", "-f", "txt", "-f", "json", "-o", tmp_path / "a")
    held = run_cli("render", DEMO, "--max-pages", "1", "-f", "md", "-f", "txt", "-f", "json",
                   "-o", tmp_path / "b")
    assert free.returncode == 0 and held.returncode == 0, held.stderr
    for suffix in ("md", "txt", "json"):
        assert (tmp_path / "b" / f"resume.{suffix}").read_bytes() == \
            (tmp_path / "a" / f"resume.{suffix}").read_bytes()


def _search(monkeypatch: pytest.MonkeyPatch, pages_at: list[int], budget: int = 1,
            last: int | None = None) -> tuple[int | None, list[int]]:
    """Fit with a stand-in layout giving ``pages_at[step]`` pages, the profile having
    needed step ``last`` the time before; (chosen step, steps tried in order)."""
    import resumec.backends.pdf as pdf
    from resumec.backends import budget as budgets
    from resumec.backends.pdf import PdfResult
    from resumec.errors import ResumecError
    from resumec.loader import load_resume
    from resumec.render import Options, fit_name, fit_pages, tasks

    resume = load_resume(DEMO)
    [task] = tasks(resume, DEMO, Options(formats=["pdf"]))
    name = fit_name(task.job, budget, "r")
    shutil.rmtree(budgets.user_cache.kind_folder(budgets.KIND) or "", ignore_errors=True)
    if last is not None:
        budgets.remember_step(last, *name)
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
        monkeypatch: pytest.MonkeyPatch, cache_dir: Path) -> None:
    assert _search(monkeypatch, [1, 1, 1, 1]) == (0, [0])
    assert _search(monkeypatch, [2, 2, 2, 1]) == (3, [0, 2, 3])  # 3 layouts, not 4
    assert _search(monkeypatch, [3, 2, 1, 1]) == (2, [0, 2, 1])
    assert _search(monkeypatch, [2, 1, 1, 1]) == (1, [0, 2, 1])


def test_the_budget_search_never_misses_a_step_that_fits(
        monkeypatch: pytest.MonkeyPatch, cache_dir: Path) -> None:
    # A theme whose pages grow again as it tightens: halving would miss step 1.
    assert _search(monkeypatch, [2, 1, 2, 2]) == (1, [0, 2, 3, 1])
    assert _search(monkeypatch, [2, 2, 2, 2]) == (None, [0, 2, 3, 1])
    assert _search(monkeypatch, [2, 1, 2, 2], last=3) == (1, [3, 0, 1])


def test_the_budget_search_starts_from_the_step_needed_last_time(
        monkeypatch: pytest.MonkeyPatch, cache_dir: Path) -> None:
    # Unchanged answer: the step and its looser neighbour settle it.
    assert _search(monkeypatch, [2, 2, 2, 1], last=3) == (3, [3, 2])
    assert _search(monkeypatch, [2, 2, 1, 1], last=2) == (2, [2, 1])
    assert _search(monkeypatch, [1, 1, 1, 1], last=0) == (0, [0])
    # Moved by one either way: one trial more.
    assert _search(monkeypatch, [2, 2, 1, 1], last=3) == (2, [3, 2, 1])
    assert _search(monkeypatch, [2, 2, 2, 1], last=2) == (3, [2, 3])
    assert _search(monkeypatch, [2, 1, 1, 1], last=3) == (1, [3, 2, 1, 0])
    # A remembered step the theme no longer has is ignored.
    assert _search(monkeypatch, [2, 2, 2, 1], last=7) == (3, [0, 2, 3])


@pytest.mark.parametrize("last", [None, 0, 1, 2, 3])
@pytest.mark.parametrize("pages_at", [[1, 1, 1, 1], [2, 1, 1, 1], [3, 2, 1, 1], [2, 2, 2, 1],
                                      [3, 3, 2, 2], [2, 2, 2, 2]])
def test_wherever_the_search_starts_it_finds_the_loosest_step(
        monkeypatch: pytest.MonkeyPatch, cache_dir: Path, pages_at: list[int],
        last: int | None) -> None:
    loosest = next((s for s, pages in enumerate(pages_at) if pages <= 1), None)
    step, tried = _search(monkeypatch, pages_at, last=last)
    assert step == loosest
    assert len(tried) == len(set(tried)) <= 4  # no layout twice
    if last is not None and last == loosest:
        assert len(tried) <= 2


def test_the_step_a_fit_needed_is_remembered_for_the_next(
        monkeypatch: pytest.MonkeyPatch, cache_dir: Path) -> None:
    from resumec.backends import budget as budgets
    from resumec.loader import load_resume
    from resumec.render import Options, fit_name, tasks

    assert _search(monkeypatch, [3, 2, 1, 1]) == (2, [0, 2, 1])
    [task] = tasks(load_resume(DEMO), DEMO, Options(formats=["pdf"]))
    assert budgets.last_step(*fit_name(task.job, 1, "r")) == 2
    assert budgets.last_step(*fit_name(task.job, 2, "r")) is None  # another budget
    assert budgets.last_step(*fit_name(task.job, 1, "other")) is None  # another output
