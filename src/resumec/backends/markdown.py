"""Markdown output: the résumé as a README or a personal-site page.

Takes a :class:`~resumec.backends.RenderJob`; gives UTF-8 CommonMark that GitHub and
static-site generators show as written. Plain fields (names, titles, places, skills)
are escaped, so ``*nix``, ``C#``, ``$5M`` or ``<p>`` stay literal; prose fields are
re-written from their parsed inline Markdown, so emphasis, code and http(s)/mailto links
survive while raw HTML and accidental Markdown syntax stay text.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from resumec.backends import RenderJob
from resumec.document import ContactItem, Document, Item, Row, Section
from resumec.markup import paragraphs

_SAFE_SCHEMES = ("http:", "https:", "mailto:")
_ALWAYS = re.compile(r"([\\`*\[\]|~$])")
_UNDERSCORE = re.compile(r"(?<![^\W_])_|_(?![^\W_])")
_HASH = re.compile(r"(?:(?<=\s)|^)#")
_ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
_ORDERED = re.compile(r"^(\d{1,9})([.)])")


def escape(text: str) -> str:
    """Escape plain text so that Markdown shows it literally (whitespace kept)."""
    text = _ALWAYS.sub(r"\\\1", text)
    text = _UNDERSCORE.sub(r"\\_", text)
    text = _HASH.sub(r"\\#", text)
    text = _ENTITY.sub("&amp;", text)
    return text.replace("<", "&lt;")


def _block_safe(line: str) -> str:
    """Keep a line that starts a block from being read as a list, quote or rule."""
    if line[:1] in ("-", "+", ">", "="):
        return "\\" + line
    return _ORDERED.sub(r"\1\\\2", line, count=1)


def plain(text: str) -> str:
    """A plain field as Markdown: escaped, on one line."""
    return escape(" ".join(text.split()))


def _destination(url: str) -> str:
    return quote(url, safe="/:?#[]@!$&'*+,;=%~-._")


def link(text: str, url: str | None) -> str:
    """Plain ``text``, linked to ``url`` when it is an http(s) or mailto URL."""
    shown = plain(text)
    if url and url.lower().startswith(_SAFE_SCHEMES):
        return f"[{shown}]({_destination(url)})"
    return shown


def _code(content: str) -> str:
    longest = max((len(m) for m in re.findall(r"`+", content)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if content[:1] == "`" or content[-1:] == "`" or (
        content[:1] == " " and content[-1:] == " " and content.strip()) else ""
    return f"{fence}{pad}{content}{pad}{fence}"


def inline(source: str) -> str:
    """Re-write one paragraph of inline Markdown so it renders as resumec renders it."""
    from resumec.markup import _parser  # the parser spans() uses: the same reading

    out: list[str] = []
    links: list[str | None] = []
    for block in _parser().parseInline(source):
        for tok in block.children or []:
            kind = tok.type
            if kind == "text":
                out.append(escape(tok.content))
            elif kind in ("softbreak", "hardbreak"):
                out.append(" ")
            elif kind == "code_inline":
                out.append(_code(tok.content))
            elif kind in ("strong_open", "strong_close", "em_open", "em_close"):
                out.append(tok.markup)
            elif kind == "link_open":
                href = str(tok.attrs.get("href", ""))
                safe = href if href.lower().startswith(_SAFE_SCHEMES) else None
                links.append(safe)
                if safe:
                    if out and out[-1].endswith("!") and not out[-1].endswith("\\!"):
                        out[-1] = out[-1][:-1] + "\\!"  # "![" would make an image
                    out.append("[")
            elif kind == "link_close":
                target = links.pop() if links else None
                if target:
                    out.append(f"]({_destination(target)})")
            else:
                out.append(escape(tok.content))
    return _block_safe(" ".join("".join(out).split()))


def prose(text: str) -> list[str]:
    """A prose field as Markdown paragraphs."""
    return [inline(p) for p in paragraphs(text)]


class MarkdownBackend:
    """Markdown for READMEs and personal sites."""

    name = "md"
    suffix = "md"
    description = "Markdown (CommonMark) for READMEs and personal websites"

    def render(self, job: RenderJob) -> bytes:
        """Render ``job.document`` as Markdown."""
        return render_document(job.document).encode("utf-8")


def render_document(doc: Document) -> str:
    """The whole document as Markdown text."""
    blocks: list[str] = [f"# {plain(doc.name)}"]
    if doc.headline:
        blocks.append(_block_safe(plain(doc.headline)))
    if doc.contact:
        blocks.append(_block_safe(" · ".join(_contact(c) for c in doc.contact)))
    for section in doc.sections:
        blocks.extend(_section(section))
    return "\n\n".join(blocks) + "\n"


def _contact(c: ContactItem) -> str:
    return link(c.text, c.url) if c.kind != "phone" else plain(c.text)


def _section(s: Section) -> list[str]:
    out = [f"## {plain(s.title)}"]
    for p in s.paragraphs:
        out.extend(prose(p))
    for item in s.entries:
        out.extend(_item(item, 3, link_subtitle=s.id == "experience"))
    if s.rows:
        out.append("\n".join(_row(r) for r in s.rows))
    if s.inline:
        out.append(_block_safe(" · ".join(plain(x) for x in s.inline)))
    if s.bullets:
        out.append(_bullets(s.bullets))
    return out


def _row(r: Row) -> str:
    return f"- **{plain(r.label)}:** " + ", ".join(plain(x) for x in r.items)


def _bullets(items: tuple[str, ...]) -> str:
    # Each paragraph's markup is read on its own, as the other formats read it: joined
    # first, a backtick or asterisk in one could pair with one in the next.
    return "\n".join(f"- {' '.join(inline(p) for p in paragraphs(b))}" for b in items
                      if b.strip())


def _item(e: Item, level: int, *, link_subtitle: bool = False) -> list[str]:
    if e.subtitle and link_subtitle and not e.roles:
        heading = f"{plain(e.title)} — {link(e.subtitle, e.url)}"
    else:
        heading = link(e.title, e.url) + (f" — {plain(e.subtitle)}" if e.subtitle else "")
    out = [f"{'#' * level} {heading}"]
    meta = [x for x in (e.dates, e.location) if x]
    if meta:
        out.append(f"*{' · '.join(plain(x) for x in meta)}*")
    if e.note:
        out.extend(prose(e.note))
    for p in e.summary:
        out.extend(prose(p))
    if e.bullets:
        out.append(_bullets(e.bullets))
    for label, value in e.details:
        out.append(f"**{plain(label)}:** {plain(value)}")
    for role in e.roles:
        out.extend(_item(role, min(level + 1, 6)))
    return out
