"""Output formats: one module per format, found through this registry.

Takes a format name; gives a :class:`Backend` that turns a :class:`RenderJob` into
bytes. Built-in backends are listed by module path so that naming them (for
``--format`` choices) imports nothing heavy; third-party backends register under the
``resumec.backends`` entry-point group, and a name used twice is refused.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from resumec.errors import ResumecError, did_you_mean

if TYPE_CHECKING:
    from resumec.document import Document
    from resumec.schema.model import Resume
    from resumec.themes import Theme

ENTRY_POINT_GROUP = "resumec.backends"

BUILTIN: dict[str, str] = {
    "pdf": "resumec.backends.pdf:PdfBackend",
    "docx": "resumec.backends.docx:DocxBackend",
    "html": "resumec.backends.html:HtmlBackend",
    "md": "resumec.backends.markdown:MarkdownBackend",
    "txt": "resumec.backends.text:TextBackend",
    "json": "resumec.backends.jsonresume:JsonResumeBackend",
}
"""Built-in formats: name → ``module:Class``."""


@dataclass(frozen=True)
class RenderJob:
    """Everything a backend needs to render one document."""

    resume: Resume
    document: Document
    theme: Theme
    paper: str
    base_dir: Path
    warn: Callable[[str], None] = field(default=lambda message: None)


@runtime_checkable
class Backend(Protocol):
    """An output format."""

    name: str
    suffix: str
    description: str

    def render(self, job: RenderJob) -> bytes:
        """Render ``job`` to the bytes of one file."""
        ...


def _available_builtins() -> dict[str, str]:
    return {name: target for name, target in BUILTIN.items()
            if importlib.util.find_spec(target.split(":")[0]) is not None}


def _may_declare_backends() -> bool:
    """Whether any installed distribution may declare backends.

    A quick read of each distribution's entry-point file, so that in the usual case — no
    plug-ins — importlib.metadata, whose import and scan cost a render ~20 ms, is never
    loaded. Anything this cannot look through (a zipped path entry, a finder with
    distributions of its own) counts as a yes, and the full scan decides.
    """
    from importlib.machinery import PathFinder

    if any(hasattr(finder, "find_distributions") and finder is not PathFinder
           for finder in sys.meta_path):
        return True
    marker = ENTRY_POINT_GROUP.encode()
    for entry in dict.fromkeys(sys.path):
        folder = entry or "."
        try:
            names = os.listdir(folder)
        except NotADirectoryError:
            return True  # a zip or egg file on the path
        except OSError:
            continue  # a path entry that does not exist: nothing is installed there
        for name in names:
            if name.endswith((".dist-info", ".egg-info")):
                try:
                    with open(os.path.join(folder, name, "entry_points.txt"), "rb") as f:
                        if marker in f.read():
                            return True
                except OSError:
                    continue  # no entry points (or an .egg-info file): nothing declared
    return False


@cache
def registry() -> dict[str, str]:
    """Every format name → ``module:Class`` target, built-in first, then entry points."""
    out = _available_builtins()
    if not _may_declare_backends():
        return out
    from importlib.metadata import entry_points

    origin = dict.fromkeys(out, "resumec")
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        dist = ep.dist.name if ep.dist else "an unknown package"
        if ep.name in out:
            raise ResumecError(f"backend '{ep.name}' from {dist} duplicates the one from "
                               f"{origin[ep.name]}; uninstall one of them")
        out[ep.name] = ep.value
        origin[ep.name] = dist
    return out


def names() -> list[str]:
    """Format names, for ``--format`` choices."""
    return list(registry())


def get(name: str) -> Backend:
    """Import and instantiate the backend for format ``name``."""
    table = registry()
    if name not in table:
        raise ResumecError(f"no format '{name}'{did_you_mean(name, table)} (formats: "
                           f"{', '.join(table)})")
    module, _, attr = table[name].partition(":")
    backend = getattr(importlib.import_module(module), attr)()
    if not isinstance(backend, Backend) or backend.name != name:
        raise ResumecError(f"backend '{name}' ({table[name]}) does not implement the resumec "
                           "Backend protocol under that name")
    return backend
