"""Word styles, bullet numbering and page setup for the DOCX backend, from theme tokens.

Takes a python-docx document (the default template) and a theme's tokens; gives the
document restyled — built-in styles (Normal, Title, Heading 1…, List Bullet, Hyperlink)
rewritten from the tokens and a few résumé styles added — plus a :class:`WordSetup` with
the style ids and measures the backend writes with. Every style is written once and
referred to by id afterwards: looking styles up by name is what makes python-docx slow.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Literal

from docx.oxml.ns import qn
from lxml import etree

from resumec.backends.docx_xml import Element, sub
from resumec.themes import Tokens

TWIPS_PER_MM = 1440 / 25.4
PAPER_MM: dict[str, tuple[float, float]] = {"a4": (210.0, 297.0), "letter": (215.9, 279.4)}
RULE_EIGHTHS = 5
"""Heading rule width in eighths of a point: 0.6pt, as in the PDF."""
MIN_MARGIN_MM = 5.0
"""A margin below this is a full-bleed design (a PDF sidebar); Word gets the default."""

# Line height of 1.0 in Word ("single") is the font's own line height, while the tokens'
# line height is a multiple of the type size, as in CSS; these ratios convert one into the
# other so the DOCX keeps the PDF's rhythm (measured from the metric-compatible fonts).
NATURAL_LINE: dict[str, float] = {
    "calibri": 1.22, "carlito": 1.22, "cambria": 1.17, "caladea": 1.17, "arial": 1.15,
    "liberation sans": 1.15, "helvetica": 1.15, "times new roman": 1.15,
    "liberation serif": 1.15, "georgia": 1.14, "garamond": 1.12, "aptos": 1.2,
}  # fmt: skip
SERIF = {"cambria", "caladea", "georgia", "times new roman", "garamond", "book antiqua",
         "palatino linotype", "constantia", "liberation serif"}
BUILT_IN = {"Hyperlink", "Strong", "Footer", "BodyText", "ListBullet"}
"""Styles Word knows by name even when a document lacks them (not ``customStyle``)."""
RTL_LANGS = {"ar", "he", "iw", "fa", "ur", "yi", "ps", "sd", "ug", "dv", "ckb"}
EAST_ASIAN: dict[str, tuple[str, str]] = {  # language → (serif, sans) fonts Office ships
    "ja": ("Yu Mincho", "Yu Gothic"), "ko": ("Batang", "Malgun Gothic"),
    "zh": ("SimSun", "Microsoft YaHei"), "zh-tw": ("PMingLiU", "Microsoft JhengHei"),
    "zh-hk": ("PMingLiU", "Microsoft JhengHei"), "zh-hant": ("PMingLiU", "Microsoft JhengHei"),
}  # fmt: skip


@dataclass(frozen=True)
class WordSetup:
    """Style ids and measures the document body is written with."""

    text_width: int
    """Width between the margins, in twips: where the right-aligned tab stops sit."""
    rtl: bool
    """The résumé's language is written right to left."""
    page_numbers: bool
    title_case: bool
    """Capitalise each word of section headings (Word has no such character property)."""
    first_role: float
    """Space before the first role of a multi-role entry, in points."""
    run_in_heads: bool
    """Entry headings run title · subtitle · place into one line, dates at the right."""
    name: str = "Title"
    headline: str = "Subtitle"
    contact: str = "Contact"
    heading: str = "Heading1"
    entry: str = "EntryTitle"
    role: str = "RoleTitle"
    entry_sub: str = "EntrySubtitle"
    note: str = "EntryNote"
    body: str = "BodyText"
    bullet: str = "ListBullet"
    row: str = "SkillRow"
    details: str = "EntryDetails"
    footer: str = "Footer"
    link: str = "Hyperlink"
    date: str = "EntryDate"
    location: str = "EntryLocation"
    subtitle: str = "EntrySubtitleChar"
    sep: str = "Separator"
    label: str = "Strong"
    code: str = "Code"


@dataclass(frozen=True)
class _Run:
    """Character formatting of a style; ``None`` leaves the inherited value."""

    font: str | None = None
    size: float | None = None
    color: str | None = None
    bold: bool | None = None
    italic: bool | None = None
    caps: bool | None = None
    tracking: float = 0.0
    underline: bool = False


@dataclass(frozen=True)
class _Para:
    """Paragraph formatting of a style, spacing in points."""

    before: float | None = None
    after: float | None = None
    line: int | None = None
    keep_next: bool = False
    keep_lines: bool = False
    tab: int | None = None
    outline: int | None = None
    rule: str | None = None
    rule_space: float = 1.0
    fill: str | None = None
    align: Literal["left", "center", "right"] | None = None


def _hex(color: str) -> str:
    return color.lstrip("#").upper()


def _half_points(pt: float) -> str:
    return str(max(2, round(pt * 2)))


def language_parts(lang: str) -> tuple[str, bool, str | None]:
    """``lang`` → (primary subtag, right-to-left?, east-Asian font key or ``None``)."""
    tag = lang.lower().replace("_", "-")
    primary = tag.split("-")[0]
    east = None
    if primary in ("ja", "ko"):
        east = primary
    elif primary == "zh":
        east = next((k for k in ("zh-tw", "zh-hk", "zh-hant") if tag.startswith(k)), "zh")
    return primary, primary in RTL_LANGS, east


class _Fonts:
    """The four ``w:rFonts`` slots for one Word font, given the résumé's language."""

    def __init__(self, font: str, east: str | None) -> None:
        serif = font.lower() in SERIF
        self.ascii = font
        self.cs = "Times New Roman" if serif else "Arial"  # both have Arabic and Hebrew
        self.east_asia = EAST_ASIAN[east][0 if serif else 1] if east else font

    def write(self, rpr: Element) -> None:
        sub(rpr, qn("w:rFonts"), ascii=self.ascii, hAnsi=self.ascii, eastAsia=self.east_asia,
            cs=self.cs)


def _write_rpr(parent: Element, r: _Run, fonts: dict[str, _Fonts]) -> None:
    rpr = sub(parent, qn("w:rPr"))
    if r.font:
        fonts[r.font].write(rpr)
    for flag, tags in ((r.bold, ("w:b", "w:bCs")), (r.italic, ("w:i", "w:iCs")),
                       (r.caps, ("w:caps",))):
        if flag is not None:
            for tag in tags:
                el = sub(rpr, qn(tag))
                if not flag:
                    el.set(qn("w:val"), "0")
    if r.color:
        sub(rpr, qn("w:color"), val=_hex(r.color))
    if r.tracking and r.size:
        sub(rpr, qn("w:spacing"), val=str(round(r.tracking * r.size * 20)))
    if r.size:
        sub(rpr, qn("w:sz"), val=_half_points(r.size))
        sub(rpr, qn("w:szCs"), val=_half_points(r.size))
    if r.underline:
        sub(rpr, qn("w:u"), val="single")


def _write_ppr(parent: Element, p: _Para) -> None:
    ppr = sub(parent, qn("w:pPr"))
    if p.keep_next:
        sub(ppr, qn("w:keepNext"))
    if p.keep_lines:
        sub(ppr, qn("w:keepLines"))
    if p.rule or p.fill:
        bdr = sub(ppr, qn("w:pBdr"))
        # A tinted band gets borders in its own colour: they pad the text inside the band
        # while the text stays aligned with the body (the padding reaches into the margin).
        for side in ("top", "left", "bottom", "right"):
            if side == "bottom" and p.rule:
                sub(bdr, qn("w:bottom"), val="single", sz=str(RULE_EIGHTHS),
                    space=str(round(p.rule_space)), color=_hex(p.rule))
            elif p.fill:
                sub(bdr, qn(f"w:{side}"), val="single", sz="2",
                    space="1" if side in ("top", "bottom") else "4", color=_hex(p.fill))
    if p.fill:
        sub(ppr, qn("w:shd"), val="clear", color="auto", fill=_hex(p.fill))
    if p.tab is not None:
        # A right-aligned stop at the text width puts dates flush right. In a right-to-left
        # paragraph Word and LibreOffice read "right" as the paragraph's end (the left).
        sub(sub(ppr, qn("w:tabs")), qn("w:tab"), val="right", pos=str(p.tab))
    if p.before is not None or p.after is not None or p.line is not None:
        spacing = sub(ppr, qn("w:spacing"))
        for key, pt in (("before", p.before), ("after", p.after)):
            if pt is not None:
                spacing.set(qn(f"w:{key}"), str(round(pt * 20)))
        if p.line is not None:
            spacing.set(qn("w:line"), str(p.line))
            spacing.set(qn("w:lineRule"), "auto")
    if p.align:
        sub(ppr, qn("w:jc"), val=p.align)
    if p.outline is not None:
        sub(ppr, qn("w:outlineLvl"), val=str(p.outline))


class _Styles:
    """Rewrites or adds styles in ``styles.xml``, found by id once."""

    def __init__(self, root: Element, fonts: dict[str, _Fonts]) -> None:
        self.root = root
        self.fonts = fonts
        sid = qn("w:styleId")
        self.by_id: dict[str, Element] = {}
        for el in list(root.iterchildren(qn("w:style"))):
            # The template's 140 table styles: Word offers its built-in ones anyway.
            if el.get(qn("w:type")) == "table" and el.get(qn("w:default")) != "1":
                root.remove(el)
            else:
                self.by_id[el.get(sid)] = el

    def define(self, sid: str, name: str, kind: Literal["paragraph", "character"], *,
               based_on: str | None = "Normal", next_: str | None = None,
               para: _Para | None = None, run: _Run | None = None,
               priority: int = 20, visible: bool = True) -> None:
        el = self.by_id.get(sid)
        if el is None:
            el = sub(self.root, qn("w:style"), type=kind, styleId=sid)
            if sid not in BUILT_IN:
                el.set(qn("w:customStyle"), "1")
            self.by_id[sid] = el
        else:
            name = el.find(qn("w:name")).get(qn("w:val"))  # keep Word's built-in name
            link = el.find(qn("w:link"))
            if link is not None:  # its "… Char" twin keeps the template's look: drop it
                twin = self.by_id.pop(link.get(qn("w:val")), None)
                if twin is not None:
                    self.root.remove(twin)
            for child in list(el):
                el.remove(child)
        sub(el, qn("w:name"), val=name)
        if based_on and sid != based_on:
            sub(el, qn("w:basedOn"), val=based_on)
        if next_:
            sub(el, qn("w:next"), val=next_)
        sub(el, qn("w:uiPriority"), val=str(priority))
        if visible:
            sub(el, qn("w:qFormat"))
        if para is not None:
            _write_ppr(el, para)
        if run is not None:
            _write_rpr(el, run, self.fonts)


def arrangement(tokens: Tokens) -> tuple[Literal["left", "center"], bool]:
    """The masthead's alignment and whether entry headings run into one line.

    Read from a ``layout`` token group (``masthead: left|center``, ``entry_head:
    stacked|run-in``, as the HTML templates' ``head``) when the theme model has one;
    the defaults otherwise.
    """
    layout = getattr(tokens, "layout", None)
    center = getattr(layout, "masthead", "left") == "center"
    return ("center" if center else "left"), getattr(layout, "entry_head", "") == "run-in"


def _line(line_height: float, font: str) -> int:
    return round(240 * line_height / NATURAL_LINE.get(font.lower(), 1.17))


def margins_mm(tokens: Tokens) -> tuple[float, float, float, float]:
    """Top, right, bottom, left margins for Word: the theme's, or the default for a bleed."""
    page, default = tokens.page, type(tokens.page)()
    out = []
    for side in ("margin_top", "margin_right", "margin_bottom", "margin_left"):
        mm = getattr(page, side)
        out.append(mm if mm >= MIN_MARGIN_MM else getattr(default, side))
    return out[0], out[1], out[2], out[3]


def _tw(mm: float) -> int:
    return round(mm * TWIPS_PER_MM)


def setup_page(sect_pr: Element, tokens: Tokens, paper: str) -> int:
    """Set paper size and margins on ``w:sectPr``; return the text width in twips."""
    width_mm, height_mm = PAPER_MM.get(paper, PAPER_MM["a4"])
    top, right, bottom, left = margins_mm(tokens)
    pg_sz = sect_pr.find(qn("w:pgSz"))
    pg_sz.set(qn("w:w"), str(_tw(width_mm)))
    pg_sz.set(qn("w:h"), str(_tw(height_mm)))
    pg_mar = sect_pr.find(qn("w:pgMar"))
    footer = max(4.0, bottom * 0.45)
    for key, mm in (("top", top), ("right", right), ("bottom", bottom), ("left", left),
                    ("header", max(4.0, top * 0.45)), ("footer", footer)):
        pg_mar.set(qn(f"w:{key}"), str(_tw(mm)))
    return _tw(width_mm) - _tw(left) - _tw(right)


def _defaults(styles: Element, fonts: _Fonts, tokens: Tokens, lang: str, rtl: bool) -> None:
    dd = styles.find(qn("w:docDefaults"))
    for child in list(dd):
        dd.remove(child)
    rpr = sub(sub(dd, qn("w:rPrDefault")), qn("w:rPr"))
    fonts.write(rpr)
    size = _half_points(tokens.sizes.body)
    sub(rpr, qn("w:sz"), val=size)
    sub(rpr, qn("w:szCs"), val=size)
    sub(rpr, qn("w:lang"), val=lang, eastAsia=lang, bidi=lang if rtl else "ar-SA")
    ppr = sub(sub(dd, qn("w:pPrDefault")), qn("w:pPr"))
    if rtl:
        sub(ppr, qn("w:bidi"))
    sub(ppr, qn("w:spacing"), after="0",
        line=str(_line(tokens.spacing.line_height, tokens.docx_fonts.body)), lineRule="auto")


def _bullets(numbering: Element, tokens: Tokens, fonts: _Fonts, style_id: str) -> str:
    """Add a one-level bullet list tied to ``style_id``; return its ``numId``."""
    ids = [int(x) for x in numbering.xpath("w:abstractNum/@w:abstractNumId")] or [0]
    nums = [int(x) for x in numbering.xpath("w:num/@w:numId")] or [0]
    aid, nid = str(max(ids) + 1), str(max(nums) + 1)
    absn = etree.Element(qn("w:abstractNum"))
    absn.set(qn("w:abstractNumId"), aid)
    sub(absn, qn("w:multiLevelType"), val="singleLevel")
    lvl = sub(absn, qn("w:lvl"), ilvl="0")
    sub(lvl, qn("w:start"), val="1")
    sub(lvl, qn("w:numFmt"), val="bullet")
    sub(lvl, qn("w:pStyle"), val=style_id)
    sub(lvl, qn("w:lvlText"), val="•")
    sub(lvl, qn("w:lvlJc"), val="left")
    em = tokens.sizes.body * 20
    sub(sub(lvl, qn("w:pPr")), qn("w:ind"), left=str(round(em * 1.35)),
        hanging=str(round(em * 1.0)))
    rpr = sub(lvl, qn("w:rPr"))
    sub(rpr, qn("w:rFonts"), ascii=fonts.ascii, hAnsi=fonts.ascii, cs=fonts.cs,
        hint="default")
    sub(rpr, qn("w:color"), val=_hex(tokens.colors.muted))
    first_num = numbering.find(qn("w:num"))
    if first_num is not None:
        first_num.addprevious(absn)
    else:
        numbering.append(absn)
    num = etree.Element(qn("w:num"))
    num.set(qn("w:numId"), nid)
    sub(num, qn("w:abstractNumId"), val=aid)
    last = numbering.findall(qn("w:num"))
    if last:
        last[-1].addnext(num)
    else:
        numbering.append(num)
    return nid


def apply_styles(doc: Any, tokens: Tokens, lang: str, paper: str) -> WordSetup:
    """Restyle ``doc`` (a fresh python-docx Document) from ``tokens``; set up its page."""
    _, rtl, east = language_parts(lang)
    body_font, heading_font = tokens.docx_fonts.body, tokens.docx_fonts.heading
    fonts = {f: _Fonts(f, east) for f in {body_font, heading_font, "Consolas"}}
    section = doc.sections[0]
    text_width = setup_page(section._sectPr, tokens, paper)
    root = doc.styles.element
    _defaults(root, fonts[body_font], tokens, lang, rtl)

    s, c, sp, h = tokens.sizes, tokens.colors, tokens.spacing, tokens.headings
    line = _line(sp.line_height, body_font)
    tight = _line(1.1, heading_font)
    caps = h.case == "upper"
    fill = c.background if c.background.lower() != "#ffffff" else None
    align, run_in = arrangement(tokens)
    st = _Styles(root, fonts)
    # Spacing mirrors the shared CSS (themes/_base/base.css) so DOCX and PDF keep one rhythm.
    st.define("Normal", "Normal", "paragraph", based_on=None, priority=0,
              para=_Para(line=line), run=_Run(color=c.text))
    st.define("Title", "Title", "paragraph", next_="Subtitle", priority=10,
              para=_Para(after=0, line=tight, keep_next=True, align=align),
              run=_Run(font=heading_font, size=s.name, color=c.accent, bold=True))
    st.define("Subtitle", "Subtitle", "paragraph", next_="Contact", priority=11,
              para=_Para(before=s.headline * 0.25, after=0, line=tight, keep_next=True,
                         align=align),
              run=_Run(font=heading_font, size=s.headline, color=c.text, italic=False))
    st.define("Contact", "Contact", "paragraph", next_="Normal", priority=12,
              para=_Para(before=s.small * 0.6, line=line, align=align),
              run=_Run(size=s.small))
    st.define("Heading1", "heading 1", "paragraph", next_="Normal", priority=9,
              para=_Para(before=sp.section, after=s.heading * 0.45, line=tight,
                         keep_next=True, keep_lines=True, outline=0,
                         rule=c.rule if h.rule else None, rule_space=s.heading * 0.15,
                         fill=fill),
              run=_Run(font=heading_font, size=s.heading, color=c.accent, bold=True, caps=caps,
                       tracking=h.letter_spacing, italic=False))
    st.define("Heading2", "heading 2", "paragraph", next_="Normal", priority=9,
              para=_Para(before=sp.entry, line=line, keep_next=True, keep_lines=True,
                         outline=1),
              run=_Run(font=heading_font, size=s.entry, color=c.text, bold=True, italic=False))
    st.define("Heading3", "heading 3", "paragraph", next_="Normal", priority=9,
              para=_Para(before=sp.entry * 0.8, line=line, keep_next=True, keep_lines=True,
                         outline=2),
              run=_Run(font=heading_font, size=s.body, color=c.text, bold=True, italic=False))
    # Entry and role lines are Heading 2 and 3 (so Word's navigation pane lists them) with
    # a right-aligned tab stop at the text width for the dates.
    st.define("EntryTitle", "Entry Title", "paragraph", based_on="Heading2",
              next_="EntrySubtitle", priority=13, para=_Para(tab=text_width))
    st.define("RoleTitle", "Role Title", "paragraph", based_on="Heading3",
              next_="BodyText", priority=14, para=_Para(tab=text_width))
    st.define("EntrySubtitle", "Entry Subtitle", "paragraph", next_="BodyText", priority=15,
              para=_Para(line=line, keep_next=True, keep_lines=True, tab=text_width),
              run=_Run(italic=True))
    st.define("EntryNote", "Entry Note", "paragraph", next_="BodyText", priority=16,
              para=_Para(before=s.small * 0.15, line=line, keep_next=True),
              run=_Run(size=s.small, color=c.muted))
    st.define("BodyText", "Body Text", "paragraph", next_="BodyText", priority=17,
              para=_Para(before=sp.paragraph * 1.6, after=0, line=line))
    st.define("ListBullet", "List Bullet", "paragraph", next_="ListBullet", priority=18,
              para=_Para(before=sp.paragraph * 0.8, line=line, keep_lines=True))
    st.define("SkillRow", "Skill Row", "paragraph", next_="SkillRow", priority=19,
              para=_Para(before=sp.paragraph * 0.8, line=line, keep_lines=True))
    st.define("EntryDetails", "Entry Details", "paragraph", next_="BodyText", priority=20,
              para=_Para(before=sp.paragraph, line=line, keep_lines=True),
              run=_Run(size=s.small))
    st.define("Footer", "footer", "paragraph", priority=99, visible=False,
              para=_Para(tab=text_width, line=240), run=_Run(size=s.small * 0.92, color=c.muted))
    st.define("Hyperlink", "Hyperlink", "character", based_on="DefaultParagraphFont",
              priority=99, visible=False, run=_Run(color=c.accent, underline=True))
    meta = _Run(font=body_font, size=s.small, color=c.text, bold=False, italic=False,
                caps=False)
    st.define("EntryDate", "Entry Date", "character", based_on="DefaultParagraphFont",
              priority=21, run=meta)
    st.define("EntryLocation", "Entry Location", "character", based_on="DefaultParagraphFont",
              priority=21, run=replace(meta, color=c.muted))
    st.define("EntrySubtitleChar", "Entry Subtitle Char", "character",
              based_on="DefaultParagraphFont", priority=21, visible=False,
              run=_Run(font=body_font, size=s.body, bold=False, italic=False))
    st.define("Separator", "Separator", "character", based_on="DefaultParagraphFont",
              priority=21, visible=False, run=_Run(color=c.muted))
    st.define("Strong", "Strong", "character", based_on="DefaultParagraphFont", priority=22,
              run=_Run(bold=True))
    st.define("Code", "Code", "character", based_on="DefaultParagraphFont", priority=23,
              run=_Run(font="Consolas", size=s.body * 0.88))

    num_id = _bullets(doc.part.numbering_part.element, tokens, fonts[body_font], "ListBullet")
    list_ppr = st.by_id["ListBullet"].find(qn("w:pPr"))
    num_pr = etree.Element(qn("w:numPr"))
    sub(num_pr, qn("w:numId"), val=num_id)
    keep = list_ppr.find(qn("w:keepLines"))
    keep.addnext(num_pr)
    return WordSetup(text_width=text_width, rtl=rtl, page_numbers=tokens.page.page_numbers,
                  title_case=h.case == "title", first_role=sp.paragraph * 1.5,
                  run_in_heads=run_in)
