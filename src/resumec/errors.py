"""Errors written for the person editing the résumé: located, complete, with suggestions.

Takes nothing; gives :class:`Issue` (one located problem) and :class:`ResumecError`
(a user error carrying every issue found), plus :func:`did_you_mean`.
"""

from __future__ import annotations

import functools

from resumec.frozen import Frozen

TYPE_CHECKING = False  # `resumec validate` runs without importing typing
if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence


@functools.total_ordering
class Issue(Frozen):
    """One problem in one input file, located compiler-style; issues sort by place."""

    __slots__ = ("col", "file", "level", "line", "message", "path")
    _fields = ("file", "line", "col", "path", "message", "level")
    file: str
    line: int
    col: int
    path: str
    message: str
    level: str
    """``""`` for an error; ``"warning"`` or ``"note"`` for what only informs."""

    def __init__(self, file: str, line: int, col: int, path: str, message: str,
                 level: str = "") -> None:
        self._init(file, line, col, path, message, level)

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Issue):
            return NotImplemented
        return self._place() < other._place()

    def _place(self) -> tuple[str, int, int, str, str]:
        return (self.file, self.line, self.col, self.path, self.message)

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.col}" + (f": {self.level}" if self.level else "")
        line = f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"
        return terminal_safe(line)  # keys and values quoted from the résumé


def terminal_safe(text: str) -> str:
    """``text`` as one line of plain text for a terminal: control characters, line breaks
    and bidirectional controls written as escapes (see :func:`_escapes`).

    For every message resumec prints: issues quote the résumé, and plain messages quote
    profile names (from the résumé), file names and options, which can hold them too.
    """
    return text.translate(_escapes())


@functools.cache
def _escapes() -> dict[int, str]:
    """Line breaks and other control characters as escapes (``\\n``, ``\\x1b``): an issue
    quoting a key or value from the résumé stays one line and puts only text on a terminal.
    Bidirectional embeddings, overrides and isolates too, which could make the line read
    in another order than it is written."""
    named = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
    codes = [*range(0x20), *range(0x7F, 0xA0), 0x2028, 0x2029, *range(0x202A, 0x202F),
             *range(0x2066, 0x206A)]
    return {c: named.get(chr(c)) or (f"\\x{c:02x}" if c < 0x100 else f"\\u{c:04x}")
            for c in codes}


MAX_ISSUES = 100
"""The most issues one error lists; a count stands for the rest. A résumé with more has
usually been confused with another file (or a tool wrote it wrongly): the first hundred
show what is wrong, fifty thousand lines would bury it, and each issue takes time to
write (its place, its "did you mean")."""


class ResumecError(Exception):
    """A user error: bad input, bad option, unwritable output. Exit code 1, no traceback.

    Lists every issue, up to :data:`MAX_ISSUES`; then one line counts those not shown."""

    def __init__(self, issues: str | Sequence[Issue | str]) -> None:
        items = (issues,) if isinstance(issues, str) else tuple(issues)
        if len(items) > MAX_ISSUES:
            first = items[0]
            where = f"{first.file}: " if isinstance(first, Issue) else ""
            rest = len(items) - MAX_ISSUES
            items = (*items[:MAX_ISSUES],
                     f"{where}{rest:,} more issue{'s' if rest > 1 else ''} not shown "
                     f"({len(items):,} in all)")
        self.issues: tuple[Issue | str, ...] = items
        super().__init__("\n".join(str(i) for i in self.issues))


def did_you_mean(word: str, choices: Iterable[str], cutoff: float = 0.6) -> str:
    """Return ``"; did you mean 'x'?"`` for the closest choice, or ``""``."""
    pool = list(choices)
    import difflib  # only when something is wrong: validate's quiet path never needs it

    close = difflib.get_close_matches(word, pool, n=1, cutoff=cutoff)
    if not close:
        lowered = {c.lower(): c for c in pool}
        close = [lowered[word.lower()]] if word.lower() in lowered else []
    return f"; did you mean '{close[0]}'?" if close else ""


class Hints:
    """:func:`did_you_mean`, while a budget lasts; ``""`` after. Each suggestion compares a
    word with every choice: thousands of unknown names among thousands of choices took
    minutes. The budget covers the issues an error shows (:data:`MAX_ISSUES`) and
    :data:`COMPARISONS` comparisons, well beyond any real résumé's mistakes."""

    COMPARISONS = 20_000

    def __init__(self) -> None:
        self.issues = MAX_ISSUES
        self.comparisons = self.COMPARISONS

    def __call__(self, word: str, choices: Sequence[str]) -> str:
        if self.issues <= 0 or self.comparisons < len(choices):
            return ""
        self.issues -= 1
        self.comparisons -= len(choices)
        return did_you_mean(word, choices)
