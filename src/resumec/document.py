"""The document every backend renders: a résumé laid out as headed sections of items.

Takes a validated (and tailored) :class:`~resumec.schema.Resume` plus the theme's
wording (section titles, date style); gives a :class:`Document` — plain frozen
dataclasses, the same for PDF, DOCX, HTML, Markdown and text, so that every format
shows the same content in the same order. Text fields stay inline Markdown source;
backends turn them into runs with :func:`resumec.markup.spans`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal
from urllib.parse import urlsplit

from resumec.markup import paragraphs, plain
from resumec.schema.dates import PartialDate
from resumec.schema.model import (
    Award,
    Certification,
    CustomSection,
    Dated,
    Education,
    Entry,
    Experience,
    Highlight,
    Interest,
    Language,
    Project,
    Publication,
    Reference,
    Resume,
    Role,
    SkillGroup,
    Talk,
    Volunteering,
)

DEFAULT_TITLES: dict[str, str] = {
    "summary": "Summary", "experience": "Experience", "education": "Education",
    "skills": "Skills", "projects": "Projects", "publications": "Publications",
    "talks": "Talks", "awards": "Awards", "certifications": "Certifications",
    "volunteering": "Volunteering", "languages": "Languages", "interests": "Interests",
    "references": "References",
}  # fmt: skip


@dataclass(frozen=True)
class Wording:
    """How the theme words dates and titles."""

    date_style: str = "short"
    present: str = "Present"
    range_sep: str = " – "
    titles: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ContactItem:
    """One item of the contact line: its kind, the text shown, and its link if any."""

    kind: Literal["email", "phone", "location", "website", "link"]
    text: str
    url: str | None = None


@dataclass(frozen=True)
class Item:
    """An entry: a job, a degree, a project… laid out as heading lines, prose and bullets.

    Themes show ``title`` and ``dates`` on the first line, ``subtitle`` and ``location``
    on the second; ``note`` is a short descriptive line; ``roles`` are sub-entries of a
    multi-role employer. ``note``, ``summary`` and ``bullets`` hold inline Markdown; every
    other field is plain text.
    """

    title: str
    subtitle: str | None = None
    dates: str | None = None
    location: str | None = None
    url: str | None = None
    note: str | None = None
    summary: tuple[str, ...] = ()
    bullets: tuple[str, ...] = ()
    details: tuple[tuple[str, str], ...] = ()
    roles: tuple[Item, ...] = ()


@dataclass(frozen=True)
class Row:
    """A labelled line, such as a skill group: ``Languages: C, Rust, Python``."""

    label: str
    items: tuple[str, ...]


SectionKind = Literal["text", "entries", "rows", "inline", "custom"]


@dataclass(frozen=True)
class Section:
    """A headed section. ``kind`` says which of the fields carry its content.

    ``paragraphs`` and ``bullets`` hold inline Markdown; ``rows`` and ``inline`` plain text.
    """

    id: str
    title: str
    kind: SectionKind
    paragraphs: tuple[str, ...] = ()
    entries: tuple[Item, ...] = ()
    rows: tuple[Row, ...] = ()
    inline: tuple[str, ...] = ()
    bullets: tuple[str, ...] = ()


@dataclass(frozen=True)
class Document:
    """A résumé ready to lay out."""

    name: str
    headline: str | None
    lang: str
    contact: tuple[ContactItem, ...]
    sections: tuple[Section, ...]
    keywords: tuple[str, ...]
    photo: str | None = None

    def all_text(self) -> list[str]:
        """Every piece of text in reading order (Markdown source), for checks and search."""
        out = [self.name, *([self.headline] if self.headline else []),
               *(c.text for c in self.contact)]
        for s in self.sections:
            out.append(s.title)
            out.extend(s.paragraphs)
            for e in s.entries:
                out.extend(_item_text(e))
            for r in s.rows:
                out.append(r.label)
                out.extend(r.items)
            out.extend(s.inline)
            out.extend(s.bullets)
        return out


def _item_text(e: Item) -> list[str]:
    out = [t for t in (e.title, e.subtitle, e.dates, e.location, e.note) if t]
    out.extend(e.summary)
    out.extend(e.bullets)
    for label, value in e.details:
        out.extend((label, value))
    for r in e.roles:
        out.extend(_item_text(r))
    return out


_DOC_WORD = {"de": "Lebenslauf", "es": "Currículum", "fr": "CV", "it": "Curriculum vitae",
             "nl": "CV", "pt": "Currículo"}


def document_title(doc: Document) -> str:
    """``"<name> — Résumé"``, the word in the résumé's language where known; the title
    of the PDF, the HTML page and the DOCX alike."""
    word = _DOC_WORD.get(doc.lang.split("-")[0].lower(), "Résumé")
    return f"{doc.name} — {word}"


# --- building ---------------------------------------------------------------------------------


def build(resume: Resume, wording: Wording | None = None,
          order: Iterable[str] | None = None) -> Document:
    """Lay ``resume`` out as a :class:`Document`, sections in ``order`` if given."""
    w = wording or Wording()
    keys = list(order) if order is not None else list(resume.section_order)
    sections = [s for key in keys if (s := _section(resume, key, w)) is not None]
    return Document(
        name=resume.name,
        headline=resume.headline,
        lang=resume.lang,
        contact=_contact(resume),
        sections=tuple(sections),
        keywords=resume.keywords or tuple(
            dict.fromkeys(s.name for g in resume.skills for s in g.items)
        ),
        photo=resume.photo,
    )


def display_url(url: str) -> str:
    """``https://www.github.com/ada/`` → ``github.com/ada``; ``mailto:x`` → ``x``."""
    if url.lower().startswith("mailto:"):
        return url[7:]
    parts = urlsplit(url)
    host = (parts.hostname or "").removeprefix("www.")
    return (host + parts.path.rstrip("/") + (f"?{parts.query}" if parts.query else ""))


def _contact(resume: Resume) -> tuple[ContactItem, ...]:
    c = resume.contact
    out: list[ContactItem] = []
    if c.email:
        out.append(ContactItem("email", c.email, f"mailto:{c.email}"))
    if c.phone:
        digits = "".join(ch for ch in c.phone if ch.isdigit() or ch == "+")
        out.append(ContactItem("phone", c.phone, f"tel:{digits}" if digits else None))
    if c.location:
        out.append(ContactItem("location", c.location))
    if c.website:
        out.append(ContactItem("website", display_url(c.website), c.website))
    out.extend(ContactItem("link", link.label or display_url(link.url), link.url)
               for link in c.links)
    return tuple(out)


def format_dates(d: Dated, w: Wording) -> str | None:
    """The dates of ``d`` as the theme words them, or ``None``."""
    if d.when:
        return d.when
    if d.date:
        return d.date.format(w.date_style)
    if d.start is None:
        return None
    start = d.start.format(w.date_style)
    if d.end is None:
        return start
    end = w.present if d.end == "present" else d.end.format(w.date_style)
    return start if end == start else f"{start}{w.range_sep}{end}"


def _span(roles: tuple[Role, ...], w: Wording) -> str | None:
    """The overall dates of a multi-role employer: earliest start to latest end."""
    starts = [d for r in roles if (d := r.start or r.date) is not None]
    ends: list[PartialDate | Literal["present"]] = [
        e for r in roles if (e := r.end or r.date or r.start) is not None]
    if not starts:
        return None
    start = min(starts, key=PartialDate.sort_key)
    end: PartialDate | Literal["present"]
    if any(e == "present" for e in ends):
        end = "present"
    else:
        latest: PartialDate = max((e for e in ends if not isinstance(e, str)),
                                  key=PartialDate.sort_key)
        end = latest
    return format_dates(Role.model_construct(title="-", start=start, end=end), w)


def _bullets(highlights: tuple[Highlight, ...]) -> tuple[str, ...]:
    return tuple(h.text for h in highlights)


def _paras(text: str | None) -> tuple[str, ...]:
    return tuple(paragraphs(text)) if text else ()


def _join(*parts: str | None, sep: str = ", ") -> str | None:
    kept = [p for p in parts if p]
    return sep.join(kept) if kept else None


def _experience(e: Experience, w: Wording) -> Item:
    if e.roles:
        return Item(
            title=e.employer, url=e.url, location=e.location, note=e.description,
            dates=_span(e.roles, w),
            roles=tuple(Item(title=r.title, dates=format_dates(r, w), location=r.location,
                             summary=_paras(r.summary), bullets=_bullets(r.highlights))
                        for r in e.roles),
        )
    return Item(title=e.title or e.employer, subtitle=e.employer, url=e.url,
                location=e.location, note=e.description, dates=format_dates(e, w),
                summary=_paras(e.summary), bullets=_bullets(e.highlights))


def _education(e: Education, w: Wording) -> Item:
    degree = _join(e.degree, e.area, sep=" in " if e.degree and e.area else ", ")
    details = []
    if e.grade:
        details.append(("Grade", e.grade))
    if e.courses:
        details.append(("Courses", ", ".join(e.courses)))
    return Item(title=e.institution, subtitle=degree, dates=format_dates(e, w),
                location=e.location, url=e.url, summary=_paras(e.summary),
                details=tuple(details), bullets=_bullets(e.highlights))


def _generic(x: object, w: Wording) -> Item:
    if isinstance(x, Project):
        details = (("Technologies", ", ".join(x.keywords)),) if x.keywords else ()
        return Item(title=x.name, subtitle=x.role, url=x.url, dates=format_dates(x, w),
                    summary=_paras(x.summary), bullets=_bullets(x.highlights), details=details)
    if isinstance(x, Publication):
        authors = (("Authors", ", ".join(x.authors)),) if x.authors else ()
        return Item(title=x.title, subtitle=_join(x.kind, x.publisher), url=x.url,
                    dates=format_dates(x, w), summary=_paras(x.summary), details=authors)
    if isinstance(x, Talk):
        title = x.title or x.event or ""
        return Item(title=title, subtitle=_join(x.role, x.event if x.title else None), url=x.url,
                    location=x.location, dates=format_dates(x, w), summary=_paras(x.summary))
    if isinstance(x, Award):
        return Item(title=x.title, subtitle=x.awarder, url=x.url, dates=format_dates(x, w),
                    summary=_paras(x.summary))
    if isinstance(x, Certification):
        return Item(title=x.name, subtitle=x.issuer, url=x.url, dates=format_dates(x, w),
                    summary=_paras(x.summary))
    if isinstance(x, Volunteering):
        return Item(title=x.organization, subtitle=x.role, url=x.url, location=x.location,
                    dates=format_dates(x, w), summary=_paras(x.summary),
                    bullets=_bullets(x.highlights))
    if isinstance(x, Reference):
        details = (("Contact", x.contact),) if x.contact else ()
        return Item(title=x.name, subtitle=x.relation, summary=_paras(x.text), details=details)
    if isinstance(x, Entry):
        return Item(title=x.title, subtitle=x.subtitle, url=x.url, location=x.location,
                    dates=format_dates(x, w), summary=_paras(x.summary),
                    bullets=_bullets(x.highlights))
    raise TypeError(f"no layout for {type(x).__name__}")


def _skill_rows(groups: tuple[SkillGroup, ...]) -> tuple[Row, ...]:
    rows = []
    for g in groups:
        items = []
        for s in g.items:
            years = None
            if s.years is not None:
                n = int(s.years) if float(s.years).is_integer() else s.years
                years = f"{n} yr" if n == 1 else f"{n} yrs"
            extra = _join(s.level, years)
            items.append(f"{s.name} ({extra})" if extra else s.name)
        rows.append(Row(f"{g.name} ({g.level})" if g.level else g.name, tuple(items)))
    return tuple(rows)


def _language(x: Language) -> str:
    return f"{x.language} ({x.fluency})" if x.fluency else x.language


def _interest(x: Interest) -> str:
    extra = _join(plain(x.summary) if x.summary else None, ", ".join(x.keywords) or None,
                  sep=": ")
    return f"{x.name} ({extra})" if extra else x.name


def _section(resume: Resume, key: str, w: Wording) -> Section | None:
    title = resume.titles.get(key) or w.titles.get(key) or DEFAULT_TITLES.get(key, key)
    content = resume.section_content(key)
    if not content:
        return None
    if isinstance(content, CustomSection):
        return Section(key, resume.titles.get(key) or content.title, "custom",
                       paragraphs=_paras(content.text),
                       entries=tuple(_generic(e, w) for e in content.entries),
                       bullets=_bullets(content.bullets))
    if key == "summary":
        return Section(key, title, "text", paragraphs=_paras(content))
    if key == "experience":
        return Section(key, title, "entries",
                       entries=tuple(_experience(e, w) for e in content))
    if key == "education":
        return Section(key, title, "entries", entries=tuple(_education(e, w) for e in content))
    if key == "skills":
        return Section(key, title, "rows", rows=_skill_rows(content))
    if key == "languages":
        return Section(key, title, "inline", inline=tuple(_language(x) for x in content))
    if key == "interests":
        return Section(key, title, "inline", inline=tuple(_interest(x) for x in content))
    return Section(key, title, "entries", entries=tuple(_generic(x, w) for x in content))
