"""The keys of one object from another tool's file, taken one at a time.

Takes a mapping and the path it sits at; gives its values as an importer asks for them,
and reports every key nobody asked for, so that no field is dropped without a note.
"""

from __future__ import annotations

from typing import Any

from resumec.interop.values import Filled, Notes, Problem, is_empty, line
from resumec.loader import describe


class Fields:
    """A source object whose keys are taken one by one; the rest are reported."""

    def __init__(self, data: Any, path: str, notes: Notes, fmt: str) -> None:
        self.data: dict[str, Any] = dict(data) if isinstance(data, dict) else {}
        self.path = path
        self.notes = notes
        self.fmt = fmt

    def at(self, key: str | int) -> str:
        """The path of ``key`` inside this object."""
        if isinstance(key, int):
            return f"{self.path}[{key}]"
        return f"{self.path}.{key}" if self.path else key

    def take(self, key: str) -> Any:
        """Remove and return ``key``'s value (``None`` if absent)."""
        return self.data.pop(key, None)

    def legacy(self, old: str, new: str, current: Any = None) -> Any:
        """Take a renamed key; note it, and prefer ``current`` (the new key's value)."""
        value = self.data.pop(old, None)
        if is_empty(value):
            return current
        if not is_empty(current):
            self.notes.append(f"{self.at(old)}: legacy {self.fmt} key (now '{new}'); "
                              f"'{new}' is also given, so this one is not imported")
            return current
        self.notes.append(f"{self.at(old)}: legacy {self.fmt} key (now '{new}'); imported "
                          f"as '{new}'")
        return value

    def drop(self, key: str, why: str) -> None:
        """Take ``key`` and note that it is not imported, and why."""
        value = self.data.pop(key, None)
        if not is_empty(value):
            self.notes.append(f"{self.at(key)}: {why}; not imported")

    def required(self, key: str, fallback: str, what: str, *, markdown: bool = False,
                 value: Any = None) -> str:
        """A one-line text the schema requires; missing ones get ``fallback`` and a note."""
        raw = value if value is not None else self.take(key)
        got = line(raw, self.at(key), self.notes, markdown=markdown)
        if got:
            return got
        here = f"{self.at(key)}: missing {what}"
        self.notes.append(Filled(f"{here}; imported as {fallback!r}: edit it",
                                 f"{here}; add it (resumec makes up no text)"))
        return fallback

    def finish(self) -> None:
        """Report every key not taken (empty values carry nothing and are skipped)."""
        for key, value in self.data.items():
            if not is_empty(value):
                self.notes.append(Problem(f"{self.at(key)}: not a {self.fmt} field resumec "
                                          "knows; not imported"))
        self.data.clear()


def each(value: Any, path: str, notes: Notes, fmt: str) -> list[tuple[int, Fields]]:
    """The mappings of a list, as :class:`Fields`; anything else is noted and skipped."""
    if is_empty(value):
        return []
    if not isinstance(value, list):
        notes.append(Problem(f"{path}: expected a list; not imported"))
        return []
    out = []
    for i, item in enumerate(value):
        if isinstance(item, dict):
            out.append((i, Fields(item, f"{path}[{i}]", notes, fmt)))
        elif not is_empty(item):
            notes.append(Problem(f"{path}[{i}]: expected a mapping, got {describe(item)}; "
                                 "not imported"))
    return out


def compact(mapping: dict[str, Any]) -> dict[str, Any]:
    """``mapping`` without empty values (``None``, ``""``, ``[]``, ``{}``)."""
    return {k: v for k, v in mapping.items() if not is_empty(v)}
