"""The résumé model: frozen pydantic classes that forbid unknown keys.

Takes plain data (mappings, lists, scalars) from the loader; gives a :class:`Resume`.
Every field carries a description: it feeds ``resumec schema`` and editors.
Semantic checks that need the whole document (profile tags, section names) live in
:mod:`resumec.schema.checks` so that they can report located errors of their own.
(No ``from __future__ import annotations``: pydantic would have to evaluate every
annotation string again, a measurable part of every cold start.)
"""


from functools import partial
from typing import Annotated, Any, ClassVar, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    GetJsonSchemaHandler,
    PrivateAttr,
    field_validator,
    model_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import core_schema

from resumec.schema import rules
from resumec.schema.dates import PartialDate
from resumec.schema.rules import SECTION_KEYS as SECTION_KEYS
from resumec.schema.types import Email, EndDate, Line, Tag, Text, Url

Paper = Literal["a4", "letter"]


class Base(BaseModel):
    """Common configuration: unknown keys are errors, instances are immutable.

    ``defer_build``: a model builds its validator only if it is called directly;
    loading a résumé goes through the compiled schema (``compiled.py``) instead.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True,
                              defer_build=True)
    SHORTHAND: ClassVar[str | None] = None
    """If set, a bare scalar stands for a mapping with this one key (``- Python``)."""

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        full = handler.resolve_ref_schema(handler(schema))
        if not cls.SHORTHAND:
            return full
        short = {"type": "string", "description": f"Short for {{{cls.SHORTHAND}: …}}."}
        return {"anyOf": [short, {k: v for k, v in full.items() if k != "description"}],
                "description": full.get("description", "")}


def shorthand(key: str | None) -> Any:
    """A validator letting a bare scalar stand for ``{key: scalar}`` (set SHORTHAND too).

    A ``partial`` of a plain function, not a classmethod: the compiled validator can
    name it (see ``compiled.py``)."""
    assert key is not None
    return model_validator(mode="before")(partial(rules.expand_shorthand, key))


class Tagged(Base):
    """Something a profile can keep or drop by its tags, or hide as private."""

    tags: tuple[Tag, ...] = Field((), description="Tags for tailoring, e.g. [backend, ml]. "
                                  "Profiles keep or drop items by tag.")
    private: bool = Field(False, description="Leave this out unless rendering with "
                          "--include-private.")


class Dated(Base):
    """A date, a date range, or free text for the odd case."""

    date: PartialDate | None = Field(None, description="A single date: YYYY, YYYY-MM or "
                                     "YYYY-MM-DD.")
    start: PartialDate | None = Field(None, description="Start: YYYY, YYYY-MM or YYYY-MM-DD.")
    end: EndDate | None = Field(None, description='End: YYYY, YYYY-MM, YYYY-MM-DD or "present".')
    when: Line | None = Field(None, description='Free-text dates shown as written, e.g. '
                              '"Summers 1996–1998". Overrides date/start/end for display.')

    _end_after_start = field_validator("end")(rules.end_after_start)
    _one_kind_of_date = model_validator(mode="after")(rules.one_kind_of_date)


class Highlight(Tagged):
    """One bullet point: an achievement, a responsibility, a result."""

    text: Text = Field(description="The bullet text; inline Markdown allowed.")
    SHORTHAND: ClassVar[str | None] = "text"
    _shorthand = shorthand(SHORTHAND)


class Link(Base):
    """A profile or page on the web."""

    url: Url = Field(description="The address: http(s) or mailto.")
    label: Line | None = Field(None, description='Shown instead of the URL, e.g. "GitHub".')
    SHORTHAND: ClassVar[str | None] = "url"
    _shorthand = shorthand(SHORTHAND)


class Contact(Base):
    """How to reach the person."""

    email: Email | None = Field(None, description="E-mail address.")
    phone: Line | None = Field(None, description="Phone number, written as it should appear.")
    location: Line | None = Field(None, description='Where the person lives, e.g. "Lisbon, '
                                  'Portugal".')
    website: Url | None = Field(None, description="Personal website.")
    links: tuple[Link, ...] = Field((), description="Other profiles: GitHub, LinkedIn, …")


class Role(Tagged, Dated):
    """One position at an employer (a promotion or an era)."""

    title: Line = Field(description='The job title, e.g. "Staff Engineer".')
    location: Line | None = Field(None, description="Where, if it differs from the employer's.")
    summary: Text | None = Field(None, description="What the role was about.")
    highlights: tuple[Highlight, ...] = Field((), description="Achievements, one bullet each.")


class Experience(Tagged, Dated):
    """An employer, with one role (title, dates… directly) or several (``roles``)."""

    employer: Line = Field(description="The company or organisation.")
    url: Url | None = Field(None, description="The employer's website.")
    description: Text | None = Field(None, description="What the company does.")
    location: Line | None = Field(None, description='Where, or "Remote".')
    title: Line | None = Field(None, description="The job title, for a single role.")
    summary: Text | None = Field(None, description="What the job was about, for a single role.")
    highlights: tuple[Highlight, ...] = Field((), description="Achievements, for a single role.")
    roles: tuple[Role, ...] = Field((), description="Consecutive roles at this employer, "
                                    "newest first.")

    _title_or_roles = model_validator(mode="after")(rules.title_or_roles)

    @property
    def positions(self) -> tuple[Role, ...]:
        """The roles held, whichever way they were written."""
        if self.roles:
            return self.roles
        assert self.title is not None
        # Fields this job already validated: assembled, not validated again.
        return (Role.model_construct(title=self.title, date=self.date, start=self.start,
                                     end=self.end, when=self.when, summary=self.summary,
                                     highlights=self.highlights),)


class Education(Tagged, Dated):
    """A degree, a diploma or a school qualification."""

    institution: Line = Field(description="University, college or school.")
    url: Url | None = Field(None, description="The institution's website.")
    degree: Line | None = Field(None, description='The qualification, e.g. "BSc", "A levels".')
    area: Line | None = Field(None, description='The subject, e.g. "Computer Science".')
    grade: Line | None = Field(None, description='Honours, grade or GPA, e.g. "First-class '
                               'honours".')
    location: Line | None = Field(None, description="Where.")
    summary: Text | None = Field(None, description="A thesis, a focus, anything worth a line.")
    courses: tuple[Line, ...] = Field((), description="Courses or modules taken, with grades "
                                      "if you like.")
    highlights: tuple[Highlight, ...] = Field((), description="Details, one bullet each.")


class Skill(Tagged):
    """One skill, optionally with a level and years of use."""

    name: Line = Field(description='The skill, e.g. "Rust".')
    level: Line | None = Field(None, description='How well, e.g. "proficient", "expert".')
    years: Annotated[float, Field(ge=0, le=80)] | None = Field(
        None, description="Years of use."
    )
    SHORTHAND: ClassVar[str | None] = "name"
    _shorthand = shorthand(SHORTHAND)


class SkillGroup(Tagged):
    """A named group of skills, e.g. "Languages"."""

    name: Line = Field(description='The group, e.g. "Languages" or "Infrastructure".')
    level: Line | None = Field(None, description='How well, for the group as a whole, e.g. '
                               '"advanced".')
    items: tuple[Skill, ...] = Field(description="The skills: plain names, or "
                                     "{name, level, years}.")

    _has_items = model_validator(mode="after")(rules.has_items)


class Project(Tagged, Dated):
    """Something built: open source, a product, a side project."""

    name: Line = Field(description="The project's name.")
    url: Url | None = Field(None, description="Where to see it.")
    role: Line | None = Field(None, description='Your part, e.g. "Author", "Maintainer".')
    summary: Text | None = Field(None, description="What it is.")
    highlights: tuple[Highlight, ...] = Field((), description="Results, e.g. downloads or users.")
    keywords: tuple[Line, ...] = Field((), description="Technologies used.")


class Publication(Tagged, Dated):
    """A book, paper or article."""

    title: Line = Field(description="The title.")
    publisher: Line | None = Field(None, description="Publisher, journal or venue.")
    kind: Line | None = Field(None, description='e.g. "Book", "Paper", "Article".')
    authors: tuple[Line, ...] = Field((), description="Authors, in order, if not only you.")
    url: Url | None = Field(None, description="Where to read it (or its DOI URL).")
    summary: Text | None = Field(None, description="What it is about.")


class Talk(Tagged, Dated):
    """A talk, a panel, or a conference role."""

    title: Line | None = Field(None, description="The talk's title (leave out for a role "
                               "such as co-chair).")
    event: Line | None = Field(None, description='The conference or meetup, e.g. "PyCon UK".')
    role: Line | None = Field(None, description='e.g. "Speaker", "Programme co-chair".')
    location: Line | None = Field(None, description="Where.")
    url: Url | None = Field(None, description="Slides or video.")
    summary: Text | None = Field(None, description="What it was about.")

    _title_or_event = model_validator(mode="after")(rules.title_or_event)


class Award(Tagged, Dated):
    """A prize, an award, a scholarship."""

    title: Line = Field(description="The award.")
    awarder: Line | None = Field(None, description="Who gave it.")
    url: Url | None = Field(None, description="More about it.")
    summary: Text | None = Field(None, description="What it was for.")


class Certification(Tagged, Dated):
    """A professional certificate."""

    name: Line = Field(description="The certificate.")
    issuer: Line | None = Field(None, description="Who issued it.")
    url: Url | None = Field(None, description="Where to verify it.")
    summary: Text | None = Field(None, description="Anything worth a line.")


class Volunteering(Tagged, Dated):
    """Unpaid work: a committee, a charity, an open-source foundation."""

    organization: Line = Field(description="The organisation.")
    role: Line | None = Field(None, description='e.g. "Committee chair".')
    url: Url | None = Field(None, description="The organisation's website.")
    location: Line | None = Field(None, description="Where.")
    summary: Text | None = Field(None, description="What you did.")
    highlights: tuple[Highlight, ...] = Field((), description="Results, one bullet each.")


class Language(Tagged):
    """A spoken language."""

    language: Line = Field(description='e.g. "Portuguese".')
    fluency: Line | None = Field(None, description='e.g. "native", "fluent", "B2".')
    SHORTHAND: ClassVar[str | None] = "language"
    _shorthand = shorthand(SHORTHAND)


class Interest(Tagged):
    """Something you do for its own sake."""

    name: Line = Field(description='e.g. "Climbing".')
    summary: Text | None = Field(None, description="A line about it.")
    keywords: tuple[Line, ...] = Field((), description="Details, as keywords.")
    SHORTHAND: ClassVar[str | None] = "name"
    _shorthand = shorthand(SHORTHAND)


class Reference(Tagged):
    """A referee, or a quotation from one."""

    name: Line = Field(description="The referee.")
    relation: Line | None = Field(None, description='e.g. "Manager at Acme, 2019–2022".')
    contact: Line | None = Field(None, description="How to reach them.")
    text: Text | None = Field(None, description="What they said.")


class Entry(Tagged, Dated):
    """An item in a custom section: a title with optional detail."""

    title: Line = Field(description="What it is.")
    subtitle: Line | None = Field(None, description="Where, or with whom: an organisation, "
                                  "a role.")
    location: Line | None = Field(None, description="Where.")
    url: Url | None = Field(None, description="More about it.")
    summary: Text | None = Field(None, description="Prose about it; Markdown allowed.")
    highlights: tuple[Highlight, ...] = Field((), description="Bullets.")


class CustomSection(Tagged):
    """A section of your own: prose paragraphs, bullets, entries, in that order."""

    title: Line = Field(description='The heading, e.g. "Back story".')
    text: Text | None = Field(None, description="Prose; separate paragraphs with a blank line.")
    entries: tuple[Entry, ...] = Field((), description="Items with a title, dates and detail.")
    bullets: tuple[Highlight, ...] = Field((), description="A bullet list.")

    _has_content = model_validator(mode="after")(rules.has_content)


class Profile(Base):
    """A tailored variant of the résumé for one kind of application."""

    description: Line | None = Field(None, description="What this variant is for.")
    extends: Line | None = Field(None, description="Another profile whose settings this one "
                                 "starts from; every setting given here replaces the parent's.")
    include: tuple[Tag, ...] = Field((), description="Keep an item if it has no tags or shares "
                                     "one of these.")
    exclude: tuple[Tag, ...] = Field((), description="Drop every item that has one of these "
                                     "tags.")
    sections: tuple[Line, ...] | None = Field(None, description="Which sections to show, in "
                                              "this order.")
    max_highlights: Annotated[int, Field(ge=0)] | None = Field(
        None, description="At most this many highlights per role; matching ones first."
    )
    headline: Line | None = Field(None, description="Replaces the headline.")
    summary: Text | None = Field(None, description="Replaces the summary.")
    titles: dict[str, Line] | None = Field(None, description="Replaces section titles.")
    theme: Line | None = Field(None, description="Theme to render with, unless given on the "
                               "command line.")
    paper: Paper | None = Field(None, description="Paper size: a4 or letter.")
    formats: tuple[Line, ...] | None = Field(None, description="Formats to render by default.")
    max_pages: Annotated[int, Field(ge=1, le=20)] | None = Field(
        None, description="Fit the résumé on at most this many pages, or fail."
    )


class Resume(Base):
    """A résumé: who you are, then sections in the order you write them."""

    schema_: str | None = Field(None, alias="$schema", description="JSON Schema URL, for "
                                "editors (ignored).")
    name: Line = Field(description="Your name, as it should appear.")
    headline: Line | None = Field(None, description='One line under the name, e.g. "Staff '
                                  'Software Engineer".')
    lang: Line = Field("en", description='The résumé\'s language as a BCP 47 tag, e.g. "en", '
                       '"pt-BR".')
    photo: Line | None = Field(None, description="A picture (PNG, JPEG, GIF, WebP or SVG) in "
                               "this file's folder, relative to it; shown by themes that show "
                               "one (modern, sidebar) in the PDF and HTML.")
    # Assembled, not validated: Contact() would build Contact's own validator at import.
    contact: Contact = Field(Contact.model_construct(),
                             description="E-mail, phone, location and links.")
    summary: Text | None = Field(None, description="A few paragraphs about you; separate them "
                                 "with a blank line.")
    experience: tuple[Experience, ...] = Field((), description="Jobs, newest first.")
    education: tuple[Education, ...] = Field((), description="Degrees and qualifications.")
    skills: tuple[SkillGroup, ...] = Field((), description="Skills in named groups.")
    projects: tuple[Project, ...] = Field((), description="Projects.")
    publications: tuple[Publication, ...] = Field((), description="Books, papers, articles.")
    talks: tuple[Talk, ...] = Field((), description="Talks and conference roles.")
    awards: tuple[Award, ...] = Field((), description="Prizes and awards.")
    certifications: tuple[Certification, ...] = Field((), description="Certificates.")
    volunteering: tuple[Volunteering, ...] = Field((), description="Volunteer work, committees.")
    languages: tuple[Language, ...] = Field((), description="Spoken languages.")
    interests: tuple[Interest, ...] = Field((), description="Interests.")
    references: tuple[Reference, ...] = Field((), description="Referees.")
    custom: dict[str, CustomSection] = Field({}, description="Sections of your own, keyed by an "
                                             "id; they appear where this key is written.")
    titles: dict[str, Line] = Field({}, description="Section titles to use instead of the "
                                    "theme's, e.g. {experience: Work history}.")
    order: tuple[Line, ...] | None = Field(None, description="Section order, by id (built-in "
                                           "names and custom ids); unlisted sections follow. "
                                           "Default: the order the keys are written in.")
    keywords: tuple[Line, ...] = Field((), description="Keywords for the PDF's metadata "
                                       "(default: your skills).")
    profiles: dict[str, Profile] = Field({}, description="Tailored variants: name → profile.")

    _order: tuple[str, ...] = PrivateAttr(())

    # A plain function (pydantic's stubs expect a classmethod; it needs no class).
    _remember_order = model_validator(mode="wrap")(rules.remember_order)  # type: ignore[arg-type]

    @property
    def section_order(self) -> tuple[str, ...]:
        """Section ids in the author's order (custom ids where ``custom`` was written)."""
        return rules.sections_in_order(self)

    def section_content(self, key: str) -> Any:
        """The content of section ``key``: a tuple of items, text, or a custom section."""
        return rules.section_content(self, key)

    def with_order(self, order: tuple[str, ...], **update: Any) -> "Resume":
        """Return a copy with ``update`` applied and sections in ``order``."""
        copy = self.model_copy(update=update)
        copy._order = order
        return copy

