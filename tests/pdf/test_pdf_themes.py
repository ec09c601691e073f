"""Every built-in theme x every example renders to PDF and HTML, and reads back right.

Each (theme, résumé) pair is rendered once per session and shared by the tests below:
text in reading order (pypdf and pdftotext), links, metadata, outline, tagging, fonts,
and a self-contained HTML page.
"""

from __future__ import annotations

import html as html_lib
import re
import subprocess

import pytest
from pdf_helpers import (
    SOURCES,
    THEMES,
    Rendered,
    assert_all_present,
    assert_in_order,
    expected_pieces,
    outline_titles,
    pdf_uris,
    render,
)

from resumec.backends.htmlkit import document_title

pytestmark = pytest.mark.slow

CASES = [(theme, src) for theme in THEMES for src in SOURCES]
IDS = [f"{theme}-{src.stem}" for theme, src in CASES]
_CACHE: dict[tuple[str, str], Rendered] = {}


@pytest.fixture(scope="module", params=CASES, ids=IDS)
def case(request: pytest.FixtureRequest) -> tuple[str, Rendered]:
    theme, src = request.param
    key = (theme, str(src))
    if key not in _CACHE:
        _CACHE[key] = render(src, theme)
    return theme, _CACHE[key]


def test_renders_a_sane_pdf_and_page(case: tuple[str, Rendered]) -> None:
    _, r = case
    assert r.pdf.startswith(b"%PDF-1.7")
    assert 1 <= r.pages <= 6
    assert len(r.reader().pages) == r.pages
    if r.job.base_dir.name == "examples" and r.doc.name == "Samuel Okoro":
        assert r.pages == 1, "the minimal example fits on one page"
    assert r.html.startswith("<!DOCTYPE html>")
    assert r.warnings == []


def test_pdf_text_in_reading_order_pypdf(case: tuple[str, Rendered]) -> None:
    theme, r = case
    assert_in_order(expected_pieces(r.doc, theme), r.pypdf_text(), f"{theme} pypdf")


def test_pdf_text_in_reading_order_pdftotext(case: tuple[str, Rendered]) -> None:
    """pdftotext reads by geometry: the flow (headings, titles, prose, bullets) is in
    order — the sidebar before the main column — and nothing is lost."""
    theme, r = case
    text = r.pdftotext()
    assert_in_order(expected_pieces(r.doc, theme, flow=True), text, f"{theme} pdftotext")
    assert_all_present(expected_pieces(r.doc, theme), text, f"{theme} pdftotext")


def test_html_text_in_order(case: tuple[str, Rendered]) -> None:
    theme, r = case
    body = r.html.split("<body", 1)[1]
    text = html_lib.unescape(re.sub(r"<[^>]+>", " ", body))
    assert_in_order(expected_pieces(r.doc, theme), text, f"{theme} html")


def test_links_are_clickable(case: tuple[str, Rendered]) -> None:
    _, r = case
    uris = set(pdf_uris(r.reader()))
    wanted = {c.url for c in r.doc.contact if c.url}
    assert wanted <= uris
    assert any(u.startswith("mailto:") for u in uris)
    assert all(u.startswith(("http://", "https://", "mailto:", "tel:")) for u in uris)


def test_metadata(case: tuple[str, Rendered]) -> None:
    _, r = case
    reader = r.reader()
    meta = reader.metadata
    assert meta is not None
    assert meta.title == document_title(r.doc)
    assert meta.author == r.doc.name
    if r.doc.headline:
        assert meta.subject == r.doc.headline
    assert (meta.get("/Keywords") or "") == ", ".join(r.doc.keywords)
    root = reader.trailer["/Root"]
    assert root["/Lang"] == r.doc.lang


def test_outline_lists_the_section_titles(case: tuple[str, Rendered]) -> None:
    theme, r = case
    titles = outline_titles(r.reader())
    sections = r.doc.sections
    if theme == "sidebar":
        side = [s for s in sections if s.id in ("skills", "languages", "interests")]
        sections = (*side, *(s for s in sections if s not in side))
    assert titles == [s.title for s in sections]


def test_tagged_with_embedded_fonts(case: tuple[str, Rendered]) -> None:
    _, r = case
    root = r.reader().trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root
    assert "/Names" not in root or "/EmbeddedFiles" not in root["/Names"]
    fonts = subprocess.run(["pdffonts", "-"], input=r.pdf, capture_output=True,
                           check=True).stdout.decode()
    rows = fonts.splitlines()[2:]
    assert rows, "no fonts"
    for row in rows:
        assert re.search(r"\byes\s+yes\s+yes\b", row), f"not embedded and subset: {row}"
    family = r.job.theme.tokens.fonts.body.replace(" ", "-")
    assert family in fonts, f"the theme font {family} is not used"


def test_html_is_one_self_contained_file(case: tuple[str, Rendered]) -> None:
    _, r = case
    page = r.html
    assert f'<html lang="{r.doc.lang}"' in page
    assert "Content-Security-Policy" in page
    assert "<link" not in page and "<script" not in page
    urls = re.findall(r"url\(\s*['\"]?([^'\")]+)", page)
    assert urls and all(u.startswith("data:") for u in urls)
    assert "@font-face" in page and "@media print" in page
    assert page.count("<h1") == 1
    assert page.count("<h2") == len(r.doc.sections)
