"""Load WeasyPrint's native libraries without probing for names that cannot exist.

WeasyPrint's import asks cffi for each library under several names — Windows DLL
names ("libpango-1.0-0"), macOS names, then the Linux one — and cffi calls
:func:`ctypes.util.find_library` for each, which on Linux runs ``gcc`` and ``ld``
subprocesses per name: about a third of a second per cold start. This module answers
the same question from the dynamic linker's cache, read once with ``ldconfig -p``,
and only while WeasyPrint is being imported. Names the cache lacks fall back to the
standard lookup, so nothing that loads today stops loading.
"""

from __future__ import annotations

import ctypes.util
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache

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
    """Within this block, :func:`ctypes.util.find_library` reads the linker cache."""
    original = ctypes.util.find_library
    ctypes.util.find_library = fast_find_library(original)  # type: ignore[assignment]
    try:
        yield
    finally:
        ctypes.util.find_library = original
