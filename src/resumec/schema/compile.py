"""Generate ``core_schema.json``, the compiled résumé validator (see ``compiled.py``).

Takes the pydantic models' core schema; gives it as JSON, each function named by its
import path and repeated parts shared.

Usage: ``python -m resumec.schema.compile`` (writes the file) or ``--check`` (exit 1
if the stored file is not what the current sources generate). The test suite runs the
check, so a change to the models that forgets to regenerate fails CI, and at run time
an out-of-date file is never used.

Only validation matters here: serialisation and JSON Schema hooks are dropped. Every
function in the schema must be a module-level function (or a ``functools.partial`` of
one) in a module that does not import pydantic's models — anything else is an error
that names the offending function.
"""

from __future__ import annotations

import functools
import importlib
import json
import sys
from typing import Any

import pydantic_core
from pydantic import BaseModel

from resumec.schema.compiled import ARTIFACT, fingerprint

DROPPED = ("metadata", "serialization")
"""Core-schema keys that never affect validation."""
PYDANTIC_FREE = ("resumec.schema.rules", "resumec.schema.text", "resumec.schema.dates",
                 "builtins")
"""Modules the compiled validator may call into."""


class CompileError(Exception):
    """The schema holds something the compiled validator could not reproduce."""


def _path_of(fn: Any) -> str:
    module = getattr(fn, "__module__", None)
    qualname = getattr(fn, "__qualname__", "")
    if module not in PYDANTIC_FREE or "<" in qualname:
        raise CompileError(f"{fn!r} ({module}.{qualname}) is not a module-level function of "
                           f"{', '.join(PYDANTIC_FREE)}: move the check there")
    path = f"{module}:{qualname}"
    target: Any = importlib.import_module(module)
    for part in qualname.split("."):
        target = getattr(target, part)
    if target is not fn:
        raise CompileError(f"{path} does not import back as {fn!r}")
    return path


def encode(node: Any) -> Any:
    """A core schema (or part of one) as JSON with markers for what JSON cannot hold."""
    if isinstance(node, dict):
        return {k: encode(v) for k, v in node.items() if k not in DROPPED}
    if isinstance(node, list):
        return [encode(v) for v in node]
    if isinstance(node, tuple):
        return {"$tuple": [encode(v) for v in node]}
    if node is None or isinstance(node, bool | int | float | str):
        return node
    if isinstance(node, type) and issubclass(node, BaseModel):
        return {"$model": node.__name__}
    if isinstance(node, BaseModel):
        fields = {k: getattr(node, k) for k in type(node).model_fields}
        return {"$instance": type(node).__name__, "fields": encode(fields)}
    if isinstance(node, functools.partial):
        return {"$partial": _path_of(node.func), "args": encode(list(node.args)),
                "kwargs": encode(dict(node.keywords))}
    if callable(node):
        return {"$fn": _path_of(node)}
    raise CompileError(f"cannot store {node!r} ({type(node).__name__}) in the compiled schema")


def inline_definitions(schema: Any) -> Any:
    """Replace every reference to a shared definition with the definition itself, and
    drop the references' names.

    Whether pydantic shares a model through ``definitions`` or writes it in place
    depends on which models happened to be built before in the process, and its names
    hold the address of each class; inlining makes the generated file the same whatever
    ran first (``share_repeats`` shares again, under names of its own).
    """
    defs: dict[str, Any] = {}

    def collect(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") == "definitions":
                for d in node["definitions"]:
                    defs[d["ref"]] = d
            for value in node.values():
                collect(value)
        elif isinstance(node, list):
            for value in node:
                collect(value)

    def expand(node: Any, active: tuple[str, ...]) -> Any:
        if isinstance(node, list):
            return [expand(v, active) for v in node]
        if not isinstance(node, dict):
            return node
        if node.get("type") == "definitions":
            return expand(node["schema"], active)
        if node.get("type") == "definition-ref":
            ref = node["schema_ref"]
            if ref in active:
                raise CompileError(f"recursive schema at {ref}: not supported")
            return expand(defs[ref], (*active, ref))
        return {k: expand(v, active) for k, v in node.items() if k != "ref"}

    collect(schema)
    return expand(schema, ())


SHAREABLE = frozenset({
    "function-before", "function-after", "function-plain", "function-wrap", "nullable",
    "default", "str", "bool", "int", "float", "tuple", "list", "dict", "literal", "union",
    "model",
})
"""Schema types that may carry a ``ref`` and so be shared through definitions."""


def share_repeats(schema: Any, min_size: int = 120) -> Any:
    """Hoist subtrees that occur more than once into shared definitions.

    The models repeat the same field types (a one-line text, an optional URL…) hundreds
    of times; sharing them makes the file several times smaller and quicker to load.
    """
    counts: dict[str, int] = {}

    def key(node: Any) -> str:
        return json.dumps(node, sort_keys=True, ensure_ascii=False)

    def count(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") in SHAREABLE:
                k = key(node)
                counts[k] = counts.get(k, 0) + 1
            for value in node.values():
                count(value)
        elif isinstance(node, list):
            for value in node:
                count(value)

    names: dict[str, str] = {}
    definitions: list[dict[str, Any]] = []

    def replace(node: Any) -> Any:
        if isinstance(node, list):
            return [replace(v) for v in node]
        if not isinstance(node, dict):
            return node
        if node.get("type") in SHAREABLE:
            k = key(node)
            if counts.get(k, 0) > 1 and len(k) >= min_size:
                if k not in names:
                    names[k] = f"shared-{len(names) + 1}"
                    definitions.append({**{f: replace(v) for f, v in node.items()},
                                        "ref": names[k]})
                return {"type": "definition-ref", "schema_ref": names[k]}
        return {f: replace(v) for f, v in node.items()}

    count(schema)
    root = replace(schema)
    return {"type": "definitions", "schema": root, "definitions": definitions} \
        if definitions else root


def build() -> dict[str, Any]:
    """The artifact for the current sources: fingerprint and encoded résumé schema."""
    from resumec.schema.model import Resume

    Resume.model_rebuild(force=True)  # the models defer building their schemas
    return {
        "comment": "Generated by `python -m resumec.schema.compile` from the models in "
                   "src/resumec/schema; do not edit.",
        "fingerprint": fingerprint(),
        "pydantic_core": pydantic_core.__version__,
        "schema": share_repeats(inline_definitions(encode(Resume.__pydantic_core_schema__))),
    }


def render() -> str:
    """The artifact's text."""
    return json.dumps(build(), indent=1, ensure_ascii=False) + "\n"


def main(argv: list[str]) -> int:
    """Write the artifact, or with ``--check`` report whether it is current."""
    text = render()
    if "--check" in argv:
        current = ARTIFACT.is_file() and ARTIFACT.read_text(encoding="utf-8") == text
        if not current:
            print(f"{ARTIFACT} is out of date: run python -m resumec.schema.compile",
                  file=sys.stderr)
        return 0 if current else 1
    ARTIFACT.write_text(text, encoding="utf-8")
    print(f"wrote {ARTIFACT} ({len(text) // 1024} KiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
