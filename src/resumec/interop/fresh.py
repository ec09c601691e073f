"""FRESH import, best effort: a FRESH résumé (``meta.format: "FRESH@…"``) to resumec data.

Takes the parsed FRESH file (fresh-resume-schema 1.0 beta, as written by HackMyResume);
gives resumec data plus notes. The sections resumec knows are mapped field by field
(employment → experience, service → volunteering, writing → publications, speaking →
talks, recognition → awards, testimonials → references, …); sections it does not
know (affiliation, governance, samples, reading, extracurricular) become custom
sections of entries. Every field not imported is named in a note.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from resumec.interop.fields import Fields, compact, each
from resumec.interop.jsonresume import Job, group_employers
from resumec.interop.values import (
    Filled,
    Notes,
    Problem,
    dates,
    email,
    is_empty,
    join_place,
    line,
    lines,
    photo,
    profile_url,
    text,
    texts,
    url,
)

FMT = "FRESH"
_CUSTOM = {  # FRESH section → (custom id, title, entry mapper name)
    "affiliation": ("affiliations", "Affiliations"),
    "governance": ("governance", "Governance"),
    "samples": ("samples", "Samples"),
    "reading": ("reading", "Reading"),
    "extracurricular": ("extracurricular", "Extracurricular"),
}


def from_fresh(data: Any, *, base_dir: Path | None = None) -> tuple[dict[str, Any], list[str]]:
    """Convert a FRESH résumé into resumec data, with notes on what changed."""
    notes: Notes = []
    top = Fields(data, "", notes, FMT)
    out: dict[str, Any] = {"name": top.required("name", "Your Name", "name")}
    top.drop("meta", "FRESH metadata (format, version)")
    info = Fields(top.take("info"), "info", notes, FMT)
    out["headline"] = line(info.take("label"), info.at("label"), notes)
    out["photo"] = photo(info.take("image"), info.at("image"), notes, base_dir)
    summary = text(info.take("brief"), info.at("brief"), notes)
    info.drop("characterClass", "a character class has no place in resumec")
    info.drop("quote", "a quotation has no place in resumec")
    info.finish()
    out["contact"] = _contact(top)
    sections: dict[str, Any] = {"summary": summary}
    custom: dict[str, Any] = {}
    for key in list(top.data):
        value = top.take(key)
        if key in _CUSTOM:
            ident, title = _CUSTOM[key]
            section = _custom(key, title, value, notes)
            if section:
                custom[ident] = section
                sections.setdefault("custom", custom)
        elif key in _SECTIONS:
            for name, content in _SECTIONS[key](key, value, notes).items():
                if name in sections and isinstance(content, list):
                    sections[name] = [*sections[name], *content]
                elif content:
                    sections[name] = content
        else:
            top.data[key] = value
    top.finish()
    out.update(sections)
    return compact(out), notes


def _contact(top: Fields) -> dict[str, Any]:
    n = top.notes
    c = Fields(top.take("contact"), "contact", n, FMT)
    contact: dict[str, Any] = {
        "email": email(c.take("email"), c.at("email"), n),
        "phone": line(c.take("phone"), c.at("phone"), n),
        "website": url(c.take("website"), c.at("website"), n),
    }
    links = []
    for _i, f in each(c.take("other"), c.at("other"), n, FMT):
        label = line(f.take("label"), f.at("label"), n)
        value = line(f.take("value"), f.at("value"), n) or ""
        flavor = line(f.take("flavor"), f.at("flavor"), n)
        f.finish()
        target = url(value, f.at("value"), []) if "." in value and " " not in value else None
        if target and not target.startswith("mailto:"):
            links.append(compact({"url": target, "label": label}))
        else:
            n.append(f"{f.path}: extra contact {label or flavor or ''!r} ({value}) not imported "
                     "(resumec keeps one e-mail and one phone)")
    c.finish()
    loc = Fields(top.take("location"), "location", n, FMT)
    place = join_place([line(loc.take(k), loc.at(k), n) for k in ("city", "region", "country")])
    for key in ("address", "code"):
        loc.drop(key, "resumec keeps a one-line location" + (f" ({place!r})" if place else ""))
    loc.finish()
    contact["location"] = place
    for _i, f in each(top.take("social"), "social", n, FMT):
        network = line(f.take("network"), f.at("network"), n)
        label = line(f.take("label"), f.at("label"), n) or network
        user = line(f.take("user"), f.at("user"), n)
        target = url(f.take("url"), f.at("url"), n)
        if target is None and network and user:
            target = profile_url(network, user)
        f.finish()
        if target and user and user.lower().lstrip("@") not in target.lower():
            n.append(f"{f.at('user')}: {user!r} does not appear in the URL; not imported")
        if target:
            links.append(compact({"url": target, "label": label}))
        else:
            n.append(Problem(f"{f.path}: no URL; not imported"))
    contact["links"] = links
    return compact(contact)


def _history(key: str, value: Any, notes: Notes) -> list[tuple[int, Fields]]:
    """The entries of a FRESH section: ``{summary, history: [...]}`` or a plain list."""
    if isinstance(value, dict):
        f = Fields(value, key, notes, FMT)
        items = f.take("history")
        for extra in ("summary", "level", "degree"):
            f.drop(extra, "a section-wide " + extra + " has no place in resumec")
        f.finish()
        return each(items, f"{key}.history", notes, FMT)
    return each(value, key, notes, FMT)


def _dates(f: Fields) -> dict[str, str]:
    current = f.take("current")
    end = f.take("end")
    if current is True and is_empty(end):
        end = "present"
    return dates(f.take("start"), end, f.path, ("start", "end"), f.notes,
                 single=f.take("date"))


def _employment(key: str, value: Any, notes: Notes) -> dict[str, Any]:
    jobs: list[Job] = []
    for _i, f in _history(key, value, notes):
        employer = f.required("employer", "Employer", "employer")
        firm = compact({"employer": employer, "url": url(f.take("url"), f.at("url"), notes)})
        f.drop("keywords", "experience has no keywords in resumec")
        role = compact({
            "title": f.required("position", employer, "position"),
            **_dates(f),
            "location": line(f.take("location"), f.at("location"), notes),
            "summary": text(f.take("summary"), f.at("summary"), notes),
            "highlights": texts(f.take("highlights"), f.at("highlights"), notes),
        })
        f.finish()
        jobs.append((f.path, firm, role))
    return {"experience": group_employers(jobs, notes)}


def _education(key: str, value: Any, notes: Notes) -> dict[str, Any]:
    out = []
    for _i, f in _history(key, value, notes):
        out.append(_done(f, {
            "institution": f.required("institution", "Institution", "institution"),
            "url": url(f.take("url"), f.at("url"), notes),
            "degree": line(f.take("title") or f.take("studyType"), f.at("title"), notes),
            "area": line(f.take("area"), f.at("area"), notes),
            "grade": line(f.take("grade") or f.take("gpa"), f.at("grade"), notes),
            "location": line(f.take("location"), f.at("location"), notes),
            **_dates(f),
            "summary": text(f.take("summary"), f.at("summary"), notes),
            "courses": lines(f.take("curriculum"), f.at("curriculum"), notes),
            "highlights": texts(f.take("highlights"), f.at("highlights"), notes),
        }))
    return {"education": out}


def _service(key: str, value: Any, notes: Notes) -> dict[str, Any]:
    out = []
    for _i, f in _history(key, value, notes):
        flavor = line(f.take("flavor"), f.at("flavor"), notes)
        if flavor and flavor.lower() != "volunteer":
            notes.append(f"{f.at('flavor')}: kind of service {flavor!r} not imported")
        out.append(_done(f, {
            "organization": f.required("organization", "Organisation", "organisation"),
            "role": line(f.take("position"), f.at("position"), notes),
            "url": url(f.take("url"), f.at("url"), notes),
            "location": line(f.take("location"), f.at("location"), notes),
            **_dates(f),
            "summary": text(f.take("summary"), f.at("summary"), notes),
            "highlights": texts(f.take("highlights"), f.at("highlights"), notes),
        }))
    return {"volunteering": out}


def _projects(key: str, value: Any, notes: Notes) -> dict[str, Any]:
    out = []
    for _i, f in each(value, key, notes, FMT):
        link = url(f.take("url"), f.at("url"), notes)
        repo = url(f.take("repo"), f.at("repo"), notes)
        if repo and link:
            notes.append(f"{f.at('repo')}: {repo} not imported (the project already has a URL)")
        f.drop("category", "a project category has no place in resumec")
        f.drop("media", "project media have no place in resumec")
        summary = [t for t in (text(f.take("description"), f.at("description"), notes),
                               text(f.take("summary"), f.at("summary"), notes)) if t]
        out.append(_done(f, {
            "name": f.required("title", "Project", "title"),
            "url": link or repo,
            "role": line(f.take("role"), f.at("role"), notes),
            **_dates(f),
            "summary": "\n\n".join(summary),
            "highlights": texts(f.take("highlights"), f.at("highlights"), notes),
            "keywords": lines(f.take("keywords"), f.at("keywords"), notes),
        }))
    return {"projects": out}


def _skills(key: str, value: Any, notes: Notes) -> dict[str, Any]:
    f = Fields(value, key, notes, FMT)
    groups: list[dict[str, Any]] = []
    for _i, s in each(f.take("sets"), f.at("sets"), notes, FMT):
        name = s.required("name", "Skills", "name")
        level = line(s.take("level"), s.at("level"), notes)
        if level:
            notes.append(f"{s.at('level')}: {level!r} not imported (resumec gives levels to "
                         "single skills, not to groups)")
        items = lines(s.take("skills"), s.at("skills"), notes)
        s.finish()
        if items:
            groups.append({"name": name, "items": items})
    listed = []
    for _i, s in each(f.take("list"), f.at("list"), notes, FMT):
        s.drop("id", "a skill id has no place in resumec")
        s.drop("summary", "a skill's summary has no place in resumec")
        s.drop("proof", "a skill's proof has no place in resumec")
        years = s.take("years")
        try:
            n_years: float | None = float(years) if not is_empty(years) else None
        except (TypeError, ValueError):
            notes.append(Problem(f"{s.at('years')}: {years!r} is not a number; not imported"))
            n_years = None
        listed.append(compact({"name": s.required("name", "Skill", "name"),
                               "level": line(s.take("level"), s.at("level"), notes),
                               "years": n_years}))
        s.finish()
    if listed:
        groups.append({"name": "Skills", "items": listed})
    f.finish()
    return {"skills": groups}


def _writing(key: str, value: Any, notes: Notes) -> dict[str, Any]:
    out = []
    for _i, f in each(value, key, notes, FMT):
        publisher = f.take("publisher")
        if isinstance(publisher, dict):
            p = Fields(publisher, f.at("publisher"), notes, FMT)
            publisher = p.take("name")
            p.drop("url", "a publisher's URL has no place in resumec")
            p.finish()
        authors = f.take("author") or f.take("authors")
        out.append(_done(f, {
            "title": f.required("title", "Publication", "title"),
            "kind": line(f.take("flavor"), f.at("flavor"), notes),
            "publisher": line(publisher, f.at("publisher"), notes),
            "authors": lines(authors, f.at("author"), notes),
            **_dates(f),
            "url": url(f.take("url"), f.at("url"), notes),
            "summary": text(f.take("summary"), f.at("summary"), notes),
        }))
    return {"publications": out}


def _speaking(key: str, value: Any, notes: Notes) -> dict[str, Any]:
    out = []
    for _i, f in each(value, key, notes, FMT):
        summary = text(f.take("summary"), f.at("summary"), notes)
        highlights = texts(f.take("highlights"), f.at("highlights"), notes)
        if highlights:  # a talk has one summary: its highlights join it as paragraphs
            summary = "\n\n".join([*([summary] if summary else []), *highlights])
        talk = _done(f, {
            "title": line(f.take("title"), f.at("title"), notes),
            "event": line(f.take("event"), f.at("event"), notes),
            "role": line(f.take("role"), f.at("role"), notes),
            "location": line(f.take("location"), f.at("location"), notes),
            **_dates(f),
            "url": url(f.take("url"), f.at("url"), notes),
            "summary": summary,
        })
        if "title" not in talk and "event" not in talk:
            notes.append(Filled(f"{f.path}: no title and no event; imported with the title "
                                "'Talk'", f"{f.path}: no title and no event; add a title"))
            talk["title"] = "Talk"
        out.append(talk)
    return {"talks": out}


def _recognition(key: str, value: Any, notes: Notes) -> dict[str, Any]:
    out = []
    for _i, f in each(value, key, notes, FMT):
        f.drop("flavor", "the kind of recognition has no place in resumec")
        awarder = join_place([line(f.take("from"), f.at("from"), notes),
                              line(f.take("event"), f.at("event"), notes)])
        out.append(_done(f, {
            "title": f.required("title", "Award", "title"),
            "awarder": awarder,
            **_dates(f),
            "url": url(f.take("url"), f.at("url"), notes),
            "summary": text(f.take("summary"), f.at("summary"), notes),
        }))
    return {"awards": out}


def _people(key: str, value: Any, notes: Notes) -> dict[str, Any]:
    """FRESH references (contact details) and testimonials (quotes) → references."""
    out = []
    for _i, f in each(value, key, notes, FMT):
        f.drop("flavor", "the kind of reference has no place in resumec")
        contact = []
        for _j, c in each(f.take("contact"), f.at("contact"), notes, FMT):
            label = line(c.take("label"), c.at("label"), notes)
            item = line(c.take("value"), c.at("value"), notes)
            c.drop("flavor", "the kind of contact is shown by its label")
            c.finish()
            if item:
                contact.append(f"{label}: {item}" if label else item)
        private = f.take("private")
        out.append(_done(f, {
            "name": f.required("name", "Referee", "name"),
            "relation": line(f.take("role") or f.take("relation"), f.at("role"), notes),
            "contact": "; ".join(contact),
            "text": text(f.take("quote") or f.take("summary"), f.at("quote"), notes),
            "private": True if private is True else None,
        }))
    return {"references": out}


def _languages(key: str, value: Any, notes: Notes) -> dict[str, Any]:
    out = []
    for _i, f in each(value, key, notes, FMT):
        f.drop("years", "years of speaking a language have no place in resumec")
        out.append(_done(f, {
            "language": f.required("language", "Language", "language"),
            "fluency": line(f.take("level") or f.take("fluency"), f.at("level"), notes),
        }))
    return {"languages": out}


def _interests(key: str, value: Any, notes: Notes) -> dict[str, Any]:
    out = []
    for _i, f in each(value, key, notes, FMT):
        out.append(_done(f, {
            "name": f.required("name", "Interest", "name"),
            "summary": text(f.take("summary"), f.at("summary"), notes),
            "keywords": lines(f.take("keywords"), f.at("keywords"), notes),
        }))
    return {"interests": out}


def _custom(key: str, title: str, value: Any, notes: Notes) -> dict[str, Any] | None:
    """A FRESH section resumec has no place for, as a custom section of entries."""
    intro = None
    if isinstance(value, dict):
        f = Fields(value, key, notes, FMT)
        intro = text(f.take("summary"), f.at("summary"), notes)
        items = each(f.take("history"), f.at("history"), notes, FMT)
        f.finish()
    else:
        items = each(value, key, notes, FMT)
    entries = []
    for _i, f in items:
        f.drop("flavor", "the kind of entry has no place in resumec")
        head = f.take("organization") or f.take("title")
        sub = f.take("role") or f.take("activity") or f.take("author")
        entries.append(_done(f, {
            "title": f.required("title", title.rstrip("s"), "title", value=head or ""),
            "subtitle": line(sub, f.at("role"), notes),
            "location": line(f.take("location"), f.at("location"), notes),
            **_dates(f),
            "url": url(f.take("url"), f.at("url"), notes),
            "summary": text(f.take("summary"), f.at("summary"), notes),
            "highlights": texts(f.take("highlights"), f.at("highlights"), notes),
        }))
    section = compact({"title": title, "text": intro, "entries": entries})
    return section if len(section) > 1 else None


def _done(f: Fields, item: dict[str, Any]) -> dict[str, Any]:
    f.drop("ignore", "FRESH's 'ignore' flag is not imported (use tags and profiles)")
    if f.take("private") is True:
        item["private"] = True
    f.finish()
    return compact(item)


_SECTIONS: dict[str, Any] = {
    "employment": _employment, "education": _education, "service": _service,
    "projects": _projects, "skills": _skills, "writing": _writing, "speaking": _speaking,
    "recognition": _recognition, "references": _people, "testimonials": _people,
    "languages": _languages, "interests": _interests,
}  # fmt: skip
