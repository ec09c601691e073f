"""Modules loaded when first used instead of when first imported.

Takes a module name (and the functions importers take from it by name); gives a stand-in
module in ``sys.modules`` that imports the real one the moment anything is read from it.
For modules a library imports up front but seldom calls. Imports nothing heavy itself:
the command line uses it before anything else.
"""

from __future__ import annotations

import importlib
import sys
import types

TYPE_CHECKING = False  # `resumec validate` runs without importing typing
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any


def stand_in(name: str, functions: tuple[str, ...], holders: tuple[str, ...] = ()
              ) -> types.ModuleType:
    """Put a module in ``sys.modules`` that imports the real ``name`` on first use.

    Once it has, the modules named in ``holders`` that kept the stand-in in a global
    get the real module there instead (saving a detour on every later use).
    """
    stub = types.ModuleType(name, f"Stands in for {name} until it is first used.")

    def real() -> types.ModuleType:
        if sys.modules.get(name) is stub:
            del sys.modules[name]
        module = importlib.import_module(name)
        for holder in filter(None, map(sys.modules.get, holders)):
            for attr, value in list(vars(holder).items()):
                if value is stub:
                    setattr(holder, attr, module)
        return module

    def attribute(attr: str) -> Any:
        # Tools probe modules for __file__, __path__ …: only what code asks for loads.
        if attr.startswith("__") and attr not in ("__version__", "__version_info__"):
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
