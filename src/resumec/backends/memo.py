"""One value per set of style values: memos for the WeasyPrint adaptations.

Takes the names of some computed style values and a function that makes something from a
style; gives that function, made once per distinct set of those values. A résumé's text
uses a handful of fonts and features, and WeasyPrint asks about them for every piece of
text laid out: ``leaks`` writes each OpenType feature string once, ``speedups`` each
Pango font description and font cache key.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")


def per_values(names: tuple[str, ...], make: Callable[[Any, tuple[Any, ...]], T]
               ) -> Callable[[Any], T]:
    """``style → make(style, values)``, where ``values`` are ``style``'s values for
    ``names`` (two or more), made once for each set of values; made every time for a set
    that cannot be a key (a value that is not hashable)."""
    made: dict[tuple[Any, ...], T] = {}
    values_of = operator.itemgetter(*names)  # one C call: these run thousands of times

    def memo(style: Any) -> T:
        values = values_of(style)
        try:
            return made[values]
        except KeyError:
            result = made[values] = make(style, values)
            return result
        except TypeError:  # a value that cannot be a key
            return make(style, values)

    return memo
