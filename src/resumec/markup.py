"""Inline Markdown in résumé text, parsed by markdown-it-py (never by regexes).

Takes a text field; gives paragraphs of :class:`Span` runs (bold, italic, code,
link) that every backend renders its own way, or the plain text without markup.
Raw HTML is not a Markdown feature here: ``<p>`` stays the literal text ``<p>``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

_SAFE_SCHEMES = ("http:", "https:", "mailto:")
_BLANK_LINE = re.compile(r"\n[ \t]*\n+")
_SPACES = re.compile(r"\s+")
_MARKUP_CHARS = re.compile(r"[*_`\[\]<>\\&]")


@dataclass(frozen=True)
class Span:
    """A run of text with uniform formatting."""

    text: str
    bold: bool = False
    italic: bool = False
    code: bool = False
    href: str | None = None


@cache
def _parser() -> MarkdownIt:
    from markdown_it import MarkdownIt

    md = MarkdownIt("zero").enable(["emphasis", "link", "autolink", "backticks", "escape",
                                    "entity", "newline"])
    # Validation rejects unsafe links with a located error; the parser must see them to do so.
    md.validateLink = lambda url: True  # type: ignore[method-assign]
    return md


def paragraphs(text: str) -> list[str]:
    """Split prose on blank lines into paragraphs."""
    return [p.strip() for p in _BLANK_LINE.split(text.strip()) if p.strip()]


def link_targets(text: str) -> list[str]:
    """Return every link target in ``text``, as written."""
    out: list[str] = []
    for block in _parser().parseInline(text):
        for tok in block.children or []:
            if tok.type == "link_open":
                out.append(str(tok.attrs.get("href", "")))
    return out


def spans(text: str) -> tuple[Span, ...]:
    """Parse one paragraph of inline Markdown into formatted runs."""
    if not _MARKUP_CHARS.search(text):
        return (Span(" ".join(text.split())),)
    out: list[Span] = []
    bold = italic = 0
    href: str | None = None
    for block in _parser().parseInline(text):
        for tok in block.children or []:
            kind = tok.type
            if kind == "strong_open":
                bold += 1
            elif kind == "strong_close":
                bold -= 1
            elif kind == "em_open":
                italic += 1
            elif kind == "em_close":
                italic -= 1
            elif kind == "link_open":
                target = str(tok.attrs.get("href", ""))
                href = target if target.lower().startswith(_SAFE_SCHEMES) else None
            elif kind == "link_close":
                href = None
            elif kind in ("text", "code_inline", "softbreak", "hardbreak"):
                content = " " if kind.endswith("break") else _SPACES.sub(" ", tok.content)
                if not content:
                    continue
                _append(out, Span(content, bool(bold), bool(italic), kind == "code_inline", href))
    return tuple(out)


def _append(out: list[Span], span: Span) -> None:
    if out and (out[-1].bold, out[-1].italic, out[-1].code, out[-1].href) == (
        span.bold, span.italic, span.code, span.href
    ):
        out[-1] = Span(out[-1].text + span.text, span.bold, span.italic, span.code, span.href)
    else:
        out.append(span)


def plain(text: str) -> str:
    """Return ``text`` without Markdown syntax, one paragraph per line-pair."""
    return "\n\n".join("".join(s.text for s in spans(p)) for p in paragraphs(text))

