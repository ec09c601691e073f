"""Import WeasyPrint without the parts of its start-up that a résumé never uses.

Native libraries: WeasyPrint's import asks cffi for each library under several names —
Windows DLL names ("libpango-1.0-0"), macOS names, then the Linux one — and cffi calls
:func:`ctypes.util.find_library` for each, which on Linux runs ``gcc`` and ``ld``
subprocesses per name: about a third of a second per cold start. This module answers
the same question from the dynamic linker's cache, as ``ldconfig -p`` lists it (the
list is kept in the user's cache until the linker's cache file changes), and only
while WeasyPrint is being imported. With ``LD_LIBRARY_PATH`` or ``LIBRARY_PATH`` set,
or no linker cache, every name goes to the standard lookup as before.

fontTools: WeasyPrint imports fontTools' subsetter and variable-font instancer up
front (~0.1 s), but calls them only without HarfBuzz's subsetter or for a variable
font — resumec cuts its fonts to static faces itself. Both are loaded on first use
instead: the same code runs, later or never. So is Pillow's colour management, which
only a ``@color-profile`` rule needs.

Memory: :mod:`.leaks` stops a C leak on every line of text with OpenType features, which
a long ``resumec watch`` paid on every save.

Layout: :mod:`.speedups` answers the commonest case of five of WeasyPrint's hottest
functions (computed styles, logical properties, percentages, font descriptions and font
cache keys) without its general path, and remembers lines of text once broken: about a
quarter of a warm render.

C declarations: WeasyPrint hands cffi 20 kB of C declarations, which cffi parses with
pycparser on every start (~35 ms, and ~40 ms to import pycparser). :mod:`.cdefs` keeps
the parse's result in the user's cache; pycparser is put off until something parses C
(a stand-in module takes its place during the import and loads it when first touched).

Stylesheets: ``weasyprint.html`` parses its user-agent stylesheet (~50 ms) and two that
resumec never uses (forms, presentational hints) as it is imported. :mod:`.uasheets`
reads the first from the user's cache and parses the other two on first use.

HTML parsing: tinyhtml5 2.1 never finds the regular expressions it caches, and builds
one again for nearly every token: :class:`CharactersUntilRegex` gives its cache the keys
it asks for (half of the time WeasyPrint spends parsing a résumé's HTML).

C type names: every distinct ``ffi.new("PangoRectangle *")``-style type that WeasyPrint
uses costs cffi a full C parse of all of WeasyPrint's declarations (~3 ms each, ~20 of
them per PDF). :func:`quick_type_parser` answers the plain ones — a declared name or a
primitive, pointers, one array dimension — straight from cffi's own tables, and
hands everything else to cffi's parser.

Compression: pydyf deflates every stream of the PDF at zlib's level 9. On a résumé's
content and font streams that is 2.7 times the time of zlib's default level 6 (~9 ms of
every PDF written) for a file 2 % smaller. :class:`DefaultLevelZlib` deflates at 6.
"""

from __future__ import annotations

import ctypes.util
import os
import re
import shutil
import subprocess
import sys
import types
import zlib
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, ExitStack, contextmanager
from functools import cache
from pathlib import Path
from typing import Any

from resumec import cache as user_cache
from resumec.backends import cdefs, leaks, snapshots, speedups, uasheets
from resumec.lazy import stand_in

_ENTRY = re.compile(r"^\s*(lib\S+?\.so(?:\.[\d.]+)?)\s+\(")
_SONAME = re.compile(r"^lib(.+)\.so(?:\.[\d.]+)?$")
"""A soname's parts: ``libpango-1.0.so.0`` is the library ``pango-1.0``."""
LD_CACHE = Path("/etc/ld.so.cache")
"""The dynamic linker's cache: what ``ldconfig -p`` lists."""


@cache
def _linker_cache() -> frozenset[str] | None:
    """Sonames the dynamic linker knows (``libpango-1.0.so.0`` …), or None if unknown.

    ``ldconfig -p`` lists them (~5 ms); its list is kept in the user's cache under the
    size, time and inode of both ``ldconfig`` and the linker's cache file, which
    ``ldconfig`` replaces whenever libraries change.
    """
    ldconfig = shutil.which("ldconfig") or next(
        (p for p in ("/sbin/ldconfig", "/usr/sbin/ldconfig") if os.path.exists(p)), None)
    if not sys.platform.startswith("linux") or ldconfig is None:
        return None
    stamp = snapshots.file_stamp([Path(ldconfig), LD_CACHE])
    entry = None if stamp is None else user_cache.key("ldconfig-p", stamp)
    listed = None if entry is None else user_cache.get("ldconfig", entry)
    if listed is not None:
        return frozenset(listed.decode("utf-8", "surrogateescape").split("\n")) or None
    try:
        out = subprocess.run([ldconfig, "-p"], capture_output=True, text=True, timeout=5,
                             check=True).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    names = frozenset(m[1] for line in out.splitlines() if (m := _ENTRY.match(line)))
    if names and entry is not None:
        user_cache.put("ldconfig", entry,
                       "\n".join(sorted(names)).encode("utf-8", "surrogateescape"))
    return names or None


@cache
def _sonames() -> dict[str, str] | None:
    """Library name → the soname the linker cache has for it (``pango-1.0`` →
    ``libpango-1.0.so.0``), or None if the linker cache is unknown.

    A versioned soname wins over a bare ``.so`` (a development link), then the
    shortest, as the linker itself reports it.
    """
    known = _linker_cache()
    if known is None:
        return None
    found: dict[str, str] = {}
    for soname in sorted(known, key=lambda n: (n.endswith(".so"), len(n), n), reverse=True):
        # Only one ".so" can end a soname: the version after it has digits and dots only.
        m = _SONAME.match(soname)
        if m:
            found[m[1]] = soname  # sorted best last: the best is kept
    return found


def fast_find_library(original: Callable[[str], str | None]) -> Callable[[str], str | None]:
    """Wrap ``find_library``: answer from the linker cache, else ask ``original``."""
    # Libraries outside the linker's cache are only found through these; then ask as usual.
    elsewhere = any(os.environ.get(v) for v in ("LD_LIBRARY_PATH", "LIBRARY_PATH"))
    sonames = None if elsewhere else _sonames()

    def find(name: str) -> str | None:
        return original(name) if sonames is None else sonames.get(name)

    return find


@contextmanager
def quick_library_lookup() -> Iterator[None]:
    """Within this block, :func:`ctypes.util.find_library` reads the linker cache,
    fontTools' subsetter and instancer are imported only when first used, cffi's C
    declarations come from the cache (and pycparser waits for a first use), and
    ``weasyprint.html`` leaves the stylesheets resumec never uses unparsed. After it,
    cffi answers plain type names itself and tinyhtml5 finds its cached expressions."""
    original = ctypes.util.find_library
    ctypes.util.find_library = fast_find_library(original)  # type: ignore[assignment]
    stubs = [stand_in(name, names) for name, names in DEFERRED.items()
             if name not in sys.modules]
    with ExitStack() as undo:
        hooks = _ImportHooks()
        if "cffi.cparser" in sys.modules:
            _cache_declarations(sys.modules["cffi.cparser"], undo)
        else:
            if cdefs.cache_on() and "pycparser" not in sys.modules:
                # Read from cache, the declarations need no C parser: load it if asked.
                stubs.append(stand_in("pycparser", (), holders=("cffi.cparser",)))
            hooks.after("cffi.cparser", lambda module: _cache_declarations(module, undo))
        if uasheets.MODULE not in sys.modules:
            hooks.around(uasheets.MODULE, uasheets.building)
        sys.meta_path.insert(0, hooks)
        try:
            yield
        finally:
            sys.meta_path.remove(hooks)
            ctypes.util.find_library = original
            for stub in stubs:  # importers from now on get the real modules
                if sys.modules.get(stub.__name__) is stub:
                    del sys.modules[stub.__name__]
    weasy_ffi = getattr(sys.modules.get("weasyprint.text.ffi"), "ffi", None)
    if weasy_ffi is not None:
        quick_type_parser(weasy_ffi)
    html_input = sys.modules.get("tinyhtml5.inputstream")
    if html_input is not None and type(getattr(html_input, "characters_until_regex", None)
                                       ) is dict:
        html_input.characters_until_regex = CharactersUntilRegex()  # type: ignore[attr-defined]
    pydyf = sys.modules.get("pydyf")
    if pydyf is not None and getattr(pydyf, "zlib", None) is zlib:
        pydyf.zlib = DefaultLevelZlib()  # type: ignore[attr-defined]
    leaks.plug(sys.modules.get("weasyprint.text.line_break"))
    if "weasyprint.layout.percent" in sys.modules:
        speedups.apply()


class DefaultLevelZlib:
    """:mod:`zlib` for pydyf, whose streams ask for level 9: they get zlib's default, 6.

    Level 9 searches harder for matches; on a résumé's PDF streams (page contents, cut
    fonts: 60 kB deflated) it took 14.5 ms against 5.3 ms for 1.8 % less output. Any
    other name is zlib's own.
    """

    def compressobj(self, level: int = zlib.Z_DEFAULT_COMPRESSION, *args: Any,
                    **kwargs: Any) -> Any:
        """A compressor at zlib's default level, whatever level is asked for."""
        return zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, *args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(zlib, name)


class CharactersUntilRegex(dict[tuple[Any, bool], "re.Pattern[str]"]):
    """The regular expressions of tinyhtml5's ``chars_until``, made once per character set.

    tinyhtml5 2.1 files each one under the wrong key (``x = cache[k(x)] = value`` binds
    ``x`` first), so it never finds one and builds every expression again: half of the
    time WeasyPrint spends parsing a résumé's HTML (~11 ms). A miss here makes the very
    expression tinyhtml5 would, and keeps it.
    """

    def __missing__(self, key: tuple[Any, bool]) -> re.Pattern[str]:
        characters, opposite = key
        chars = "".join(f"\\x{ord(c):02x}" for c in characters)
        regex = self[key] = re.compile(f"[{'' if opposite else '^'}{chars}]+")
        return regex


def _cache_declarations(cparser: types.ModuleType, undo: ExitStack) -> None:
    """Let cffi's parser read known declarations from cache until ``undo`` closes."""
    restore = cdefs.patch_parser(cparser)
    if restore is not None:
        undo.callback(restore)


DEFERRED = {"fontTools.subset": (), "fontTools.varLib.instancer": ("instantiateVariableFont",),
            "PIL.ImageCms": ("ImageCmsProfile",)}
"""Modules WeasyPrint imports up front but rarely calls, with the names it imports
from them (which must exist when it imports, and which it only calls; everything else
is looked up later). Pillow's colour management (~4 ms with its lcms2 library) serves
only ``@color-profile`` rules."""


Around = Callable[[types.ModuleType], AbstractContextManager[None]]


class _ImportHooks:
    """A ``sys.meta_path`` finder that runs code around the first import of some modules.

    It finds nothing itself: it asks the finders after it, and wraps the loader of the
    modules it hooks so that each runs inside its context manager.
    """

    def __init__(self) -> None:
        self.hooks: dict[str, Around] = {}

    def around(self, name: str, hook: Around) -> None:
        """Execute module ``name`` inside ``hook(module)``."""
        self.hooks[name] = hook

    def after(self, name: str, hook: Callable[[types.ModuleType], None]) -> None:
        """Call ``hook(module)`` once module ``name`` has executed without error."""

        @contextmanager
        def then(module: types.ModuleType) -> Iterator[None]:
            yield
            hook(module)

        self.hooks[name] = then

    def find_spec(self, fullname: str, path: Any, target: Any = None) -> Any:
        hook = self.hooks.pop(fullname, None)
        if hook is None:
            return None
        for finder in sys.meta_path:
            find = getattr(finder, "find_spec", None)
            spec = None if finder is self or find is None else find(fullname, path, target)
            if spec is not None:
                break
        else:
            return None
        if spec.loader is not None and hasattr(spec.loader, "exec_module"):
            spec.loader = _HookedLoader(spec.loader, hook)
        return spec


class _HookedLoader:
    """A module's own loader, whose execution of the module runs inside a hook."""

    def __init__(self, loader: Any, hook: Around) -> None:
        self.loader = loader
        self.hook = hook

    def create_module(self, spec: Any) -> Any:
        create = getattr(self.loader, "create_module", None)
        return None if create is None else create(spec)

    def exec_module(self, module: types.ModuleType) -> None:
        # The module sees its own loader, as if never hooked (resources, source lookups).
        module.__loader__ = self.loader
        if module.__spec__ is not None:
            module.__spec__.loader = self.loader
        with self.hook(module):
            self.loader.exec_module(module)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.loader, name)


_SIMPLE_TYPE = re.compile(
    r"^\s*([A-Za-z_]\w*(?: [A-Za-z_]\w*)*)\s*(\**)\s*(?:\[\s*(\d*)\s*\])?\s*$")


def quick_type_parser(ffi: Any) -> None:
    """Let ``ffi`` parse plain type names without running its C parser.

    Gives the very objects cffi's parser would: a ``typedef`` already declared, or a
    primitive, then :class:`PointerType` per ``*`` and :class:`ArrayType` for ``[N]``.
    Qualifiers, structs, function types and anything else go to cffi as before.
    """
    from cffi import model
    from cffi.commontypes import resolve_common_type

    parser = ffi._parser
    if getattr(parser, "_resumec_quick", False):
        return
    parser._resumec_quick = True
    slow = parser.parse_type_and_quals

    def parse_type_and_quals(cdecl: str) -> tuple[Any, int]:
        m = _SIMPLE_TYPE.match(cdecl)
        if m is None or m[1] in ("const", "volatile", "struct", "union", "enum", "void") or (
                " " in m[1] and m[1] not in model.PrimitiveType.ALL_PRIMITIVE_TYPES):
            return slow(cdecl)  # type: ignore[no-any-return]
        name, stars, length = m[1], m[2], m[3]
        declared = parser._declarations.get(f"typedef {name}")
        if declared is not None:
            tp, quals = declared
        elif name in model.PrimitiveType.ALL_PRIMITIVE_TYPES:
            tp, quals = resolve_common_type(parser, name)
        else:
            return slow(cdecl)  # type: ignore[no-any-return]
        if isinstance(tp, model.RawFunctionType):
            return slow(cdecl)  # type: ignore[no-any-return]  # pointers become other types
        for _ in stars:
            tp, quals = model.PointerType(tp, quals), 0
        if m[0].rstrip().endswith("]"):
            tp = model.ArrayType(tp, int(length) if length else None)
        return tp, quals

    parser.parse_type_and_quals = parse_type_and_quals
