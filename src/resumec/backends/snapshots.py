"""Snapshots of what a library computes at import, for the user's cache.

Takes an object graph (a parser's state, a parsed stylesheet) and gives bytes, and
back; plus a stamp of the code that computed it, for the cache key. Written with
pickle; read back by an unpickler that builds only the classes the caller allows, so
an entry can hold data and nothing that runs. Reading fails loudly (any exception):
callers then compute the value as if there were no cache.
"""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

Allow = Callable[[str, str], Any]
"""``(module, name)`` → the class (or function) a snapshot may use, or None to refuse."""


def code_stamp(prefixes: Iterable[str]) -> str | None:
    """The :func:`file_stamp` of every loaded module named under ``prefixes``.

    A snapshot's key holds this: an upgraded or edited module is a different key.
    None if a file cannot be read (a snapshot would then be of unknown code).
    """
    heads = tuple(prefixes)
    parts = []
    for name, module in sorted(sys.modules.items()):
        if not any(name == h or name.startswith(h + ".") for h in heads):
            continue
        file = vars(module).get("__file__") if module is not None else None
        if not isinstance(file, str):
            continue  # a namespace package or a stand-in: no code of its own
        stamp = file_stamp([file])
        if stamp is None:
            return None
        parts.append(f"{name}={stamp}")
    return "\n".join(parts)


def file_stamp(files: Iterable[str | Path]) -> str | None:
    """Path, size, times and inode of each of ``files``; None if one cannot be read.

    A file replaced or rewritten changes its stamp (a new inode or change time even if
    an installer keeps the modification time).
    """
    parts = []
    try:
        for f in files:
            st = os.stat(f)
            parts.append(f"{f}:{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}:{st.st_ino}")
    except OSError:
        return None
    return "\n".join(parts)


def dump(value: Any, *, shared: Callable[[Any], Any] | None = None,
         reduce: Callable[[Any], Any] | None = None) -> bytes | None:
    """``value`` as bytes, or None if it holds something that cannot be written.

    ``shared(obj)`` names an object that must be read back as the reader's own (not a
    copy), or gives None; ``reduce(obj)`` gives pickle's ``(rebuild, args)`` for an
    object pickle cannot write itself, or ``NotImplemented``.
    """
    import pickle

    class Writer(pickle.Pickler):
        def persistent_id(self, obj: Any) -> Any:
            return None if shared is None else shared(obj)

        def reducer_override(self, obj: Any) -> Any:
            return NotImplemented if reduce is None else reduce(obj)

    out = io.BytesIO()
    try:
        Writer(out, protocol=pickle.HIGHEST_PROTOCOL).dump(value)
    except Exception:  # e.g. a function or a lock in the graph: no snapshot
        return None
    return out.getvalue()


def load(data: bytes, allow: Allow, shared: Callable[[Any], Any] | None = None) -> Any:
    """The value :func:`dump` wrote; raises on anything else.

    ``allow`` vets every class or function the data names; ``shared`` gives back
    the object a :func:`dump` ``shared`` name stands for.
    """
    import pickle

    class Reader(pickle.Unpickler):
        def find_class(self, module: str, name: str) -> Any:
            found = allow(module, name)
            if found is None:
                raise pickle.UnpicklingError(f"not allowed in a snapshot: {module}.{name}")
            return found

        def persistent_load(self, pid: Any) -> Any:
            if shared is None:
                raise pickle.UnpicklingError("no shared objects expected")
            return shared(pid)

    return Reader(io.BytesIO(data)).load()
