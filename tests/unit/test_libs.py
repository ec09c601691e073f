"""The linker-cache lookup gives WeasyPrint the same libraries as ctypes would, faster."""

from __future__ import annotations

import ctypes.util
import sys
from typing import Any

import pytest

from resumec.backends.libs import _linker_cache, fast_find_library, quick_library_lookup

NAMES = ["libgobject-2.0-0", "gobject-2.0-0", "gobject-2.0", "libpango-1.0-0", "pango-1.0",
         "harfbuzz", "harfbuzz-subset", "harfbuzz-vector", "libharfbuzz-vector.so.0",
         "libharfbuzz-vector-0.dll", "fontconfig", "fontconfig-1", "pangoft2-1.0", "c", "m",
         "z", "no-such-library-at-all"]


@pytest.mark.skipif(not sys.platform.startswith("linux") or _linker_cache() is None,
                    reason="needs Linux with ldconfig")
@pytest.mark.parametrize("name", NAMES)
def test_same_answer_as_ctypes(name: str) -> None:
    assert fast_find_library(ctypes.util.find_library)(name) == ctypes.util.find_library(name)


def test_the_standard_lookup_is_restored_afterwards() -> None:
    original = ctypes.util.find_library
    with quick_library_lookup():
        assert ctypes.util.find_library is not original
    assert ctypes.util.find_library is original


_DEFERRED_PROBE = """
import sys
from resumec.backends.libs import quick_library_lookup
with quick_library_lookup():
    import weasyprint
    import weasyprint.pdf.fonts as pdf_fonts
loaded = lambda: sorted(m for m in ("fontTools.subset", "fontTools.varLib.instancer")
                        if m in sys.modules)
print("after import:", loaded())
from resumec.themes import load_theme
from resumec.backends.pdf import render_pdf
from resumec.backends import RenderJob
from resumec.loader import load_resume
from resumec.render import document_for
from pathlib import Path
resume = load_resume(Path(sys.argv[1]))
theme = load_theme("classic")
render_pdf(RenderJob(resume, document_for(resume, theme), theme, "a4", Path("."), print))
print("after a render:", loaded())
from fontTools import subset
from fontTools.ttLib import TTFont
assert pdf_fonts.subset.Options is subset.Options
face = next(f.path for f in theme.fonts if f.weight.strip().count(" ") == 1)
static = pdf_fonts.instantiateVariableFont(TTFont(str(face)), {"wght": 600}, static=True)
print("instanced:", "fvar" not in static)
"""


def test_font_tools_is_imported_only_when_used() -> None:
    """WeasyPrint's subsetter and instancer imports wait for a first use, which works."""
    import subprocess

    from tests.conftest import DEMO

    out = subprocess.run([sys.executable, "-c", _DEFERRED_PROBE, str(DEMO)],
                         capture_output=True, text=True, check=True).stdout
    assert "after import: []" in out
    assert "after a render: []" in out  # HarfBuzz subsets; the fonts are cut already
    assert "instanced: True" in out


TYPE_NAMES = ["PangoFcFontMap *", "FcChar8 **", "char[]", "PangoRectangle *", "PangoLogAttr[]",
              "unsigned int *", "hb_tag_t[100]", "char[4]", "hb_codepoint_t[62]", "FcResult *",
              "int", "double *", "gboolean *", "const char *", "struct _PangoFcFontMap *",
              "unsigned *", "hb_codepoint_t [ 5 ]", "PangoGlyphString *", "GObject **",
              "void *", "long long[3]", "hb_font_t *", "PangoFontDescription *"]


def test_quick_type_names_are_what_cffi_parses() -> None:
    """The quick parser gives cffi's own type objects for every name WeasyPrint uses."""
    from resumec.backends.libs import quick_type_parser

    with quick_library_lookup():
        from weasyprint.text.ffi import ffi
    slow = type(ffi._parser).parse_type_and_quals.__get__(ffi._parser)
    quick_type_parser(ffi)  # done already on import: doing it again changes nothing
    assert ffi._parser.parse_type_and_quals.__name__ == "parse_type_and_quals"
    assert ffi._parser.__dict__.get("parse_type_and_quals") is not None

    def outcome(parse: Any, name: str) -> object:
        try:
            return parse(name)
        except Exception as exc:  # e.g. a name WeasyPrint never declared
            return type(exc), str(exc)

    for name in TYPE_NAMES:
        assert outcome(ffi._parser.parse_type_and_quals, name) == outcome(slow, name), name
