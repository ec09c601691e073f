"""The linker-cache lookup gives WeasyPrint the same libraries as ctypes would, faster."""

from __future__ import annotations

import ctypes.util
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from resumec import cache
from resumec.backends import libs
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


def _scan(known: frozenset[str], name: str) -> list[str]:
    """The sonames a scan of the whole linker cache finds for ``name``, best first."""
    pattern = re.compile(rf"^lib{re.escape(name)}\.so(\.[\d.]+)?$")
    return sorted((n for n in known if pattern.match(n)), key=lambda n: (n.endswith(".so"), len(n)))


@pytest.mark.skipif(not sys.platform.startswith("linux") or _linker_cache() is None,
                    reason="needs Linux with ldconfig")
def test_every_library_is_found_as_a_scan_of_the_linker_cache_finds_it(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LD_LIBRARY_PATH", raising=False)
    monkeypatch.delenv("LIBRARY_PATH", raising=False)
    known = _linker_cache()
    assert known is not None
    bases = {m[1] for n in known if (m := re.match(r"^lib(.+)\.so", n))}
    names = {*NAMES, *bases, *(b[:-2] for b in bases), *(f"{b}.so" for b in bases),
             *(f"{b}-0" for b in bases)}

    def unused(name: str) -> str | None:
        raise AssertionError(f"asked the standard lookup for {name}")

    find = fast_find_library(unused)
    for name in sorted(names):
        hits = _scan(known, name)
        best = [h for h in hits if (h.endswith(".so"), len(h)) == (hits[0].endswith(".so"),
                                                                    len(hits[0]))]
        assert (find(name) in best) if hits else find(name) is None, name


@pytest.fixture
def fresh_linker_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("RESUMEC_CACHE_DIR", str(tmp_path / "cache"))
    cache.folder.cache_clear()
    libs._linker_cache.cache_clear()
    libs._sonames.cache_clear()
    yield tmp_path
    cache.folder.cache_clear()
    libs._linker_cache.cache_clear()
    libs._sonames.cache_clear()


@pytest.mark.skipif(not sys.platform.startswith("linux") or _linker_cache() is None,
                    reason="needs Linux with ldconfig")
def test_the_linker_listing_is_kept_until_the_linker_cache_changes(
        fresh_linker_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    linker_cache = fresh_linker_cache / "ld.so.cache"
    linker_cache.write_bytes(b"one")
    monkeypatch.setattr(libs, "LD_CACHE", linker_cache)
    runs: list[object] = []
    real_run = subprocess.run

    def run(*args: Any, **kwargs: Any) -> Any:
        runs.append(args[0])
        return real_run(*args, **kwargs)

    monkeypatch.setattr(subprocess, "run", run)

    def listing() -> frozenset[str] | None:
        libs._linker_cache.cache_clear()
        return _linker_cache()

    first = listing()
    assert first and len(runs) == 1
    assert listing() == first and len(runs) == 1  # read from the cache
    linker_cache.write_bytes(b"two!")  # ldconfig rewrote the linker's cache
    assert listing() == first and len(runs) == 2
    linker_cache.unlink()  # no linker cache file to stamp: ldconfig every time
    assert listing() == first and listing() == first and len(runs) == 4


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
loaded = lambda: sorted(m for m in ("fontTools.subset", "fontTools.varLib.instancer",
                                    "PIL.ImageCms") if m in sys.modules)
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
import weasyprint.css
from PIL import ImageCms
profile = weasyprint.css.ImageCmsProfile(ImageCms.createProfile("sRGB"))
print("colour profile:", type(profile) is ImageCms.ImageCmsProfile,
      profile.profile.rendering_intent)
"""


def test_font_tools_is_imported_only_when_used() -> None:
    """WeasyPrint's subsetter, instancer and colour-profile imports wait for a first use,
    which works."""
    import subprocess

    from tests.conftest import DEMO

    out = subprocess.run([sys.executable, "-c", _DEFERRED_PROBE, str(DEMO)],
                         capture_output=True, text=True, check=True).stdout
    assert "after import: []" in out
    assert "after a render: []" in out  # HarfBuzz subsets; the fonts are cut already
    assert "instanced: True" in out
    assert "colour profile: True 0" in out


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


def test_html_parsing_reuses_its_expressions_and_parses_the_same() -> None:
    import xml.etree.ElementTree as ET

    import tinyhtml5
    import tinyhtml5.inputstream as stream

    from resumec.backends.libs import CharactersUntilRegex

    pages = [p.read_text(encoding="utf-8") for p in sorted(
        (Path(__file__).parent.parent / "pdf" / "golden").glob("*.html"))]
    pages.append("<p title='a&amp;b' class=x>R&D &lt; <b>bold</b> &#65; \x00 <!-- c --></p>")
    assert len(pages) > 4
    saved = stream.characters_until_regex
    try:
        stream.characters_until_regex = {}  # as tinyhtml5 ships it
        plain = [ET.tostring(tinyhtml5.parse(p)) for p in pages]
        cache = stream.characters_until_regex = CharactersUntilRegex()
        assert [ET.tostring(tinyhtml5.parse(p)) for p in pages] == plain
        made = dict(cache)
        for p in pages:
            tinyhtml5.parse(p)
        assert cache == made  # nothing made twice: every expression was found again
        assert all(isinstance(k[0], (str, tuple, frozenset)) for k in cache)
    finally:
        stream.characters_until_regex = saved


def test_weasyprint_import_installs_the_expression_cache() -> None:
    import tinyhtml5.inputstream as stream

    from resumec.backends.libs import CharactersUntilRegex, quick_library_lookup

    with quick_library_lookup():
        import weasyprint  # noqa: F401
    assert isinstance(stream.characters_until_regex, CharactersUntilRegex)


def test_pdf_streams_are_deflated_at_zlibs_default_level(tmp_path: Path) -> None:
    import zlib

    import pydyf

    from resumec.backends.libs import DefaultLevelZlib, quick_library_lookup

    with quick_library_lookup():
        import weasyprint  # noqa: F401
    assert isinstance(pydyf.zlib, DefaultLevelZlib)  # off if pydyf stops using zlib so
    data = b"BT /F1 9 Tf 72 720 Td (Staff Software Engineer) Tj ET\n" * 400
    stream = pydyf.Stream([data], compress=True).data
    deflated = stream[stream.index(b"stream\n") + 7:stream.rindex(b"\nendstream")]
    assert zlib.decompress(deflated) == data
    assert deflated == zlib.compress(data, zlib.Z_DEFAULT_COMPRESSION)
    assert deflated != zlib.compress(data, 9)
