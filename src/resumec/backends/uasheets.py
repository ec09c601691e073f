"""WeasyPrint's built-in stylesheets: the one every render needs read from the user's
cache, the two resumec never uses parsed only when first used.

``weasyprint.html`` parses three stylesheets as it is imported: the user-agent sheet
(~50 ms, needed by every render), the forms sheet (for ``render(forms=True)`` only)
and the presentational-hints sheet (for ``presentational_hints=True`` only, ~17 ms).
While that module runs, :func:`building` hands it a ``CSS`` that

- for the user-agent sheet, gives the stylesheet and the counter styles its parse
  declares as a first run stored them with :mod:`resumec.cache` (~3 ms to read). The
  key names the sheet's text and the path, size and time of every module of
  WeasyPrint, tinycss2, cssselect2 and webencodings then loaded, so an entry is never
  stale; cssselect2's compiled selector tests are stored as their code, and reading
  builds only the classes such a stylesheet holds;
- for the other two, gives :func:`deferred <deferred_class>` stylesheets: real ``CSS``
  objects that run WeasyPrint's own parse, with the same arguments, the first time
  anything reads them (the forms sheet shares the counter styles: it is deferred only
  while it has no at-rules, so none can be added late);
- for anything else, or when a sheet is not exactly as expected, builds WeasyPrint's
  ``CSS`` as it always does.

A stylesheet read from cache did not run its parse, so WeasyPrint's progress log line
for it ("Step 2 - Fetching and parsing CSS") is not written; a parse that logs a
warning is never stored.
"""

from __future__ import annotations

import builtins
import importlib
import logging
import sys
import threading
import types
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache as memoize
from typing import Any

from resumec import cache
from resumec.backends import snapshots

PACKAGE = "weasyprint"
MODULE = "weasyprint.html"
"""The module whose stylesheets are handled, and the package its ``CSS`` comes from."""
KIND = "weasyprint"
"""The cache's subfolder for parsed stylesheets."""
FORMAT = "resumec-ua-1"
"""Names the layout of an entry; part of every key and of every entry."""
CODE = ("weasyprint", "tinycss2", "cssselect2", "webencodings")
"""The packages whose code a stylesheet's parse runs (their stamp is part of the key)."""
_FETCHING = ("@import", "@font-face", "@color-profile")
"""At-rules that make a parse read files or fonts: what they read is not in the text."""


@contextmanager
def building(html: types.ModuleType) -> Iterator[None]:
    """Around the execution of ``weasyprint.html``: give it :func:`stylesheets`."""
    package = sys.modules.get(PACKAGE)
    css_class = getattr(package, "CSS", None)
    if package is None or not isinstance(css_class, type):
        yield
        return
    build = stylesheets(css_class, html)
    package.CSS = build  # type: ignore[attr-defined]  # `from . import CSS` reads it here
    try:
        yield
    finally:
        package.CSS = css_class  # type: ignore[attr-defined]
        # Put the class back wherever the stand-in was taken from the package.
        for name, module in list(sys.modules.items()):
            if name.startswith(PACKAGE) and getattr(module, "__dict__", {}).get("CSS") is build:
                module.CSS = css_class  # type: ignore[attr-defined]


def stylesheets(css_class: Any, html: types.ModuleType) -> Callable[..., Any]:
    """Stand in for ``css_class`` while ``html`` runs (see the module's docstring).

    Recognises the calls by their arguments — the very strings and counter-style
    object ``html`` read and made — so any other call, or another WeasyPrint's, builds a
    ``css_class`` as it always did.
    """

    def build(*args: Any, **kwargs: Any) -> Any:
        names = vars(html)
        string = kwargs.get("string")
        if args or not isinstance(string, str):
            return css_class(*args, **kwargs)
        text: str = string
        counters = kwargs.get("counter_style")
        shares = kwargs.keys() == {"string", "counter_style"} and (
            counters is names.get("UA_COUNTER_STYLE"))
        if shares and text is names.get("UA"):
            return user_agent_sheet(css_class, text, counters)
        hints = text is names.get("PH") and kwargs.keys() == {"string"}
        forms = shares and text is names.get("UA_FORM") and "@" not in text
        if hints or forms:
            return deferred_class(css_class)(**kwargs)
        return css_class(*args, **kwargs)

    return build


# --- deferred --------------------------------------------------------------------------------


@memoize
def deferred_class(css_class: Any) -> type[Any]:
    """A subclass of WeasyPrint's ``css_class`` whose instances parse on first use."""
    lock = threading.RLock()
    parse: Callable[..., None] = css_class.__init__

    class Deferred(css_class):  # type: ignore[misc]
        """A WeasyPrint stylesheet that runs its parse when first read."""

        def __init__(self, **kwargs: Any) -> None:
            self.__dict__["_resumec_arguments"] = kwargs

        def __getattr__(self, name: str) -> Any:
            # Called only for attributes not set yet: before the parse, all of them.
            with lock:
                arguments = self.__dict__.pop("_resumec_arguments", None)
                if arguments is not None:
                    try:
                        parse(self, **arguments)
                    except BaseException:  # fail again, as WeasyPrint would, on every use
                        self.__dict__["_resumec_arguments"] = arguments
                        raise
            if name not in self.__dict__:
                raise AttributeError(name)
            return self.__dict__[name]

    Deferred.__name__ = Deferred.__qualname__ = css_class.__name__
    Deferred.__module__ = css_class.__module__
    return Deferred


# --- the user-agent sheet, from cache --------------------------------------------------------


def user_agent_sheet(css_class: Any, string: str, counters: Any) -> Any:
    """``css_class(string=string, counter_style=counters)``, read from cache if known."""
    name = _entry_name(string, counters)
    if name is None:
        return css_class(string=string, counter_style=counters)
    entry = _load(name)
    if entry is not None:
        state, styles = entry
        sheet = css_class.__new__(css_class)
        vars(sheet).update(state)
        counters.update(styles)
        return sheet
    with _warnings() as warned:
        sheet = css_class(string=string, counter_style=counters)
    fields: dict[str, Any] | None = getattr(sheet, "__dict__", None)
    if not warned and fields is not None:
        _store(name, fields, dict(counters))
    return sheet


def _entry_name(string: str, counters: Any) -> str | None:
    """The cache entry for this parse, or None when it must not come from the cache."""
    # The cached counter styles are the parse's additions: only an empty map may take them.
    empty = isinstance(counters, dict) and not counters and not getattr(counters, "__dict__", 0)
    if cache.folder() is None or not empty:
        return None
    if any(rule in string.lower() for rule in _FETCHING):
        return None
    stamp = snapshots.code_stamp(CODE)
    if stamp is None:
        return None
    return cache.key(FORMAT, sys.version, sys.platform, stamp, string)


@contextmanager
def _warnings() -> Iterator[list[logging.LogRecord]]:
    """Collect what WeasyPrint logs at WARNING or above within the block."""
    caught: list[logging.LogRecord] = []

    class Catch(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            caught.append(record)

    handler = Catch(logging.WARNING)
    logger = logging.getLogger(PACKAGE)
    logger.addHandler(handler)
    try:
        yield caught
    finally:
        logger.removeHandler(handler)


def _store(name: str, state: dict[str, Any], styles: dict[str, Any]) -> None:
    data = snapshots.dump((FORMAT, name, state, styles), reduce=_reduce_test)
    if data is not None:
        cache.put(KIND, name, data)


def _load(name: str) -> tuple[dict[str, Any], dict[str, Any]] | None:
    data = cache.get(KIND, name)
    if data is None:
        return None
    try:
        entry = snapshots.load(data, _stylesheet_class)
    except Exception:  # a damaged or foreign entry: parse instead
        return None
    if not (isinstance(entry, tuple) and len(entry) == 4 and entry[:2] == (FORMAT, name)
            and isinstance(entry[2], dict) and isinstance(entry[3], dict)):
        return None
    return entry[2], entry[3]


def _stylesheet_class(module: str, name: str) -> Any:
    """What a parsed stylesheet may hold: tinycss2's syntax nodes, cssselect2's matcher,
    WeasyPrint's value tuples — and the compiled tests of :func:`_selector_test`."""
    if (module, name) == (__name__, "_selector_test"):
        return _selector_test
    found = getattr(sys.modules.get(module), name, None)
    if not isinstance(found, type):
        return None
    if module == "tinycss2.ast":
        node = sys.modules[module].Node
        return found if issubclass(found, node) else None
    if (module, name) == ("cssselect2", "Matcher"):
        return found
    if module.startswith("weasyprint.css") and issubclass(found, tuple):
        return found
    return None


def _reduce_test(obj: Any) -> Any:
    """How pickle writes one of cssselect2's compiled selector tests: as its code.

    The tests are lambdas compiled from generated source, with no closure and only
    names of ``cssselect2.compiler`` as globals; anything else is left to pickle (which
    refuses functions it cannot name, and then nothing is stored).
    """
    compiler = sys.modules.get("cssselect2.compiler")
    if not isinstance(obj, types.FunctionType) or obj.__closure__ is not None or not compiler:
        return NotImplemented
    names = tuple(sorted(n for n in obj.__globals__ if n != "__builtins__"))
    if obj.__code__.co_filename != "<string>" or any(
            getattr(compiler, n, None) is not obj.__globals__[n] for n in names):
        return NotImplemented
    import marshal

    return _selector_test, (marshal.dumps(obj.__code__), names)


def _selector_test(code: bytes, names: tuple[str, ...]) -> Callable[..., Any]:
    """Rebuild a compiled selector test written by :func:`_reduce_test`."""
    import marshal

    compiled = marshal.loads(code)
    if not isinstance(compiled, types.CodeType) or compiled.co_freevars:
        raise TypeError("not a selector test")
    return types.FunctionType(compiled, _test_globals(names), "<lambda>")


@memoize
def _test_globals(names: tuple[str, ...]) -> dict[str, Any]:
    """The globals cssselect2 gives its tests (one dict, shared: nothing writes to it)."""
    compiler = importlib.import_module("cssselect2.compiler")
    found = {n: getattr(compiler, n) for n in names}
    found["__builtins__"] = builtins.__dict__
    return found
