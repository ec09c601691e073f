"""Import WeasyPrint without the parts of its start-up that a résumé never uses.

Native libraries: WeasyPrint's import asks cffi for each library under several names —
Windows DLL names ("libpango-1.0-0"), macOS names, then the Linux one — and cffi calls
:func:`ctypes.util.find_library` for each, which on Linux runs ``gcc`` and ``ld``
subprocesses per name: about a third of a second per cold start. This module answers
the same question from the dynamic linker's cache, read once with ``ldconfig -p``,
and only while WeasyPrint is being imported. Names the cache lacks fall back to the
standard lookup, so nothing that loads today stops loading.

fontTools: WeasyPrint imports fontTools' subsetter and variable-font instancer up
front (~0.1 s), but calls them only without HarfBuzz's subsetter or for a variable
font — resumec cuts its fonts to static faces itself. Both are loaded on first use
instead: the same code runs, later or never.

C type names: every distinct ``ffi.new("PangoRectangle *")``-style type that WeasyPrint
uses costs cffi a full C parse of all of WeasyPrint's declarations (~3 ms each, ~20 of
them per PDF). :func:`quick_type_parser` answers the plain ones — a declared name or a
primitive, pointers, one array dimension — straight from cffi's own tables, and
hands everything else to cffi's parser.
"""

from __future__ import annotations

import ctypes.util
import importlib
import os
import re
import shutil
import subprocess
import sys
import types
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache
from typing import Any

_ENTRY = re.compile(r"^\s*(lib\S+?\.so(?:\.[\d.]+)?)\s+\(")


@cache
def _linker_cache() -> frozenset[str] | None:
    """Sonames the dynamic linker knows (``libpango-1.0.so.0`` …), or None if unknown."""
    ldconfig = shutil.which("ldconfig") or next(
        (p for p in ("/sbin/ldconfig", "/usr/sbin/ldconfig") if os.path.exists(p)), None)
    if not sys.platform.startswith("linux") or ldconfig is None:
        return None
    try:
        out = subprocess.run([ldconfig, "-p"], capture_output=True, text=True, timeout=5,
                             check=True).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    names = frozenset(m[1] for line in out.splitlines() if (m := _ENTRY.match(line)))
    return names or None


def fast_find_library(original: Callable[[str], str | None]) -> Callable[[str], str | None]:
    """Wrap ``find_library``: answer from the linker cache, else ask ``original``."""
    known = _linker_cache()
    # Libraries outside the linker's cache are only found through these; then ask as usual.
    elsewhere = any(os.environ.get(v) for v in ("LD_LIBRARY_PATH", "LIBRARY_PATH"))

    def find(name: str) -> str | None:
        if known is None or elsewhere:
            return original(name)
        pattern = re.compile(rf"^lib{re.escape(name)}\.so(\.[\d.]+)?$")
        # The versioned soname (libfontconfig.so.1), as the linker itself reports it.
        hits = sorted((n for n in known if pattern.match(n)), key=lambda n: (n.endswith(".so"),
                                                                             len(n)))
        return hits[0] if hits else None

    return find


@contextmanager
def quick_library_lookup() -> Iterator[None]:
    """Within this block, :func:`ctypes.util.find_library` reads the linker cache, and
    fontTools' subsetter and instancer are imported only when first used."""
    original = ctypes.util.find_library
    ctypes.util.find_library = fast_find_library(original)  # type: ignore[assignment]
    stubs = [_stand_in(name, names) for name, names in DEFERRED.items()
             if name not in sys.modules]
    try:
        yield
    finally:
        ctypes.util.find_library = original
        for stub in stubs:  # importers from now on get the real modules
            if sys.modules.get(stub.__name__) is stub:
                del sys.modules[stub.__name__]
    weasy_ffi = getattr(sys.modules.get("weasyprint.text.ffi"), "ffi", None)
    if weasy_ffi is not None:
        quick_type_parser(weasy_ffi)


DEFERRED = {"fontTools.subset": (), "fontTools.varLib.instancer": ("instantiateVariableFont",)}
"""Modules WeasyPrint imports up front but rarely calls, with the names it imports
from them (which must exist when it imports; everything else is looked up later)."""


def _stand_in(name: str, functions: tuple[str, ...]) -> types.ModuleType:
    """Put a module in ``sys.modules`` that imports the real ``name`` on first use."""
    stub = types.ModuleType(name, f"Stands in for {name} until it is first used.")

    def real() -> types.ModuleType:
        if sys.modules.get(name) is stub:
            del sys.modules[name]
        return importlib.import_module(name)

    def attribute(attr: str) -> Any:
        if attr.startswith("__"):
            raise AttributeError(attr)
        return getattr(real(), attr)

    def deferred(function: str) -> Callable[..., Any]:
        def call(*args: Any, **kwargs: Any) -> Any:
            return getattr(real(), function)(*args, **kwargs)

        call.__name__ = call.__qualname__ = function
        return call

    stub.__getattr__ = attribute  # type: ignore[method-assign]
    for function in functions:
        setattr(stub, function, deferred(function))
    sys.modules[name] = stub
    return stub


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
