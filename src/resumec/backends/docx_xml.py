"""WordprocessingML elements for the DOCX backend, built directly with lxml.

Takes text, style ids and formatting flags; gives ``w:p``, ``w:r``, ``w:hyperlink`` and
field elements in schema order. python-docx's proxy objects resolve styles by name and
re-query the tree on every call; building the few element kinds a résumé needs here
keeps a whole document to a few milliseconds.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from docx.oxml.ns import qn
from lxml import etree

Element = Any
"""An lxml element (python-docx's element classes are untyped)."""

W_P, W_PPR, W_PSTYLE, W_R, W_RPR, W_RSTYLE, W_T, W_TAB = (
    qn(t) for t in ("w:p", "w:pPr", "w:pStyle", "w:r", "w:rPr", "w:rStyle", "w:t", "w:tab"))
W_VAL, W_B, W_I, W_RTL, W_BIDI, W_HYPERLINK, R_ID, W_HISTORY = (
    qn(t) for t in ("w:val", "w:b", "w:i", "w:rtl", "w:bidi", "w:hyperlink", "r:id",
                    "w:history"))
W_SPACING, W_BEFORE, W_FLDCHAR, W_FLDCHARTYPE, W_INSTR = (
    qn(t) for t in ("w:spacing", "w:before", "w:fldChar", "w:fldCharType", "w:instrText"))
W_BCS, W_ICS = qn("w:bCs"), qn("w:iCs")
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"

_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc\U00010800-\U00010fff\U0001e800-"
                  "\U0001efff]")
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def has_rtl(text: str) -> bool:
    """Whether ``text`` holds any right-to-left (Hebrew, Arabic…) letter."""
    return _RTL.search(text) is not None


def starts_rtl(text: str) -> bool:
    """Whether the first character with a strong direction in ``text`` is right-to-left.

    Strong as the Unicode bidirectional algorithm has it, as the HTML and PDF decide it
    (``htmlkit.first_strong_direction``).
    """
    for ch in text:
        kind = unicodedata.bidirectional(ch)
        if kind in ("R", "AL"):
            return True
        if kind == "L":
            return False
    return False


_W_ATTR: dict[str, str] = {}


def sub(parent: Element, tag: str, **attrs: str) -> Element:
    """Append a child ``tag`` (a Clark name) with ``w:``-namespaced attributes."""
    el = etree.SubElement(parent, tag)
    for key, value in attrs.items():
        name = _W_ATTR.get(key)
        if name is None:
            name = _W_ATTR[key] = qn(f"w:{key}")
        el.set(name, value)
    return el


def paragraph(parent: Element, style: str, *, bidi: bool = False,
              before: float | None = None) -> Element:
    """Append a paragraph of paragraph style id ``style``, with optional direct properties."""
    p = etree.SubElement(parent, W_P)
    ppr = etree.SubElement(p, W_PPR)
    etree.SubElement(ppr, W_PSTYLE).set(W_VAL, style)
    if bidi:
        etree.SubElement(ppr, W_BIDI)
    if before is not None:
        etree.SubElement(ppr, W_SPACING).set(W_BEFORE, str(round(before * 20)))
    return p


def run(parent: Element, text: str, *, style: str | None = None, bold: bool = False,
        italic: bool = False, rtl: bool | None = None) -> Element:
    """Append a run of ``text``; tabs in it become ``w:tab`` elements."""
    r = etree.SubElement(parent, W_R)
    if rtl is None:
        rtl = has_rtl(text)
    if style or bold or italic or rtl:
        rpr = etree.SubElement(r, W_RPR)
        if style:
            etree.SubElement(rpr, W_RSTYLE).set(W_VAL, style)
        if bold:
            etree.SubElement(rpr, W_B)
            etree.SubElement(rpr, W_BCS)
        if italic:
            etree.SubElement(rpr, W_I)
            etree.SubElement(rpr, W_ICS)
        if rtl:
            etree.SubElement(rpr, W_RTL)
    text = _NOT_XML.sub("", text)
    for i, piece in enumerate(text.split("\t")):
        if i:
            etree.SubElement(r, W_TAB)
        if piece:
            t = etree.SubElement(r, W_T)
            t.text = piece
            t.set(XML_SPACE, "preserve")
    return r


def tab(parent: Element) -> Element:
    """Append a run holding one tab character."""
    r = etree.SubElement(parent, W_R)
    etree.SubElement(r, W_TAB)
    return r


def hyperlink(parent: Element, rid: str) -> Element:
    """Append a ``w:hyperlink`` to relationship ``rid``; add its runs to the result."""
    h = etree.SubElement(parent, W_HYPERLINK)
    h.set(R_ID, rid)
    h.set(W_HISTORY, "1")
    return h


def field(parent: Element, instruction: str, placeholder: str, style: str | None) -> None:
    """Append a complex field (``PAGE``, ``NUMPAGES``…) showing ``placeholder`` until updated."""
    for kind, text in (("begin", None), ("instr", instruction), ("separate", None),
                       ("result", placeholder), ("end", None)):
        r = etree.SubElement(parent, W_R)
        if style:
            etree.SubElement(etree.SubElement(r, W_RPR), W_RSTYLE).set(W_VAL, style)
        if kind == "instr":
            el = etree.SubElement(r, W_INSTR)
            el.text = f" {text} "
            el.set(XML_SPACE, "preserve")
        elif kind == "result":
            etree.SubElement(r, W_T).text = text
        else:
            etree.SubElement(r, W_FLDCHAR).set(W_FLDCHARTYPE, kind)
