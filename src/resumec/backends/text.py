"""Plain-text output: the résumé for pasting into application forms.

Takes a :class:`~resumec.backends.RenderJob`; gives UTF-8 text without any Markdown
syntax, wrapped at 78 columns: headings in capitals over a rule, dates aligned right on
each title line, bullets with a hanging indent, and links written as ``text (url)``
where the text is not the address itself.
"""

from __future__ import annotations

import unicodedata
from itertools import groupby

from resumec.backends import RenderJob
from resumec.document import Document, Item, Section, display_url
from resumec.markup import paragraphs, spans

WIDTH = 78
BULLET = "• "
SEP = " · "


def width(text: str) -> int:
    """Columns ``text`` takes in a monospaced font (wide East Asian characters take 2)."""
    return sum(0 if unicodedata.combining(ch) else
               2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def _shows_address(text: str, href: str) -> bool:
    shown = text.strip().rstrip("/")
    return shown in (href.rstrip("/"), href.removeprefix("mailto:"), display_url(href))


def flatten(paragraph: str) -> str:
    """One paragraph of inline Markdown as plain text, links as ``text (url)``."""
    out = []
    for href, group in groupby(spans(paragraph), key=lambda s: s.href):
        shown = "".join(s.text for s in group)
        out.append(shown if not href or _shows_address(shown, href) else f"{shown} ({href})")
    return " ".join("".join(out).split())


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("W", "F")


def _units(text: str) -> list[tuple[str, bool]]:
    """``text`` cut where a line may break, each piece with whether a space precedes it.

    Lines break at spaces and, as in Chinese and Japanese, between two wide characters;
    closing punctuation (``。``, ``」``) stays with the character before it and opening
    punctuation (``「``) with the one after, and a run of narrow characters (a word, a
    URL) is never cut.
    """
    units: list[tuple[str, bool]] = []
    for word in text.split():
        spaced = True
        for ch_run in _runs(word):
            closing = unicodedata.category(ch_run[0]) in ("Pe", "Pf", "Po")
            opening = bool(units) and unicodedata.category(units[-1][0][-1]) in ("Ps", "Pi")
            if units and not spaced and (closing or opening or not (
                    _wide(ch_run[0]) and _wide(units[-1][0][-1]))):
                units[-1] = (units[-1][0] + ch_run, units[-1][1])
            else:
                units.append((ch_run, spaced))
            spaced = False
    return units


def _runs(word: str) -> list[str]:
    """``word`` as single wide characters and runs of narrow ones."""
    out: list[str] = []
    for ch in word:
        if out and not _wide(ch) and not _wide(out[-1][-1]):
            out[-1] += ch
        else:
            out.append(ch)
    return out


def _wrap(text: str, indent: str = "", hanging: str | None = None) -> list[str]:
    """``text`` in lines of at most ``WIDTH`` columns as a monospaced font shows them
    (a wide character takes two); a word longer than a line keeps a line of its own."""
    lines: list[str] = []
    line = indent
    empty = True
    for piece, spaced in _units(text):
        joined = f" {piece}" if spaced and not empty else piece
        if not empty and width(line) + width(joined) > WIDTH:
            lines.append(line)
            line, joined = indent if hanging is None else hanging, piece
        line += joined
        empty = False
    lines.append(line if not empty else indent.rstrip())
    return lines


def _pack(items: list[str], indent: str = "") -> list[str]:
    """Join ``items`` with ``SEP`` into lines of at most ``WIDTH``, never splitting one."""
    lines: list[str] = []
    current = ""
    for item in items:
        candidate = f"{current}{SEP}{item}" if current else item
        if current and width(indent + candidate) > WIDTH:
            lines.append(indent + current)
            current = item
        else:
            current = candidate
    if current:
        lines.append(indent + current)
    return [ln for line in lines for ln in (_wrap(line.strip(), indent)
                                              if width(line) > WIDTH else [line])]


def _title_line(left: str, dates: str | None, indent: str) -> list[str]:
    if not dates:
        return _wrap(left, indent, indent + "  ")
    room = WIDTH - width(indent) - width(dates) - 2
    if width(left) <= room:
        return [f"{indent}{left}{' ' * (room - width(left) + 2)}{dates}"]
    # Too long to share a line: wrap the title, dates after its last line (reading order).
    lines = _wrap(left, indent, indent + "  ")
    last = lines[-1]
    gap = WIDTH - width(last) - width(dates)
    if gap >= 2:
        lines[-1] = f"{last}{' ' * gap}{dates}"
    else:
        lines.append(" " * (WIDTH - width(dates)) + dates)
    return lines


class TextBackend:
    """Plain text for application forms and e-mail."""

    name = "txt"
    suffix = "txt"
    description = "Plain text, wrapped at 78 columns, for application forms"

    def render(self, job: RenderJob) -> bytes:
        """Render ``job.document`` as plain text."""
        return render_document(job.document).encode("utf-8")


def render_document(doc: Document) -> str:
    """The whole document as plain text."""
    name = _one_line(doc.name)
    head = [name, "=" * width(name)]
    if doc.headline:
        head.extend(_wrap(_one_line(doc.headline)))
    contact = []
    for c in doc.contact:
        text = _one_line(c.text)
        contact.append(text if not c.url or _shows_address(text, c.url) or c.kind == "phone"
                       else f"{text} ({c.url})")
    head.extend(_pack(contact))
    blocks = ["\n".join(head)]
    blocks.extend(_section(s) for s in doc.sections)
    return "\n\n".join(blocks) + "\n"


def _heading(title: str) -> list[str]:
    text = _one_line(title).upper()
    return [text, "-" * width(text)]


def _section(s: Section) -> str:
    parts = ["\n".join(_heading(s.title))]
    for p in s.paragraphs:
        parts.extend("\n".join(_wrap(flatten(x))) for x in paragraphs(p))
    parts.extend("\n".join(_item(e, "")) for e in s.entries)
    if s.rows:
        parts.append("\n".join(
            line for r in s.rows
            for line in _wrap(f"{_one_line(r.label)}: {', '.join(map(_one_line, r.items))}",
                              "", "  ")))
    if s.inline:
        parts.append("\n".join(_pack([_one_line(x) for x in s.inline])))
    if s.bullets:
        parts.append("\n".join(_bullets(s.bullets, "")))
    return "\n\n".join(parts)


def _bullets(items: tuple[str, ...], indent: str) -> list[str]:
    out = []
    for b in items:
        text = " ".join(flatten(p) for p in paragraphs(b))
        if text:
            out.extend(_wrap(text, f"{indent}  {BULLET}", indent + " " * (2 + len(BULLET))))
    return out


def _item(e: Item, indent: str) -> list[str]:
    left = _one_line(e.title) + (f" — {_one_line(e.subtitle)}" if e.subtitle else "")
    out = _title_line(left, _one_line(e.dates) if e.dates else None, indent)
    meta = [_one_line(x) for x in (e.location, e.url) if x]
    if meta:
        out.extend(_pack(meta, indent))
    for text in (e.note, *e.summary):
        for p in paragraphs(text) if text else ():
            out.extend(_wrap(flatten(p), indent))
    out.extend(_bullets(e.bullets, indent))
    for label, value in e.details:
        out.extend(_wrap(f"{_one_line(label)}: {_one_line(value)}", indent, indent + "  "))
    for role in e.roles:
        out.append("")
        out.extend(_item(role, indent + "  "))
    return out
