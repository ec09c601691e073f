"""JSON Resume in and out (https://jsonresume.org, schema v1.0.0).

Takes JSON Resume data (a mapping) and gives resumec data plus notes
(:func:`from_jsonresume`); takes a :class:`~resumec.schema.model.Resume` and gives a
JSON Resume document that validates against the official schema (:func:`to_jsonresume`).
:func:`detect` tells the formats an importer may meet apart.

The mapping, resumec ↔ JSON Resume:

- ``name``, ``headline`` ↔ ``basics.name``, ``basics.label``; ``summary`` ↔
  ``basics.summary``; ``photo`` ↔ ``basics.image``; ``contact.email``/``phone`` ↔
  ``basics.email``/``phone``; ``contact.website`` ↔ ``basics.url``; ``contact.location``
  ↔ ``basics.location`` (``"City, Region, Country"``); ``contact.links`` ↔
  ``basics.profiles`` (label ↔ network).
- ``experience`` ↔ ``work``: one ``work`` entry per role, all carrying the employer's
  name; consecutive entries with the same name are read back as one employer.
- ``education`` ↔ ``education`` (degree ↔ studyType, grade ↔ score);
  ``volunteering`` ↔ ``volunteer``; ``certifications`` ↔ ``certificates``;
  ``publications`` (title/date ↔ name/releaseDate); ``awards``; ``projects`` (summary ↔
  description, role ↔ roles); ``talks`` ↔ ``projects`` with ``type: "talk"`` (event ↔
  entity); ``skills`` (a group ↔ one skill whose keywords are the group's skills);
  ``languages``; ``interests``; ``references`` (text ↔ reference).
- Dates use JSON Resume's ISO 8601 subset; an ongoing range has no ``endDate`` (so on
  import a ``startDate`` without an ``endDate`` reads as ongoing, ``end: present``); a
  single ``date`` of a job, project or talk is written as equal start and end dates,
  and read back as one ``date``.
- Custom sections, section titles, the language, keywords and the section order go
  under the extension key ``"x-resumec"`` (JSON Resume allows additional properties), so
  that they survive a round trip through resumec.

What JSON Resume cannot hold, and the export leaves out (each one reported by name):
free-text dates (``when``: the years they mention become startDate/endDate), a range
that has a start but no end and is not ongoing (it reads back as ongoing), locations
of education, volunteering and talks, summaries of education, certifications and
interests, highlights of education, award URLs, publication kinds and authors, the
levels and years of single skills, a reference's relation and contact, and tags,
``private`` flags and profiles (tailoring, already applied to the résumé exported).
``photo`` is written as ``basics.image`` (a path relative to the résumé).

What resumec cannot hold, and the import reports: a project's
entity and type (except talks), a language's years, street address and postal code,
``meta``, and any key the schema does not define.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal, cast

from resumec.errors import ResumecError
from resumec.interop.fields import Fields, compact, each
from resumec.interop.values import (
    Notes,
    Problem,
    dates,
    email,
    is_empty,
    join_place,
    line,
    lines,
    network_for,
    photo,
    profile_url,
    text,
    texts,
    url,
    username_for,
    years_in,
)
from resumec.loader import foreign_format
from resumec.schema.dates import PartialDate
from resumec.schema.model import CustomSection, Dated, Experience, Resume
from resumec.schema.rules import SECTION_KEYS, section_order

SCHEMA_URL = "https://raw.githubusercontent.com/jsonresume/resume-schema/v1.0.0/schema.json"
EXTENSION = "x-resumec"
"""The top-level key holding what only resumec knows (custom sections, titles, order)."""
FMT = "JSON Resume"

Format = Literal["resumec", "jsonresume", "rendercv", "fresh", "unknown"]
_TALK_TYPES = {"talk", "presentation", "keynote", "lecture", "panel", "speaking"}
_SECTIONS = {  # JSON Resume key → resumec key
    "work": "experience", "volunteer": "volunteering", "education": "education",
    "awards": "awards", "certificates": "certifications", "publications": "publications",
    "skills": "skills", "languages": "languages", "interests": "interests",
    "references": "references", "projects": "projects",
}  # fmt: skip


def detect(data: Any) -> Format:
    """Which résumé format ``data`` (a parsed file) is written in."""
    if not isinstance(data, dict):
        return "unknown"
    foreign = foreign_format(data)
    if foreign is not None:
        return cast("Format", foreign)  # one of its names
    return "resumec" if isinstance(data.get("name"), str) else "unknown"


# --- import -----------------------------------------------------------------------------------


def from_jsonresume(data: Any, *, base_dir: Path | None = None) -> tuple[dict[str, Any], list[str]]:
    """Convert JSON Resume ``data`` into resumec data, with notes on what changed.

    Every field is mapped or named in a note; legacy (pre-1.0) keys such as
    ``work[].company`` and ``basics.website`` are mapped and reported as legacy.
    ``basics.image`` becomes ``photo`` only if it names a file that exists under
    ``base_dir`` (resumec shows local photos only).
    """
    if not isinstance(data, dict):
        raise ResumecError("a JSON Resume document is a JSON object with 'basics', 'work', …")
    notes: Notes = []
    top = Fields(data, "", notes, FMT)
    ext = top.take(EXTENSION)
    schema = top.take("$schema")
    out: dict[str, Any] = {}
    basics = _basics(Fields(top.take("basics"), "basics", notes, FMT), base_dir)
    out["name"] = basics.pop("name")
    sections: dict[str, Any] = {}
    if basics.get("summary"):
        sections["summary"] = basics.pop("summary")
    for key in list(top.data):
        if key not in _SECTIONS:
            continue
        value = top.take(key)
        for name, content in _section(key, value, notes).items():
            if name in sections and isinstance(content, list):
                sections[name] = [*sections[name], *content]
            elif content:
                sections[name] = content
    meta = top.take("meta")
    if not is_empty(meta):
        notes.append("meta: JSON Resume metadata (canonical, version, lastModified) is not "
                     "imported")
    if not is_empty(schema):
        notes.append(f"$schema: {schema!r} is JSON Resume's schema; not imported (resumec "
                     "files point at resumec's schema)")
    top.finish()
    extension = _extension(ext, notes)
    out.update({k: v for k, v in (("headline", basics.get("headline")),
                                  ("lang", extension.pop("lang", None)),
                                  ("photo", basics.get("photo")),
                                  ("contact", basics.get("contact"))) if v})
    if extension.get("custom"):
        sections["custom"] = extension.pop("custom")
    order = extension.pop("order", None)
    out.update(_ordered(sections, order))
    if order:
        wanted = [k for k in order if k in sections or k in sections.get("custom", {})]
        if list(section_order(out)) != wanted:
            out["order"] = wanted  # custom sections sit among the built-in ones
    out.update(extension)
    return out, notes


def _basics(f: Fields, base_dir: Path | None) -> dict[str, Any]:
    notes = f.notes
    out: dict[str, Any] = {"name": f.required("name", "Your Name", "name")}
    out["headline"] = line(f.take("label"), f.at("label"), notes)
    image = f.legacy("picture", "image", f.take("image"))
    if not is_empty(image):
        out["photo"] = photo(image, f.at("image"), notes, base_dir)
    contact: dict[str, Any] = {}
    contact["email"] = email(f.take("email"), f.at("email"), notes)
    contact["phone"] = line(f.take("phone"), f.at("phone"), notes)
    contact["location"] = _location(f.take("location"), f.at("location"), notes)
    site = f.legacy("website", "url", f.take("url"))
    contact["website"] = url(site, f.at("url"), notes)
    contact["links"] = _profiles(f.take("profiles"), f.at("profiles"), notes)
    out["summary"] = text(f.take("summary"), f.at("summary"), notes)
    f.finish()
    out["contact"] = compact(contact)
    return compact(out) | {"name": out["name"]}


def _location(value: Any, path: str, notes: Notes) -> str | None:
    if is_empty(value):
        return None
    if not isinstance(value, dict):
        return line(value, path, notes)
    f = Fields(value, path, notes, FMT)
    parts = [line(f.take(k), f.at(k), notes) for k in ("city", "region", "countryCode")]
    country = f.take("country")
    if not is_empty(country):
        parts.append(line(country, f.at("country"), notes))
    place = join_place(parts)
    address = f.take("address")
    postal = f.take("postalCode")
    if place is None and not is_empty(address):
        place = line(address, f.at("address"), notes)
        notes.append(f"{path}.address: imported as the location {place!r} (no city given)")
    else:
        for key, v in (("address", address), ("postalCode", postal)):
            if not is_empty(v):
                notes.append(f"{path}.{key}: not imported (resumec keeps a one-line location"
                             f"{f': {place!r}' if place else ''})")
    f.finish()
    return place


def _profiles(value: Any, path: str, notes: Notes) -> list[dict[str, str]]:
    links = []
    for _i, f in each(value, path, notes, FMT):
        network = line(f.take("network"), f.at("network"), notes)
        username = line(f.take("username"), f.at("username"), notes)
        link = url(f.take("url"), f.at("url"), notes)
        if link is None and network and username:
            link = profile_url(network, username)
        if link is None:
            notes.append(Problem(f"{f.path}: no URL (and no known URL pattern for network "
                                 f"{network!r}); not imported"))
            f.finish()
            continue
        if username and username.lower().lstrip("@") not in link.lower():
            notes.append(f"{f.at('username')}: {username!r} does not appear in the URL; "
                         "not imported")
        f.finish()
        links.append(compact({"url": link, "label": network}))
    return links


def _section(key: str, value: Any, notes: Notes) -> dict[str, Any]:
    """Map one JSON Resume section; gives resumec section key → content."""
    items = each(value, key, notes, FMT)
    if key == "work":
        return {"experience": _work(items, notes)}
    if key == "projects":
        projects, talks = [], []
        for _i, f in items:
            kind = line(f.take("type"), f.at("type"), notes)
            if kind and kind.lower() in _TALK_TYPES:
                talks.append(_talk(f))
            else:
                if kind:
                    notes.append(f"{f.at('type')}: project type {kind!r} not imported")
                projects.append(_project(f))
        return {"projects": projects, "talks": talks}
    if key == "skills":
        return {"skills": _skills(items, notes)}
    mapper = _MAPPERS[key]
    return {_SECTIONS[key]: [mapper(f) for _i, f in items]}


def _dates(f: Fields, start: str = "startDate", end: str = "endDate",
           single: str = "date") -> dict[str, str]:
    return dates(f.take(start), f.take(end), f.path, (start, end), f.notes,
                 single=f.take(single), single_name=single)


def _work(items: list[tuple[int, Fields]], notes: Notes) -> list[dict[str, Any]]:
    jobs: list[Job] = []
    for _i, f in items:
        name = f.legacy("company", "name", f.take("name"))
        employer = f.required("name", "Employer", "employer name", value=name or "")
        site = f.legacy("website", "url", f.take("url"))
        firm = compact({
            "employer": employer,
            "url": url(site, f.at("url"), notes),
            "description": text(f.take("description"), f.at("description"), notes),
        })
        role = compact({
            "title": f.required("position", employer, "position"),
            **_dates(f),
            "location": line(f.take("location"), f.at("location"), notes),
            "summary": text(f.take("summary"), f.at("summary"), notes),
            "highlights": texts(f.take("highlights"), f.at("highlights"), notes),
        })
        f.finish()
        jobs.append((f.path, firm, role))
    return group_employers(jobs, notes)


Job = tuple[str, dict[str, Any], dict[str, Any]]
"""One imported job: its source path, employer fields, role fields."""


def group_employers(jobs: list[Job], notes: Notes) -> list[dict[str, Any]]:
    """Turn jobs into resumec experience: consecutive jobs at one employer become roles."""
    out: list[dict[str, Any]] = []
    group: list[Job] = []
    for job in [*jobs, None]:
        if job and group and job[1]["employer"].casefold() == group[0][1]["employer"].casefold():
            group.append(job)
            continue
        if group:
            out.append(_employer(group, notes))
        group = [job] if job else []
    return out


def _employer(group: list[Job], notes: Notes) -> dict[str, Any]:
    first, firm, role = group[0]
    if len(group) == 1:
        location = role.pop("location", None)
        return compact({**firm, "location": location, **role})
    last = group[-1][0]
    notes.append(f"{first}–{last}: consecutive entries at {firm['employer']!r} imported as "
                 f"one employer with {len(group)} roles")
    merged = dict(firm)
    for path, other, _ in group[1:]:
        for key in ("url", "description"):
            if other.get(key) and not merged.get(key):
                merged[key] = other[key]
            elif other.get(key) and other[key] != merged[key]:
                notes.append(f"{path}: its {key} differs from the first entry at the same "
                             f"employer; kept {merged[key][:60]!r}, not {other[key][:60]!r}")
    roles = [dict(r) for _, _, r in group]
    places = {r.get("location") for r in roles}
    if len(places) == 1 and None not in places:
        merged["location"] = places.pop()
        for r in roles:
            r.pop("location")
    return compact({**merged, "roles": roles})


def _education(f: Fields) -> dict[str, Any]:
    n = f.notes
    return _finish(f, {
        "institution": f.required("institution", "Institution", "institution"),
        "url": url(f.take("url"), f.at("url"), n),
        "degree": line(f.take("studyType"), f.at("studyType"), n),
        "area": line(f.take("area"), f.at("area"), n),
        "grade": line(f.legacy("gpa", "score", f.take("score")), f.at("score"), n),
        "location": line(f.take("location"), f.at("location"), n),
        **_dates(f),
        "summary": text(f.take("summary"), f.at("summary"), n),
        "courses": lines(f.take("courses"), f.at("courses"), n),
        "highlights": texts(f.take("highlights"), f.at("highlights"), n),
    })


def _volunteer(f: Fields) -> dict[str, Any]:
    n = f.notes
    return _finish(f, {
        "organization": f.required("organization", "Organisation", "organisation"),
        "role": line(f.take("position"), f.at("position"), n),
        "url": url(f.legacy("website", "url", f.take("url")), f.at("url"), n),
        "location": line(f.take("location"), f.at("location"), n),
        **_dates(f),
        "summary": text(f.take("summary"), f.at("summary"), n),
        "highlights": texts(f.take("highlights"), f.at("highlights"), n),
    })


def _award(f: Fields) -> dict[str, Any]:
    n = f.notes
    return _finish(f, {
        "title": f.required("title", "Award", "title"),
        "awarder": line(f.take("awarder"), f.at("awarder"), n),
        **_dates(f),
        "url": url(f.take("url"), f.at("url"), n),
        "summary": text(f.take("summary"), f.at("summary"), n),
    })


def _certificate(f: Fields) -> dict[str, Any]:
    n = f.notes
    return _finish(f, {
        "name": f.required("name", "Certificate", "name"),
        "issuer": line(f.take("issuer"), f.at("issuer"), n),
        **_dates(f),
        "url": url(f.take("url"), f.at("url"), n),
        "summary": text(f.take("summary"), f.at("summary"), n),
    })


def _publication(f: Fields) -> dict[str, Any]:
    n = f.notes
    return _finish(f, {
        "title": f.required("name", "Publication", "name"),
        "publisher": line(f.take("publisher"), f.at("publisher"), n),
        **_dates(f, single="releaseDate"),
        "url": url(f.legacy("website", "url", f.take("url")), f.at("url"), n),
        "summary": text(f.take("summary"), f.at("summary"), n),
    })


def _project(f: Fields) -> dict[str, Any]:
    n = f.notes
    f.drop("entity", "the organisation behind a project has no place in resumec's "
           "projects")
    summary = f.take("description")
    return _finish(f, {
        "name": f.required("name", "Project", "name"),
        "url": url(f.take("url"), f.at("url"), n),
        "role": ", ".join(lines(f.take("roles"), f.at("roles"), n)) or None,
        **_dates(f),
        "summary": text(f.legacy("summary", "description", summary), f.at("description"), n),
        "highlights": texts(f.take("highlights"), f.at("highlights"), n),
        "keywords": lines(f.take("keywords"), f.at("keywords"), n),
    })


def _talk(f: Fields) -> dict[str, Any]:
    n = f.notes
    for key in ("highlights", "keywords"):
        f.drop(key, "a talk has no " + key)
    return _finish(f, {
        "title": line(f.take("name"), f.at("name"), n),
        "event": line(f.take("entity"), f.at("entity"), n),
        "role": ", ".join(lines(f.take("roles"), f.at("roles"), n)) or None,
        **_dates(f),
        "url": url(f.take("url"), f.at("url"), n),
        "summary": text(f.take("description"), f.at("description"), n),
    }, fallback=("title", "Talk"))


def _skills(items: list[tuple[int, Fields]], notes: Notes) -> list[dict[str, Any]]:
    groups: list[dict[str, Any]] = []
    loose: dict[str, Any] | None = None
    for _i, f in items:
        name = line(f.take("name"), f.at("name"), notes)
        level = line(f.take("level"), f.at("level"), notes)
        keywords = lines(f.take("keywords"), f.at("keywords"), notes)
        f.finish()
        if keywords:
            groups.append(compact({"name": name or "Skills", "level": level,
                                   "items": keywords}))
        elif name:
            if loose is None:
                loose = {"name": "Skills", "items": []}
                groups.append(loose)
            loose["items"].append(compact({"name": name, "level": level}))
        elif level:
            notes.append(Problem(f"{f.path}: a level without a skill; not imported"))
    for g in groups:  # plain names read best as plain strings in YAML
        g["items"] = [s["name"] if isinstance(s, dict) and len(s) == 1 else s
                      for s in g["items"]]
    return groups


def _language(f: Fields) -> dict[str, Any]:
    n = f.notes
    fluency = f.legacy("level", "fluency", f.take("fluency"))
    f.drop("years", "years of speaking a language have no place in resumec")
    return _finish(f, {
        "language": f.required("language", "Language", "language"),
        "fluency": line(fluency, f.at("fluency"), n),
    })


def _interest(f: Fields) -> dict[str, Any]:
    n = f.notes
    return _finish(f, {
        "name": f.required("name", "Interest", "name"),
        "summary": text(f.take("summary"), f.at("summary"), n),
        "keywords": lines(f.take("keywords"), f.at("keywords"), n),
    })


def _reference(f: Fields) -> dict[str, Any]:
    n = f.notes
    return _finish(f, {
        "name": f.required("name", "Referee", "name"),
        "text": text(f.take("reference"), f.at("reference"), n),
    })


def _finish(f: Fields, item: dict[str, Any], fallback: tuple[str, str] | None = None
            ) -> dict[str, Any]:
    f.finish()
    out = compact(item)
    if fallback and fallback[0] not in out and "event" not in out:
        f.notes.append(f"{f.path}: no name; imported with the title {fallback[1]!r}")
        out[fallback[0]] = fallback[1]
    return out


_MAPPERS = {
    "volunteer": _volunteer, "education": _education, "awards": _award,
    "certificates": _certificate, "publications": _publication, "languages": _language,
    "interests": _interest, "references": _reference,
}  # fmt: skip


def _extension(value: Any, notes: Notes) -> dict[str, Any]:
    """Read back the ``x-resumec`` block this module writes."""
    if is_empty(value):
        return {}
    if not isinstance(value, dict):
        notes.append(Problem(f"{EXTENSION}: expected a mapping; not imported"))
        return {}
    out: dict[str, Any] = {}
    f = Fields(value, EXTENSION, notes, "resumec extension")
    lang = line(f.take("lang"), f.at("lang"), notes)
    if lang:
        out["lang"] = lang
    custom = f.take("custom")
    if isinstance(custom, dict):
        kept = {}
        for key, section in custom.items():
            try:
                CustomSection.model_validate(section)
            except ValueError as exc:
                notes.append(Problem(f"{EXTENSION}.custom.{key}: not a valid custom section "
                                     f"({str(exc).splitlines()[0]}); not imported"))
                continue
            if key in SECTION_KEYS:
                notes.append(Problem(f"{EXTENSION}.custom.{key}: shadows a built-in section; "
                                     "not imported"))
                continue
            kept[str(key)] = section
        if kept:
            out["custom"] = kept
    titles = f.take("titles")
    if isinstance(titles, dict):
        named = {str(k): line(v, f"{EXTENSION}.titles.{k}", notes) for k, v in titles.items()}
        out["titles"] = {k: v for k, v in named.items() if v}
    keywords = lines(f.take("keywords"), f.at("keywords"), notes)
    if keywords:
        out["keywords"] = keywords
    order = f.take("order")
    if isinstance(order, list):
        out["order"] = [str(k) for k in order]
    f.finish()
    return out


def _ordered(sections: dict[str, Any], order: list[str] | None) -> dict[str, Any]:
    """Sections in ``order`` (ids; custom ids place the ``custom`` key), the rest after."""
    if not order:
        return sections
    custom_ids = set(sections.get("custom", {}))
    keys = ["custom" if k in custom_ids else k for k in order]
    ranked = [k for k in dict.fromkeys(keys) if k in sections]
    return {k: sections[k] for k in [*ranked, *(k for k in sections if k not in ranked)]}


# --- export -----------------------------------------------------------------------------------


def to_jsonresume(resume: Resume, notes: Notes | None = None) -> dict[str, Any]:
    """Convert ``resume`` to JSON Resume; what it cannot hold is named in ``notes``."""
    lost: Notes = notes if notes is not None else []
    out: dict[str, Any] = {"$schema": SCHEMA_URL, "basics": _export_basics(resume)}
    for key in resume.section_order:
        if key == "summary" or key in resume.custom:
            continue
        items = resume.section_content(key)
        target, entries = _EXPORTERS[key](items, lost)
        if entries:
            out.setdefault(target, []).extend(entries)
    # Tailoring may have dropped a custom section (private, or by its tags) whose title is
    # still named: leave that title out, or importing this file again would fail on it.
    ext = compact({
        "lang": resume.lang if resume.lang != "en" else None,
        "titles": {k: v for k, v in resume.titles.items()
                   if k in SECTION_KEYS or k in resume.custom},
        "keywords": list(resume.keywords),
        "order": list(resume.section_order),
        "custom": {k: v.model_dump(mode="json", exclude_defaults=True, by_alias=True)
                   for k, v in resume.custom.items()},
    })
    if set(ext) - {"order"}:
        out[EXTENSION] = ext
    return out


def _export_basics(resume: Resume) -> dict[str, Any]:
    c = resume.contact
    profiles = [compact({"network": link.label or network_for(link.url),
                         "username": username_for(link.url), "url": link.url})
                for link in c.links]
    return compact({
        "name": resume.name,
        "label": resume.headline,
        "image": resume.photo,
        "email": c.email,
        "phone": c.phone,
        "url": c.website,
        "summary": resume.summary,
        "location": _export_location(c.location),
        "profiles": profiles,
    })


def _export_location(place: str | None) -> dict[str, str] | None:
    if not place:
        return None
    parts = [p.strip() for p in place.split(",")]
    out = {"city": parts[0]}
    rest = parts[1:]
    if rest and len(rest[-1]) == 2 and rest[-1].isalpha() and rest[-1].isupper():
        out["countryCode"] = rest.pop()
    if rest:
        out["region"] = ", ".join(rest)
    return out


def _iso(d: PartialDate, path: str, lost: Notes) -> str | None:
    """``d`` as JSON Resume writes it, or None (noted) for a year its schema does not take:
    its date pattern allows the years 1000 to 2999 only."""
    if 1000 <= d.year <= 2999:
        return d.iso
    lost.append(f"{path}: JSON Resume holds no dates in the year {d.year}; left out")
    return None


def _iso_dates(d: Dated, path: str, lost: Notes) -> dict[str, str | None]:
    if d.when:
        years = years_in(d.when)
        if years:
            lost.append(f"{path}.when: {d.when!r} is free text; JSON Resume holds only "
                        f"dates, so it is exported as {min(years)}–{max(years)}")
            return {"startDate": str(min(years)), "endDate": str(max(years))}
        lost.append(f"{path}.when: {d.when!r} is free text, which JSON Resume cannot hold; "
                    "left out")
        return {}
    if d.date:
        date = _iso(d.date, f"{path}.date", lost)
        return {"startDate": date, "endDate": date}
    out: dict[str, str | None] = {}
    if d.start:
        out["startDate"] = _iso(d.start, f"{path}.start", lost)
    if d.end is not None and d.end != "present":
        out["endDate"] = _iso(d.end, f"{path}.end", lost)
    return out


def _one_date(d: Dated, path: str, lost: Notes) -> str | None:
    """The single date JSON Resume gives awards, certificates and publications."""
    if d.date:
        return _iso(d.date, f"{path}.date", lost)
    if d.start:
        if d.end is not None:
            lost.append(f"{path}: JSON Resume gives this a single date; exported the start")
        return _iso(d.start, f"{path}.start", lost)
    if d.when:
        years = years_in(d.when)
        lost.append(f"{path}.when: {d.when!r} is free text, which JSON Resume cannot hold; "
                    + (f"exported as {years[0]}" if years else "left out"))
        return str(years[0]) if years else None
    return None


def _lose(lost: Notes, path: str, item: Any, fields: tuple[str, ...]) -> None:
    for name in fields:
        if getattr(item, name, None):
            lost.append(f"{path}.{name}: JSON Resume has no place for it; left out")


def _export_experience(items: tuple[Experience, ...], lost: Notes
                       ) -> tuple[str, list[dict[str, Any]]]:
    out = []
    for i, e in enumerate(items):
        for j, role in enumerate(e.positions):
            path = f"experience[{i}]" + (f".roles[{j}]" if e.roles else "")
            out.append(compact({
                "name": e.employer,
                "position": role.title,
                "url": e.url,
                "location": role.location or e.location,
                "description": e.description,
                **_iso_dates(role, path, lost),
                "summary": role.summary,
                "highlights": [h.text for h in role.highlights],
            }))
    return "work", out


def _simple(target: str, fields: dict[str, str], lose: tuple[str, ...] = (),
            one_date: str | None = None, extra: dict[str, Any] | None = None,
            ) -> Any:
    """An exporter that renames ``fields`` (resumec → JSON Resume) and reports ``lose``."""
    def export(items: tuple[Any, ...], lost: Notes) -> tuple[str, list[dict[str, Any]]]:
        out = []
        key = _SECTION_NAMES.get(target, target)
        for i, item in enumerate(items):
            path = f"{key}[{i}]"
            entry: dict[str, Any] = {theirs: _plain(getattr(item, ours))
                                     for ours, theirs in fields.items()}
            if one_date:
                entry[one_date] = _one_date(item, path, lost)
            elif isinstance(item, Dated):
                entry.update(_iso_dates(item, path, lost))
            entry.update(extra or {})
            _lose(lost, path, item, lose)
            out.append(compact(entry))
        return target, out
    return export


def _plain(value: Any) -> Any:
    if isinstance(value, tuple):
        return [getattr(v, "text", v) for v in value]
    return value


def _export_skills(items: tuple[Any, ...], lost: Notes) -> tuple[str, list[dict[str, Any]]]:
    out = []
    for i, g in enumerate(items):
        rated = [s.name for s in g.items if s.level is not None or s.years is not None]
        if rated:
            lost.append(f"skills[{i}]: the levels and years of {', '.join(rated)} are left "
                        "out (JSON Resume gives a level to a whole group only)")
        out.append(compact({"name": g.name, "level": g.level,
                            "keywords": [s.name for s in g.items]}))
    return "skills", out


def _export_projects(items: tuple[Any, ...], lost: Notes) -> tuple[str, list[dict[str, Any]]]:
    out = []
    for i, p in enumerate(items):
        out.append(compact({
            "name": p.name, "description": p.summary,
            "highlights": [h.text for h in p.highlights], "keywords": list(p.keywords),
            **_iso_dates(p, f"projects[{i}]", lost), "url": p.url,
            "roles": [p.role] if p.role else [],
        }))
    return "projects", out


def _export_talks(items: tuple[Any, ...], lost: Notes) -> tuple[str, list[dict[str, Any]]]:
    out = []
    for i, t in enumerate(items):
        _lose(lost, f"talks[{i}]", t, ("location",))
        entry = compact({
            "name": t.title or t.event, "description": t.summary,
            **_iso_dates(t, f"talks[{i}]", lost), "url": t.url,
            "roles": [t.role] if t.role else [], "entity": t.event if t.title else None,
            "type": "talk",
        })
        out.append(entry)
    return "projects", out


_SECTION_NAMES = {"volunteer": "volunteering", "certificates": "certifications"}

_EXPORTERS: dict[str, Any] = {
    "experience": _export_experience,
    "education": _simple("education", {"institution": "institution", "url": "url",
                                       "area": "area", "degree": "studyType",
                                       "grade": "score", "courses": "courses"},
                         lose=("location", "summary", "highlights")),
    "skills": _export_skills,
    "projects": _export_projects,
    "talks": _export_talks,
    "publications": _simple("publications", {"title": "name", "publisher": "publisher",
                                             "url": "url", "summary": "summary"},
                            lose=("kind", "authors"), one_date="releaseDate"),
    "awards": _simple("awards", {"title": "title", "awarder": "awarder", "summary": "summary"},
                      lose=("url",), one_date="date"),
    "certifications": _simple("certificates", {"name": "name", "issuer": "issuer",
                                               "url": "url"},
                              lose=("summary",), one_date="date"),
    "volunteering": _simple("volunteer", {"organization": "organization", "role": "position",
                                          "url": "url", "summary": "summary",
                                          "highlights": "highlights"},
                            lose=("location",)),
    "languages": _simple("languages", {"language": "language", "fluency": "fluency"}),
    "interests": _simple("interests", {"name": "name", "keywords": "keywords"},
                         lose=("summary",)),
    "references": _simple("references", {"name": "name", "text": "reference"},
                          lose=("relation", "contact")),
}
