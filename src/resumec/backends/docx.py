"""The DOCX backend: a native Word document built with python-docx from the Document.

Takes a :class:`~resumec.backends.RenderJob`; gives the bytes of a ``.docx`` whose
structure a recruiter can edit in Word: the name in the Title style, section headings
in Heading 1, entry and role lines in styles with a right-aligned tab stop for the dates,
highlights in List Bullet, inline Markdown as bold/italic runs and real hyperlinks. The
look comes from the same theme tokens as the PDF (see :mod:`.docx_styles`). One column,
no text boxes or floating shapes, reading order equal to the source: safe for ATS.
"""

from __future__ import annotations

import io
import os
from datetime import UTC, datetime
from typing import Any

from docx.api import Document as new_document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn

from resumec.backends import RenderJob
from resumec.backends.docx_styles import WordSetup, apply_styles
from resumec.backends.docx_xml import (
    Element,
    field,
    hyperlink,
    paragraph,
    run,
    starts_rtl,
    tab,
)
from resumec.document import Document, Item, Section, document_title
from resumec.markup import spans

CONTACT_SEP = "  ·  "
CORE_PROPERTY_LIMIT = 255
INLINE_SEP = " · "
_WEB = ("http:", "https:", "mailto:")


class _Writer:
    """Appends the résumé's paragraphs to the document body, in reading order."""

    def __init__(self, doc: Any, layout: WordSetup) -> None:
        self.part = doc.part
        self.body = doc.element.body
        self.sect_pr = self.body[-1]  # w:sectPr stays the last child of w:body
        self.lay = layout
        self.rids: dict[str, str] = {}
        self.after_heading = False

    # --- primitives ---------------------------------------------------------------------

    def para(self, style: str, text: str = "", *, before: float | None = None) -> Element:
        """A new paragraph at the end of the body, right-to-left if its text starts so.

        The first paragraph under a section heading gets no space before it: the heading's
        space after is the gap, as in the PDF (Word adds both, unlike CSS margins).
        """
        if self.after_heading:
            before, self.after_heading = 0.0, False
        p = paragraph(self.body, style, before=before,
                      bidi=not self.lay.rtl and starts_rtl(text))
        self.sect_pr.addprevious(p)
        return p

    def rid(self, url: str) -> str:
        """The relationship id of an external hyperlink to ``url``, made once per URL."""
        if url not in self.rids:
            self.rids[url] = self.part.relate_to(url, RT.HYPERLINK, is_external=True)
        return self.rids[url]

    def link(self, p: Element, text: str, url: str | None, style: str | None = None,
             bold: bool = False, italic: bool = False) -> None:
        """Append ``text``, as a hyperlink to ``url`` when it is a web or mail link."""
        if url and url.lower().startswith(_WEB):
            run(hyperlink(p, self.rid(url)), text, style=style, bold=bold, italic=italic)
        else:
            run(p, text, bold=bold, italic=italic)

    def markdown(self, p: Element, text: str) -> None:
        """Append inline Markdown as runs: bold, italic, code and hyperlinks."""
        for s in spans(text):
            if s.href:
                self.link(p, s.text, s.href, self.lay.link, s.bold, s.italic)
            else:
                run(p, s.text, style=self.lay.code if s.code else None, bold=s.bold,
                    italic=s.italic)

    def labelled(self, style: str, label: str, value: str) -> None:
        """A ``Label: value`` paragraph, the label in Strong."""
        p = self.para(style, label)
        run(p, f"{label}:", style=self.lay.label)
        run(p, f" {value}")

    def joined(self, p: Element, items: tuple[str, ...] | list[str], sep: str) -> None:
        """Append ``items`` separated by ``sep`` in the muted Separator style."""
        for i, text in enumerate(items):
            if i:
                run(p, sep, style=self.lay.sep)
            run(p, text)

    # --- the résumé ---------------------------------------------------------------------

    def header(self, doc: Document) -> None:
        run(self.para(self.lay.name, doc.name), doc.name)
        if doc.headline:
            run(self.para(self.lay.headline, doc.headline), doc.headline)
        if doc.contact:
            p = self.para(self.lay.contact, doc.contact[0].text)
            for i, c in enumerate(doc.contact):
                if i:
                    run(p, CONTACT_SEP, style=self.lay.sep)
                self.link(p, c.text, c.url if c.kind != "phone" else None, self.lay.link)

    def section(self, s: Section) -> None:
        lay = self.lay
        title = _capitalise(s.title) if lay.title_case else s.title
        run(self.para(lay.heading, title), title)
        self.after_heading = True
        for text in s.paragraphs:
            self.markdown(self.para(lay.body, text), text)
        for e in s.entries:
            self.item(e, s.id)
        for r in s.rows:
            self.labelled(lay.row, r.label, ", ".join(r.items))
        if s.inline:
            self.joined(self.para(lay.body, s.inline[0]), s.inline, INLINE_SEP)
        for b in s.bullets:
            self.markdown(self.para(lay.bullet, b), b)

    def item(self, e: Item, section_id: str, before: float | None = None,
             role: bool = False) -> None:
        lay = self.lay
        style = lay.role if role else lay.entry
        sub = e.subtitle if e.subtitle != e.title else None
        # As the HTML templates: experience links the employer, the rest their own title.
        sub_url = e.url if section_id == "experience" and sub else None
        title_url = None if sub_url else e.url
        if lay.run_in_heads:
            p = self.para(style, e.title, before=before)
            self.link(p, e.title, title_url)
            if sub:
                run(p, INLINE_SEP, style=lay.sep)
                self.link(p, sub, sub_url, lay.subtitle)
            if e.location:
                run(p, INLINE_SEP, style=lay.sep)
                run(p, e.location, style=lay.location)
            if e.dates:
                tab(p)
                run(p, e.dates, style=lay.date)
        else:
            p = self.para(style, e.title, before=before)
            self.link(p, e.title, title_url)
            if e.dates:
                tab(p)
                run(p, e.dates, style=lay.date)
            if sub or e.location:
                p = self.para(lay.entry_sub, sub or e.location or "")
                if sub:
                    self.link(p, sub, sub_url)
                if e.location:
                    tab(p)
                    run(p, e.location, style=lay.location)
        if e.note:
            self.markdown(self.para(lay.note, e.note), e.note)
        for text in e.summary:
            self.markdown(self.para(lay.body, text), text)
        for b in e.bullets:
            self.markdown(self.para(lay.bullet, b), b)
        for label, value in e.details:
            self.labelled(lay.details, label, value)
        for i, r in enumerate(e.roles):
            self.item(r, section_id, before=None if i else lay.first_role, role=True)

    def footer(self, doc: Any) -> None:
        """"page / pages" flush right in the footer of every page but the first, as the PDF."""
        section = doc.sections[0]
        section.different_first_page_header_footer = True
        section.first_page_footer.is_linked_to_previous = False
        ftr = section.footer._element
        for child in list(ftr):
            ftr.remove(child)
        p = paragraph(ftr, self.lay.footer)
        tab(p)
        field(p, "PAGE", "2", None)
        run(p, " / ")
        field(p, "NUMPAGES", "2", None)


def _capitalise(title: str) -> str:
    """Each word's first letter in capitals, as CSS ``text-transform: capitalize``."""
    return " ".join(w[:1].upper() + w[1:] for w in title.split(" "))


def _keywords(words: tuple[str, ...]) -> str:
    """As many whole keywords as fit Word's 255-character property limit."""
    out = ""
    for word in words:
        candidate = f"{out}, {word}" if out else word
        if len(candidate) > CORE_PROPERTY_LIMIT:
            break
        out = candidate
    return out


def _properties(doc: Any, d: Document) -> None:
    cp = doc.core_properties
    name = d.name[:CORE_PROPERTY_LIMIT]
    cp.title = document_title(d)[:CORE_PROPERTY_LIMIT]  # as in the PDF
    cp.author = name
    cp.subject = (d.headline or "")[:CORE_PROPERTY_LIMIT]
    cp.keywords = _keywords(d.keywords)
    cp.language = d.lang[:CORE_PROPERTY_LIMIT]  # python-docx refuses longer (ValueError)
    cp.comments = ""
    cp.last_modified_by = name
    cp.revision = 1
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    now = datetime.fromtimestamp(int(epoch), UTC) if epoch and epoch.isdigit() else \
        datetime.now(UTC).replace(microsecond=0)
    cp.created = cp.modified = now


def _settings(doc: Any, lang: str) -> None:
    """Word 2013+ layout (no "Compatibility Mode" banner) and the résumé's language."""
    settings = doc.settings.element
    for cs in settings.iter(qn("w:compatSetting")):
        if cs.get(qn("w:name")) == "compatibilityMode":
            cs.set(qn("w:val"), "15")
    fl = settings.find(qn("w:themeFontLang"))
    if fl is not None:
        fl.set(qn("w:val"), lang)
    # The template's leftovers: a thumbnail of an empty page and Word 2010 style copies.
    for rid, rel in list(doc.part.package.rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            del doc.part.package.rels[rid]
    for rid, rel in list(doc.part.rels.items()):
        if rel.reltype.endswith("/stylesWithEffects"):
            del doc.part.rels[rid]


class DocxBackend:
    """Word ``.docx`` through python-docx, styled from the theme's tokens."""

    name = "docx"
    suffix = "docx"
    description = "Word document (python-docx): real styles, tab-aligned dates, bullet lists."

    def render(self, job: RenderJob) -> bytes:
        """Build the Word document for ``job`` and return its bytes."""
        d = job.document
        doc = new_document()
        layout = apply_styles(doc, job.theme.tokens, d.lang, job.paper)
        body = doc.element.body
        for child in list(body)[:-1]:  # the template's empty paragraph, if any
            body.remove(child)
        w = _Writer(doc, layout)
        w.header(d)
        for s in d.sections:
            w.section(s)
        if layout.page_numbers:
            w.footer(doc)
        _properties(doc, d)
        _settings(doc, d.lang)
        out = io.BytesIO()
        doc.save(out)
        return out.getvalue()
