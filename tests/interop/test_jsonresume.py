"""JSON Resume in and out: corpus imports, legacy keys, employer merging, export validity,
and the round trip keeping everything JSON Resume can hold."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from interop_helpers import (
    CORPUS,
    DEMO,
    FRESH,
    JSON_RESUME,
    RENDERCV,
    SOURCES,
    load_json,
    make_job,
    tailored,
)
from PIL import Image

from resumec.backends import get
from resumec.interop import convert, detect, from_jsonresume, to_jsonresume
from resumec.interop.values import years_in
from resumec.interop.yamlout import dump_yaml
from resumec.loader import load_source, parse, validate
from resumec.schema.model import Resume

LEGACY = CORPUS / "fresh-test-resumes.jrs-legacy.jane-fullstacker.json"
ISO = re.compile(r"^([1-2][0-9]{3}-[0-1][0-9]-[0-3][0-9]|[1-2][0-9]{3}-[0-1][0-9]|[1-2][0-9]{3})$")


def leaves(value: Any, path: str = "") -> list[tuple[str, Any]]:
    """Every scalar in ``value`` with its path, written as the importers' notes write it."""
    if isinstance(value, dict):
        return [x for k, v in value.items()
                for x in leaves(v, f"{path}.{k}" if path else str(k))]
    if isinstance(value, list):
        return [x for i, v in enumerate(value) for x in leaves(v, f"{path}[{i}]")]
    return [(path, value)]


def squash(text: str) -> str:
    return " ".join(str(text).split())


def assert_nothing_silently_dropped(source: Any, imported: dict[str, Any],
                                    notes: list[str], mapped: tuple[str, ...] = ()) -> None:
    """Each non-empty source value is in the import (as text, or as the pieces a list or
    a Markdown link is split into) or named by a note; ``mapped`` paths are known to be
    mapped by meaning."""
    texts = [squash(v) for _, v in leaves(imported) if isinstance(v, str | int | float)]
    blob = "\n".join(texts)
    noted = [n.split(": ", 1)[0] for n in notes]
    missing = []
    for path, value in leaves(source):
        if value is None or value == "" or isinstance(value, bool):
            continue
        shown = squash(value)
        pieces = [p for p in re.split(r"[,;]\s*|\]\(|[\[\]()]", shown) if p.strip()]
        if shown in blob or shown.strip("*") in blob or all(p in blob for p in pieces):
            continue
        if path in mapped:
            continue
        if any(path == p or path.startswith((p + ".", p + "[")) for p in noted):
            continue
        missing.append(f"{path} = {shown[:60]!r}")
    assert not missing, "silently dropped:\n" + "\n".join(missing)


# --- import -----------------------------------------------------------------------------------


@pytest.mark.parametrize("path", JSON_RESUME, ids=lambda p: p.name)
def test_corpus_file_imports_to_valid_yaml(path: Path) -> None:
    data = load_json(path)
    assert detect(data) == "jsonresume"
    out, notes = from_jsonresume(data)
    Resume.model_validate(out)
    text = dump_yaml(out, header="https://resumec.dev/schema/resume.schema.json")
    again = parse(text, f"{path.stem}.yaml")
    assert again.data == out
    validate(again, CORPUS)
    assert_nothing_silently_dropped(data, out, notes)


def test_legacy_keys_are_reported_and_mapped() -> None:
    data = load_json(LEGACY)
    out, notes = from_jsonresume(data)
    legacy = [n for n in notes if "legacy" in n]
    for key in ("work[0].company", "work[0].website", "basics.website", "basics.picture",
                "education[0].gpa", "volunteer[0].website", "publications[0].website",
                "languages[0].level"):
        assert any(n.startswith(f"{key}: legacy") for n in legacy), key
    assert out["experience"][0]["employer"] == "Area 52"
    assert out["experience"][0]["url"] == "https://area52.io/does-not-exist"
    assert out["contact"]["website"] == "http://janef.me/blog"
    assert out["education"][0]["grade"] == "3.5"
    assert out["languages"][0] == {"language": "English", "fluency": "Native"}
    assert "photo" not in out  # jane_doe.png does not exist next to the file
    assert any(n.startswith("basics.image: no photo file 'jane_doe.png'") for n in notes)
    assert any(n.startswith("volunteer[0].flavor:") for n in notes)


def test_legacy_picture_becomes_photo_when_the_file_exists(tmp_path: Path) -> None:
    Image.new("RGB", (3, 4)).save(tmp_path / "me.png")
    out, _ = from_jsonresume({"basics": {"name": "A", "picture": "me.png"}}, base_dir=tmp_path)
    assert out["photo"] == "me.png"


WORK = {
    "basics": {"name": "Ada Example"},
    "work": [
        {"name": "Acme", "position": "Staff Engineer", "startDate": "2021-01",
         "location": "Berlin", "url": "https://acme.example", "highlights": ["Led *it*"]},
        {"name": "ACME", "position": "Senior Engineer", "startDate": "2018-03",
         "endDate": "2020-12-31", "location": "Berlin", "description": "Makes anvils."},
        {"name": "Globex", "position": "Engineer", "startDate": "2016", "endDate": "2018"},
        {"name": "Acme", "position": "Intern", "startDate": "2015-06", "endDate": "2015-09"},
    ],
}


def test_consecutive_entries_at_one_employer_become_roles() -> None:
    out, notes = from_jsonresume(WORK)
    exp = out["experience"]
    assert [e["employer"] for e in exp] == ["Acme", "Globex", "Acme"]
    acme = exp[0]
    assert acme["location"] == "Berlin" and acme["url"] == "https://acme.example"
    assert acme["description"] == "Makes anvils."
    assert acme["roles"] == [
        {"title": "Staff Engineer", "start": "2021-01", "end": "present",
         "highlights": ["Led *it*"]},
        {"title": "Senior Engineer", "start": "2018-03", "end": "2020-12-31"},
    ]
    assert exp[1] == {"employer": "Globex", "title": "Engineer", "start": "2016",
                      "end": "2018"}
    assert exp[2]["title"] == "Intern" and "roles" not in exp[2]
    assert any("work[0]–work[1]" in n and "2 roles" in n for n in notes)
    resume = Resume.model_validate(out)
    assert len(resume.experience[0].positions) == 2


def test_roles_at_different_places_keep_their_own_location() -> None:
    data = {"basics": {"name": "A"}, "work": [
        {"name": "Acme", "position": "B", "startDate": "2020", "location": "Berlin"},
        {"name": "Acme", "position": "C", "startDate": "2019", "endDate": "2019",
         "location": "Paris"}]}
    out, _ = from_jsonresume(data)
    assert "location" not in out["experience"][0]
    assert [r["location"] for r in out["experience"][0]["roles"]] == ["Berlin", "Paris"]


@pytest.mark.parametrize(("start", "end", "expected"), [
    ("2013-12-01", None, {"start": "2013-12-01", "end": "present"}),
    ("2013-12-01T00:00:00", "2014-01", {"start": "2013-12-01", "end": "2014-01"}),
    ("2013", "2013", {"date": "2013"}),
    ("Dec 2013", "present", {"start": "2013-12", "end": "present"}),
    ("12/2013", "Current", {"start": "2013-12", "end": "present"}),
    ("2013-6", "2014-6-3", {"start": "2013-06", "end": "2014-06-03"}),
    ("Summer 2019", None, {"when": "Summer 2019"}),
    ("2019", "2017", {"when": "2019 – 2017"}),
    (None, "2019-05", {"date": "2019-05"}),
    ("2019-13", None, {"when": "2019-13"}),
])
def test_dates_are_normalised(start: str | None, end: str | None,
                              expected: dict[str, str]) -> None:
    job = {"name": "Acme", "position": "Dev", "startDate": start, "endDate": end}
    out, _ = from_jsonresume({"basics": {"name": "A"}, "work": [job]})
    got = {k: v for k, v in out["experience"][0].items() if k in ("date", "start", "end",
                                                                    "when")}
    assert got == expected
    Resume.model_validate(out)


def test_profiles_become_links_and_location_one_line() -> None:
    data = {"basics": {
        "name": "A", "location": {"city": "Lisbon", "region": "Lisboa", "countryCode": "PT",
                                  "address": "Rua 1", "postalCode": "1000"},
        "profiles": [{"network": "GitHub", "username": "ada"},
                     {"network": "Mastodon", "username": "ada@hachyderm.io"},
                     {"network": "Myspace", "username": "ada"},
                     {"network": "Blog", "url": "ada.example.org"}]}}
    out, notes = from_jsonresume(data)
    assert out["contact"]["location"] == "Lisbon, Lisboa, PT"
    assert out["contact"]["links"] == [
        {"url": "https://github.com/ada", "label": "GitHub"},
        {"url": "https://hachyderm.io/@ada", "label": "Mastodon"},
        {"url": "https://ada.example.org", "label": "Blog"}]
    assert any(n.startswith("basics.profiles[2]: no URL") for n in notes)
    assert any(n.startswith("basics.location.address") for n in notes)
    assert any("has no scheme" in n for n in notes)


def test_unsafe_links_in_text_become_literal() -> None:
    data = {"basics": {"name": "A", "summary": "See [me](javascript:alert(1)) and "
                       "[x](https://ok.example)"}}
    out, notes = from_jsonresume(data)
    resume = Resume.model_validate(out)
    assert resume.summary is not None and "javascript" in resume.summary
    assert any("not http(s) or mailto" in n for n in notes)


def test_skills_with_and_without_keywords() -> None:
    data = {"basics": {"name": "A"}, "skills": [
        {"name": "Web", "level": "Master", "keywords": ["HTML", "CSS"]},
        {"name": "Rust", "level": "Expert"}, {"name": "Go"}]}
    out, notes = from_jsonresume(data)
    assert out["skills"] == [{"name": "Web", "level": "Master", "items": ["HTML", "CSS"]},
                             {"name": "Skills", "items": [{"name": "Rust", "level": "Expert"},
                                                          "Go"]}]
    assert not any("level" in n for n in notes)


def test_talks_travel_as_projects_of_type_talk() -> None:
    data = {"basics": {"name": "A"}, "projects": [
        {"name": "Fast YAML", "type": "talk", "entity": "PyCon", "roles": ["Speaker"],
         "startDate": "2023-04", "endDate": "2023-04", "description": "About YAML."}]}
    out, _ = from_jsonresume(data)
    assert out["talks"] == [{"title": "Fast YAML", "event": "PyCon", "role": "Speaker",
                             "date": "2023-04", "summary": "About YAML."}]
    assert "projects" not in out


def test_not_a_mapping_is_a_clear_error() -> None:
    from resumec.errors import ResumecError

    with pytest.raises(ResumecError, match="JSON object"):
        from_jsonresume(["basics"])


# --- detect -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("data", "fmt"), [
    ({"basics": {"name": "A"}}, "jsonresume"),
    ({"work": []}, "jsonresume"),
    ({"cv": {"name": "A", "sections": {}}}, "rendercv"),
    ({"name": "A", "meta": {"format": "FRESH@0.6.0"}}, "fresh"),
    ({"name": "A", "experience": []}, "resumec"),
    ({"nom": "A"}, "unknown"),
    ([1, 2], "unknown"),
])
def test_detect(data: Any, fmt: str) -> None:
    assert detect(data) == fmt


def test_detect_corpus_and_sources() -> None:
    for path in JSON_RESUME:
        assert detect(load_json(path)) == "jsonresume", path.name
    for path in FRESH:
        assert detect(load_json(path)) == "fresh", path.name
    for path in RENDERCV:
        assert detect(load_source(path).data) == "rendercv", path.name
    for path in SOURCES:
        assert detect(load_source(path).data) == "resumec", path.name


# --- export -----------------------------------------------------------------------------------


def _exportable() -> list[tuple[str, Resume]]:
    out = [(p.name, tailored(p)) for p in SOURCES]
    out += [(f"{p.name}-backend", tailored(p, "backend")) for p in SOURCES[:1]
            if "backend" in load_source(p).data.get("profiles", {})]
    for path in JSON_RESUME:
        out.append((f"import:{path.name}", Resume.model_validate(
            from_jsonresume(load_json(path))[0])))
    for path in (*FRESH, *RENDERCV):
        data = load_json(path) if path.suffix == ".json" else load_source(path).data
        out.append((f"import:{path.name}", Resume.model_validate(convert(data)[1])))
    return out


EXPORTABLE = _exportable()


@pytest.mark.parametrize(("name", "resume"), EXPORTABLE, ids=[n for n, _ in EXPORTABLE])
def test_export_validates_against_the_official_schema(name: str, resume: Resume,
                                                      validator: Any) -> None:
    data = to_jsonresume(resume)
    errors = [f"{'/'.join(map(str, e.path))}: {e.message}" for e in validator.iter_errors(data)]
    assert not errors
    for path, value in leaves(data):
        if path.rsplit(".", 1)[-1] in ("startDate", "endDate", "date", "releaseDate"):
            assert ISO.match(value), (path, value)
        assert value != "present" or path.startswith("x-resumec.")


@pytest.mark.parametrize(("name", "resume"), EXPORTABLE, ids=[n for n, _ in EXPORTABLE])
def test_export_then_import_keeps_what_json_resume_holds(name: str, resume: Resume) -> None:
    lost: list[str] = []
    exported = to_jsonresume(resume, lost)
    back, _ = from_jsonresume(json.loads(json.dumps(exported)))
    again = Resume.model_validate(back)
    assert holdable(again) == holdable(resume)
    assert again.section_order == resume.section_order
    assert again.custom == resume.custom


def test_current_role_has_no_end_date() -> None:
    resume = Resume.model_validate({"name": "A", "experience": [
        {"employer": "Acme", "title": "Dev", "start": "2020-02", "end": "present"}]})
    work = to_jsonresume(resume)["work"][0]
    assert work["startDate"] == "2020-02" and "endDate" not in work


def test_multi_role_employer_becomes_several_work_entries() -> None:
    resume = Resume.model_validate({"name": "A", "experience": [
        {"employer": "Acme", "location": "Remote", "roles": [
            {"title": "Lead", "start": 2021, "end": "present"},
            {"title": "Dev", "start": 2019, "end": 2020, "location": "Oslo"}]}]})
    work = to_jsonresume(resume)["work"]
    assert [(w["name"], w["position"], w["location"]) for w in work] == [
        ("Acme", "Lead", "Remote"), ("Acme", "Dev", "Oslo")]


def test_free_text_dates_are_reported() -> None:
    resume = Resume.model_validate({"name": "A", "experience": [
        {"employer": "Shop", "title": "Clerk", "when": "Summers 2009–2011"},
        {"employer": "Farm", "title": "Hand", "when": "Most weekends"}]})
    lost: list[str] = []
    work = to_jsonresume(resume, lost)["work"]
    assert (work[0]["startDate"], work[0]["endDate"]) == ("2009", "2011")
    assert "startDate" not in work[1]
    assert any(n.startswith("experience[0].when:") for n in lost)
    assert any(n.startswith("experience[1].when:") and "left out" in n for n in lost)


def test_json_backend_renders_valid_json_and_warns(validator: Any) -> None:
    if not DEMO.is_file():
        pytest.skip("no demo résumé yet")
    resume = tailored(DEMO)
    job = make_job(resume)
    warnings: list[str] = []
    job = type(job)(job.resume, job.document, job.theme, job.paper, job.base_dir,
                    warnings.append)
    backend = get("json")
    assert (backend.name, backend.suffix) == ("json", "json")
    data = json.loads(backend.render(job).decode("utf-8"))
    assert not list(validator.iter_errors(data))
    assert data == json.loads(json.dumps(to_jsonresume(resume)))
    assert all(w.startswith("json: ") for w in warnings)


# --- what JSON Resume holds -------------------------------------------------------------------


def _dates(x: Any) -> tuple[Any, ...]:
    if x.when:  # JSON Resume holds only the years free text mentions
        years = years_in(x.when)
        return (str(min(years)), str(max(years))) if years else (None, None)
    if x.date:
        return (x.date.iso, x.date.iso)
    end = x.end.iso if x.end not in (None, "present") else "open"
    return (x.start.iso if x.start else None, end if x.start else None)


def _one(x: Any) -> str | None:
    if x.date or x.start:
        return str((x.date or x.start).iso)
    years = years_in(x.when or "")
    return str(years[0]) if years else None


def holdable(r: Resume) -> dict[str, Any]:
    """The parts of ``r`` that JSON Resume can hold, in comparable form."""
    c = r.contact
    return {
        "basics": (r.name, r.headline, r.summary, c.email, c.phone, c.website, c.location,
                   [(link.url, link.label or link.url) for link in c.links]),
        "work": [(e.employer, p.title, e.url, p.location or e.location, e.description,
                  _dates(p), p.summary, [h.text for h in p.highlights])
                 for e in r.experience for p in e.positions],
        "education": [(e.institution, e.url, e.area, e.degree, e.grade, e.courses, _dates(e))
                      for e in r.education],
        "skills": [(g.name, [s.name for s in g.items]) for g in r.skills],
        "projects": [(p.name, p.summary, [h.text for h in p.highlights], p.keywords, p.url,
                      p.role, _dates(p)) for p in r.projects],
        "talks": [(t.title, t.event, t.role, t.url, t.summary, _dates(t)) for t in r.talks],
        "publications": [(p.title, p.publisher, p.url, p.summary,
                          _one(p))
                         for p in r.publications],
        "awards": [(a.title, a.awarder, a.summary,
                    _one(a))
                   for a in r.awards],
        "certificates": [(x.name, x.issuer, x.url,
                          _one(x))
                         for x in r.certifications],
        "volunteer": [(v.organization, v.role, v.url, v.summary,
                       [h.text for h in v.highlights], _dates(v)) for v in r.volunteering],
        "languages": [(x.language, x.fluency) for x in r.languages],
        "interests": [(x.name, x.keywords) for x in r.interests],
        "references": [(x.name, x.text) for x in r.references],
        "extension": (r.lang, r.titles, r.keywords),
    }
