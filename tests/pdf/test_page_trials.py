"""A page budget's trial layouts: stopped past the budget, remembered, never wrong.

A trial that stops early or is answered from the cache must reach the verdict the full
layout reaches; anything the layout depends on must make the cache miss; and the cache
holds a number, never the résumé's text.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from pdf_helpers import DEMO, make_job

from resumec import cache
from resumec.backends import RenderJob, budget
from resumec.backends.pdf import PdfResult, render_pdf
from resumec.loader import load_resume
from resumec.render import Options, tasks
from resumec.themes import load_theme

pytestmark = pytest.mark.slow


@pytest.fixture
def layouts(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts WeasyPrint layouts (one entry per ``HTML.render`` call)."""
    from weasyprint import HTML

    calls: list[int] = []
    real = HTML.render

    def counted(self: object, *args: object, **kwargs: object) -> object:
        calls.append(1)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(HTML, "render", counted)
    return calls


def _onepage(step: int = 0) -> RenderJob:
    [task] = tasks(load_resume(DEMO), DEMO, Options(formats=["pdf"], profiles=["onepage"]))
    return replace(task.job, theme=task.job.theme.with_density(step))


def _fits(result: PdfResult, budget_: int) -> bool:
    return result.pages <= budget_


def test_this_weasyprint_can_stop_a_layout_early() -> None:
    # Not a skip: a WeasyPrint this is not tested with should be looked at, then listed.
    with budget.stop_after(1) as active:
        assert active


@pytest.mark.parametrize("step", [0, 2, 3])
@pytest.mark.parametrize("pages", [1, 2])
def test_a_trial_stopped_early_reaches_the_full_layouts_verdict(
        monkeypatch: pytest.MonkeyPatch, step: int, pages: int) -> None:
    monkeypatch.setenv("RESUMEC_CACHE_DIR", "")  # nothing remembered: every trial is laid out
    cache.folder.cache_clear()
    try:
        base = make_job(DEMO, "classic", [])
        full_job = replace(base, theme=base.theme.with_density(step))
        early = render_pdf(full_job, max_pages=pages)
        full = render_pdf(full_job, max_pages=pages, stop_early=False)
    finally:
        cache.folder.cache_clear()
    assert full.complete and full.pages >= 3  # the demo: 3 pages or more at any step
    assert _fits(early, pages) == _fits(full, pages) is False
    assert not early.complete and early.pages == pages + 1 <= full.pages
    assert early.data == b"" == full.data
    # A layout that fits is never stopped: the same pages, sections and a PDF.
    fitting = render_pdf(full_job, max_pages=full.pages)
    assert fitting.complete and fitting.pages == full.pages
    assert fitting.sections == full.sections and fitting.data.startswith(b"%PDF")


def test_a_one_page_profile_fits_the_same_with_or_without_stopping() -> None:
    for step in range(4):
        job = _onepage(step)
        early = render_pdf(job, max_pages=1)
        full = render_pdf(job, max_pages=1, stop_early=False)
        assert _fits(early, 1) == _fits(full, 1), step
    assert not _fits(render_pdf(_onepage(0), max_pages=1), 1)
    assert _fits(render_pdf(_onepage(3), max_pages=1), 1)


def test_a_layout_past_the_budget_is_remembered_as_a_number_only(
        cache_dir: Path, layouts: list[int]) -> None:
    job = _onepage(0)
    first = render_pdf(job, max_pages=1)
    assert layouts == [1] and not first.complete
    again = render_pdf(job, max_pages=1)
    assert layouts == [1]  # not laid out again
    assert again.pages == first.pages and again.data == b"" and not again.complete
    entries = [p for p in (cache_dir / budget.KIND).iterdir() if not p.name.startswith(".")]
    assert entries
    for entry in entries:
        assert isinstance(json.loads(cache.unseal(entry.read_bytes()) or b""), int)
    # The same layout under a larger budget is laid out: it may fit.
    assert render_pdf(job, max_pages=first.pages).pages >= first.pages
    assert layouts == [1, 1]
    # A full layout (the error message's) is never answered from the cache.
    assert render_pdf(job, max_pages=1, stop_early=False).complete
    assert layouts == [1, 1, 1]


def test_a_remembered_verdict_is_not_used_once_an_input_changes(
        cache_dir: Path, layouts: list[int], tmp_path: Path) -> None:
    from PIL import Image

    folder = tmp_path / "cv"
    folder.mkdir()
    text = DEMO.read_text(encoding="utf-8")
    (folder / "resume.yaml").write_text(f"photo: me.png\n{text}", encoding="utf-8")
    Image.new("RGB", (240, 300), (40, 110, 100)).save(folder / "me.png")
    theme_dir = tmp_path / "theme"
    shutil.copytree(Path(load_theme("modern").dirs[0]), theme_dir)
    job = make_job(folder / "resume.yaml", theme_dir, [])
    assert job.theme.dirs[0] == theme_dir

    def trial() -> int:
        before = len(layouts)
        assert not _fits(render_pdf(job, max_pages=1), 1)
        return len(layouts) - before

    assert trial() == 1
    assert trial() == 0
    # The photo: another picture under the same name.
    Image.new("RGB", (240, 600), (40, 110, 100)).save(folder / "me.png")
    st = (folder / "me.png").stat()
    os.utime(folder / "me.png", ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))
    assert trial() == 1
    assert trial() == 0
    # A file in the theme's folder, which its stylesheets may load.
    (theme_dir / "texture.png").write_bytes(b"\x89PNG not really")
    assert trial() == 1
    # The résumé's text.
    doc = job.document
    job = replace(job, document=replace(doc, headline=f"{doc.headline} (edited)"))
    assert trial() == 1
    assert trial() == 0


def test_text_the_themes_fonts_lack_is_never_remembered(
        cache_dir: Path, layouts: list[int], tmp_path: Path) -> None:
    # The system's fonts draw it, and they can change between two renders.
    text = DEMO.read_text(encoding="utf-8").replace("Inês Carvalho", "Inês Carvalho 中文", 1)
    (tmp_path / "resume.yaml").write_text(text, encoding="utf-8")
    job = make_job(tmp_path / "resume.yaml", "classic", [])
    for _ in range(2):
        assert not _fits(render_pdf(job, max_pages=1), 1)
    assert layouts == [1, 1]


def test_a_layout_that_was_refused_a_resource_is_never_remembered(
        cache_dir: Path, layouts: list[int], tmp_path: Path) -> None:
    # Fetched while the boxes are built, before the layout that stops early: a resource
    # only painting asks for (a background) is fetched after it, by the trial that fits.
    theme_dir = tmp_path / "theme"
    theme_dir.mkdir()
    (theme_dir / "theme.yaml").write_text(
        "name: leaky\ndescription: Loads a file it may not.\nextends: classic\n",
        encoding="utf-8")
    (theme_dir / "theme.css").write_text("h2::before { content: url(file:///etc/hostname); }\n",
                                         encoding="utf-8")
    warnings: list[str] = []
    job = make_job(DEMO, theme_dir, warnings)
    for _ in range(2):
        assert not _fits(render_pdf(job, max_pages=1), 1)
    assert layouts == [1, 1]
    assert any("blocked a resource" in w for w in warnings)


def test_a_theme_folder_too_big_to_stamp_is_never_remembered(
        cache_dir: Path, layouts: list[int], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    theme_dir = tmp_path / "theme"
    shutil.copytree(Path(load_theme("classic").dirs[0]), theme_dir)
    for i in range(5):
        (theme_dir / f"asset-{i}.txt").write_text("x", encoding="utf-8")
    monkeypatch.setattr(budget, "STAMPED_FILES_MAX", 4)
    job = make_job(DEMO, theme_dir, [])
    for _ in range(2):
        assert not _fits(render_pdf(job, max_pages=1), 1)
    assert layouts == [1, 1]
