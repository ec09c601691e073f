"""The DOCX as another word processor sees it: LibreOffice converts each theme's DOCX to PDF.

Skipped when LibreOffice is not installed. The conversion shows that the file opens,
that the metric-compatible fallback fonts stand in for the Word fonts, that links
survive, and that the page count stays within one page of resumec's own PDF.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from docxkit import DEMO, THEMES, job, render
from pypdf import PdfReader

from resumec.errors import ResumecError
from resumec.themes import load_theme

pytestmark = pytest.mark.slow
SOFFICE = shutil.which("soffice")


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each theme's DOCX of the demo, converted to PDF by LibreOffice in one run."""
    if SOFFICE is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    out = tmp_path_factory.mktemp("libreoffice")
    docs = []
    for theme in THEMES:
        path = out / f"{theme}.docx"
        path.write_bytes(render(job(DEMO, theme)))
        docs.append(str(path))
    profile = (out / "profile").as_uri()  # a private profile: no lock shared with other runs
    subprocess.run([SOFFICE, f"-env:UserInstallation={profile}", "--headless", "--convert-to",
                    "pdf", "--outdir", str(out), *docs], check=True, capture_output=True,
                   timeout=240)
    return {theme: out / f"{theme}.pdf" for theme in THEMES}


def _fonts(reader: PdfReader) -> set[str]:
    names = set()
    for page in reader.pages:
        fonts = page.get("/Resources", {}).get("/Font", {})
        for ref in fonts.values():
            names.add(re.sub(r"^/?[A-Z]{6}\+", "", str(ref.get_object().get("/BaseFont", ""))))
    return names


@pytest.mark.parametrize("theme", THEMES)
def test_libreoffice_opens_it(converted: dict[str, Path], theme: str) -> None:
    reader = PdfReader(converted[theme])
    assert len(reader.pages) >= 1
    first = " ".join(reader.pages[0].extract_text().split())
    assert first.startswith("Inês Carvalho")
    assert "Experience".upper() in first.upper()


@pytest.mark.parametrize("theme", THEMES)
def test_fallback_font_stands_in_for_the_word_font(converted: dict[str, Path],
                                                   theme: str) -> None:
    fonts = load_theme(theme).tokens.docx_fonts
    used = {name.split("-")[0] for name in _fonts(PdfReader(converted[theme]))}
    wanted = {fonts.body.replace(" ", ""), fonts.fallback.replace(" ", "")}
    assert used & wanted, f"neither {wanted} among {used}"


@pytest.mark.parametrize("theme", THEMES)
def test_links_survive(converted: dict[str, Path], theme: str) -> None:
    uris = set()
    for page in PdfReader(converted[theme]).pages:
        for annot in page.get("/Annots", []) or []:
            action = annot.get_object().get("/A", {})
            if "/URI" in action:
                uris.add(str(action["/URI"]))
    assert {"mailto:ines.carvalho@example.com", "https://github.com/inescarvalho"} <= uris


@pytest.mark.parametrize("theme", THEMES)
def test_page_count_within_one_of_the_pdf(converted: dict[str, Path], theme: str) -> None:
    try:
        from resumec.backends.pdf import PdfBackend
    except ImportError as exc:  # written concurrently; absent in some checkouts
        pytest.skip(f"the PDF backend is not importable: {exc}")
    try:
        pdf = PdfBackend().render(job(DEMO, theme))
    except ResumecError as exc:
        pytest.skip(f"the PDF backend cannot render theme {theme!r} yet: {exc}")
    import io

    ours = len(PdfReader(io.BytesIO(pdf)).pages)
    libreoffice = len(PdfReader(converted[theme]).pages)
    assert abs(ours - libreoffice) <= 1, f"PDF {ours} pages, DOCX via LibreOffice {libreoffice}"
