"""RenderCV import: a RenderCV YAML document (``cv:`` + ``sections:``) to resumec data.

Takes the parsed RenderCV file (a mapping); gives resumec data plus notes. RenderCV
sections are free-titled lists whose entry type shows in its keys (company + position:
experience; institution: education; title + authors: publication; label + details: a
one-line entry; bullet; number; reversed_number; name: a normal entry; a bare string:
text). Each section goes to the nearest resumec section (by entry type, then title),
otherwise to a custom section with the same title. ``design``, ``locale`` and
``settings`` describe RenderCV's layout and are reported as not imported.

RenderCV allows Markdown everywhere; resumec's one-line fields (names, titles,
places) are plain text, so Markdown there is removed (with a note), and a name that
is a single ``[text](url)`` link becomes the name plus the entry's URL.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from resumec.document import DEFAULT_TITLES
from resumec.interop.fields import Fields, compact, each
from resumec.interop.jsonresume import Job, group_employers
from resumec.interop.values import (
    Filled,
    Notes,
    Problem,
    dates,
    email,
    is_empty,
    line,
    lines,
    photo,
    profile_url,
    slug,
    text,
    texts,
    url,
)
from resumec.schema.model import SECTION_KEYS

FMT = "RenderCV"
_LINK = re.compile(r"^\s*\[([^\]]+)\]\((\S+?)\)\s*$")
_SMALL_WORDS = {"a", "an", "and", "as", "at", "but", "by", "for", "from", "in", "into", "of",
                "on", "or", "the", "to", "with"}
_BY_TITLE: tuple[tuple[str, str], ...] = (
    (r"project", "projects"),
    (r"award|hono(u)?r|prize", "awards"),
    (r"certif|licen[cs]", "certifications"),
    (r"talk|presentation|speaking|keynote", "talks"),
    (r"volunt", "volunteering"),
    (r"publication|paper", "publications"),
)
_SKILLS_TITLE = re.compile(r"skill|technolog|tool|stack|competenc|expertise")
_SUMMARY_TITLE = re.compile(r"summary|about|profile|objective|introduction|bio\b")
_SETTINGS = {
    "design": "RenderCV design settings (theme, fonts, margins)",
    "locale": "RenderCV locale settings (month names, date wording)",
    "locale_catalog": "RenderCV locale settings (month names, date wording)",
    "settings": "RenderCV settings",
    "rendercv_settings": "RenderCV settings",
}


def section_title(key: str) -> str:
    """RenderCV's heading for a section key: ``selected_honors`` → ``Selected Honors``."""
    if " " in key or any(c.isupper() for c in key):
        return key
    words = key.replace("_", " ").split()
    return " ".join(w if (i and w in _SMALL_WORDS) else w[:1].upper() + w[1:]
                    for i, w in enumerate(words))


def entry_kind(entry: Any) -> str:
    """The RenderCV entry type of ``entry``, from its keys."""
    if isinstance(entry, str | int | float) and not isinstance(entry, bool):
        return "text"
    if not isinstance(entry, dict):
        return "unknown"
    keys = set(entry)
    if "company" in keys or "position" in keys:
        return "experience"
    if "institution" in keys:
        return "education"
    if "title" in keys:
        return "publication"
    if "label" in keys and "details" in keys:
        return "oneline"
    for kind in ("bullet", "number", "reversed_number"):
        if kind in keys:
            return kind
    if "name" in keys:
        return "normal"
    return "unknown"


def from_rendercv(data: Any, *, base_dir: Path | None = None) -> tuple[dict[str, Any], list[str]]:
    """Convert a RenderCV document into resumec data, with notes on what changed."""
    notes: Notes = []
    top = Fields(data, "", notes, FMT)
    cv = Fields(top.take("cv"), "cv", notes, FMT)
    for key, what in _SETTINGS.items():
        if not is_empty(top.take(key)):
            notes.append(f"{key}: {what} not imported (pick a resumec theme instead)")
    top.finish()
    out: dict[str, Any] = {"name": cv.required("name", "Your Name", "name", markdown=True)}
    out["headline"] = line(cv.take("headline") or cv.take("label"), cv.at("headline"),
                           notes, markdown=True)
    out["photo"] = photo(cv.take("photo"), cv.at("photo"), notes, base_dir)
    out["contact"] = _contact(cv)
    builder = _Sections(notes)
    raw_sections = cv.take("sections")
    if isinstance(raw_sections, dict):
        for key, entries in raw_sections.items():
            builder.add(str(key), entries)
    elif not is_empty(raw_sections):
        notes.append(Problem("cv.sections: expected a mapping of section titles to entries; "
                             "not imported"))
    cv.finish()
    out.update(builder.result())
    return compact(out), notes


def _first(value: Any, path: str, notes: Notes) -> Any:
    if isinstance(value, list):
        rest = [str(v) for v in value[1:] if not is_empty(v)]
        if rest:
            notes.append(f"{path}: only the first of several is imported; not imported: "
                         f"{', '.join(rest)}")
        return value[0] if value else None
    return value


def _contact(cv: Fields) -> dict[str, Any]:
    n = cv.notes
    contact: dict[str, Any] = {
        "email": email(_first(cv.take("email"), cv.at("email"), n), cv.at("email"), n),
        "phone": line(_first(cv.take("phone"), cv.at("phone"), n), cv.at("phone"), n),
        "location": line(cv.take("location"), cv.at("location"), n, markdown=True),
        "website": url(_first(cv.take("website"), cv.at("website"), n), cv.at("website"), n),
    }
    links = []
    for _i, f in each(cv.take("social_networks"), cv.at("social_networks"), n, FMT):
        network = line(f.take("network"), f.at("network"), n) or ""
        username = line(f.take("username"), f.at("username"), n) or ""
        target = profile_url(network, username)
        f.finish()
        if target:
            links.append({"url": target, "label": network})
        else:
            n.append(Problem(f"{f.path}: no known profile address for {network!r} user "
                             f"{username!r}; not imported (add it under contact.links)"))
    for _i, f in each(cv.take("custom_connections"), cv.at("custom_connections"), n, FMT):
        label = line(f.take("placeholder"), f.at("placeholder"), n, markdown=True)
        target = url(f.take("url"), f.at("url"), n)
        f.drop("fontawesome_icon", "icons are chosen by the theme")
        f.finish()
        if target:
            links.append(compact({"url": target, "label": label}))
        elif label:
            n.append(Problem(f"{f.path}: {label!r} has no URL; not imported"))
    contact["links"] = links
    return compact(contact)


def _name_link(f: Fields, key: str, what: str) -> tuple[str, str | None]:
    """A name that may be written as a Markdown link: its text, and the link's URL."""
    raw = f.take(key)
    if isinstance(raw, str) and (m := _LINK.match(raw)):
        target = url(m[2], f.at(key), f.notes)
        return f.required(key, what.capitalize(), what, value=m[1], markdown=True), target
    return f.required(key, what.capitalize(), what, value=raw, markdown=True), None


def _dates(f: Fields) -> dict[str, str]:
    return dates(f.take("start_date"), f.take("end_date"), f.path, ("start_date", "end_date"),
                 f.notes, single=f.take("date"))


class _Sections:
    """Collects RenderCV sections as resumec sections, in the file's order."""

    def __init__(self, notes: Notes) -> None:
        self.notes = notes
        self.sections: dict[str, Any] = {}
        self.custom: dict[str, Any] = {}
        self.titles: dict[str, str] = {}
        self.order: list[str] = []

    def add(self, key: str, entries: Any) -> None:
        path = f"cv.sections.{key}"
        title = line(section_title(key), path, self.notes)  # free text: no control characters
        if isinstance(entries, str):
            entries = [entries]
        if not isinstance(entries, list) or is_empty(entries):
            if not is_empty(entries):
                self.notes.append(Problem(f"{path}: expected a list of entries; not imported"))
            return
        kinds = {entry_kind(e) for e in entries if not is_empty(e)}
        kind = kinds.pop() if len(kinds) == 1 else "mixed"
        target = self._target(kind, key)
        if target is None:
            self._custom(key, title, entries, path)
            return
        content = self._builtin(target, entries, path)
        if not content:
            return
        self.sections[target] = content
        self.order.append(target)
        if title and title != DEFAULT_TITLES.get(target):
            self.titles[target] = title

    def _target(self, kind: str, key: str) -> str | None:
        name = key.lower().replace(" ", "_").replace("-", "_")
        wanted: str | None = None
        if kind == "experience":
            wanted = "experience"
        elif kind == "education":
            wanted = "education"
        elif kind == "publication":
            wanted = "publications"
        elif kind == "oneline" and _SKILLS_TITLE.search(name):
            wanted = "skills"
        elif kind == "text" and _SUMMARY_TITLE.search(name):
            wanted = "summary"
        elif kind == "normal":
            wanted = next((k for pattern, k in _BY_TITLE if re.search(pattern, name)),
                          None)
            if wanted == "publications":
                wanted = None
        return wanted if wanted and wanted not in self.sections else None

    def _builtin(self, target: str, entries: list[Any], path: str) -> Any:
        n = self.notes
        if target == "summary":
            return text([str(e) for e in entries if not is_empty(e)], path, n)
        items = [(i, Fields(e, f"{path}[{i}]", n, FMT)) for i, e in enumerate(entries)
                 if isinstance(e, dict)]
        if target == "experience":
            return group_employers([_job(f) for _i, f in items], n)
        if target == "skills":
            return [_skill_row(f) for _i, f in items]
        return [_ITEM[target](f) for _i, f in items]

    def _custom(self, key: str, title: str | None, entries: list[Any], path: str) -> None:
        n = self.notes
        paragraphs, bullets, items = [], [], []
        numbered = False
        for i, entry in enumerate(entries):
            here = f"{path}[{i}]"
            kind = entry_kind(entry)
            if kind == "text":
                para = text(entry, here, n)
                if para:
                    paragraphs.append(para)
                continue
            if kind == "unknown":
                if not is_empty(entry):
                    n.append(Problem(f"{here}: not a RenderCV entry resumec recognises; "
                                     "not imported"))
                continue
            f = Fields(entry, here, n, FMT)
            if kind in ("bullet", "number", "reversed_number"):
                numbered = numbered or kind != "bullet"
                bullet = text(f.take(kind), f.at(kind), n)
                f.finish()
                if bullet:
                    bullets.append(bullet)
            elif kind == "oneline":
                bullet = _oneline_bullet(f)
                if bullet:
                    bullets.append(bullet)
            else:
                items.append(_entry(f, kind))
        if numbered:
            n.append(f"{path}: numbered entries are imported as bullets (resumec has no "
                     "numbered lists)")
        section = compact({"title": title or "Untitled", "text": "\n\n".join(paragraphs),
                           "entries": items, "bullets": bullets})
        if len(section) == 1:
            return
        if not title:
            n.append(Filled(f"{path}: a section without a title; imported as 'Untitled': "
                            "edit it", f"{path}: a section without a title; add one"))
        ident = slug(key, set(self.custom) | set(SECTION_KEYS))
        self.custom[ident] = section
        self.order.append(f"custom:{ident}")

    def result(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key in self.order:
            if key.startswith("custom:"):
                if "custom" not in out:
                    out["custom"] = self.custom
            else:
                out[key] = self.sections[key]
        customs = [i for i, k in enumerate(self.order) if k.startswith("custom:")]
        interleaved = any(not k.startswith("custom:") for k in self.order[customs[0]:]
                          ) if customs else False
        if interleaved:  # keep RenderCV's section order: custom sections sit among the others
            out["order"] = [k.removeprefix("custom:") for k in self.order]
        if self.titles:
            out["titles"] = self.titles
        return out


def _job(f: Fields) -> Job:
    n = f.notes
    employer, site = _name_link(f, "company", "employer")
    firm = compact({"employer": employer, "url": site or url(f.take("url"), f.at("url"), n)})
    role = compact({
        "title": f.required("position", employer, "position", markdown=True),
        **_dates(f),
        "location": line(f.take("location"), f.at("location"), n, markdown=True),
        "summary": text(f.take("summary"), f.at("summary"), n),
        "highlights": texts(f.take("highlights"), f.at("highlights"), n),
    })
    f.finish()
    return f.path, firm, role


def _education(f: Fields) -> dict[str, Any]:
    n = f.notes
    institution, site = _name_link(f, "institution", "institution")
    out = compact({
        "institution": institution,
        "url": site or url(f.take("url"), f.at("url"), n),
        "degree": line(f.take("degree"), f.at("degree"), n, markdown=True),
        "area": line(f.take("area"), f.at("area"), n, markdown=True),
        "grade": line(f.take("grade") or f.take("gpa"), f.at("grade"), n, markdown=True),
        "location": line(f.take("location"), f.at("location"), n, markdown=True),
        **_dates(f),
        "summary": text(f.take("summary"), f.at("summary"), n),
        "highlights": texts(f.take("highlights"), f.at("highlights"), n),
    })
    f.finish()
    return out


def _publication(f: Fields) -> dict[str, Any]:
    n = f.notes
    title, site = _name_link(f, "title", "title")
    doi = line(f.take("doi"), f.at("doi"), n)
    link = site or url(f.take("url"), f.at("url"), n)
    if doi and not link:
        link = url(f"https://doi.org/{doi}", f.at("doi"), n)
    elif doi:
        n.append(f"{f.at('doi')}: {doi!r} not imported (the entry already has a URL)")
    out = compact({
        "title": title,
        "publisher": line(f.take("journal"), f.at("journal"), n, markdown=True),
        "authors": lines(f.take("authors"), f.at("authors"), n, markdown=True),
        **_dates(f),
        "url": link,
        "summary": text(f.take("summary"), f.at("summary"), n),
    })
    f.finish()
    return out


def _normal(f: Fields, target: str) -> dict[str, Any]:
    """A RenderCV normal entry (name, dates, location, summary, highlights) as ``target``."""
    n = f.notes
    name, site = _name_link(f, "name", "name")
    link = site or url(f.take("url"), f.at("url"), n)
    place = line(f.take("location"), f.at("location"), n, markdown=True)
    summary = text(f.take("summary"), f.at("summary"), n)
    highlights = texts(f.take("highlights"), f.at("highlights"), n)
    when = _dates(f)
    fields = {
        "projects": {"name": name, "url": link, **when, "summary": summary,
                     "highlights": highlights, "location": place},
        "awards": {"title": name, **when, "url": link, "summary": summary,
                   "highlights": highlights, "location": place},
        "certifications": {"name": name, **when, "url": link, "summary": summary,
                           "highlights": highlights, "location": place},
        "talks": {"title": name, "location": place, **when, "url": link, "summary": summary,
                  "highlights": highlights},
        "volunteering": {"organization": name, "url": link, "location": place, **when,
                         "summary": summary, "highlights": highlights},
    }[target]
    for key in ("location", "highlights"):
        if key in fields and fields[key] and target not in _KEEPS[key]:
            n.append(f"{f.at(key)}: resumec's {target} have no {key}; not imported")
            fields.pop(key)
    f.finish()
    return compact(fields)


_KEEPS = {"location": {"talks", "volunteering"}, "highlights": {"projects", "volunteering"}}
_ITEM: dict[str, Any] = {
    "education": _education,
    "publications": _publication,
    **{k: (lambda f, k=k: _normal(f, k))
       for k in ("projects", "awards", "certifications", "talks", "volunteering")},
}


def _entry(f: Fields, kind: str) -> dict[str, Any]:
    """Any titled RenderCV entry as an entry of a custom section."""
    n = f.notes
    if kind == "experience":
        _path, firm, role = _job(f)
        return compact({"title": role["title"], "subtitle": firm["employer"],
                        "url": firm.get("url"), **{k: v for k, v in role.items()
                                                   if k != "title"}})
    if kind == "education":
        e = _education(f)
        degree = " in ".join(x for x in (e.pop("degree", None), e.pop("area", None)) if x)
        for key in ("grade", "courses"):
            if e.get(key):
                n.append(f"{f.path}.{key}: entries of a custom section have no {key}; "
                         "not imported")
                e.pop(key)
        return compact({"title": e.pop("institution"), "subtitle": degree, **e})
    if kind == "publication":
        p = _publication(f)
        if p.get("authors"):
            p["summary"] = "\n\n".join(x for x in (", ".join(p.pop("authors")),
                                                   p.get("summary")) if x)
        return compact({"title": p.pop("title"), "subtitle": p.pop("publisher", None), **p})
    name, site = _name_link(f, "name", "name")
    out = compact({
        "title": name,
        "location": line(f.take("location"), f.at("location"), n, markdown=True),
        **_dates(f),
        "url": site or url(f.take("url"), f.at("url"), n),
        "summary": text(f.take("summary"), f.at("summary"), n),
        "highlights": texts(f.take("highlights"), f.at("highlights"), n),
    })
    f.finish()
    return out


def _split_items(details: str) -> list[str]:
    """Split ``"Python, C++ (17, 20), Rust"`` on top-level commas."""
    items, depth, current = [], 0, ""
    for ch in details:
        depth += ch in "([{"
        depth -= ch in ")]}"
        if ch in ",;" and depth <= 0:
            items.append(current)
            current = ""
        else:
            current += ch
    items.append(current)
    return [i.strip() for i in items if i.strip()]


def _skill_row(f: Fields) -> dict[str, Any]:
    n = f.notes
    label = f.required("label", "Skills", "label", markdown=True)
    details = line(f.take("details"), f.at("details"), n, markdown=True) or ""
    f.finish()
    return {"name": label, "items": _split_items(details) or [label]}


def _oneline_bullet(f: Fields) -> str | None:
    from resumec.backends.markdown import escape

    label = line(f.take("label"), f.at("label"), f.notes, markdown=True)
    details = text(f.take("details"), f.at("details"), f.notes)
    f.finish()
    if not label:
        return details
    return f"**{escape(label)}:** {details}" if details else escape(label)
