"""Names and text in any script render; missing glyphs are reported by name; photos."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import pypdf
import pytest
from pdf_helpers import normalise, render

from resumec.backends.pdf import uncovered_characters
from resumec.errors import ResumecError
from resumec.themes import load_theme

pytestmark = pytest.mark.slow

INTERNATIONAL = """\
name: Ελένη Παπαδοπούλου · Анна Иванова · 李小龍
headline: Инженер · エンジニア · 엔지니어 · Ingénieure · Çalışkan
lang: en
contact:
  email: eleni@example.com
  location: Αθήνα, Ελλάδα
summary: |
  Worked in Москва, 東京 and Zürich; speaks العربية and עברית.
experience:
  - employer: محمد الأحمد للتجارة
    title: דוד לוי — Ingeniero de Señales
    start: 2020-01
    end: present
    highlights:
      - Ведущий инженер проекта «Ромашка», 中文 und ß, ĳ, ő, ł, ø.
"""


def _fonts(pdf: bytes) -> str:
    return subprocess.run(["pdffonts", "-"], input=pdf, capture_output=True,
                          check=True).stdout.decode()


@pytest.mark.parametrize("theme", ["classic", "sidebar"])
def test_every_script_renders_with_fallback_fonts(tmp_path: Path, theme: str) -> None:
    (tmp_path / "resume.yaml").write_text(INTERNATIONAL, encoding="utf-8")
    r = render(tmp_path / "resume.yaml", theme)
    assert r.warnings == []
    fonts = _fonts(r.pdf)
    for family in ("Noto-Sans-CJK", "Noto-Sans-Arabic", "Noto-Sans-Hebrew"):
        assert family in fonts
    text = normalise(r.pdftotext())
    for word in ("Ελένη Παπαδοπούλου", "Анна Иванова", "李小龍", "エンジニア", "엔지니어",
                 "Ingénieure", "Çalışkan", "Москва", "東京", "ß, ĳ, ő, ł, ø"):
        assert normalise(word) in text, word
    assert 'dir="auto"' in r.html


def test_right_to_left_document(tmp_path: Path) -> None:
    (tmp_path / "resume.yaml").write_text("""\
name: דוד לוי
headline: מהנדס תוכנה
lang: he
contact: {email: david@example.com, phone: "+972 50 555 0101"}
experience:
  - {employer: חברת הייטק, title: מהנדס תוכנה בכיר, start: 2019-03, end: present,
     highlights: [הובלתי את המעבר לארכיטקטורה מבוססת אירועים.]}
""", encoding="utf-8")
    r = render(tmp_path / "resume.yaml", "classic")
    assert r.warnings == []
    assert '<html lang="he" dir="rtl">' in r.html
    assert "Noto-Sans-Hebrew" in _fonts(r.pdf)
    # pdftotext undoes the visual order of right-to-left text.
    assert "דוד לוי" in r.pdftotext()


def test_missing_glyphs_are_named(tmp_path: Path) -> None:
    (tmp_path / "resume.yaml").write_text(
        'name: Ada Lovelace\nheadline: "Analyst \\ue000 \\U000f0000"\n', encoding="utf-8")
    r = render(tmp_path / "resume.yaml", "classic")
    assert len(r.warnings) == 1
    assert "U+E000" in r.warnings[0] and "U+F0000" in r.warnings[0]


def test_coverage_checks_only_what_the_theme_lacks() -> None:
    theme = load_theme("classic")
    assert uncovered_characters("plain ASCII and é, ü, ő, Ω, Ж", theme) == []
    assert uncovered_characters("中文 עברית", theme) == []  # system Noto fonts
    assert uncovered_characters("\ue000", theme) == ["\ue000"]


def _photo_resume(folder: Path, photo: str) -> Path:
    from PIL import Image

    Image.new("RGB", (240, 300), (40, 110, 100)).save(folder / "me.png")
    (folder / "resume.yaml").write_text(f"name: Ada Lovelace\nphoto: {photo}\n"
                                        "contact: {email: ada@example.com}\n",
                                        encoding="utf-8")
    return folder / "resume.yaml"


@pytest.mark.parametrize(("theme", "shown"), [("modern", True), ("sidebar", True),
                                              ("classic", False), ("compact", False)])
def test_photo_in_themes_that_show_one(tmp_path: Path, theme: str, shown: bool) -> None:
    r = render(_photo_resume(tmp_path, "me.png"), theme)
    images = sum(len(p.images) for p in r.reader().pages)
    assert images == (1 if shown else 0)
    assert ("data:image/png;base64," in r.html) is shown
    assert r.warnings == []


def test_photo_outside_the_resume_folder_is_refused(tmp_path: Path) -> None:
    inner = tmp_path / "cv"
    inner.mkdir()
    _photo_resume(tmp_path, "me.png")
    (inner / "resume.yaml").write_text("name: Ada\nphoto: ../me.png\n", encoding="utf-8")
    with pytest.raises(ResumecError, match="inside the résumé's folder"):
        render(inner / "resume.yaml", "modern")


@pytest.mark.parametrize(("paper", "size"), [("a4", (595, 842)), ("letter", (612, 792))])
def test_paper_size(paper: str, size: tuple[int, int]) -> None:
    from pdf_helpers import EXAMPLES, make_job

    from resumec.backends.pdf import render_pdf

    job = make_job(next(p for p in EXAMPLES if p.stem == "minimal"), "classic", [], paper)
    reader = pypdf.PdfReader(io.BytesIO(render_pdf(job).data))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == size


def test_without_harfbuzz_the_theme_files_are_used(monkeypatch: pytest.MonkeyPatch) -> None:
    """Where libharfbuzz-subset is missing, WeasyPrint reads the font files itself."""
    from pdf_helpers import EXAMPLES, make_job

    from resumec.backends import htmlkit, pdf

    monkeypatch.setattr(htmlkit, "harfbuzz", lambda: None)
    monkeypatch.setattr(pdf, "harfbuzz", lambda: None)
    warnings: list[str] = []
    job = make_job(next(p for p in EXAMPLES if p.stem == "minimal"), "classic", warnings)
    data = pdf.render_pdf(job).data
    assert "Source-Serif-4" in _fonts(data)
    assert warnings == []


@pytest.mark.parametrize(("lang", "name", "side"), [("en", "Ada Lovelace", "right"),
                                                    ("he", "עדה לאבלייס", "left")])
def test_the_photo_sits_at_the_end_of_the_masthead_line_in_either_direction(
        tmp_path: Path, lang: str, name: str, side: str) -> None:
    path = _photo_resume(tmp_path, "me.png")
    path.write_text(f"name: {name}\nlang: {lang}\nphoto: me.png\n"
                    "contact: {email: ada@example.com}\n", encoding="utf-8")
    page = render(path, "modern").reader().pages[0]
    placed: list[float] = []

    def visit(op: bytes, args: object, cm: list[float], tm: object) -> None:
        if op == b"Do" and abs(cm[0]) > 20:  # the photo, drawn 27 mm wide (not a form)
            placed.append(cm[4] + cm[0] / 2)

    page.extract_text(visitor_operand_before=visit)
    assert len(placed) == 1
    middle = float(page.mediabox.width) / 2
    assert (placed[0] > middle) is (side == "right")
