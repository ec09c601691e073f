"""Where in another tool's file each import note points, and what reading it directly makes
of the notes.

Takes the parsed :class:`~resumec.loader.Source` of a JSON Resume, RenderCV or FRESH file
and the notes its conversion gave (each ``"path: message"``, the path as the source writes
it: ``work[1].highlights[0]``); gives :class:`~resumec.errors.Issue` objects at the line and
column of the value each note is about, so that notes read like resumec's own errors:
``resume.json:14:22: note: work[1].highlights[0]: …``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from resumec.errors import MAX_ISSUES, Issue
from resumec.interop.values import Filled, Problem
from resumec.loader import Loc, Source

_INDEX = re.compile(r"\[(\d+)\]")
_SEGMENT = re.compile(r"[^.\[:]*")
_SCANNED_KEYS = 1000
"""A key holding ``.``, ``[`` or ``:`` is found by trying every key of its mapping; in
mappings larger than this the note points at the mapping instead."""


def split_note(data: Any, note: str) -> tuple[Loc, str, str]:
    """The place a note's path names in ``data`` (as deep as it resolves), the path as
    written, and the message after it.

    The path is read against the data, not by its punctuation alone: keys may hold dots,
    brackets and colons (RenderCV's section titles), so where several keys could be meant
    (``Ph`` and ``Ph.D``), the one the rest of the path resolves under is. A path that
    names something the data lacks (``basics.name`` when there is no name) gives the
    deepest part that exists.
    """
    loc, pos = _walk(data, note, 0, ())
    cut = note.find(": ", pos)
    if cut < 0:
        return loc, "", note
    return loc, note[:cut], note[cut + 2:]


def _walk(node: Any, note: str, pos: int, loc: Loc) -> tuple[Loc, int]:
    """The deepest place the path in ``note`` from ``pos`` reaches under ``node`` (at
    ``loc``), and where in ``note`` it stops."""
    if pos >= len(note) or note[pos] == ":":
        return loc, pos
    if isinstance(node, list):
        m = _INDEX.match(note, pos)
        if m is None or int(m[1]) >= len(node):
            return loc, pos
        return _walk(node[int(m[1])], note, m.end(), (*loc, int(m[1])))
    start = pos + 1 if loc and note.startswith(".", pos) else pos
    if not isinstance(node, dict) or (loc and start == pos):
        return loc, pos
    best = (loc, pos)
    for key in _keys_at(node, note, start):
        reached = _walk(node[key], note, start + len(str(key)), (*loc, key))
        if reached[1] >= len(note) or note[reached[1]] == ":":
            return reached
        best = max(best, reached, key=lambda r: len(r[0]))
    return best


def _keys_at(mapping: dict[Any, Any], note: str, start: int) -> list[Any]:
    """The keys of ``mapping`` that could be the one written at ``note[start:]``, longest
    first."""
    segment = _SEGMENT.match(note, start)
    assert segment is not None  # the pattern matches the empty string too
    word = segment[0]
    end = segment.end()
    found = [word] if word in mapping else []
    if (not found or note.startswith(".", end)) and len(mapping) <= _SCANNED_KEYS:
        ends = (".", "[", ":")
        found += [k for k in mapping if len(str(k)) > len(word) and note.startswith(str(k), start)
                  and (start + len(str(k)) == len(note) or note[start + len(str(k))] in ends)]
    return sorted(found, key=lambda k: -len(str(k)))


def note_issue(source: Source, note: str, level: str = "note") -> Issue:
    """``note`` as an issue at the place in ``source`` its path names."""
    loc, path, message = split_note(source.data, note)
    line, col = source.locate(loc, key=True)
    return Issue(source.name, line, col, path, message, level)


class Reading:
    """What reading another tool's file directly (``validate``, ``render``) makes of the
    notes its conversion gave.

    ``errors``: values resumec requires and the file lacks (``import`` would fill in a
    placeholder; a rendered résumé must not show one). ``warnings``: values that look wrong
    in their own file and were left out or kept as written (:class:`Problem`), up to
    :data:`~resumec.errors.MAX_ISSUES`. ``changed``: how many other notes there are — fields
    renamed, reshaped or with no place in resumec, which ``resumec import`` lists.
    """

    def __init__(self, source: Source, notes: Sequence[str]) -> None:
        self.errors = sorted(
            _missing(source, note) for note in notes if isinstance(note, Filled))
        problems = [note for note in notes if isinstance(note, Problem)]
        self.warnings = sorted(note_issue(source, note, "warning")
                               for note in problems[:MAX_ISSUES])
        self.unshown = len(problems) - len(self.warnings)
        self.changed = sum(not isinstance(note, Filled | Problem) for note in notes)

    def summary(self, name: str) -> list[str]:
        """Lines saying what the warnings do not: how many more there are, how many fields
        the conversion changed."""
        lines = []
        if self.unshown:
            lines.append(f"{name}: warning: {self.unshown:,} more not shown; `resumec import` "
                         "lists every one")
        if self.changed:
            fields = "field was" if self.changed == 1 else "fields were"
            lines.append(f"{name}: note: {self.changed:,} {fields} renamed, reshaped or left "
                         "out to fit resumec; `resumec import` lists each")
        return lines


def _missing(source: Source, note: Filled) -> Issue:
    return note_issue(source, note.missing, "")


def carried(source: Source, fmt: str) -> tuple[dict[Loc, tuple[int, int]],
                                               dict[Loc, tuple[int, int]]]:
    """Positions, then key positions, for the parts of the converted data copied whole
    from ``source``: in a JSON Resume, the custom sections, section titles and language
    of the ``x-resumec`` block that resumec's own export writes, where the whole-document
    checks find what is wrong (a title for a section the file lacks). The rest of the
    converted data was rebuilt (lists may have lost items, so indices moved), and its
    errors point at the file's start."""
    if fmt != "jsonresume":
        return {}, {}
    from resumec.interop.jsonresume import EXTENSION

    copied = {"custom", "titles", "lang"}

    def inside(positions: dict[Loc, tuple[int, int]]) -> dict[Loc, tuple[int, int]]:
        return {loc[1:]: place for loc, place in positions.items()
                if len(loc) > 1 and loc[0] == EXTENSION and loc[1] in copied}

    return inside(source.positions), inside(source.key_positions)
