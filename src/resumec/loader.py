"""Load a résumé file: bytes → plain data with the line:col of every node → Resume.

Takes a path; gives a :class:`Source` (data plus positions) and, through
:func:`load_resume`, a validated :class:`~resumec.schema.Resume`. Every problem —
bad encoding, YAML syntax, duplicate keys, unsafe tags, alias bombs, schema errors —
becomes a located :class:`~resumec.errors.Issue`; all of them are raised at once.

YAML is read with PyYAML's composer (libyaml when available) and turned into data
here, under YAML 1.2 core rules: ``no`` is text, not false, and dates stay text
until the schema parses them. No Python object is ever constructed from a tag.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from resumec.errors import Hints, Issue, ResumecError, terminal_safe
from resumec.frozen import Frozen
from resumec.schema.corelib import ValidationError

TYPE_CHECKING = False  # `resumec validate` imports neither typing nor dataclasses
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping
    from typing import Any, NoReturn, TextIO

    from resumec.schema.compiled import Compiled

class Kind(Frozen):
    """What a document is, for the messages that name it: a résumé, or a theme's manifest
    (read by the same loader)."""

    __slots__ = ("keys", "noun", "required")
    _fields = ("noun", "keys", "required")
    noun: str
    keys: str
    required: str

    def __init__(self, noun: str, keys: str, required: str) -> None:
        self._init(noun, keys, required)


RESUME = Kind("a résumé", "'name:' and 'experience:'", "'name'")
THEME_MANIFEST = Kind("a theme manifest", "'name:' and 'tokens:'", "'name' and 'description'")

MAX_BYTES = 2 * 1024 * 1024
"""Largest résumé file accepted; real ones are a few kilobytes."""
MAX_NODES = 100_000
"""Most values a document may expand to through aliases (stops "billion laughs")."""
MAX_DEPTH = 64
"""Deepest nesting accepted; a résumé needs about six levels."""

Loc = tuple[str | int, ...]

_CORE = "tag:yaml.org,2002:"
_ALLOWED_TAGS = {f"{_CORE}{t}" for t in ("str", "int", "float", "bool", "null", "map", "seq",
                                          "timestamp", "merge", "value")}
_INT = re.compile(r"^[-+]?[0-9]+$")
_ANCHOR = re.compile(r"&([^\s,\[\]{}]+)")
_FLOAT = re.compile(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_NULL = {"", "~", "null", "Null", "NULL"}
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False,
         "FALSE": False}

try:
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _Loader = yaml.SafeLoader


class SourceInt(int):
    """An integer that remembers how it was written (``007`` stays ``007`` as text)."""

    source: str


class SourceFloat(float):
    """A float that remembers how it was written (``3.10`` stays ``3.10`` as text)."""

    source: str


class Source(Frozen):
    """A parsed document: its data and where each value and key came from."""

    __slots__ = ("data", "key_positions", "name", "positions")
    _fields = ("name", "data", "positions", "key_positions")
    name: str
    data: Any
    positions: dict[Loc, tuple[int, int]]
    key_positions: dict[Loc, tuple[int, int]]

    def __init__(self, name: str, data: Any, positions: dict[Loc, tuple[int, int]] | None = None,
                 key_positions: dict[Loc, tuple[int, int]] | None = None) -> None:
        self._init(name, data, {} if positions is None else positions,
                   {} if key_positions is None else key_positions)

    def locate(self, loc: Loc, *, key: bool = False) -> tuple[int, int]:
        """Line and column of ``loc`` (its key if ``key``), or of its nearest ancestor."""
        if key and loc in self.key_positions:
            return self.key_positions[loc]
        while loc:
            if loc in self.positions:
                return self.positions[loc]
            loc = loc[:-1]
        return self.positions.get((), (1, 1))

    def issue(self, loc: Loc, message: str, *, key: bool = False) -> Issue:
        """An :class:`Issue` at ``loc`` in this document."""
        line, col = self.locate(loc, key=key)
        return Issue(self.name, line, col, format_loc(loc), message)


def format_loc(loc: Loc) -> str:
    """``('experience', 2, 'roles', 0, 'end')`` → ``experience[2].roles[0].end``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def describe(value: Any) -> str:
    """Describe a value for an error message: its kind and a short preview."""
    if isinstance(value, bool):
        return f"{str(value).lower()}"
    if value is None:
        return "nothing"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list | tuple):
        return "a list"
    text = getattr(value, "source", None) or str(value)
    text = text if len(text) <= 50 else text[:47] + "…"
    return f'"{text}"' if isinstance(value, str) else text


# --- reading ----------------------------------------------------------------------------------


def read_text(path: Path, display: str, kind: Kind = RESUME) -> str:
    """Read a UTF-8 file, refusing oversized files and invalid bytes with a located error."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise ResumecError([Issue(display, 1, 1, "", f"file is {size:,} bytes; {kind.noun} "
                                      f"may be at most {MAX_BYTES:,} bytes")])
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ResumecError(f"{display}: no such file") from None
    except IsADirectoryError:
        raise ResumecError(f"{display}: is a directory, not a file") from None
    except PermissionError:
        raise ResumecError(f"{display}: permission denied") from None
    except OSError as exc:  # a name too long, a loop of links
        raise ResumecError(f"{display}: cannot read: {exc.strerror or exc}") from None
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        col = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
        raise ResumecError([Issue(display, line, col, "", f"invalid UTF-8 byte "
                                  f"0x{raw[exc.start]:02X}; save the file as UTF-8")]) from None


def parse(text: str, name: str, *, json_only: bool = False, kind: Kind = RESUME) -> Source:
    """Parse YAML (or JSON) text into a :class:`Source`; raise located issues."""
    if json_only:
        # JSON is checked as JSON, then read through the same composer as YAML, so that
        # duplicate keys and deep nesting are located like everything else.
        unlocated = _check_json(text, name)
        try:
            node = yaml.compose(text, Loader=_Loader)
        except (yaml.YAMLError, RecursionError):
            node = None  # valid JSON that YAML reads differently (tabs): no positions
        if node is None:
            if isinstance(unlocated, Issue):
                raise ResumecError([unlocated])
            if not isinstance(unlocated, dict):
                _not_a_mapping(name, 1, 1, unlocated, kind)
            halves = [Issue(name, 1, 1, format_loc(loc), f"\\u{ord(half):04x} is half of a "
                            "UTF-16 pair with no other half: not a character")
                      for loc, half in _lone_surrogates(unlocated)]
            if halves:
                raise ResumecError(sorted(halves))
            return Source(name, unlocated)
        return _build(node, name, text, kind)
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        raise ResumecError([_syntax_issue(exc, text, name)]) from None
    except yaml.reader.ReaderError as exc:
        before = text[: exc.position]
        line, col = before.count("\n") + 1, exc.position - (before.rfind("\n") + 1) + 1
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        raise ResumecError([Issue(name, line, col, "", f"character U+{code:04X} is not "
                                  "allowed in YAML")]) from None
    except yaml.YAMLError as exc:
        message = " ".join(str(exc).split())
        raise ResumecError([Issue(name, 1, 1, "", f"YAML: {message}")]) from None
    except RecursionError:
        raise ResumecError([Issue(name, 1, 1, "", "nested too deeply")]) from None
    if node is None:
        raise ResumecError([Issue(name, 1, 1, "", f"the file is empty; {kind.noun} needs at "
                                  f"least {kind.required}")])
    return _build(node, name, text, kind)


def _syntax_issue(exc: yaml.MarkedYAMLError, text: str, name: str) -> Issue:
    """A YAML syntax error, located where a person should look, in plain words."""
    mark = exc.problem_mark or exc.context_mark
    problem = exc.problem or exc.context or "invalid YAML"
    context = exc.context if exc.problem else None
    if problem == "found unexpected end of stream" and exc.context_mark and context:
        mark = exc.context_mark  # an unclosed quote or bracket: point at where it opened
        what = context.removeprefix("while scanning ").removeprefix("while parsing ")
        what = what.removeprefix("a ").removeprefix("an ").replace("scalar", "text")
        problem, context = f"this {what} is never closed", None
    elif mark and "cannot start any token" in problem and _char_at(text, mark) == "\t":
        problem = "a tab cannot indent YAML; use spaces"
    elif context and problem.startswith("but "):
        problem, context = f"{context}, {problem}", None  # PyYAML's halves, in reading order
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    suffix = f" ({context})" if context else ""
    return Issue(name, line, col, "", f"YAML syntax: {problem}{suffix}")


def _char_at(text: str, mark: yaml.Mark) -> str:
    lines = text.splitlines()
    line = lines[mark.line] if mark.line < len(lines) else ""
    return line[mark.column] if mark.column < len(line) else ""


def _build(node: yaml.Node, name: str, text: str, kind: Kind) -> Source:
    builder = _Builder(name, text, kind)
    data = builder.build(node)
    if builder.issues:
        raise ResumecError(sorted(builder.issues))
    if not isinstance(data, dict):
        _not_a_mapping(name, node.start_mark.line + 1, node.start_mark.column + 1, data, kind)
    return Source(name, data, builder.positions, builder.key_positions)


def _not_a_mapping(name: str, line: int, col: int, data: Any, kind: Kind) -> NoReturn:
    raise ResumecError([Issue(name, line, col, "", f"{kind.noun} is a mapping of keys such "
                              f"as {kind.keys}, got {describe(data)}")])


def _check_json(text: str, name: str) -> Any:
    """Check JSON syntax (raising located errors); return the data, or an unlocated
    :class:`Issue` for what the YAML reader will locate better (duplicates, depth)."""
    import json

    def no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        keys = [k for k, _ in pairs]
        dupes = sorted({k for k in keys if keys.count(k) > 1})
        if dupes:
            raise ValueError(f"duplicate key '{dupes[0]}'")
        return dict(pairs)

    def number(digits: str) -> int | str:
        try:
            return int(digits)
        except ValueError:  # more digits than Python reads: text, as the YAML reader has it
            return digits

    try:
        return json.loads(text, object_pairs_hook=no_duplicates, parse_int=number)
    except json.JSONDecodeError as exc:
        raise ResumecError([Issue(name, exc.lineno, exc.colno, "", f"JSON syntax: {exc.msg}")]) \
            from None
    except ValueError as exc:
        return Issue(name, 1, 1, "", f"JSON: {exc}")
    except RecursionError:
        return Issue(name, 1, 1, "", f"nested more than {MAX_DEPTH} levels deep")


def _lone_surrogates(data: Any) -> list[tuple[Loc, str]]:
    """Where JSON data holds half of a UTF-16 pair with no other half, and that half (in
    a key: where the key is). JSON may write one (``"\\ud800"``), and YAML refuses it, so
    only JSON that YAML cannot read brings one in: no UTF-8 file or output can hold it."""
    found: list[tuple[Loc, str]] = []
    todo: list[tuple[Loc, Any]] = [((), data)]
    while todo:  # no recursion: the JSON may be nested as deeply as Python's parser goes
        loc, value = todo.pop()
        if isinstance(value, str):
            if m := _SURROGATE.search(value):
                found.append((loc, m[0]))
        elif isinstance(value, dict):
            for key, item in value.items():
                if m := _SURROGATE.search(key):
                    found.append((loc, m[0]))
                else:
                    todo.append(((*loc, key), item))
        elif isinstance(value, list):
            todo.extend(((*loc, i), v) for i, v in enumerate(value))
    return found


class _Builder:
    """Turn a composed YAML node graph into plain data, recording positions."""

    def __init__(self, name: str, text: str, kind: Kind) -> None:
        self.name = name
        self.text = text
        self.kind = kind
        self._line_starts: list[int] | None = None
        self.positions: dict[Loc, tuple[int, int]] = {}
        self.key_positions: dict[Loc, tuple[int, int]] = {}
        self.issues: list[Issue] = []
        self.count = 0
        self.too_big = False
        self._merged: dict[int, list[tuple[yaml.Node, yaml.Node]]] = {}

    def _issue(self, node: yaml.Node, loc: Loc, message: str) -> None:
        mark = node.start_mark
        self.issues.append(Issue(self.name, mark.line + 1, mark.column + 1, format_loc(loc),
                                 message))

    def _offset(self, line: int, col: int) -> int:
        """Index in the text of a 0-based line and column, counted as :func:`_char_at` does."""
        if self._line_starts is None:
            self._line_starts = [0]
            for piece in self.text.splitlines(keepends=True):
                self._line_starts.append(self._line_starts[-1] + len(piece))
        starts = self._line_starts
        return starts[min(line, len(starts) - 1)] + col

    def _where_alias(self, node: yaml.Node, after: yaml.Mark) -> tuple[int, int] | None:
        """Line and column (1-based) of the alias to ``node`` written inside ``node``, after
        ``after``: the composed graph keeps only the node an alias names, not where the
        alias is, so it is looked for in the text, between ``after`` and the node's end."""
        import bisect

        start = self._offset(node.start_mark.line, node.start_mark.column)
        anchor = _ANCHOR.match(self.text, start)
        if anchor is None:
            return None
        alias = re.compile(rf"\*{re.escape(anchor[1])}(?=[\s,\]}}]|\Z)")
        end = self._offset(node.end_mark.line, node.end_mark.column)
        found = alias.search(self.text, max(start, self._offset(after.line, after.column)), end)
        if found is None:
            return None
        starts = self._line_starts or [0]
        line = bisect.bisect_right(starts, found.start()) - 1
        return line + 1, found.start() - starts[line] + 1

    def build(self, node: yaml.Node, loc: Loc = (), active: frozenset[int] = frozenset(),
              after: yaml.Mark | None = None) -> Any:
        """``node`` as plain data; ``after`` is where the text before it ends (the previous
        item, or the key), to find an alias in it that refers to a node containing it."""
        self.count += 1
        if self.count > MAX_NODES:
            if not self.too_big:
                self.too_big = True
                self._issue(node, loc, f"the document expands to more than {MAX_NODES:,} "
                            "values (too many aliases?)")
            return None
        if len(loc) > MAX_DEPTH:
            self._issue(node, loc, f"nested more than {MAX_DEPTH} levels deep")
            return None
        if id(node) in active:
            message = "an alias refers to the node that contains it"
            at = self._where_alias(node, after) if after is not None else None
            if at is None:
                self._issue(node, loc, message)
            else:
                self.issues.append(Issue(self.name, *at, format_loc(loc), message))
            return None
        self.positions[loc] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if node.tag not in _ALLOWED_TAGS:
            self._issue(node, loc, f"tag '{node.tag.replace(_CORE, '!!')}' is not allowed; "
                        f"{self.kind.noun} holds only text, numbers, lists and mappings")
            return None
        if isinstance(node, yaml.ScalarNode):
            return _scalar(node)
        inner = active | {id(node)}
        if isinstance(node, yaml.SequenceNode):
            items = []
            after = node.start_mark
            for i, child in enumerate(node.value):
                items.append(self.build(child, (*loc, i), inner, after))
                if (child.end_mark.line, child.end_mark.column) > (after.line, after.column):
                    after = child.end_mark  # not back to an earlier node an alias names
            return items
        assert isinstance(node, yaml.MappingNode)
        out: dict[str, Any] = {}
        for key_node, value_node in self._pairs(node, loc):
            if not isinstance(key_node, yaml.ScalarNode):
                self._issue(key_node, loc, "a key must be plain text, not a list or mapping")
                continue
            key = str(key_node.value)
            if key in out:
                first = self.key_positions.get((*loc, key), (0, 0))
                self._issue(key_node, (*loc, key), f"duplicate key '{key}' (first at line "
                            f"{first[0]})")
                continue
            self.key_positions[(*loc, key)] = (key_node.start_mark.line + 1,
                                               key_node.start_mark.column + 1)
            out[key] = self.build(value_node, (*loc, key), inner, key_node.end_mark)
        return out

    def _pairs(self, node: yaml.MappingNode, loc: Loc, merging: frozenset[int] = frozenset()
               ) -> list[tuple[yaml.Node, yaml.Node]]:
        """The mapping's pairs, ``<<`` merge keys expanded (explicit keys win).

        ``merging`` holds the mappings whose merges are being expanded around this one: a
        mapping merged into itself is an error, not endless recursion. Each mapping is
        expanded once and remembered: a chain of mappings each merging the one before
        twice would otherwise double the work at every link (a "billion laughs" that
        builds no values, so ``MAX_NODES`` never sees it)."""
        if id(node) in self._merged:
            return self._merged[id(node)]
        merging |= {id(node)}
        merged: list[tuple[yaml.Node, yaml.Node]] = []
        own: list[tuple[yaml.Node, yaml.Node]] = []
        for key_node, value_node in node.value:
            if key_node.tag == f"{_CORE}merge":
                sources = (value_node.value if isinstance(value_node, yaml.SequenceNode)
                           else [value_node])
                for src in sources:
                    if not isinstance(src, yaml.MappingNode):
                        self._issue(src, loc, "'<<' merges only mappings")
                    elif id(src) in merging:
                        self._issue(key_node, loc, "'<<' merges the mapping that contains it")
                    elif len(merging) > MAX_DEPTH:
                        self._issue(key_node, loc, f"'<<' merges nested more than "
                                    f"{MAX_DEPTH} levels deep")
                    else:
                        merged.extend(self._pairs(src, loc, merging))
            else:
                own.append((key_node, value_node))
        explicit = {k.value for k, _ in own if isinstance(k, yaml.ScalarNode)}
        pairs: list[tuple[yaml.Node, yaml.Node]] = []
        for key_node, value_node in merged:
            if isinstance(key_node, yaml.ScalarNode) and key_node.value not in explicit:
                explicit.add(key_node.value)  # the first mapping merged wins
                pairs.append((key_node, value_node))
        self._merged[id(node)] = pairs = pairs + own
        return pairs


def _scalar(node: yaml.ScalarNode) -> Any:
    """Resolve a scalar under the YAML 1.2 core schema; quoted scalars are always text."""
    text: str = node.value
    if node.style is not None and node.tag == f"{_CORE}str":
        return text
    if text in _NULL:
        return None
    if text in _BOOL:
        return _BOOL[text]
    if _INT.match(text):
        try:
            value: Any = SourceInt(int(text, 10))
        except ValueError:  # more digits than Python reads (4,300): no number a résumé has
            return text
        value.source = text
        return value
    if _FLOAT.match(text):
        value = SourceFloat(float(text))
        value.source = text
        return value
    return text


# --- validating -------------------------------------------------------------------------------


def load_source(path: Path, display: str | None = None, kind: Kind = RESUME) -> Source:
    """Read and parse ``path`` (YAML, or JSON by its suffix), a document of ``kind``."""
    name = display or str(path)
    text = read_text(path, name, kind)
    return parse(text, name, json_only=path.suffix.lower() == ".json", kind=kind)


def validate(source: Source, base_dir: Path | None = None, *, compiled_schema: bool = True
             ) -> Any:
    """Validate a parsed document into a :class:`Resume`; raise every issue at once.

    Through the compiled schema when it is current (see ``schema/compiled.py``),
    through the pydantic model otherwise (or with ``compiled_schema=False``): the same
    objects, the same issues.
    """
    from resumec.schema.compiled import Compiled, model_validator

    compiled = model_validator() if compiled_schema else None
    if compiled is None:
        from resumec.schema.model import Resume

        Resume.model_rebuild()  # the models defer building until first needed
        compiled = Compiled(Resume.__pydantic_validator__, Resume.__pydantic_core_schema__)
    return _checked(source, base_dir, compiled)


def check_source(source: Source, base_dir: Path | None = None) -> None:
    """Raise every issue of a parsed document at once; build no :class:`Resume`.

    Uses the compiled validator (no pydantic models: what ``resumec validate`` needs on
    every commit) when it is current, and the models otherwise: the verdict is the same.
    """
    from resumec.schema.compiled import resume_validator

    compiled = resume_validator()
    if compiled is None:
        validate(source, base_dir)
    else:
        _checked(source, base_dir, compiled)


def _checked(source: Source, base_dir: Path | None, compiled: Compiled) -> Any:
    """Validate with ``compiled``, then run the whole-document checks; raise every issue
    at once."""
    from resumec.schema.checks import check

    try:
        resume = compiled.validator.validate_python(source.data)
    except ValidationError as exc:
        raise ResumecError(sorted(pydantic_issues(source, exc, compiled.schema))) from None
    problems = [source.issue(loc, msg, key=key) for loc, msg, key in check(resume, base_dir)]
    if problems:
        raise ResumecError(sorted(problems))
    return resume


def foreign_format(data: dict[str, Any]) -> str | None:
    """Which other tool's résumé ``data`` is: "fresh", "rendercv" or "jsonresume"; None
    for resumec's own (or nothing known). ``resumec import`` and the loader both ask
    here: what one converts, the other does too."""
    meta = data.get("meta")
    if isinstance(meta, dict) and str(meta.get("format", "")).upper().startswith("FRESH"):
        return "fresh"
    cv = data.get("cv")
    if isinstance(cv, dict) and ("sections" in cv or "name" in cv):
        return "rendercv"
    if "basics" in data or "work" in data:
        return "jsonresume"
    if isinstance(data.get("name"), str) and ("employment" in data or "info" in data):
        return "fresh"
    return None


def is_foreign(data: dict[str, Any]) -> bool:
    """Whether ``data`` looks like another tool's résumé (JSON Resume, RenderCV, FRESH)."""
    return foreign_format(data) is not None


def load_resume(path: Path, display: str | None = None,
                warn: Callable[[str], None] | None = None) -> Any:
    """Read, parse and validate the résumé at ``path``.

    A JSON Resume, RenderCV or FRESH document is converted first (:func:`_converted`);
    ``warn`` hears what the conversion left out, located in that file.
    """
    source = load_source(path, display)
    if is_foreign(source.data):
        return validate(_converted(source, path, warn), path.parent)
    return validate(source, path.parent)


def check_file(path: Path, display: str | None = None,
               warn: Callable[[str], None] | None = None) -> None:
    """Read, parse and check the résumé at ``path`` as :func:`load_resume` would."""
    source = load_source(path, display)
    if is_foreign(source.data):
        validate(_converted(source, path, warn), path.parent)
    else:
        check_source(source, path.parent)


def _converted(source: Source, path: Path, warn: Callable[[str], None] | None) -> Source:
    """Another tool's résumé as resumec data, read as it is written.

    Values resumec requires and the file lacks are errors, located in the file: ``resumec
    import`` would fill in placeholders to edit, but a rendered résumé must not show them.
    Values that look wrong in the file and were left out are located warnings; the other
    changes (renamed keys, fields with no place in resumec) are counted in one note, and
    ``resumec import`` lists each.
    """
    from resumec.interop import convert
    from resumec.interop.located import Reading, carried

    fmt, data, notes = convert(source.data, base_dir=path.parent)
    reading = Reading(source, notes)
    if reading.errors:
        raise ResumecError(reading.errors)
    if warn is not None:
        for line in [*map(str, reading.warnings), *reading.summary(source.name)]:
            warn(line)
    return Source(source.name, data, *carried(source, fmt))


def pydantic_issues(source: Source, exc: ValidationError, root: Mapping[str, Any],
                    prefix: Loc = ()) -> list[Issue]:
    """Translate pydantic's errors into located issues written for people, in order.

    ``root`` is the core schema that validated (``Model.__pydantic_core_schema__``, or
    the compiled one): it knows each object's keys, for "did you mean"; ``prefix`` is
    where the validated data sits in ``source`` (for part of a document). Suggestions
    have a budget (:class:`~resumec.errors.Hints`), spent in file order on the issues an
    error shows: fifty thousand unknown keys would otherwise take seconds.
    """
    placed: list[tuple[tuple[int, int], str, Loc, Any]] = []
    for err in exc.errors(include_url=False):
        loc: Loc = (*prefix, *err["loc"])
        kind = err["type"]
        at = source.locate(loc[:-1]) if kind == "missing" else \
            source.locate(loc, key=kind == "extra_forbidden")
        placed.append((at, format_loc(loc), loc, err))
    placed.sort(key=lambda p: p[:2])
    known: dict[Loc, list[str] | None] = {}  # the keys of each object with unknown ones
    hint = Hints()
    issues: list[Issue] = []
    for (line, col), path, loc, err in placed:
        kind, value = err["type"], err.get("input")
        if kind == "extra_forbidden":
            rel: Loc = tuple(err["loc"])[:-1]
            if rel not in known:
                known[rel] = keys_at(root, rel)
            keys = known[rel] or []
            close = hint(str(loc[-1]), keys)
            msg = f"unknown key '{loc[-1]}'{close}"
            if keys and not close:
                msg += f" (expected one of: {', '.join(keys)})"
        elif kind == "missing":
            msg = f"missing required key '{loc[-1]}'"
        else:
            msg = _message(kind, err["msg"], value, err.get("ctx"), hint)
        issues.append(Issue(source.name, line, col, path, msg))
    return issues


_KIND_MESSAGES = {
    "string_type": "expected text",
    "tuple_type": "expected a list",
    "list_type": "expected a list",
    "dict_type": "expected a mapping of keys to values",
    "model_type": "expected a mapping of keys to values",
    "model_attributes_type": "expected a mapping of keys to values",
    "bool_type": "expected true or false",
    "bool_parsing": "expected true or false",
    "int_type": "expected a whole number",
    "int_parsing": "expected a whole number",
    "int_from_float": "expected a whole number",
    "int_parsing_size": "expected a whole number",
    "float_type": "expected a number",
    "float_parsing": "expected a number",
    "string_too_short": "must not be empty",
    "too_short": "must not be empty",
}


def _message(kind: str, msg: str, value: Any, ctx: dict[str, Any] | None, hint: Hints) -> str:
    if kind in _KIND_MESSAGES:
        base = _KIND_MESSAGES[kind]
        return base if kind in ("string_too_short", "too_short") else f"{base}, got " \
            f"{describe(value)}"
    if kind == "literal_error" and ctx:
        expected = str(ctx.get("expected", ""))
        choices = re.findall(r"'([^']*)'", expected)
        close = hint(str(value), choices)
        return f"expected {expected}, got {describe(value)}{close}"
    if kind.startswith(("greater_than", "less_than")):
        return f"{msg[0].lower()}{msg[1:]}, got {describe(value)}".replace("input should", "must")\
            .replace("Input should", "must")
    if kind == "value_error":
        msg = msg.removeprefix("Value error, ")
    return msg[0].lower() + msg[1:] if msg[:1].isupper() and not msg[1:2].isupper() else msg


_WRAPPERS = ("function-before", "function-after", "function-wrap", "default", "nullable",
             "model", "model-field")
"""Core-schema nodes that hold one inner ``schema`` and change no keys."""


def keys_at(schema: Mapping[str, Any], loc: Loc) -> list[str] | None:
    """The keys the object at ``loc`` may have, from a core schema; None if not an object."""
    node: Any = schema
    defs: dict[str, Any] = {}
    for part in (*loc, None):
        node = _inner(node, defs)
        if part is None or node is None:
            break
        kind = node.get("type")
        if kind == "model-fields" and isinstance(part, str):
            fields = {f.get("validation_alias") or n: f for n, f in node["fields"].items()}
            node = fields.get(part)
        elif kind in ("tuple", "list") and isinstance(part, int):
            items = node.get("items_schema")
            node = items[0] if isinstance(items, list) and items else items
        elif kind == "dict" and isinstance(part, str):
            node = node.get("values_schema")
        else:
            return None
    if node is None or node.get("type") != "model-fields":
        return None
    return [f.get("validation_alias") or n for n, f in node["fields"].items()]


def _inner(node: Any, defs: dict[str, Any]) -> Any:
    """Step through wrappers (validators, defaults, optional, shared definitions) to the
    node that has keys; ``defs`` collects shared definitions on the way."""
    while isinstance(node, dict):
        kind = node.get("type")
        if kind == "definitions":
            defs.update((d["ref"], d) for d in node.get("definitions", ()))
        elif kind == "definition-ref":
            node = defs.get(node.get("schema_ref", ""))
            continue
        elif kind not in _WRAPPERS:
            break
        node = node.get("schema")
    if isinstance(node, dict) and node.get("type") == "union":
        for choice in node.get("choices", ()):
            found = _inner(choice[0] if isinstance(choice, list | tuple) else choice, defs)
            if isinstance(found, dict) and found.get("type") == "model-fields":
                return found
        return None
    return node


def validate_files(files: list[Path], err: TextIO) -> int:
    """Validate each file, printing every issue to ``err``; return the exit code."""
    failed = 0
    for file in files:
        try:
            check_file(file, str(file), warn=lambda line: print(terminal_safe(line), file=err))
        except ResumecError as exc:
            failed += 1
            for issue in exc.issues:
                print(terminal_safe(str(issue)), file=err)
    if failed:
        print(f"{failed} of {len(files)} file{'s' if len(files) > 1 else ''} invalid", file=err)
    return 1 if failed else 0
