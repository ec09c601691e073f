"""The résumé schema, compiled: pydantic-core's validator without pydantic's models.

Takes ``core_schema.json``; gives a ready validator: into light stand-in objects for
``resumec validate``, or into the real model objects for rendering.

``resumec validate`` runs on every commit, and building the ~25 pydantic model classes
costs more than the rest of a validation together. So the models' core schema — the
program that pydantic-core actually runs — is generated ahead of time into
``core_schema.json`` (``python -m resumec.schema.compile``), with each check named by
its import path. Loading it needs only pydantic-core and the pydantic-free check
functions (``rules``, ``text``, ``dates``); validated objects are light
:class:`Record` stand-ins with the models' field names as attributes.

The file is used only when it was generated from exactly these schema sources;
otherwise the validators below are ``None`` and callers validate with the models
themselves. The tests prove both give the same verdicts. ``resumec validate`` uses the
file under any pydantic-core that accepts it (a pre-commit environment installs
whatever pydantic is current; the core schema is pydantic-core's stable input, and it
is the schema the tests checked); rendering, which builds pydantic's own model objects
with it, needs the very pydantic-core it was generated with.
"""

from __future__ import annotations

import importlib
import json
import zlib
from functools import cache, partial
from pathlib import Path

from resumec.schema import corelib

TYPE_CHECKING = False  # `resumec validate` runs without importing typing
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping
    from typing import Any

HERE = Path(__file__).resolve().parent
ARTIFACT = HERE / "core_schema.json"
SOURCES = ("model.py", "types.py", "rules.py", "text.py", "dates.py")
"""The files whose content decides the schema: any change invalidates the artifact."""


def fingerprint() -> str:
    """A checksum of each schema source.

    A checksum, not a cryptographic hash: it detects edits, and it is cheap to import
    (hashlib loads OpenSSL, a few milliseconds of every ``resumec validate``)."""
    return " ".join(f"{name}:{len(data)}:{zlib.crc32(data):08x}"
                    for name in SOURCES for data in [(HERE / name).read_bytes()])


class Record:
    """A validated résumé object: the model's fields as attributes, nothing else."""

    __slots__ = (
        "__dict__",
        "__pydantic_extra__",
        "__pydantic_fields_set__",
        "__pydantic_private__",
    )

    def model_post_init(self, context: Any, /) -> None:
        """Pydantic-core calls this after validating a model with private attributes."""

    def __repr__(self) -> str:
        fields = ", ".join(f"{k}={v!r}" for k, v in vars(self).items())
        return f"{type(self).__name__}({fields})"


@cache
def record_class(name: str) -> type[Record]:
    """The stand-in class for the model called ``name``."""
    return type(name, (Record,), {"__slots__": ()})


def record(name: str, fields: dict[str, Any]) -> Record:
    """A stand-in object (a default value such as ``contact: Contact()``)."""
    obj = record_class(name).__new__(record_class(name))
    obj.__dict__.update(fields)
    object.__setattr__(obj, "__pydantic_fields_set__", set())
    return obj


class Compiled:
    """A ready validator and the plain (JSON) schema it was built from."""

    __slots__ = ("schema", "validator")

    def __init__(self, validator: Any, schema: Mapping[str, Any]) -> None:
        self.validator = validator
        """A pydantic-core ``SchemaValidator`` (or pydantic's plug-in wrapper of one)."""
        self.schema = schema
        """The schema as stored: field names and aliases, for "did you mean" hints."""


@cache
def _target(path: str) -> Any:
    module, _, name = path.partition(":")
    obj: Any = importlib.import_module(module)
    for part in name.split("."):
        obj = getattr(obj, part)
    return obj


def resolve(node: Any, model: Callable[[str], type], instance: Callable[[str, dict[str, Any]],
            Any]) -> Any:
    """Turn the stored JSON back into a core schema: markers become functions, classes,
    tuples and default objects; ``model``/``instance`` give classes and objects by name."""
    if isinstance(node, list):
        return [resolve(v, model, instance) for v in node]
    if not isinstance(node, dict):
        return node
    if len(node) <= 3:
        if "$fn" in node:
            return _target(node["$fn"])
        if "$partial" in node:
            return partial(_target(node["$partial"]), *resolve(node["args"], model, instance),
                           **resolve(node["kwargs"], model, instance))
        if "$model" in node:
            return model(node["$model"])
        if "$tuple" in node:
            return tuple(resolve(node["$tuple"], model, instance))
        if "$instance" in node:
            return instance(node["$instance"], resolve(node["fields"], model, instance))
    return {k: resolve(v, model, instance) for k, v in node.items()}


def load_artifact() -> dict[str, Any] | None:
    """The stored artifact, or ``None`` if it is missing or out of date."""
    try:
        stored: dict[str, Any] = json.loads(ARTIFACT.read_text(encoding="utf-8"))
        current = fingerprint()
    except (OSError, ValueError):
        return None
    return stored if stored.get("fingerprint") == current else None


@cache
def resume_validator() -> Compiled | None:
    """The compiled résumé validator (objects are :class:`Record`), if usable here."""
    stored = load_artifact()
    if stored is None:
        return None
    schema = resolve(stored["schema"], record_class, record)
    try:
        return Compiled(corelib.SchemaValidator(schema), stored["schema"])
    except corelib.SchemaError:  # a pydantic-core that reads schemas differently
        return None


@cache
def model_validator() -> Compiled | None:
    """The same validator giving the real model objects (``Resume``…), if usable here.

    The models are declared with ``defer_build``: their own validators are built only
    if something calls them, and rendering validates through this one instead.
    """
    stored = load_artifact()
    if stored is None or stored.get("pydantic_core") != corelib.__version__:
        return None
    from resumec.schema import model

    def cls(name: str) -> type:
        found = getattr(model, name)
        assert isinstance(found, type)
        return found

    def instance(name: str, fields: dict[str, Any]) -> Any:
        # As a default value is made (``Contact()``): no field counts as set.
        return getattr(model, name).model_construct(_fields_set=set(), **fields)

    schema = resolve(stored["schema"], cls, instance)
    return Compiled(corelib.SchemaValidator(schema), stored["schema"])
