"""Helpers for the DOCX tests: render a résumé to DOCX and read what Word would show."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

from docx.api import Document as open_docx
from docx.oxml.ns import qn
from lxml import etree

from resumec.backends import RenderJob
from resumec.backends.docx import DocxBackend
from resumec.document import Document, Item
from resumec.loader import load_resume
from resumec.markup import plain
from resumec.render import document_for
from resumec.schema.model import Resume
from resumec.tailor import apply_profile
from resumec.themes import Theme, load_theme

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "resume.yaml"
THEMES = ("classic", "modern", "compact", "sidebar")
W_T, W_TAB, W_P = qn("w:t"), qn("w:tab"), qn("w:p")


def job(source: Path = DEMO, theme: str | Theme = "classic", paper: str | None = None,
        document: Document | None = None, resume: Resume | None = None) -> RenderJob:
    """A render job for ``source`` (or an explicit Document) with a built-in theme."""
    th = load_theme(theme) if isinstance(theme, str) else theme
    res = resume or apply_profile(load_resume(source), None)  # as the CLI: private items out
    doc = document or document_for(res, th)
    return RenderJob(res, doc, th, paper or th.tokens.page.size, source.parent)


def render(j: RenderJob) -> bytes:
    """Render a job to DOCX bytes."""
    return DocxBackend().render(j)


def reopen(data: bytes) -> Any:
    """The DOCX reopened with python-docx."""
    return open_docx(io.BytesIO(data))


def part_xml(data: bytes, name: str) -> Any:
    """One part of the package, parsed (e.g. ``word/styles.xml``)."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return etree.fromstring(z.read(name))


def body_text(doc: Any) -> str:
    """Every ``w:t`` of the body in document order (hyperlinks included), tabs as spaces,
    paragraphs on lines."""
    lines = []
    for p in doc.element.body.iter(W_P):
        lines.append("".join(el.text or "" if el.tag == W_T else " "
                             for el in p.iter(W_T, W_TAB)))
    return "\n".join(lines)


def norm(text: str) -> str:
    """Whitespace collapsed to single spaces."""
    return " ".join(text.split())


def _item_strings(e: Item, inline: bool) -> list[str]:
    # Stacked: title and dates on one line, subtitle and location on the next; inline:
    # title · subtitle · location, then the dates.
    sub = e.subtitle if e.subtitle != e.title else None  # shown once
    head = (e.title, sub, e.location, e.dates) if inline else (e.title, e.dates, sub, e.location)
    out = [t for t in head if t]
    if e.note:
        out.append(plain(e.note))
    out += [plain(t) for t in (*e.summary, *e.bullets)]
    for label, value in e.details:
        out += [label, value]
    for r in e.roles:
        out += _item_strings(r, inline)
    return out


def reading_order(d: Document, inline: bool = False) -> list[str]:
    """The résumé's strings in the order a reader meets them, as plain text."""
    out = [d.name, *([d.headline] if d.headline else []), *(c.text for c in d.contact)]
    for s in d.sections:
        out.append(s.title)
        out += [plain(p) for p in s.paragraphs]
        for e in s.entries:
            out += _item_strings(e, inline)
        for r in s.rows:
            out += [r.label, *r.items]
        out += list(s.inline)
        out += [plain(b) for b in s.bullets]
    return [norm(t) for t in out if norm(t)]


def missing_in_order(strings: list[str], text: str) -> list[str]:
    """The strings not found in ``text`` after the previous one (empty when all are)."""
    flat, pos, missing = norm(text), 0, []
    for s in strings:
        at = flat.find(s, pos)
        if at < 0:
            missing.append(s)
        else:
            pos = at + len(s)
    return missing
