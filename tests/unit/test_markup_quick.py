"""The quick reading of plain bold, italic and links gives markdown-it-py's runs."""

from __future__ import annotations

import subprocess
import sys

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from resumec.markup import _parsed_spans, _quick_spans, spans
from tests.conftest import DEMO, EXAMPLES

PIECES = ["a", "b", "Zoë", "42", " ", "  ", "*", "**", "***", "[", "]", "(", ")", "!", ",",
          ".", "+", "-", "'", "\"", "/", "é", "日本", "—", "“", "€", "\u00a0", "\n", "\t", "_",
          "`", "<", ">", "&amp;", "\\", "[x](https://a.example/p_q*r)", "[*i*](https://i.example)",
          "[**b** c](https://b.example)", "[y](mailto:a@b.c)",
          "[z](javascript:alert)", "[ w ](https://x.y)", "](", "https://h.example/A",
          "& ", "&", "&x", "&#", "&#65;", "< ", "<", "<=", "<a@b.c>", "<https://a.b>", ">"]


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=14).map("".join))
@example("Built **fast** things, *twice*.")
@example("a**b**c and *a*b and **C++**,")
@example("*a **b** c*")
@example("**a [b](https://c.example)**")
@example("x ![a](https://a.b)")
@example("Data & infrastructure, p99 < 50 ms, R&D, a -> b")
def test_quick_reading_is_markdown_its_reading_or_abstains(text: str) -> None:
    quick = _quick_spans(text)
    if quick is not None:
        assert quick == _parsed_spans(text)


def _texts() -> list[str]:
    from resumec.loader import load_source

    out: list[str] = []

    def walk(value: object) -> None:
        if isinstance(value, str):
            out.append(value)
        elif isinstance(value, dict):
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)

    for path in [DEMO, *EXAMPLES]:
        walk(load_source(path, str(path)).data)
    return out


def test_real_resumes_read_the_same_and_mostly_quickly() -> None:
    from resumec.markup import paragraphs

    marked = [p for t in _texts() for p in paragraphs(t) if any(c in p for c in "*[")]
    assert marked
    quick = [p for p in marked if _quick_spans(p) is not None]
    for p in marked:
        assert spans(p) == _parsed_spans(p)
    assert len(quick) >= 0.8 * len(marked), [p for p in marked if p not in quick][:5]


@pytest.mark.parametrize("text", ["2 * 3 = 6", "a_b_c", "*a **b** c*", "tab\t\nbreak *x*"])
def test_what_it_is_unsure_of_goes_to_the_parser(text: str) -> None:
    assert _quick_spans(text) is None


def test_rendering_the_demo_does_not_load_the_parser() -> None:
    code = ("import sys\nfrom pathlib import Path\n"
            "from resumec import backends\n"
            "from resumec.loader import load_resume\n"
            "from resumec.render import document_for\nfrom resumec.themes import load_theme\n"
            "r, t = load_resume(Path(sys.argv[1])), load_theme()\n"
            "job = backends.RenderJob(r, document_for(r, t), t, 'a4', Path(sys.argv[1]).parent)\n"
            "assert b'<strong>' in backends.get('html').render(job)\n"
            "assert backends.get('docx').render(job)\n"
            "print('markdown_it' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code, str(DEMO)], capture_output=True,
                          text=True, timeout=120, check=False)
    assert done.stdout.strip() == "False", done.stderr
