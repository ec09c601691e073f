"""WeasyPrint's layout with :mod:`resumec.backends.speedups` is its layout without them.

The fast paths answer the commonest case of five WeasyPrint functions themselves. Each
test lays the same document out with them and with WeasyPrint's own functions, and
compares every box (kind, element, position, size, margins, padding, borders, text) and
every computed style value the layout asked for — and, on a stress page, every property
of every box.
"""

from __future__ import annotations

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
