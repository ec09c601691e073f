"""Parsed stylesheets and font set-ups reused between renders in one process.

A reused set-up must give the PDF a cold render gives, and anything that changes the
result — the fonts' characters, the theme, its density step, its CSS — must miss.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from pdf_helpers import DEMO, EXAMPLES, make_job

from resumec.backends import RenderJob, pdf
from resumec.backends.pdf import PdfResult, clear_caches, render_pdf
from resumec.render import document_for
from resumec.themes import load_theme

pytestmark = pytest.mark.slow
MINIMAL = next(p for p in EXAMPLES if p.stem == "minimal")


@pytest.fixture(autouse=True)
def cold() -> Iterator[None]:
    clear_caches()
    yield
    clear_caches()


def _text(result: PdfResult) -> str:
    return subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=result.data,
                          capture_output=True, check=True).stdout.decode()


def _fonts(result: PdfResult) -> list[str]:
    out = subprocess.run(["pdffonts", "-"], input=result.data, capture_output=True,
                         check=True).stdout.decode().splitlines()[2:]
    return sorted(line.split()[0].split("+")[-1] for line in out)


def _setups() -> int:
    return len(pdf._FONT_SETUPS.items)


def _same(a: PdfResult, b: PdfResult) -> None:
    assert a.pages == b.pages
    assert a.sections == b.sections
    assert _text(a) == _text(b)
    assert _fonts(a) == _fonts(b)


def test_a_reused_setup_gives_the_cold_render() -> None:
    job = make_job(DEMO, "classic", [])
    cold = render_pdf(job)
    assert _setups() == 1
    warm = render_pdf(job)
    assert _setups() == 1  # reused, not made again
    _same(warm, cold)
    assert warm.pages == 4


def test_new_characters_miss_and_show() -> None:
    warnings: list[str] = []
    job = make_job(MINIMAL, "classic", warnings)
    render_pdf(job)
    # The fonts were cut to the page's characters: a name with new ones needs new fonts.
    doc = job.document
    renamed = replace(job, document=replace(doc, name=doc.name + " Ωμέγα Łódź"))
    result = render_pdf(renamed)
    assert _setups() == 2
    assert "Ωμέγα Łódź" in _text(result)
    assert warnings == []


def test_theme_and_density_miss_and_match_cold_renders() -> None:
    warm: dict[tuple[str, int], PdfResult] = {}
    for theme in ("classic", "modern"):
        for step in (0, 2):
            job = make_job(DEMO, theme, [])
            job = replace(job, theme=job.theme.with_density(step))
            warm[theme, step] = render_pdf(job)
    # The themes' fonts differ; classic's variable font is pinned at the body size, which
    # a density step changes, while modern's static faces stay the same at every step.
    assert _setups() == 3
    assert warm["classic", 2].pages < warm["classic", 0].pages
    for (theme, step), result in warm.items():
        clear_caches()
        job = make_job(DEMO, theme, [])
        _same(result, render_pdf(replace(job, theme=job.theme.with_density(step))))


def test_an_edited_theme_stylesheet_takes_effect(tmp_path: Path) -> None:
    theme_dir = tmp_path / "mine"
    theme_dir.mkdir()
    (theme_dir / "theme.yaml").write_text("name: mine\ndescription: Mine.\nextends: classic\n",
                                          encoding="utf-8")
    css = theme_dir / "theme.css"
    css.write_text(".headline { color: #123456; }\n", encoding="utf-8")

    def job() -> RenderJob:
        base = make_job(MINIMAL, "classic", [])
        theme = load_theme(theme_dir)
        return replace(base, theme=theme, document=document_for(base.resume, theme))

    first = render_pdf(job())
    headline = job().document.headline
    assert headline and headline in _text(first)
    css.write_text(".headline { display: none; }\n", encoding="utf-8")
    second = render_pdf(job())
    assert _text(second).count(headline) == _text(first).count(headline) - 1
    assert _setups() == 1  # the fonts were the same; the changed sheet was parsed again


def test_an_overflowing_trial_is_not_written() -> None:
    job = make_job(DEMO, "classic", [])
    trial = render_pdf(job, max_pages=1, stop_early=False)
    assert trial.pages == 4 and trial.data == b""
    assert [title for title, page in trial.sections if page > 1]  # a budget can name them
    assert render_pdf(job, max_pages=1).data == b""  # stopped early (test_page_trials.py)
    assert render_pdf(job, max_pages=4).data.startswith(b"%PDF")


def test_a_stylesheet_that_fetches_is_parsed_every_time(tmp_path: Path) -> None:
    theme_dir = tmp_path / "fetching"
    shutil.copytree(load_theme("classic").dirs[0], theme_dir)
    (theme_dir / "theme.yaml").write_text(
        (theme_dir / "theme.yaml").read_text(encoding="utf-8").replace(
            "name: classic", "name: fetching"), encoding="utf-8")
    (theme_dir / "extra.css").write_text(".headline { color: #654321; }\n", encoding="utf-8")
    css = theme_dir / "theme.css"
    css.write_text("@import url(extra.css);\n" + css.read_text(encoding="utf-8"),
                   encoding="utf-8")
    base = make_job(MINIMAL, "classic", [])
    theme = load_theme(theme_dir)
    job = replace(base, theme=theme, document=document_for(base.resume, theme))
    before = _text(render_pdf(job)).count(job.document.headline or "")
    assert before
    (theme_dir / "extra.css").write_text(".headline { display: none; }\n", encoding="utf-8")
    # The imported file was read again.
    assert _text(render_pdf(job)).count(job.document.headline or "") == before - 1
    assert _setups() == 0


def test_prepare_sets_up_what_the_render_then_reuses() -> None:
    """A batch prepares before it forks: the render that follows must find the parsed
    stylesheets and the font set-up ready, warn nothing twice, and give the cold PDF."""
    warnings: list[str] = []
    job = make_job(DEMO, "classic", warnings)
    pdf.PdfBackend().prepare(job)
    assert _setups() == 1
    sheets = dict(pdf._SHEETS.items)
    assert sheets, "the theme's stylesheets were not parsed"
    assert warnings == []
    warm = render_pdf(job)
    assert _setups() == 1
    assert pdf._SHEETS.items.keys() == sheets.keys()
    assert all(pdf._SHEETS.items[k] is v for k, v in sheets.items())
    clear_caches()
    _same(warm, render_pdf(job))


def test_run_prepares_each_format_and_theme_once(monkeypatch: pytest.MonkeyPatch) -> None:
    from resumec import render as pipeline
    from resumec.loader import load_resume

    prepared: list[tuple[str, str]] = []
    monkeypatch.setattr(pdf.PdfBackend, "prepare",
                        lambda self, job: prepared.append(("pdf", job.theme.name)))
    resume = load_resume(DEMO)
    opts = pipeline.Options(formats=("pdf", "docx", "md"), out_dir=Path("unused"),
                            profiles=("backend", "platform", "leadership"))
    todo = pipeline.tasks(resume, DEMO, opts)
    modern = [replace(t, job=replace(t.job, theme=load_theme("modern"))) for t in todo[:3]]
    pipeline.prepare([*todo, *modern])
    # docx and md have no set-up to share: only the PDF's runs, once for each theme.
    assert prepared == [("pdf", todo[0].job.theme.name), ("pdf", "modern")]
