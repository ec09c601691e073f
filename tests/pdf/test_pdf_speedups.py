"""WeasyPrint's layout with :mod:`resumec.backends.speedups` is its layout without them.

The fast paths answer the commonest case of five WeasyPrint functions themselves, and
remember the lines of text the sixth breaks. Each test lays the same document out with
them and with WeasyPrint's own functions, and compares every box (kind, element,
position, size, margins, padding, borders, text, the Pango layout kept for drawing) and
every computed style value the layout asked for — and, on a stress page, every property
of every box. Lines are compared laid out cold (none remembered) and warm (all).
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from layouts import (
    APPLIED,
    NOT_APPLIED,
    assert_job_lays_out_as_weasyprint_does,
    assert_same,
    boxes,
    laid_out,
    plain,
    weasyprint_own,
)
from pdf_helpers import DEMO, SOURCES, THEMES, USER_THEMES, make_job

from resumec.backends import speedups
from resumec.backends.libs import quick_library_lookup

pytestmark = pytest.mark.slow

with quick_library_lookup():
    from weasyprint import HTML, css
    from weasyprint.css.properties import INITIAL_VALUES
    from weasyprint.layout import percent

needs_speedups = pytest.mark.skipif(not APPLIED, reason=NOT_APPLIED)


@needs_speedups
def test_the_fast_paths_are_in_place_after_weasyprint_is_imported() -> None:
    assert speedups.apply()  # already, by the import: again is a no-op
    assert css.ComputedStyle.__missing__ is not speedups.ORIGINAL["missing"]
    assert percent.resolve_percentages is not speedups.ORIGINAL["resolve_percentages"]
    from weasyprint.layout import block, flex, inline, page
    for module in (block, inline, page):  # imported the function by name
        assert module.resolve_percentages is percent.resolve_percentages
    assert flex.percent is percent
    from weasyprint.text import line_break
    assert line_break.get_font_description is not speedups.ORIGINAL["font_description"]
    assert line_break._font_style_cache_key is not speedups.ORIGINAL["font_key"]
    from weasyprint.layout import preferred
    for module in (line_break, inline, preferred):  # imported the function by name
        assert module.split_first_line is not speedups.ORIGINAL["split_first_line"]
        assert module.split_first_line is line_break.split_first_line


CASES = [*((source, theme) for source in SOURCES for theme in THEMES),
         *((DEMO, USER_THEMES / name) for name in ("acme", "acme-layout"))]


@needs_speedups
@pytest.mark.parametrize(("source", "theme"), CASES,
                         ids=[f"{s.stem}-{Path(t).name}" for s, t in CASES])
def test_resumes_lay_out_box_for_box_as_with_weasyprints_own_code(
        source: Path, theme: str | Path) -> None:
    assert_job_lays_out_as_weasyprint_does(make_job(source, theme, []))


MIXED = """\
name: דוד לוי · 李小龍 · Анна
headline: מהנדס תוכנה · エンジニア · Ingénieure
lang: he
contact: {email: david@example.com, phone: "+972 50 555 0101", location: תל אביב}
summary: |
  עבדתי ב־Москва, 東京 and Zürich; מדבר العربية ו־English. 🚀
experience:
  - employer: חברת הייטק
    title: מהנדס תוכנה בכיר — Senior Engineer with a title long enough to wrap
    location: Tel Aviv
    start: 2019-03
    end: present
    highlights:
      - הובלתי את המעבר לארכיטקטורה מבוססת אירועים, 中文 und ß.
      - Ведущий инженер проекта «Ромашка».
skills:
  - {name: שפות, items: [Go, Python, PostgreSQL]}
"""


@needs_speedups
@pytest.mark.parametrize("theme", THEMES)
def test_right_to_left_and_mixed_scripts_lay_out_as_with_weasyprints_own_code(
        theme: str, tmp_path: Path) -> None:
    (tmp_path / "resume.yaml").write_text(MIXED, encoding="utf-8")
    assert_job_lays_out_as_weasyprint_does(make_job(tmp_path / "resume.yaml", theme, []))


STRESS = """<!DOCTYPE html>
<html lang="en"><head><style>
  @page { size: 400px 500px; margin: 5% 10px 2em 4%;
          @top-center { content: "folio " counter(page); padding: 1% 2px; } }
  @page wide { size: 500px 400px; }
  :root { --gap: 7px; --half: 50%; font-size: 12px; }
  body { margin: 0 3%; padding: var(--gap) 2.5%; text-indent: calc(5% + 3px);
         text-decoration: underline dotted; }
  .logical { margin-inline-start: 13px; padding-inline-end: 9%; margin-block-end: 1em;
             border-inline-start: 3px solid; padding-block-start: calc(2% + 1px); }
  .rtl { direction: rtl; margin-inline-end: 11px; padding-inline-start: 4px; }
  .sized { box-sizing: border-box; width: var(--half); padding: 3% 6px; border: 2px solid;
           min-height: 10%; max-width: calc(100% - 20px); }
  .padded { box-sizing: padding-box; width: 120px; height: 3em; padding: 5px 8%; }
  .auto-height { height: 25%; min-height: calc(10px + 1%); max-height: 90%; }
  .abs { position: absolute; left: 10%; top: calc(5% + 4px); width: 30%; }
  .rel { position: relative; left: -2%; }
  .float { float: right; width: 20%; margin: 1% 2%; }
  .flex { display: flex; column-gap: 3%; } .flex > * { flex: 1 1 0; min-width: 0; }
  table { border-collapse: collapse; width: 80%; }
  td { border: 2px solid; padding: 2% 4px; width: 33%; }
  table.separate { border-collapse: separate; border-spacing: 3px; }
  .named { page: wide; }
  p::first-line { font-size: 1.3em; letter-spacing: 0.05em; }
  li { list-style: disc outside; margin-left: 5%; }
  .inherit * { margin: inherit; text-indent: inherit; }
  .decor { text-decoration-line: line-through; text-decoration-color: red; }
</style></head><body>
<p>Plain text with <em>inline</em> and <a href="#x">a link</a> in a paragraph long
enough to wrap onto a second and a third line of the page.</p>
<div class="logical">Logical margins <span class="rtl">שלום עולם and more</span></div>
<div class="rtl logical">Right to left, logical properties on this one.</div>
<div class="sized">Border-box sized block with percentages</div>
<div class="padded">Padding-box block</div>
<div style="height: 200px"><div class="auto-height">Percent heights in a fixed parent</div>
  <div class="rel">relative</div><div class="abs">absolute box</div></div>
<div class="auto-height">Percent heights in an auto parent</div>
<div class="float">floated</div><p>Beside the float, a paragraph that wraps around.</p>
<div class="flex"><span>one</span><span>two two</span><span>three three three</span></div>
<table><tr><td>a</td><td>b b</td><td>c</td></tr><tr><td colspan="2">d</td><td>e</td></tr></table>
<table class="separate"><tr><td>f</td><td>g</td></tr></table>
<ul><li>first item</li><li>second item, long enough to wrap around the marker</li></ul>
<div class="inherit" style="margin: 4% 1%"><p>inherited margins and indent</p></div>
<p class="decor">Struck through</p>
<div class="named">On a named page of another size</div>
</body></html>"""


@needs_speedups
def test_a_page_of_edge_cases_lays_out_as_with_weasyprints_own_code() -> None:
    ours = laid_out(STRESS)
    with weasyprint_own():
        theirs = laid_out(STRESS)
    assert_same(ours, theirs)
    assert len(ours[0].pages) >= 2


@needs_speedups
def test_every_property_of_every_box_computes_as_with_weasyprints_own_code() -> None:
    """Beyond what layout asks for: every property, in the same order on both sides."""
    def all_properties() -> list[list[tuple[str, Any]]]:
        document = HTML(string=STRESS).render()
        return [[(key, _value(box.style, key)) for key in sorted(INITIAL_VALUES)]
                for box in boxes(document)]

    def _value(style: Any, key: str) -> Any:
        try:
            return plain(style[key])
        except Exception as error:  # some logical properties fail on anonymous boxes
            return "raises", type(error).__name__, str(error)

    ours = all_properties()
    with weasyprint_own():
        theirs = all_properties()
    assert len(ours) == len(theirs) > 50
    for index, (mine, own) in enumerate(zip(ours, theirs, strict=True)):
        assert mine == own, f"box {index}"


@needs_speedups
def test_the_fast_path_answers_most_properties_itself() -> None:
    """Else it would be WeasyPrint's code, slower: the tests above could not tell."""
    calls = {"weasyprint": 0, "all": 0}
    real = speedups.ORIGINAL["missing"]

    def counting_original(self: Any, key: str) -> Any:
        calls["weasyprint"] += 1
        return real(self, key)

    speedups.revert()
    css.ComputedStyle.__missing__ = counting_original
    try:
        speedups.apply()  # falls back on the counting function
        fast = css.ComputedStyle.__missing__

        def counting_fast(self: Any, key: str) -> Any:
            calls["all"] += 1
            return fast(self, key)

        css.ComputedStyle.__missing__ = counting_fast
        HTML(string=STRESS).render()
    finally:
        speedups.revert()
        css.ComputedStyle.__missing__ = real
        speedups.apply()
    assert calls["all"] > 1000
    assert calls["weasyprint"] < calls["all"] / 2


LINES = """<!DOCTYPE html>
<html lang="en"><head><style>
  @page { size: 360px 600px; margin: 10px; }
  body { font-size: 11px; }
  .j { text-align: justify; } .ws { word-spacing: 4px; } .ls { letter-spacing: 0.1em; }
  .hy { hyphens: auto; width: 90px; } .hyc { hyphenate-character: "="; }
  .pre { white-space: pre; tab-size: 3; } .pw { white-space: pre-wrap; tab-size: 20px; }
  .now { white-space: nowrap; } .pl { white-space: pre-line; }
  .ow { overflow-wrap: anywhere; width: 60px; } .bw { overflow-wrap: break-word; width: 60px; }
  .wb { word-break: break-all; width: 70px; }
  .ell { text-overflow: ellipsis; overflow: hidden; white-space: nowrap; width: 80px; }
  .clamp { line-clamp: 2; width: 120px; }
  .caps { font-variant: small-caps; } .num { font-variant-numeric: tabular-nums oldstyle-nums; }
  .feat { font-feature-settings: "liga" 0; font-kerning: none; }
  .bold { font-weight: bold; font-style: italic; font-stretch: condensed; }
  .u { text-decoration: underline; } .o { text-decoration: overline line-through; }
  .rtl { direction: rtl; } .lo { font-language-override: "TRK"; }
  .big { font-size: 1.7em; } .narrow { width: 40px; }
</style></head><body>
<p class="j">Justified text, long enough to wrap onto several lines of this narrow page,
with words of differing lengths so that the spacing differs on each of the lines.</p>
<p class="j ws">Justified with word spacing, long enough to wrap onto two lines or more.</p>
<p class="ls">Letter spacing on a line long enough to wrap onto a second line here.</p>
<p class="hy" lang="en">Hyphenation: extraordinarily incomprehensible responsibilities.</p>
<p class="hy hyc" lang="de">Donaudampfschifffahrtsgesellschaftskapitän und Kapitänsmütze.</p>
<p class="hy" lang="fr">Anticonstitutionnellement, intergouvernementalisation.</p>
<p class="pre">Preformatted	Tabs	and   spaces
  kept on a second line</p>
<p class="pw">Pre-wrap	with a tab of twenty pixels and text long enough to wrap.</p>
<p class="now">No wrap at all on this line, even though it is far wider than the page is.</p>
<p class="pl">Pre-line:   spaces collapse
but line breaks stay</p>
<p class="ow">Overflow-wrap: Supercalifragilisticexpialidocious word.</p>
<p class="bw">Break-word: Pneumonoultramicroscopicsilicovolcanoconiosis.</p>
<p class="wb">Word-break break-all splits anywhere in this sentence.</p>
<div class="ell">An ellipsis ends this line, which is too long for its box.</div>
<div class="ell">An ellipsis ends this line, which is too long for its box.</div>
<p class="clamp">Clamped to two lines, the second ending in an ellipsis, of a paragraph
that would take four or five.</p>
<p class="clamp">Clamped to two lines, the second ending in an ellipsis, of a paragraph
that would take four or five.</p>
<p class="caps">Small capitals Here</p><p class="num">Figures 0123456789 1,234.50</p>
<p class="feat">Ligatures off: office fluffy affine</p>
<p class="bold">Bold italic condensed, wrapping onto a second line of the page.</p>
<p class="u">Underlined text that wraps onto another line of this page.</p>
<p class="o">Overlined and struck through</p>
<p class="rtl" lang="he">שלום עולם, טקסט מימין לשמאל שגולש לשורה נוספת בעמוד.</p>
<p class="lo">Font language override: fi fl</p>
<p><span class="big">Big</span> and small on one line, <span class="u">some underlined</span>,
<span class="ls">some spaced</span> and some <span class="bold">bold</span>: mixed runs.</p>
<p class="narrow">Narrow narrow narrow narrow</p><p>Narrow narrow narrow narrow</p>
<p class="ws">Repeated text</p><p>Repeated text</p><p class="ls">Repeated text</p>
<p class="j">Repeated text</p><p class="u">Repeated text</p><p lang="de">Repeated text</p>
</body></html>"""


@needs_speedups
def test_lines_of_text_in_every_way_lay_out_as_with_weasyprints_own_code() -> None:
    """Justification, spacing, hyphenation, white space, wrapping, ellipses, font
    variants and features, decorations, directions; and the same words in styles that
    break them differently."""
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    cold = laid_out(LINES, font_config=fonts)
    warm = laid_out(LINES, lines="warm", font_config=fonts)
    with weasyprint_own():
        theirs = laid_out(LINES, font_config=fonts)
    assert_same(cold, theirs)
    assert_same(warm, theirs)
    texts = [box[2] for box in warm[1] if box[0] == "TextBox"]
    assert any(text.endswith(("-", "=")) for text in texts)  # hyphenated


def _drawn(document: Any) -> list[bytes]:
    """Each page's drawing instructions, as the PDF writes them."""
    import pypdf

    reader = pypdf.PdfReader(io.BytesIO(document.write_pdf()))
    return [page.get_contents().get_data() for page in reader.pages]


@needs_speedups
def test_remembered_lines_draw_as_with_weasyprints_own_code() -> None:
    """Drawing brings a remembered line's layout back to life (and an ellipsis changes its
    text): the pages' drawing instructions are WeasyPrint's own, cold and warm."""
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    cold = laid_out(LINES, font_config=fonts)
    cold_drawn = _drawn(cold[0])
    warm = laid_out(LINES, lines="warm", font_config=fonts)  # after drawing the cold one
    with weasyprint_own():
        theirs = laid_out(LINES, font_config=fonts)
    assert_same(warm, theirs)  # what drawing did to the cold layouts stayed with them
    theirs_drawn = _drawn(theirs[0])
    assert len(theirs_drawn) >= 1
    assert cold_drawn == theirs_drawn
    assert _drawn(warm[0]) == theirs_drawn


@needs_speedups
def test_lines_are_remembered_under_every_style_value_they_depend_on() -> None:
    """The key of a remembered line holds every style value WeasyPrint's
    ``split_first_line`` reads, here and in everything it calls: one more, read by a
    later WeasyPrint, fails this test rather than giving a line of another style."""
    from weasyprint.text.fonts import FontConfiguration

    read: set[str] = set()
    recording = [False]
    original = speedups.ORIGINAL["split_first_line"]

    def getitem(self: Any, key: str) -> Any:
        if recording[0]:
            read.add(key)
        return dict.__getitem__(self, key)

    def split_first_line(*args: Any, **kwargs: Any) -> Any:
        recording[0] = True
        try:
            return original(*args, **kwargs)
        finally:
            recording[0] = False

    classes = (css.ComputedStyle, css.AnonymousStyle)
    with weasyprint_own():
        from weasyprint.layout import inline, preferred
        from weasyprint.text import line_break

        modules = (line_break, inline, preferred)
        for cls in classes:
            cls.__getitem__ = getitem  # type: ignore[method-assign]
        for module in modules:
            module.split_first_line = split_first_line  # type: ignore[attr-defined]
        try:
            laid_out(LINES, font_config=FontConfiguration())
            laid_out(STRESS)
            for source in SOURCES:
                job = make_job(source, THEMES[0], [])
                from resumec.backends import pdf

                setup = pdf._setup(job)
                laid_out(setup.html, base_url=job.base_dir.as_uri())
        finally:
            for cls in classes:
                del cls.__getitem__
            for module in modules:
                module.split_first_line = original  # type: ignore[attr-defined]
    assert len(read) > 20
    assert read <= set(speedups._LINE_STYLE), sorted(read - set(speedups._LINE_STYLE))
