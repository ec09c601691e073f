"""pydantic-core's compiled engine, loaded without the Python the package runs first.

Takes nothing; gives the extension's names resumec validates with: ``SchemaValidator``,
``SchemaError``, ``ValidationError``, ``PydanticCustomError`` and ``__version__``.

``import pydantic_core`` runs the package's ``__init__``, which imports ``core_schema`` —
functions and TypedDicts for writing schemas by hand — and ``typing_extensions``: ~15 ms,
a fifth of ``resumec validate``, which runs a schema compiled ahead of time and needs none
of it. So while nothing has imported pydantic-core yet, the extension module is loaded on
its own. It is not put in ``sys.modules``: a finder hands this very module to the import
system when the package asks for it. A later ``import pydantic_core`` (pydantic, when a
render builds its models) then sets the package up exactly as usual, around the one
extension module, so there is one ``ValidationError`` class for everyone. Where the
extension cannot be found this way, the package is imported as usual.
"""

from __future__ import annotations

import sys

TYPE_CHECKING = False  # typing itself is one of the imports `resumec validate` avoids
if TYPE_CHECKING:
    from collections.abc import Sequence
    from importlib.machinery import ModuleSpec
    from types import ModuleType

PACKAGE = "pydantic_core"
EXTENSION = "pydantic_core._pydantic_core"


class _Handover:
    """A finder and loader that gives the import system the already loaded extension."""

    def __init__(self, module: ModuleType) -> None:
        self.module = module
        self.spec: ModuleSpec = module.__spec__  # type: ignore[assignment]

    def find_spec(self, name: str, path: Sequence[str] | None = None,
                  target: ModuleType | None = None) -> ModuleSpec | None:
        if name != EXTENSION:
            return None
        from importlib.machinery import ModuleSpec

        sys.meta_path.remove(self)  # asked once: from then on it is in sys.modules
        return ModuleSpec(name, self, origin=self.spec.origin)  # type: ignore[arg-type]

    def create_module(self, spec: ModuleSpec) -> ModuleType:
        return self.module

    def exec_module(self, module: ModuleType) -> None:
        # The import system set this hand-over as the module's spec and loader: put back
        # the extension's own, as a plain import leaves them.
        module.__spec__ = self.spec
        module.__loader__ = self.spec.loader


def _load_alone() -> ModuleType | None:
    """The extension module, loaded without its package, or ``None`` if not found."""
    from importlib.machinery import PathFinder
    from importlib.util import module_from_spec

    package = PathFinder.find_spec(PACKAGE)
    places = package and package.submodule_search_locations
    spec = places and PathFinder.find_spec(EXTENSION, list(places))
    if not spec or spec.loader is None:
        return None
    module = module_from_spec(spec)
    spec.loader.exec_module(module)
    sys.meta_path.insert(0, _Handover(module))
    return module


def _engine() -> ModuleType:
    """Where the names come from: the imported package if it is, else the bare module."""
    if PACKAGE in sys.modules:
        return sys.modules[PACKAGE]
    try:
        module = _load_alone()
    except ImportError:  # pragma: no cover - an unusual installation: import as usual
        module = None
    if module is None:  # pragma: no cover
        import pydantic_core

        return pydantic_core
    return module


if TYPE_CHECKING:
    from pydantic_core import (
        PydanticCustomError,
        SchemaError,
        SchemaValidator,
        ValidationError,
        __version__,
    )
else:
    _core = _engine()
    PydanticCustomError = _core.PydanticCustomError
    SchemaError = _core.SchemaError
    SchemaValidator = _core.SchemaValidator
    ValidationError = _core.ValidationError
    __version__ = _core.__version__

__all__ = ["PydanticCustomError", "SchemaError", "SchemaValidator", "ValidationError",
           "__version__"]
