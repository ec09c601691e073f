"""The linker-cache lookup gives WeasyPrint the same libraries as ctypes would, faster."""

from __future__ import annotations

import ctypes.util
import sys

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
