"""C declarations parsed once: cffi's parse of a ``cdef`` source, kept in the user's cache.

Takes what a library hands to ``ffi.cdef()`` — WeasyPrint's 20 kB of Pango, HarfBuzz and
Fontconfig declarations — and gives cffi's parser the state its own parse leaves: the
same model objects (structs, pointers, functions, enums) and integer constants. A first
run parses with pycparser and stores that state with :mod:`resumec.cache`; later runs
read it back (under a millisecond instead of ~35 ms, and pycparser — ~40 ms to import —
is then never imported at all).

The entry's key names everything the parse depends on: the cdef source and options,
the Python version and platform, cffi's version, and the size and time of cffi's and
pycparser's parsing modules; so an entry is never stale. An entry holds only cffi's
model classes (anything else is refused while reading it). Whenever something does not
fit — a parser already holding declarations, an attribute this cffi lacks, an entry
that cannot be read — cffi parses as it always does.
"""

from __future__ import annotations

import importlib.machinery
import sys
import types
import weakref
from collections.abc import Callable
from pathlib import Path
from typing import Any

from resumec import cache
from resumec.backends import snapshots

KIND = "cffi"
"""The cache's subfolder for parsed declarations."""
FORMAT = "resumec-cdef-1"
"""Names the layout of an entry; part of every key and of every entry."""

Parse = Callable[..., None]


def cache_on() -> bool:
    """Whether parsed declarations can be cached at all (the user's cache is on)."""
    return cache.folder() is not None


def cached_parse(original: Parse) -> Parse:
    """Wrap ``Parser.parse``: a fresh parser's parse of a known source is read from cache.

    ``original`` is cffi's ``Parser.parse(self, csource, **options)``; the wrapper
    takes the same arguments. Anything but a first parse of a string, on a parser in
    the state a new ``Parser()`` has, is passed to ``original`` unchanged.
    """

    def parse(parser: Any, csource: Any, *args: Any, **options: Any) -> None:
        fresh = _fresh_state(parser)
        name = None if fresh is None else _entry_name(parser, csource, args, options)
        if fresh is None or name is None:
            return original(parser, csource, *args, **options)
        state = load(name, fresh)
        if state is not None:
            vars(parser).update(state)
            return None
        import warnings

        # A parse that warns is not stored: a later run read from cache would stay silent.
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            original(parser, csource, *args, **options)
        for w in caught:
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno, source=w.source)
        if not caught:
            store(name, _state(parser))
        return None

    parse.__name__ = parse.__qualname__ = "parse"
    parse.__doc__ = original.__doc__
    return parse


def _state(parser: Any) -> dict[str, Any]:
    """What a parse leaves in ``parser``, without its weak maps (they key on dead syntax
    trees: a parse leaves them empty once its tree is gone)."""
    return {k: v for k, v in vars(parser).items()
            if not isinstance(v, weakref.WeakKeyDictionary | weakref.WeakValueDictionary)}


def _fresh_state(parser: Any) -> dict[str, Any] | None:
    """A new parser's state if ``parser`` is in it still, else None.

    Cached state replaces the parser's: only a parser as new as ``Parser()`` may take it.
    """
    try:
        fresh = _state(type(parser)())
        return fresh if _state(parser) == fresh else None
    except Exception:  # another cffi, whose parser cannot be compared: let it parse
        return None


def _entry_name(parser: Any, csource: Any, args: tuple[Any, ...],
                options: dict[str, Any]) -> str | None:
    """The cache entry for this parse, or None when it must not come from the cache."""
    if not isinstance(csource, str) or cache.folder() is None:
        return None
    try:
        stamp = _sources_stamp(sys.modules[type(parser).__module__])
    except Exception:  # another cffi: whatever it is, let it parse
        return None
    if stamp is None:
        return None
    return cache.key(FORMAT, sys.version, sys.platform, stamp, csource,
                     repr(args), repr(sorted(options.items())))


def _sources_stamp(cparser: types.ModuleType) -> str | None:
    """The versions, paths, sizes and times of the code a parse runs, or None if unknown."""
    import cffi

    files = [Path(m.__file__) for m in (cparser, *_cffi_modules()) if m.__file__]
    pyc = getattr(cparser, "pycparser", None)
    origin = _module_origin(pyc) if isinstance(pyc, types.ModuleType) else None
    if origin is None:
        return None
    folder = origin.parent
    files += [origin, *(folder / f for f in ("c_parser.py", "c_lexer.py", "c_ast.py")
                        if (folder / f).exists())]
    stamp = snapshots.file_stamp(files)
    return None if stamp is None else f"cffi {getattr(cffi, '__version__', '?')}\n{stamp}"


def _cffi_modules() -> list[types.ModuleType]:
    from cffi import commontypes, model

    return [model, commontypes]


def _module_origin(module: types.ModuleType) -> Path | None:
    """Where ``module``'s code is — without loading it if it is a stand-in."""
    file = module.__dict__.get("__file__")
    if isinstance(file, str):
        return Path(file)
    # A stand-in (see resumec.lazy) has no file: find the real one on the path, as
    # importing it would, but without importing it.
    spec = importlib.machinery.PathFinder.find_spec(module.__name__)
    return Path(spec.origin) if spec is not None and spec.origin else None


# --- entries -----------------------------------------------------------------------------


def store(name: str, state: dict[str, Any]) -> None:
    """Write ``state`` (a parser's, see :func:`_state`) under ``name``; never fails."""
    from cffi import commontypes, model

    # Objects cffi shares between parsers (``model.void_type``, ``int`` from
    # commontypes' cache) are written by name, so that reading gives these very objects,
    # as a parse would, rather than equal copies.
    shared: dict[int, tuple[str, str]] = {}
    try:
        for key, (tp, _quals) in list(commontypes._CACHE.items()):
            shared[id(tp)] = ("common", key)
        for attr, value in vars(model).items():
            if isinstance(value, model.BaseTypeByIdentity):
                shared[id(value)] = ("model", attr)
    except (AttributeError, TypeError, ValueError):  # another cffi: not stored
        return
    data = snapshots.dump((FORMAT, name, state), shared=lambda obj: shared.get(id(obj)))
    if data is not None:
        cache.put(KIND, name, data)


def load(name: str, fresh: dict[str, Any]) -> dict[str, Any] | None:
    """The parser state stored under ``name``, or None if absent, unreadable or unfit.

    ``fresh`` is a new parser's state: the entry must have each of its attributes,
    holding the same kind of container.
    """
    data = cache.get(KIND, name)
    if data is None:
        return None
    try:
        entry = snapshots.load(data, _cffi_type, _shared_type)
    except Exception:  # a damaged or foreign entry: parse instead
        return None
    if not (isinstance(entry, tuple) and len(entry) == 3 and entry[:2] == (FORMAT, name)
            and isinstance(entry[2], dict)):
        return None
    state: dict[str, Any] = entry[2]
    for attr, value in fresh.items():
        if attr not in state or (isinstance(value, dict | list | set)
                                 and type(state[attr]) is not type(value)):
            return None
    return state


def _cffi_type(module: str, name: str) -> type | None:
    """A class of cffi's type model, the only classes an entry may hold."""
    from cffi import model

    found = getattr(model, name, None) if module == model.__name__ else None
    if isinstance(found, type) and issubclass(found, model.BaseTypeByIdentity):
        return found
    return None


def _shared_type(pid: Any) -> Any:
    """The object of this process that a :func:`store` ``shared`` name stands for."""
    from cffi import commontypes, model

    where, key = pid
    if where == "model":
        found = getattr(model, key)
        if isinstance(found, model.BaseTypeByIdentity):
            return found
    elif where == "common":
        cached = commontypes._CACHE.get(key)
        if cached is None:
            cdecl = commontypes.COMMON_TYPES.get(key, key)
            # Resolving anything else would run the C parser: parse the lot instead.
            if isinstance(cdecl, str) and cdecl not in model.PrimitiveType.ALL_PRIMITIVE_TYPES:
                raise LookupError(f"needs parsing: {key}")
            cached = commontypes.resolve_common_type(None, key)
        return cached[0]
    raise LookupError(f"unknown shared object {pid!r}")


def patch_parser(cparser: types.ModuleType) -> Callable[[], None] | None:
    """Make ``cparser.Parser.parse`` read from cache; give the undo, or None if unfit."""
    parser_class = getattr(cparser, "Parser", None)
    original = getattr(parser_class, "parse", None)
    if not isinstance(parser_class, type) or not callable(original) or getattr(
            original, "__name__", "") != "parse" or "_resumec_cached" in vars(parser_class):
        return None
    parser_class.parse = cached_parse(original)  # type: ignore[attr-defined]
    parser_class._resumec_cached = True  # type: ignore[attr-defined]

    def undo() -> None:
        parser_class.parse = original  # type: ignore[attr-defined]
        del parser_class._resumec_cached  # type: ignore[attr-defined]

    return undo
