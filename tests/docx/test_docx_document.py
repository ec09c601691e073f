"""The DOCX backend: real Word structure, every string in order, links, properties, page."""

from __future__ import annotations

import re
from dataclasses import replace
from types import SimpleNamespace
from typing import Any

import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm
from docxkit import (
    DEMO,
    ROOT,
    THEMES,
    body_text,
    job,
    missing_in_order,
    norm,
    part_xml,
    reading_order,
    render,
    reopen,
)

from resumec.backends import RenderJob, get
from resumec.backends.docx_styles import arrangement
from resumec.document import Document
from resumec.markup import plain, spans
from resumec.themes import Theme, load_theme

EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module", params=THEMES)
def rendered(request: pytest.FixtureRequest) -> tuple[RenderJob, bytes, Any]:
    """The demo résumé rendered with each built-in theme: (job, bytes, reopened document)."""
    j = job(DEMO, request.param)
    data = render(j)
    return j, data, reopen(data)


def test_registry_finds_the_backend() -> None:
    backend = get("docx")
    assert (backend.name, backend.suffix) == ("docx", "docx")


def test_every_string_appears_in_reading_order(rendered: tuple[RenderJob, bytes, Any]) -> None:
    j, _, doc = rendered
    text = body_text(doc)
    run_in = arrangement(j.theme.tokens)[1]
    assert missing_in_order(reading_order(j.document, inline=run_in), text) == []
    # …and nothing of the source is lost, whatever the order inside an entry's header.
    flat = norm(text)
    assert [t for t in j.document.all_text() if norm(plain(t)) not in flat] == []


def test_in_order_check_can_fail() -> None:
    assert missing_in_order(["b", "a"], "a b") == ["a"]


def test_name_headline_contact_lead_the_body(rendered: tuple[RenderJob, bytes, Any]) -> None:
    j, _, doc = rendered
    paras = doc.paragraphs
    assert (paras[0].style.name, paras[0].text) == ("Title", j.document.name)
    assert paras[1].style.name == "Subtitle"
    assert paras[1].text == j.document.headline
    contact = norm(body_text_of(paras[2]))
    assert all(c.text in contact for c in j.document.contact)


def body_text_of(paragraph: Any) -> str:
    return "".join(t.text or "" for t in paragraph._p.iter(qn("w:t")))


def test_section_headings_are_heading_1(rendered: tuple[RenderJob, bytes, Any]) -> None:
    j, _, doc = rendered
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert headings == [s.title for s in j.document.sections]


def test_entry_lines_have_a_right_tab_stop_at_the_text_width(
        rendered: tuple[RenderJob, bytes, Any]) -> None:
    j, _, doc = rendered
    section = doc.sections[0]
    width = section.page_width - section.left_margin - section.right_margin
    for name, base in (("Entry Title", "Heading 2"), ("Role Title", "Heading 3"),
                       ("Entry Subtitle", "Normal")):
        style = doc.styles[name]
        assert style.base_style.name == base
        stops = list(style.paragraph_format.tab_stops)
        assert len(stops) == 1
        assert stops[0].alignment.name == "RIGHT"
        assert abs(stops[0].position - width) <= Mm(0.1)
    titles = [p for p in doc.paragraphs if p.style.name == "Entry Title"]
    entries = [e for s in j.document.sections for e in s.entries]
    assert len(titles) == len(entries)
    run_in = arrangement(j.theme.tokens)[1]
    for p, e in zip(titles, entries, strict=True):
        text = body_text_of(p)
        assert text.startswith(e.title) and text.endswith(e.dates or "")
        if not run_in:
            assert text == e.title + (e.dates or "")
        assert (p._p.find(f".//{W}tab") is not None) == bool(e.dates)
    roles = [r for e in entries for r in e.roles]
    assert len([p for p in doc.paragraphs if p.style.name == "Role Title"]) == len(roles) > 0


def test_navigation_pane_levels(rendered: tuple[RenderJob, bytes, Any]) -> None:
    """Headings, entries and roles carry outline levels 0, 1, 2 (via Heading 1/2/3)."""
    _, data, _ = rendered
    styles = part_xml(data, "word/styles.xml")
    for sid, level in (("Heading1", "0"), ("Heading2", "1"), ("Heading3", "2")):
        (lvl,) = styles.xpath(f"w:style[@w:styleId='{sid}']/w:pPr/w:outlineLvl/@w:val",
                              namespaces={"w": W[1:-1]})
        assert lvl == level


def test_highlights_are_a_real_bullet_list(rendered: tuple[RenderJob, bytes, Any]) -> None:
    j, data, doc = rendered
    bullets = [p for p in doc.paragraphs if p.style.name == "List Bullet"]
    expected = [b for s in j.document.sections for b in (
        *s.bullets, *(x for e in s.entries for x in (*e.bullets, *(
            y for r in e.roles for y in r.bullets))))]
    assert [norm(body_text_of(p)) for p in bullets] == [norm(plain(b)) for b in expected]
    assert not any(body_text_of(p).lstrip().startswith(("•", "-", "*")) for p in doc.paragraphs)
    # The style is numbered, and its numbering is a bullet list.
    num_id = doc.styles["List Bullet"].element.pPr.numPr.numId.val
    numbering = part_xml(data, "word/numbering.xml")
    ns = {"w": W[1:-1]}
    (abstract,) = numbering.xpath(f"w:num[@w:numId='{num_id}']/w:abstractNumId/@w:val",
                                  namespaces=ns)
    fmt = numbering.xpath(f"w:abstractNum[@w:abstractNumId='{abstract}']/w:lvl[@w:ilvl='0']/"
                          "w:numFmt/@w:val", namespaces=ns)
    assert fmt == ["bullet"]


def test_skill_rows_are_label_colon_items(rendered: tuple[RenderJob, bytes, Any]) -> None:
    j, _, doc = rendered
    rows = [p for p in doc.paragraphs if p.style.name == "Skill Row"]
    texts = [norm(body_text_of(p)) for p in rows]
    for s in j.document.sections:
        for r in s.rows:
            assert f"{r.label}: {', '.join(r.items)}" in texts
    label_run = rows[0].runs[0]
    assert label_run.style.name == "Strong" and label_run.text.endswith(":")


def _links(doc: Any) -> list[tuple[str, str]]:
    rels = doc.part.rels
    out = []
    for h in doc.element.body.iter(qn("w:hyperlink")):
        rel = rels[h.get(qn("r:id"))]
        assert rel.is_external
        out.append(("".join(t.text for t in h.iter(qn("w:t"))), rel.target_ref))
    return out


def test_hyperlinks_point_at_the_right_urls(rendered: tuple[RenderJob, bytes, Any]) -> None:
    j, _, doc = rendered
    d = j.document
    links = _links(doc)
    contact = [(c.text, c.url) for c in d.contact if c.url and c.kind != "phone"]
    assert links[:len(contact)] == contact
    assert ("ines.carvalho@example.com", "mailto:ines.carvalho@example.com") in links
    inline = [(s.text, s.href) for sec in d.sections for p in sec.paragraphs for s in spans(p)
              if s.href]
    assert inline and all(x in links for x in inline)
    entry_urls = {e.url for s in d.sections for e in s.entries if e.url}
    assert entry_urls <= {url for _, url in links}


def test_hyperlink_character_style(rendered: tuple[RenderJob, bytes, Any]) -> None:
    j, _, doc = rendered
    style = doc.styles["Hyperlink"]
    assert style.font.underline is True
    assert str(style.font.color.rgb) == j.theme.tokens.colors.accent.lstrip("#").upper()
    contact_link = doc.paragraphs[2]._p.find(f"{W}hyperlink/{W}r/{W}rPr/{W}rStyle")
    assert contact_link.get(qn("w:val")) == "Hyperlink"


def test_core_properties(rendered: tuple[RenderJob, bytes, Any]) -> None:
    j, _, doc = rendered
    cp, d = doc.core_properties, j.document
    assert (cp.author, cp.subject, cp.language) == (d.name, d.headline, d.lang)
    assert cp.title == f"{d.name} — Résumé"  # the PDF's title
    assert [k.strip() for k in cp.keywords.split(",")] == list(d.keywords)
    assert "python-docx" not in (cp.comments + cp.last_modified_by)


@pytest.mark.parametrize(("paper", "size"), [("a4", (210, 297)), ("letter", (215.9, 279.4))])
def test_page_size_matches_paper(paper: str, size: tuple[float, float]) -> None:
    section = reopen(render(job(DEMO, "classic", paper))).sections[0]
    assert abs(section.page_width.mm - size[0]) < 0.1
    assert abs(section.page_height.mm - size[1]) < 0.1


def test_margins_from_tokens_and_a_floor_for_full_bleed() -> None:
    classic = reopen(render(job(DEMO, "classic"))).sections[0]
    assert abs(classic.left_margin.mm - load_theme("classic").tokens.page.margin_left) < 0.1
    sidebar = reopen(render(job(DEMO, "sidebar"))).sections[0]
    assert load_theme("sidebar").tokens.page.margin_left == 0
    assert min(m.mm for m in (sidebar.left_margin, sidebar.right_margin, sidebar.top_margin,
                              sidebar.bottom_margin)) >= 15


def _theme_look(data: bytes) -> tuple[str, str, str, str]:
    styles = part_xml(data, "word/styles.xml")
    ns = {"w": W[1:-1]}
    font = styles.xpath("w:docDefaults/w:rPrDefault/w:rPr/w:rFonts/@w:ascii", namespaces=ns)[0]
    title = "w:style[@w:styleId='Title']/w:rPr/"
    color = styles.xpath(title + "w:color/@w:val", namespaces=ns)[0]
    size = styles.xpath(title + "w:sz/@w:val", namespaces=ns)[0]
    h1 = "w:style[@w:styleId='Heading1']/"
    caps = styles.xpath(h1 + "w:rPr/w:caps/@w:val", namespaces=ns) or (
        ["1"] if styles.xpath(h1 + "w:rPr/w:caps", namespaces=ns) else ["0"])
    heading = "none" if caps == ["0"] else "caps"
    rule = styles.xpath(h1 + "w:pPr/w:pBdr/w:bottom/@w:color", namespaces=ns)
    fill = styles.xpath(h1 + "w:pPr/w:shd/@w:fill", namespaces=ns)
    heading += f"+rule:{rule[0] if rule else ''}+fill:{fill[0] if fill else ''}"
    return font, color, size, heading


def test_themes_differ_as_their_tokens_do() -> None:
    looks = {}
    for name in THEMES:
        tokens = load_theme(name).tokens
        font, color, size, heading = _theme_look(render(job(DEMO, name)))
        assert font == tokens.docx_fonts.body
        assert color == tokens.colors.accent.lstrip("#").upper()
        assert int(size) == round(tokens.sizes.name * 2)
        assert heading.startswith("caps") == (tokens.headings.case == "upper")
        c = tokens.colors
        assert (f"+rule:{c.rule[1:].upper()}" in heading) == tokens.headings.rule
        assert ("+fill:" + (c.background[1:].upper() if c.background != "#ffffff" else "")
                ) in heading
        looks[name] = (font, color, size, heading)
    assert len(set(looks.values())) == len(THEMES)


def test_fonts_fill_every_script_slot() -> None:
    styles = part_xml(render(job(DEMO, "modern")), "word/styles.xml")
    ns = {"w": W[1:-1]}
    (fonts,) = styles.xpath("w:docDefaults/w:rPrDefault/w:rPr/w:rFonts", namespaces=ns)
    assert {k.split("}")[1] for k in fonts.attrib} == {"ascii", "hAnsi", "eastAsia", "cs"}
    assert not styles.xpath("w:style[@w:styleId='Heading1' or @w:styleId='Title']//"
                            "w:rFonts/@w:asciiTheme", namespaces=ns)


def test_density_tightens_the_docx() -> None:
    theme = load_theme("classic")
    loose = _body_size(render(job(DEMO, theme)))
    tight = _body_size(render(job(DEMO, theme.with_density(3))))
    assert tight < loose


def _body_size(data: bytes) -> int:
    styles = part_xml(data, "word/styles.xml")
    return int(styles.xpath("w:docDefaults/w:rPrDefault/w:rPr/w:sz/@w:val",
                            namespaces={"w": W[1:-1]})[0])


def test_page_numbers_in_footer_after_the_first_page() -> None:
    doc = reopen(render(job(DEMO, "classic")))
    section = doc.sections[0]
    assert section.different_first_page_header_footer
    instr = [t.text.strip() for t in section.footer._element.iter(qn("w:instrText"))]
    assert instr == ["PAGE", "NUMPAGES"]
    assert not list(section.first_page_footer._element.iter(qn("w:instrText")))
    assert load_theme("compact").tokens.page.page_numbers is False
    compact = reopen(render(job(DEMO, "compact"))).sections[0]
    assert not list(compact.footer._element.iter(qn("w:instrText")))


def test_ats_safe_one_flow_of_paragraphs(rendered: tuple[RenderJob, bytes, Any]) -> None:
    _, data, _ = rendered
    xml = part_xml(data, "word/document.xml")
    body = xml.find(f"{W}body")
    assert {el.tag for el in body} == {f"{W}p", f"{W}sectPr"}  # no tables, no frames
    for bad in ("txbxContent", "drawing", "pict", "framePr"):
        assert not list(xml.iter(f"{W}{bad}"))


def test_word_opens_it_in_current_mode(rendered: tuple[RenderJob, bytes, Any]) -> None:
    _, data, _ = rendered
    settings = part_xml(data, "word/settings.xml")
    mode = settings.xpath("//w:compatSetting[@w:name='compatibilityMode']/@w:val",
                          namespaces={"w": W[1:-1]})
    assert mode == ["15"]


def _all_kinds() -> tuple[RenderJob, Document]:
    """A Document with every section kind, Markdown code and a custom section with bullets."""
    from resumec.document import ContactItem, Item, Row, Section

    d = Document(
        name="Zoë Ångström", headline="Engineer, *mostly*", lang="sv",
        contact=(ContactItem("email", "z@example.org", "mailto:z@example.org"),
                 ContactItem("phone", "+46 70 000 00 00", "tel:+46700000000")),
        sections=(
            Section("summary", "Summary", "text", paragraphs=("Uses `grep` **a lot**.",)),
            Section("experience", "Experience", "entries", entries=(
                Item("Acme", dates="2020 – 2024", location="Malmö", note="A *factory*.",
                     roles=(Item("Lead", dates="2022 – 2024", bullets=("Led [it](https://x.org)",)),
                            Item("Dev", dates="2020 – 2022", summary=("Built.",)))),)),
            Section("skills", "Skills", "rows", rows=(Row("Tools", ("Vim", "Make")),)),
            Section("languages", "Languages", "inline", inline=("Swedish", "English")),
            Section("extra", "Extra", "custom", paragraphs=("Intro.",),
                    entries=(Item("Thing", subtitle="Sub", details=(("Grade", "A"),)),),
                    bullets=("One", "Two")),
        ),
        keywords=("Vim",),
    )
    return job(DEMO, "modern", document=d), d


def test_every_section_kind() -> None:
    j, d = _all_kinds()
    doc = reopen(render(j))
    assert missing_in_order(reading_order(d), body_text(doc)) == []
    styles = [p.style.name for p in doc.paragraphs]
    assert styles.count("Heading 1") == 5
    assert styles.count("List Bullet") == 3
    assert styles.count("Role Title") == 2
    code = [r for p in doc.paragraphs for r in p.runs if r.style.name == "Code"]
    assert [r.text for r in code] == ["grep"]
    bold = [r.text for p in doc.paragraphs for r in p.runs if r.bold]
    assert "a lot" in bold
    # The phone is shown but not linked; its tel: URL is not a web or mail link.
    assert all(not t.startswith("tel:") for _, t in _links(doc))


def test_right_to_left_text() -> None:
    from resumec.document import Section

    arabic = Document(name="ليلى حداد", headline="مهندسة", lang="ar", contact=(),
                      sections=(Section("summary", "ملخص", "text",
                                        paragraphs=("أعمل مع **Python** كل يوم.",)),),
                      keywords=())
    data = render(job(DEMO, "classic", document=arabic))
    styles = part_xml(data, "word/styles.xml")
    ns = {"w": W[1:-1]}
    assert styles.xpath("w:docDefaults/w:pPrDefault/w:pPr/w:bidi", namespaces=ns)
    assert styles.xpath("w:docDefaults/w:rPrDefault/w:rPr/w:lang/@w:bidi", namespaces=ns) == [
        "ar"]
    doc = reopen(data)
    runs = [r for p in doc.paragraphs for r in p._p.iter(qn("w:r"))]
    for r in runs:
        text = "".join(t.text for t in r.iter(qn("w:t")))
        has_arabic = bool(re.search("[\u0600-\u06ff]", text))
        assert (r.find(f"{W}rPr/{W}rtl") is not None) == has_arabic, text
    # A Hebrew name in a left-to-right résumé gets a right-to-left paragraph of its own.
    hebrew = Document(name="דנה כהן", headline="Engineer", lang="en", contact=(), sections=(),
                      keywords=())
    first = reopen(render(job(DEMO, "classic", document=hebrew))).paragraphs
    assert first[0]._p.pPr.find(f"{W}bidi") is not None
    assert first[1]._p.pPr.find(f"{W}bidi") is None


def test_east_asian_fonts_and_language() -> None:
    ja = Document(name="山田 花子", headline=None, lang="ja", contact=(), sections=(),
                  keywords=())
    styles = part_xml(render(job(DEMO, "modern", document=ja)), "word/styles.xml")
    ns = {"w": W[1:-1]}
    assert styles.xpath("w:docDefaults/w:rPrDefault/w:rPr/w:rFonts/@w:eastAsia",
                        namespaces=ns) == ["Yu Gothic"]
    assert styles.xpath("w:docDefaults/w:rPrDefault/w:rPr/w:lang/@w:eastAsia",
                        namespaces=ns) == ["ja"]


@pytest.mark.parametrize("example", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_examples_render(example: Any) -> None:
    j = job(example, "classic")
    doc = reopen(render(j))
    assert missing_in_order(reading_order(j.document), body_text(doc)) == []


def _with_layout(name: str, **layout: str) -> Theme:
    """A built-in theme with a ``layout`` token group (masthead, entry_head) set."""
    theme = load_theme(name)
    tokens = theme.tokens.model_copy(update={"layout": SimpleNamespace(**layout)})
    return replace(theme, tokens=tokens)


def test_layout_tokens_center_the_masthead_and_run_heads_inline() -> None:
    theme = _with_layout("compact", masthead="center", entry_head="run-in")
    j = job(DEMO, theme)
    doc = reopen(render(j))
    aligned = [p.style.paragraph_format.alignment for p in doc.paragraphs[:3]]
    assert aligned == [WD_ALIGN_PARAGRAPH.CENTER] * 3
    assert missing_in_order(reading_order(j.document, inline=True), body_text(doc)) == []
    assert not [p for p in doc.paragraphs if p.style.name == "Entry Subtitle"]
    ledgerline = next(p for p in doc.paragraphs if "Ledgerline" in body_text_of(p))
    assert ledgerline.style.name == "Entry Title"
    assert norm(body_text(_one(ledgerline))) == norm(
        "Software Engineer, Payments Infrastructure · Ledgerline · London, UK Apr 2015–Jun 2018")
    assert arrangement(load_theme("modern").tokens) == ("left", False)
    default = reopen(render(job(DEMO, "modern")))
    assert default.paragraphs[0].style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.LEFT
    assert [p for p in default.paragraphs if p.style.name == "Entry Subtitle"]


def _one(paragraph: Any) -> Any:
    return SimpleNamespace(element=SimpleNamespace(body=paragraph._p))


@pytest.mark.parametrize("text", ["שלום abc", "abc שלום", "123 مرحبا", "", "— 2024 –", "日本 שלום",
                                  "\u0301\u05d0", "ß", "ܐܒ", "ހ", "(Avi) אבי"])
def test_word_and_the_pdf_agree_on_a_texts_direction(text: str) -> None:
    from resumec.backends.docx_xml import starts_rtl
    from resumec.backends.htmlkit import first_strong_direction

    assert starts_rtl(text) == (first_strong_direction(text) == "rtl")
