"""Helpers for the HTML/PDF tests: render a résumé with a theme, read the PDF back.

The expected text comes from the Document (``all_text`` through ``markup.plain``),
ordered the way the built-in layouts read: for each entry the title, then the dates,
then the subtitle and place (``stacked``) or the title, subtitle and place, then the
dates (``run-in``); the sidebar theme reads its sidebar sections before the others.
"""

from __future__ import annotations

import io
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pypdf

from resumec.backends import RenderJob
from resumec.backends.html import HtmlBackend
from resumec.backends.pdf import render_pdf
from resumec.document import Document, Item
from resumec.loader import load_resume
from resumec.markup import plain
from resumec.render import document_for
from resumec.tailor import apply_profile
from resumec.themes import Theme, load_theme

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "resume.yaml"
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
SOURCES = [DEMO, *EXAMPLES]
THEMES = ["classic", "modern", "compact", "sidebar"]
USER_THEMES = ROOT / "tests" / "data" / "themes"
SIDEBAR_SECTIONS = ("skills", "languages", "interests")
RUN_IN_THEMES = ("compact",)


@dataclass
class Rendered:
    """One résumé rendered with one theme, to PDF and HTML, and read back."""

    job: RenderJob
    pdf: bytes
    pages: int
    html: str
    warnings: list[str] = field(default_factory=list)

    @property
    def doc(self) -> Document:
        return self.job.document

    def reader(self) -> pypdf.PdfReader:
        return pypdf.PdfReader(io.BytesIO(self.pdf))

    def pypdf_text(self) -> str:
        return "\n".join(p.extract_text() or "" for p in self.reader().pages)

    def pdftotext(self) -> str:
        out = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=self.pdf,
                             capture_output=True, check=True, timeout=60)
        return out.stdout.decode("utf-8")


def make_job(source: Path, theme: str | Path | Theme, warnings: list[str],
             paper: str = "a4") -> RenderJob:
    """A RenderJob as the CLI builds it (no profile, private items dropped)."""
    resume = apply_profile(load_resume(source), None)
    th = theme if isinstance(theme, Theme) else load_theme(theme)
    return RenderJob(resume, document_for(resume, th), th, paper, source.parent,
                     warnings.append)


def render(source: Path, theme: str | Path | Theme) -> Rendered:
    """Render ``source`` with ``theme`` to PDF and HTML."""
    warnings: list[str] = []
    job = make_job(source, theme, warnings)
    result = render_pdf(job)
    html = HtmlBackend().render(job).decode("utf-8")
    return Rendered(job, result.data, result.pages, html, warnings)


# --- expected text ------------------------------------------------------------------------


def _item_pieces(e: Item, run_in: bool, flow: bool) -> list[str]:
    sub = e.subtitle if e.subtitle and e.subtitle != e.title else None
    if run_in or not sub:  # the place runs in after the title when nothing goes under it
        head = [e.title, sub, e.location, e.dates]
    else:
        head = [e.title, e.dates, sub, e.location]
    out = [e.title] if flow else [t for t in head if t]
    if e.note:
        out.append(e.note)
    out.extend(e.summary)
    out.extend(e.bullets)
    if not flow:
        for label, value in e.details:
            out.extend((label, value))
    for r in e.roles:
        out.extend(_item_pieces(r, run_in, flow))
    return out


def expected_pieces(doc: Document, theme: str, *, flow: bool = False) -> list[str]:
    """The résumé's text, plain, in the order the theme lays it out.

    ``flow=True`` keeps only what a layout-analysing extractor (pdftotext) must read in
    order: headings, entry titles, prose and bullets — not the short pieces set in a
    right-hand column (dates, places) or under an entry (details), whose position a
    geometric reader may shift within their entry.
    """
    sections = list(doc.sections)
    if theme == "sidebar":
        sections = ([s for s in sections if s.id in SIDEBAR_SECTIONS]
                    + [s for s in sections if s.id not in SIDEBAR_SECTIONS])
    out = [doc.name, *([doc.headline] if doc.headline else []), *(c.text for c in doc.contact)]
    for s in sections:
        out.append(s.title)
        out.extend(s.paragraphs)
        for e in s.entries:
            out.extend(_item_pieces(e, theme in RUN_IN_THEMES, flow))
        for r in s.rows:
            out.append(r.label)
            out.extend(r.items)
        out.extend(s.inline)
        out.extend(s.bullets)
    if not flow:  # the same strings as Document.all_text(), only reordered
        assert sorted(out) == sorted(doc.all_text())
    return [plain(t) for t in out]


def assert_all_present(pieces: list[str], text: str, what: str) -> None:
    """Every piece occurs somewhere in ``text``."""
    hay = normalise(strip_folios(text))
    missing = [p for p in pieces if normalise(p) not in hay]
    assert not missing, f"{what}: missing {missing[:5]}"


_FOLIO = re.compile(r"^\s*\d+\s*/\s*\d+\s*$", re.MULTILINE)
_DROP = re.compile(r"[\s\-\u00ad\u2010\u2011]+")


def normalise(text: str) -> str:
    """Case-folded, without whitespace or hyphens (line breaks may split or join words)."""
    return _DROP.sub("", text).casefold()


def strip_folios(text: str) -> str:
    """Drop page-number lines ("2 / 3"), which fall between pages' text."""
    return _FOLIO.sub("", text)


def assert_in_order(pieces: list[str], text: str, what: str) -> None:
    """Every piece occurs in ``text``, each after the previous one."""
    hay = normalise(strip_folios(text))
    cursor = 0
    for piece in pieces:
        needle = normalise(piece)
        if not needle:
            continue
        found = hay.find(needle, cursor)
        if found < 0:
            anywhere = hay.find(needle)
            where = ("missing" if anywhere < 0
                     else f"out of order (found at {anywhere}, cursor at {cursor})")
            context = hay[max(0, cursor - 80): cursor + 80]
            raise AssertionError(f"{what}: {piece!r} is {where}; text near the cursor: "
                                 f"{context!r}")
        cursor = found + len(needle)


def pdf_uris(reader: pypdf.PdfReader) -> list[str]:
    """Every link target of the PDF's annotations, in page order."""
    out = []
    for page in reader.pages:
        for ref in page.get("/Annots") or []:
            action = ref.get_object().get("/A")
            if action is not None and "/URI" in action.get_object():
                out.append(str(action.get_object()["/URI"]))
    return out


def outline_titles(reader: pypdf.PdfReader) -> list[str]:
    """The PDF outline's titles, depth first."""
    out: list[str] = []

    def walk(items: list[object]) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                out.append(str(getattr(item, "title", "")))

    walk(reader.outline)
    return out
