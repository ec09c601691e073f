"""Small immutable value classes for the code ``resumec validate`` runs.

Takes nothing; gives :class:`Frozen`, a base class standing in for
``@dataclass(frozen=True)``. ``resumec validate`` runs on every commit, and importing
``dataclasses`` (with the ``inspect`` module it brings) is ~10 ms of its ~60 ms; the few
value classes on its path (issues, dates, parsed sources) derive from this instead.
"""

from __future__ import annotations

TYPE_CHECKING = False  # nor does `resumec validate` import typing
if TYPE_CHECKING:
    from typing import ClassVar, Self


class Frozen:
    """An immutable value: the fields named in ``_fields`` are set once, by the
    subclass's ``__init__`` through :meth:`_init`, and decide equality, hashing,
    ``repr``, copying and pickling. Subclasses declare the same names in ``__slots__``."""

    __slots__ = ()
    _fields: ClassVar[tuple[str, ...]] = ()

    def _init(self, *values: object) -> None:
        for name, value in zip(self._fields, values, strict=True):
            object.__setattr__(self, name, value)

    def _values(self) -> tuple[object, ...]:
        return tuple(getattr(self, name) for name in self._fields)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable: cannot set {name!r}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable: cannot delete {name!r}")

    def __reduce__(self) -> tuple[type[Self], tuple[object, ...]]:
        # copy and pickle rebuild it through __init__, not by setting the slots
        return (type(self), self._values())

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        assert isinstance(other, Frozen)
        return self._values() == other._values()

    def __hash__(self) -> int:
        return hash(self._values())

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._fields)
        return f"{type(self).__name__}({fields})"
