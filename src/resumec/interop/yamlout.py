"""YAML writing: resumec data as a file that reads as if written by hand.

Takes plain résumé data (mappings, lists, scalars); gives YAML text with keys in the
schema's order (sections in the order given), block style, blank lines between
top-level blocks, long prose folded (``>-``) and paragraphs as literal blocks (``|``),
short lists of words in flow style (``[a, b]``), and quotes only where a value would
otherwise read back as something else (``no``, ``2020-05``, ``3.10``, ``a: b``). The
text is checked by reading it back with resumec's own loader.
"""

from __future__ import annotations

import re
import typing
from typing import Any

import yaml
from pydantic import BaseModel

from resumec.loader import _scalar, parse
from resumec.schema.model import SECTION_KEYS, Resume

WIDTH = 88
"""Aim for lines this long (PyYAML breaks at the first space after WIDTH - 10)."""
_DATE_LIKE = re.compile(r"^\d{4}(-\d{1,2}){1,2}$")
_FLOW_UNSAFE = re.compile(r"[:#,\[\]{}&*!|>'\"%@`]|^[-?]|\s$|^\s")
_MAX_FLOW = WIDTH


class _Folded(str):
    """A long one-line string to write folded (``>-``)."""


class _Literal(str):
    """A string with line breaks to write as a literal block (``|``)."""


class _Quoted(str):
    """A string that would read back as something else unless quoted."""


class _Flow(list[Any]):
    """A short list (or a mapping's items) to write on one line."""


class _FlowMap(dict[str, Any]):
    """A small mapping to write on one line."""


class _Dumper(yaml.SafeDumper):
    """Block style, sequences indented under their key, no tags, no aliases."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    tag = "tag:yaml.org,2002:str"
    style: str | None = None
    if isinstance(value, _Literal):
        style = "|"
    elif isinstance(value, _Folded):
        style = ">"
    elif isinstance(value, _Quoted) or ("'" in value and '"' not in value and not (
            dumper.analyze_scalar(value).allow_block_plain)):
        style = '"'  # "it's" reads better than 'it''s'
    return dumper.represent_scalar(tag, str(value), style=style)


def _seq(dumper: yaml.SafeDumper, value: list[Any]) -> yaml.SequenceNode:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value,
                                     flow_style=isinstance(value, _Flow))


def _map(dumper: yaml.SafeDumper, value: dict[str, Any]) -> yaml.MappingNode:
    return dumper.represent_mapping("tag:yaml.org,2002:map", value.items(),
                                    flow_style=isinstance(value, _FlowMap))


def _number(dumper: yaml.SafeDumper, value: float) -> yaml.ScalarNode:
    """Numbers as written in the source (``3.10`` stays ``3.10``, ``007`` stays ``007``)."""
    if isinstance(value, int):
        return dumper.represent_scalar("tag:yaml.org,2002:int",
                                       getattr(value, "source", str(int(value))))
    source = getattr(value, "source", None)
    if source is not None:
        return dumper.represent_scalar("tag:yaml.org,2002:float", source)
    return dumper.represent_float(value)


_Dumper.add_multi_representer(int, _number)
_Dumper.add_multi_representer(float, _number)
for _text in (str, _Folded, _Literal, _Quoted):
    _Dumper.add_representer(_text, _str)
for _list in (list, _Flow):
    _Dumper.add_representer(_list, _seq)
for _dict in (dict, _FlowMap):
    _Dumper.add_representer(_dict, _map)


_RESOLVER = yaml.resolver.Resolver()


def _reads_back(text: str) -> bool:
    """Whether ``text`` written plain reads back as the same text (YAML 1.1 and 1.2)."""
    if not text or text != text.strip() or _DATE_LIKE.match(text):
        return False
    node = yaml.ScalarNode("tag:yaml.org,2002:str", text, style=None)
    if _scalar(node) != text or not isinstance(_scalar(node), str):
        return False
    resolved = _RESOLVER.resolve(yaml.ScalarNode, text, (True, False))  # type: ignore[no-untyped-call]
    return bool(resolved == "tag:yaml.org,2002:str")


def _style(value: Any, *, fancy: bool, indent: int = 0, col: int = 0) -> Any:
    """Wrap a value so that the dumper writes it in its hand-written style.

    ``indent`` is where a block mapping's keys (or a sequence's dashes) would start,
    ``col`` where a scalar or flow collection would start.
    """
    if isinstance(value, dict):
        if fancy and col and _small_map(value, col):
            return _FlowMap(value)
        return {k: _style(v, fancy=fancy, indent=indent + 2, col=indent + len(str(k)) + 2)
                for k, v in value.items()}
    if isinstance(value, list | tuple):
        if fancy and _flowable(value, col):
            return _Flow(value)
        return [_style(v, fancy=fancy, indent=indent + 2, col=indent + 2) for v in value]
    if isinstance(value, str):
        if "\n" in value and fancy:
            return _Literal(value)
        if not _reads_back(value):
            return _Quoted(value)
        if fancy and " " in value and col + len(value) > WIDTH:
            return _Folded(value)
    return value


def _scalar_ok(v: Any) -> bool:
    if isinstance(v, bool) or v is None:
        return False
    if isinstance(v, int | float):
        return True
    return (isinstance(v, str) and "\n" not in v and _reads_back(v)
            and not _FLOW_UNSAFE.search(v))


def _flowable(items: list[Any] | tuple[Any, ...], col: int) -> bool:
    return bool(items) and all(_scalar_ok(v) for v in items) and (
        col + sum(len(str(v)) + 2 for v in items) <= WIDTH)


def _small_map(m: dict[str, Any], col: int) -> bool:
    return 0 < len(m) <= 3 and all(_scalar_ok(v) for v in m.values()) and (
        col + sum(len(k) + len(str(v)) + 4 for k, v in m.items()) <= _MAX_FLOW)


# --- key order ----------------------------------------------------------------------------------


def _unwrap(tp: Any) -> Any:
    origin = typing.get_origin(tp)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(tp)[0])
    if origin in (typing.Union, __import__("types").UnionType):
        found = [_unwrap(a) for a in typing.get_args(tp) if a is not type(None)]
        for f in found:
            if (isinstance(f, type) and issubclass(f, BaseModel)) or typing.get_origin(f):
                return f
        return found[0] if found else None
    return tp


_TRAILING = ("summary", "text", "highlights", "courses", "keywords", "items", "roles",
             "entries", "bullets")
_META = ("date", "start", "end", "when", "tags", "private")


def _natural_fields(model: type[BaseModel]) -> dict[str, Any]:
    """The model's keys as people write them: what it is, when, then the detail.

    pydantic lists inherited fields (dates, tags) first; a hand-written entry starts with
    its own heading fields, then its dates and tags, then prose and lists.
    """
    own = [n for n in model.model_fields if n in vars(model).get("__annotations__", {})
           and n not in _META]
    meta = [n for n in model.model_fields if n in _META]
    cut = next((i for i, n in enumerate(own) if n in _TRAILING and i > 0), len(own))
    names = [*own[:cut], *meta, *own[cut:]]
    names += [n for n in model.model_fields if n not in names]
    return {(model.model_fields[n].alias or n): model.model_fields[n].annotation
            for n in names}


def _ordered(value: Any, tp: Any) -> Any:
    """``value`` with mapping keys in the order of the model ``tp`` describes."""
    tp = _unwrap(tp)
    origin = typing.get_origin(tp)
    if isinstance(value, list | tuple):
        inner = typing.get_args(tp)[0] if origin in (tuple, list) else None
        return [_ordered(v, inner) for v in value]
    if not isinstance(value, dict):
        return value
    if origin is dict:
        inner = typing.get_args(tp)[1]
        return {k: _ordered(v, inner) for k, v in value.items()}
    if not (isinstance(tp, type) and issubclass(tp, BaseModel)):
        return value
    fields = _natural_fields(tp)
    keys = [k for k in fields if k in value]
    if tp is Resume:  # sections keep the order given: it is the order they appear in
        sections = [k for k in value if k in (*SECTION_KEYS, "custom")]
        cut = list(fields).index("summary")
        head = [k for k in keys[:] if list(fields).index(k) < cut]
        tail = [k for k in keys if k not in head and k not in sections]
        keys = [*head, *sections, *tail]
    keys += [k for k in value if k not in keys]
    return {k: _ordered(value[k], fields.get(k)) for k in keys}


# --- writing ------------------------------------------------------------------------------------


def _emit(data: Any, *, fancy: bool) -> str:
    text = yaml.dump(_style(data, fancy=fancy), Dumper=_Dumper, sort_keys=False,
                     allow_unicode=True, default_flow_style=False, width=WIDTH - 10, indent=2)
    lines = text.splitlines()
    out: list[str] = []
    for i, line in enumerate(lines):
        top = bool(line) and not line[0].isspace() and not line.startswith(("-", "#"))
        block = i + 1 < len(lines) and lines[i + 1][:1].isspace()
        if i and top and (block or (out and out[-1][:1].isspace())):
            out.append("")
        out.append(line)
    return "\n".join(out) + "\n"


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, dict) and isinstance(b, dict):
        return list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list | tuple) and isinstance(b, list | tuple):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return type(a) is type(b) or (isinstance(a, int | float) and isinstance(b, int | float)
                                  and not isinstance(a, bool) and not isinstance(b, bool)
                                  ) if a == b else False


def dump_yaml(data: dict[str, Any], *, header: str | None = None) -> str:
    """Write résumé ``data`` as hand-written-looking YAML; ``header`` is a schema URL for
    a ``yaml-language-server`` modeline (editor completion and inline errors)."""
    ordered = _ordered(data, Resume)
    text = _emit(ordered, fancy=True)
    if not _same(parse(text, "<yaml>").data, ordered):
        text = _emit(ordered, fancy=False)  # plainer styles, for text the fancy ones mangle
        if not _same(parse(text, "<yaml>").data, ordered):
            raise AssertionError("YAML output does not read back as the data written")
    if header:
        text = f"# yaml-language-server: $schema={header}\n\n{text}"
    return text
