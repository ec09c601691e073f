"""What WeasyPrint's import computes, read from the user's cache, is what it computes.

cffi's parse of WeasyPrint's C declarations and WeasyPrint's user-agent stylesheet are
stored by a first run and read back later: the objects read back must be the objects a
parse builds (compared field by field, and shared objects by identity); a damaged or
foreign entry must be parsed over; the forms and presentational-hints stylesheets,
parsed on first use, must equal the ones WeasyPrint parses on import; and a PDF must
read the same with the cache as without it.
"""

from __future__ import annotations

import io
import json
import os
import pickle
import subprocess
import sys
import types
from pathlib import Path
from typing import Any

import pytest

from resumec import cache
from resumec.backends import cdefs, snapshots, uasheets
from resumec.backends.libs import quick_library_lookup
from tests.conftest import DEMO


@pytest.fixture(scope="module")
def weasy() -> types.ModuleType:
    with quick_library_lookup():
        import weasyprint
    return weasyprint


def same(a: Any, b: Any, shared: set[int], pairs: dict[int, Any] | None = None) -> bool:
    """Whether ``a`` and ``b`` are alike: same classes and fields all the way down, the
    same sharing between their parts, and the very same objects where ``a`` holds one
    of ``shared`` (the ids of objects a library shares between parses)."""
    pairs = {} if pairs is None else pairs
    if id(a) in pairs:
        return pairs[id(a)] is b
    if type(a) is not type(b):
        return False
    if a is None or isinstance(a, str | int | float | bytes | bool):
        return bool(a == b)
    pairs[id(a)] = b
    if id(a) in shared:
        return a is b
    if isinstance(a, list | tuple):
        return len(a) == len(b) and all(
            same(x, y, shared, pairs) for x, y in zip(a, b, strict=True))
    if isinstance(a, set | frozenset):
        return bool(a == b)
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k], shared, pairs) for k in a)
    if isinstance(a, types.FunctionType):
        return a.__code__ == b.__code__ and a.__globals__.keys() == b.__globals__.keys() and all(
            a.__globals__[k] is b.__globals__[k] for k in a.__globals__ if k != "__builtins__")
    slots = [s for c in type(a).__mro__ for s in getattr(c, "__slots__", ())]
    if slots:
        missing = object()
        return all(same(getattr(a, s, missing), getattr(b, s, missing), shared, pairs)
                   for s in slots if s not in ("__weakref__", "__dict__")) and same(
            getattr(a, "__dict__", None), getattr(b, "__dict__", None), shared, pairs)
    return same(vars(a), vars(b), shared, pairs)


# --- cffi's declarations ------------------------------------------------------------------


def _weasy_cdef(weasy: types.ModuleType) -> str:
    from weasyprint.text.ffi import ffi

    source: str = ffi._cdefsources[0]
    assert "pango_layout_new" in source
    return source


def _cffi_shared() -> set[int]:
    from cffi import commontypes, model

    return {id(tp) for tp, _ in commontypes._CACHE.values()} | {
        id(v) for v in vars(model).values() if isinstance(v, model.BaseTypeByIdentity)}


def _parsed(source: str) -> Any:
    from cffi import cparser

    parser = cparser.Parser()
    parser.parse(source)
    return parser


def _through_cache(source: str) -> Any:
    from cffi import cparser

    parser = cparser.Parser()
    cdefs.cached_parse(type(parser).parse)(parser, source)
    return parser


def test_declarations_read_back_are_what_cffi_parses(weasy: types.ModuleType,
                                                     cache_dir: Path) -> None:
    source = _weasy_cdef(weasy)
    expected = _parsed(source)
    first = _through_cache(source)  # parses and stores
    entries = list((cache_dir / cdefs.KIND).iterdir())
    assert len(entries) == 1
    second = _through_cache(source)  # reads
    shared = _cffi_shared()
    assert same(cdefs._state(first), cdefs._state(expected), shared)
    assert same(cdefs._state(second), cdefs._state(expected), shared)
    assert len(second._declarations) > 200 and second._int_constants
    # cffi's shared types come back as themselves, as a parse gives them
    tp, _ = second._declarations["typedef gboolean"]
    assert tp is expected._declarations["typedef gboolean"][0]


def test_an_ffi_from_cache_has_the_same_types(weasy: types.ModuleType, cache_dir: Path) -> None:
    from cffi import FFI, cparser

    source = _weasy_cdef(weasy)
    plain = FFI()
    plain.cdef(source)
    undo = cdefs.patch_parser(cparser)
    assert undo is not None
    try:
        assert cdefs.patch_parser(cparser) is None  # never twice
        FFI().cdef(source)
        cached = FFI()
        cached.cdef(source)
    finally:
        undo()
    assert cparser.Parser.parse.__module__ == "cffi.cparser"
    assert list(cached._parser._declarations) == list(plain._parser._declarations)
    for key in plain._parser._declarations:
        kind, _, name = key.partition(" ")
        if kind in ("typedef", "struct", "union", "enum"):
            decl = name if kind == "typedef" else key
            a, b = plain.typeof(decl), cached.typeof(decl)
            assert (a.cname, a.kind) == (b.cname, b.kind), key
            if a.kind in ("struct", "primitive", "pointer") and not a.cname.endswith("..."):
                try:
                    size = plain.sizeof(a)
                except Exception:  # an opaque struct has no size
                    continue
                assert size == cached.sizeof(b), key
    assert cached._parser._int_constants == plain._parser._int_constants
    assert cached._cdefsources == [source]


def _entry(cache_dir: Path, kind: str) -> Path:
    (entry,) = (cache_dir / kind).iterdir()
    return entry


@pytest.mark.parametrize("damage", ["garbage", "truncated", "foreign", "not-a-cffi-type"])
def test_a_damaged_declarations_entry_is_parsed_over(weasy: types.ModuleType, cache_dir: Path,
                                                     damage: str) -> None:
    source = _weasy_cdef(weasy)
    _through_cache(source)
    entry = _entry(cache_dir, cdefs.KIND)
    good = cache.unseal(entry.read_bytes())
    assert good is not None
    bad = {"garbage": b"\x80\x05not a pickle",
           "truncated": good[: len(good) // 2],
           "foreign": pickle.dumps((cdefs.FORMAT, "another entry", {})),
           "not-a-cffi-type": pickle.dumps((cdefs.FORMAT, entry.name, {"x": os.getcwd}))}[damage]
    entry.write_bytes(cache.seal(bad))  # past the seal: the reader itself must refuse it
    parser = _through_cache(source)
    assert same(cdefs._state(parser), cdefs._state(_parsed(source)), _cffi_shared())
    assert entry.read_bytes() != bad  # parsed, and stored again


def test_only_a_new_parser_takes_declarations_from_cache(weasy: types.ModuleType,
                                                         cache_dir: Path) -> None:
    from cffi import cparser

    source = _weasy_cdef(weasy)
    _through_cache(source)
    parser = cparser.Parser()
    parser.parse("typedef int my_own_t;")
    cdefs.cached_parse(cparser.Parser.parse)(parser, source)
    assert "typedef my_own_t" in parser._declarations
    assert "function pango_layout_new" in parser._declarations


def test_no_cache_means_a_plain_parse(weasy: types.ModuleType, monkeypatch: pytest.MonkeyPatch,
                                      tmp_path: Path) -> None:
    monkeypatch.setenv("RESUMEC_CACHE_DIR", "")
    cache.folder.cache_clear()
    try:
        source = _weasy_cdef(weasy)
        parser = _through_cache(source)
        assert same(cdefs._state(parser), cdefs._state(_parsed(source)), _cffi_shared())
    finally:
        cache.folder.cache_clear()


def test_the_comparison_sees_differences(weasy: types.ModuleType) -> None:
    """``same`` can fail: a changed declaration, a copied shared type, other selectors."""
    import copy

    from weasyprint import CSS

    source = _weasy_cdef(weasy)
    shared = _cffi_shared()
    parsed = cdefs._state(_parsed(source))
    assert same(parsed, cdefs._state(_parsed(source)), shared)
    changed = source.replace("int width;", "long width;", 1)
    assert changed != source
    assert not same(parsed, cdefs._state(_parsed(changed)), shared)
    copied = copy.deepcopy(parsed)
    assert not same(parsed, copied, shared)  # equal copies of cffi's shared types
    assert same(parsed, copied, set())
    assert not same(vars(CSS(string="p { color: red }")), vars(CSS(string="a { color: red }")),
                    set())
    assert not same(vars(CSS(string="p { color: red }")), vars(CSS(string="p { color: blue }")),
                    set())


def test_snapshots_refuse_what_they_are_not_allowed() -> None:
    data = pickle.dumps(os.getcwd)
    with pytest.raises(pickle.UnpicklingError):
        snapshots.load(data, lambda module, name: None)
    assert snapshots.dump(lambda: 0) is None  # a lambda cannot be written: no snapshot


_COLD_START = """
import sys
from resumec.backends.libs import quick_library_lookup
with quick_library_lookup():
    import weasyprint
from weasyprint.text.ffi import ffi
import weasyprint.html as html
print("pycparser:", "pycparser" in sys.modules)
print("deferred:", "_resumec_arguments" in vars(html.PH_STYLESHEET),
      "_resumec_arguments" in vars(html.UA_FORM_STYLESHEET))
print("loaders:", type(html.__loader__).__name__, type(html.__spec__.loader).__name__)
print("css:", html.CSS is weasyprint.CSS, type(weasyprint.CSS).__name__,
      [n for n, m in list(sys.modules.items()) if getattr(m, "CSS", weasyprint.CSS)
       is not weasyprint.CSS and n.startswith("weasyprint")])
print("counter styles:", len(html.UA_COUNTER_STYLE))
# cffi's own parser, for a type the quick parser leaves to it: pycparser loads now
tp = ffi._parser.parse_type_and_quals("const char * const *")
import cffi.cparser
print("slow parse:", tp[0].get_c_name(), "pycparser" in sys.modules,
      cffi.cparser.pycparser is sys.modules.get("pycparser"))
"""


def _cold_start(cache_dir: Path | str) -> dict[str, str]:
    env = {**os.environ, "RESUMEC_CACHE_DIR": str(cache_dir)}
    out = subprocess.run([sys.executable, "-c", _COLD_START], capture_output=True, text=True,
                         env=env, check=True, timeout=120).stdout
    return dict(line.split(": ", 1) for line in out.splitlines())


@pytest.mark.slow
def test_a_cached_start_never_imports_pycparser(tmp_path: Path) -> None:
    first = _cold_start(tmp_path)
    assert first["pycparser"] == "True"  # nothing stored yet: cffi parsed
    warm = _cold_start(tmp_path)
    assert warm["pycparser"] == "False"
    assert warm["slow parse"] == "char const * const * True True"
    assert warm["deferred"] == "True True"
    assert warm["loaders"] == "SourceFileLoader SourceFileLoader"
    assert warm["css"] == "True type []"
    assert warm["counter styles"] == first["counter styles"] != "0"
    off = _cold_start("")  # the cache turned off: all as WeasyPrint does it
    assert off["pycparser"] == "True"
    assert off == {**warm, "pycparser": "True"}


# --- stylesheets ---------------------------------------------------------------------------


def _sheet_state(sheet: Any) -> dict[str, Any]:
    state: dict[str, Any] = vars(sheet)
    return state


def test_the_user_agent_sheet_read_back_is_what_weasyprint_parses(
        weasy: types.ModuleType, cache_dir: Path) -> None:
    from weasyprint import CSS, html
    from weasyprint.css.counters import CounterStyle

    expected_counters = CounterStyle()
    expected = CSS(string=html.UA, counter_style=expected_counters)
    for _ in range(2):  # parses and stores, then reads
        counters = CounterStyle()
        sheet = uasheets.user_agent_sheet(CSS, html.UA, counters)
        assert type(sheet) is CSS
        assert same(_sheet_state(sheet), _sheet_state(expected), set())
        assert same(dict(counters), dict(expected_counters), set())
        assert list(counters) == list(html.UA_COUNTER_STYLE)
    assert len(list((cache_dir / uasheets.KIND).iterdir())) == 1
    # and it matches elements as the parsed one does
    for element in _elements(weasy):
        assert same(list(sheet.matcher.match(element)), list(expected.matcher.match(element)),
                    set()), element.etree_element.tag


_PAGE = """<!doctype html><html lang=en><head><title>t</title><style>p{}</style></head><body>
<h1>a</h1><h2>b</h2><h3>c</h3><h4>d</h4><h5>e</h5><h6>f</h6><p dir=rtl>p <b>b</b> <i>i</i>
<a href="#x">a</a> <abbr title=x>x</abbr> <code>c</code> <sub>1</sub><sup>2</sup></p>
<ul><li>1<ol type=a start=3><li>a</ol></ul><dl><dt>t<dd>d</dl><table><thead><tr><th>h
<tbody><tr><td>d</table><details open><summary>s</summary>x</details><hr><pre>p</pre>
<blockquote>q</blockquote><img alt=x src=x.png><input type=checkbox checked><select>
<option selected>o</select><textarea>t</textarea><button>b</button><ruby>r<rt>t</ruby>
<mark>m</mark><q>q</q><del>d</del><ins>i</ins><small>s</small><address>a</address></body></html>
"""


def _elements(weasy: types.ModuleType) -> list[Any]:
    from resumec.backends import RenderJob
    from resumec.backends.htmlkit import render_html
    from resumec.loader import load_resume
    from resumec.render import document_for
    from resumec.themes import load_theme

    resume = load_resume(DEMO)
    theme = load_theme("classic")
    job = RenderJob(resume, document_for(resume, theme), theme, "a4", DEMO.parent, print)
    found = []
    for text in (_PAGE, render_html(job, "pdf", photo=None)):
        root = weasy.HTML(string=text).wrapper_element
        found += list(root.iter_subtree())
    assert len(found) > 100
    return found


@pytest.mark.parametrize("damage", ["garbage", "foreign", "code"])
def test_a_damaged_stylesheet_entry_is_parsed_over(weasy: types.ModuleType, cache_dir: Path,
                                                   damage: str) -> None:
    from weasyprint import CSS, html
    from weasyprint.css.counters import CounterStyle

    uasheets.user_agent_sheet(CSS, html.UA, CounterStyle())
    entry = _entry(cache_dir, uasheets.KIND)
    bad = {"garbage": b"\x80\x05 not a pickle",
           "foreign": pickle.dumps((uasheets.FORMAT, "another entry", {}, {})),
           "code": pickle.dumps((uasheets.FORMAT, entry.name, {"x": eval}, {}))}[damage]
    entry.write_bytes(cache.seal(bad))  # past the seal: the reader itself must refuse it
    counters = CounterStyle()
    sheet = uasheets.user_agent_sheet(CSS, html.UA, counters)
    expected_counters = CounterStyle()
    expected = CSS(string=html.UA, counter_style=expected_counters)
    assert same(_sheet_state(sheet), _sheet_state(expected), set())
    assert same(dict(counters), dict(expected_counters), set())
    assert entry.read_bytes() != bad


def test_a_sheet_not_exactly_as_expected_is_parsed_as_usual(weasy: types.ModuleType,
                                                           cache_dir: Path) -> None:
    from weasyprint import CSS, html
    from weasyprint.css.counters import CounterStyle

    counters = CounterStyle(circle={})  # already holds a style: the parse adds to it
    sheet = uasheets.user_agent_sheet(CSS, html.UA, counters)
    assert sheet.matcher and len(counters) > 1
    fetching = "@import url(\"data:text/css,p{color:red}\");\n" + html.UA
    uasheets.user_agent_sheet(CSS, fetching, CounterStyle())
    assert not (cache_dir / uasheets.KIND).exists()


def test_deferred_stylesheets_equal_the_ones_parsed_on_import(weasy: types.ModuleType) -> None:
    from weasyprint import CSS, html
    from weasyprint.css.counters import CounterStyle

    deferred = uasheets.deferred_class(CSS)
    hints = deferred(string=html.PH)
    counters = CounterStyle()
    forms = deferred(string=html.UA_FORM, counter_style=counters)
    assert isinstance(hints, CSS) and "_resumec_arguments" in vars(hints)
    expected_counters = CounterStyle()
    expected_hints = CSS(string=html.PH)
    expected_forms = CSS(string=html.UA_FORM, counter_style=expected_counters)
    assert hints.matcher is not None and forms.page_rules == []  # first use: parsed now
    assert "_resumec_arguments" not in vars(hints) and "_resumec_arguments" not in vars(forms)
    assert same(_sheet_state(hints), _sheet_state(expected_hints), set())
    assert same(_sheet_state(forms), _sheet_state(expected_forms), set())
    assert counters == expected_counters
    with pytest.raises(AttributeError):
        _ = hints.no_such_attribute
    broken = deferred(string=html.PH, no_such_argument=1)  # fails as the eager parse would
    for _ in range(2):
        with pytest.raises(TypeError):
            _ = broken.matcher


_RENDER = """
import io, json, sys
from resumec.backends.libs import quick_library_lookup
with quick_library_lookup():
    import weasyprint
page = open(sys.argv[1], encoding="utf-8").read()
out = {}
for forms, hints in ((False, False), (True, True)):
    doc = weasyprint.HTML(string=page).render(forms=forms, presentational_hints=hints)
    boxes = []
    for p in doc.pages:
        for box in p._page_box.descendants():
            boxes.append([type(box).__name__, round(box.position_x, 3), round(box.position_y, 3),
                          round(box.width or 0, 3), round(box.height or 0, 3)])
    out[f"{forms}-{hints}"] = boxes
print(json.dumps(out))
"""


@pytest.mark.slow
def test_layouts_are_the_same_with_the_cache_and_without(tmp_path: Path) -> None:
    """Every box of a page with forms and presentational hints lands where it did."""
    page = tmp_path / "page.html"
    page.write_text(_PAGE.replace("<p dir=rtl>", "<p dir=rtl align=center><font size=5>x"
                                  "</font><table border=2 cellpadding=4 width=50%><tr><td>c"
                                  "</table>"), encoding="utf-8")

    def layout(cache_dir: str) -> Any:
        env = {**os.environ, "RESUMEC_CACHE_DIR": cache_dir}
        out = subprocess.run([sys.executable, "-c", _RENDER, str(page)], capture_output=True,
                             text=True, env=env, check=True, timeout=300).stdout
        return json.loads(out)

    plain = layout("")
    layout(str(tmp_path / "cache"))  # stores
    cached = layout(str(tmp_path / "cache"))
    assert cached == plain
    assert plain["True-True"] != plain["False-False"]  # the hints and forms sheets did apply


@pytest.mark.slow
def test_a_pdf_reads_the_same_with_the_cache_and_without(tmp_path: Path) -> None:
    import pypdf

    def render(cache_dir: str, out: Path) -> tuple[int, str]:
        env = {**os.environ, "RESUMEC_CACHE_DIR": cache_dir, "PYTHONIOENCODING": "utf-8"}
        subprocess.run([sys.executable, "-m", "resumec", "render", str(DEMO), "-f", "pdf",
                        "-o", str(out)], env=env, check=True, capture_output=True, timeout=300)
        (pdf,) = out.glob("*.pdf")
        text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"],
                              capture_output=True, check=True).stdout.decode()
        return len(pypdf.PdfReader(io.BytesIO(pdf.read_bytes())).pages), text

    plain = render("", tmp_path / "plain")
    render(str(tmp_path / "cache"), tmp_path / "first")
    assert (tmp_path / "cache" / cdefs.KIND).is_dir()
    assert (tmp_path / "cache" / uasheets.KIND).is_dir()
    cached = render(str(tmp_path / "cache"), tmp_path / "cached")
    assert cached == plain
    assert plain[0] >= 1 and "Inês Carvalho" in plain[1]
