"""Inline Markdown in résumé text, read as markdown-it-py reads it.

Takes a text field; gives paragraphs of :class:`Span` runs (bold, italic, code,
link) that every backend renders its own way, or the plain text without markup.
Raw HTML is not a Markdown feature here: ``<p>`` stays the literal text ``<p>``.

markdown-it-py is the reference. Most résumé text uses only ``**bold**``, ``*italic*``
and ``[links](https://…)``, for which :func:`_quick_spans` gives the same runs without
loading the parser (~20 ms of every render); anything it is not certain of — other
markup, nesting, unusual neighbours of a ``*`` — goes to markdown-it-py. A property
test holds the two to the same answer.
"""

from __future__ import annotations

import re
import string
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
    quick = _quick_spans(text)
    return quick if quick is not None else _parsed_spans(text)


def _parsed_spans(text: str) -> tuple[Span, ...]:
    """:func:`spans` by markdown-it-py."""
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


_QUICK_PIECE = re.compile(
    r"(?P<link>\[(?P<label>[^\[\]_`<>\\&\n\t\r\f\v]+)\]"
    r"\((?P<url>[A-Za-z0-9;/?:@=+$,\-_.!~*'#]+)\))|(?P<stars>\*+)|(?P<text>[^*\[]+)|(?P<other>.)",
    re.DOTALL)
"""A link written plainly (a one-line label without other links or markup but ``*``, a
URL of characters markdown-it's link normaliser keeps as they are), a run of ``*``, plain
text, or anything else."""
_LABEL_PIECE = re.compile(r"(?P<stars>\*+)|(?P<text>[^*]+)", re.DOTALL)
_NOT_QUICK = re.compile(r"[_`\\\]\x00-\x08\x0b-\x1f\x7f]|&(?=[A-Za-z0-9#])|<(?!\s|$)")
"""Anything outside links that the quick reading leaves to markdown-it-py: other markup,
control characters (the parser rewrites some), what may start an entity (``&amp;``) or
an autolink (``<https://…>``). A ``&`` or ``<`` followed by a space, and any ``>``,
are plain text to the parser too (``R&D`` still goes to the parser)."""
_LINE_BREAK = re.compile(r"\s*\n\s*")
_PLAIN_LINE_BREAK = re.compile(r" *\n[ \t]*")
"""A line break as the parser folds it to one space: only spaces before it (which it
trims), spaces or tabs after it (which it skips)."""


def _kind(ch: str) -> str | None:
    """A neighbour of a ``*`` run as CommonMark's flanking rules see it.

    ``W``: a space, tab or line break (or the start or end); ``P``: ASCII punctuation;
    ``A``: letters and digits; None for anything else (Unicode punctuation and symbols,
    other spaces), which is left to the parser.
    """
    if ch in " \n\t":
        return "W"
    if ch in string.punctuation:
        return "P"
    return "A" if ch.isalnum() else None


def _quick_spans(text: str) -> tuple[Span, ...] | None:
    """:func:`spans` for plain bold, italic and links without the parser, or None if unsure.

    Accepts ``**…**`` and ``*…*`` around plain text (not nested, not around a link), and
    links with a plain URL whose label is plain text, itself with such bold or italic.
    A ``*`` run must open where CommonMark says it can (left-flanking) and close where it
    can (right-flanking); with equal runs of one or two, which never meet the rule of
    three, each closer then closes the opener just before it, as markdown-it pairs them.
    A link's label is paired on its own, as markdown-it does, its neighbours in the text
    (``[`` and ``]``) counting for the flanking.
    """
    outside_links = _QUICK_PIECE.sub(lambda m: "x" if m["link"] else m[0], text)
    if _NOT_QUICK.search(outside_links) or "![" in text:  # image syntax: not worth the doubt
        return None
    if any(not _PLAIN_LINE_BREAK.fullmatch(m[0]) for m in _LINE_BREAK.finditer(text)):
        return None
    out: list[Span] = []
    opened = 0  # the length of the open * run: 0, 1 or 2

    def stars(m: re.Match[str]) -> bool:
        """Open or close emphasis at the ``*`` run ``m``; False where unsure."""
        nonlocal opened
        run = len(m[0])
        before = _kind(text[m.start() - 1]) if m.start() else "W"
        after = _kind(text[m.end()]) if m.end() < len(text) else "W"
        if run > 2 or before is None or after is None:
            return False
        left = after != "W" and (after != "P" or before in "WP")
        right = before != "W" and (before != "P" or after in "WP")
        if not opened and left:
            opened = run
        elif opened == run and right:
            opened = 0
        else:
            return False
        return True

    def add(piece: str, href: str | None = None) -> None:
        _append(out, Span(_SPACES.sub(" ", piece), opened == 2, opened == 1, href=href))

    for m in _QUICK_PIECE.finditer(text):
        if m["text"] is not None:
            add(m["text"])
        elif m["stars"] is not None:
            if not stars(m):
                return None
        elif m["link"] is not None and not opened:
            url = m["url"]
            href = url if url.lower().startswith(_SAFE_SCHEMES) else None
            for piece in _LABEL_PIECE.finditer(text, m.start("label"), m.end("label")):
                if piece["text"] is not None:
                    add(piece["text"], href)
                elif not stars(piece):
                    return None
            if opened:
                return None
        else:
            return None
    return tuple(s for s in out if s.text) if not opened else None


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

