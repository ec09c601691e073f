"""Fuzzing the importers: every RenderCV or FRESH document is a résumé or located errors.

Two sources of input per format: documents generated from the format's shape (the keys
its importer reads, each value maybe of the wrong kind, text maybe nasty) and the real
samples of the shared corpus mutated at the data level (keys dropped or renamed, values
replaced by others of any kind, lists emptied or doubled, scalars wrapped in lists).

What is checked: loading (``load_resume`` converts them) gives a résumé or a user error
whose issues are located, never a traceback; it refuses exactly where ``resumec import``
fills in a placeholder, and warns, located, about each value import leaves out as
looking wrong; a résumé that loads is what ``resumec import`` writes and reads back (the
YAML it writes validates to the same résumé); and it renders as Markdown, text and JSON
Resume, or fails with a user error.

Set ``RESUMEC_FUZZ_SCALE`` (e.g. 20) to run many more examples than CI does.
"""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from resumec.errors import MAX_ISSUES, Issue, ResumecError
from resumec.interop import convert, detect
from resumec.interop.values import Filled, Problem
from resumec.interop.yamlout import dump_yaml
from resumec.loader import Source, load_resume, load_source, parse, validate
from resumec.render import Options, run, tasks
from resumec.schema import Resume
from tests.conftest import CORPUS
from tests.fuzz.fuzzkit import check_error, fuzz, note, time_limit, value_paths

# --- values ------------------------------------------------------------------------------

ODD = ("**bold**", "*", "[link](https://x.io)", "[x](javascript:alert(1))", "<b>", "{{ x }}",
       "a\nb", "a\n\nb", "  ", "", "\t", "שלום", "山田", "👩‍💻", "\u202eevil", "\ufdd0",
       "\U0010ffff", "\ue000", "\x00", "\x1b[31m", "\u2028", "\ufffe", "\u0085", "x" * 300,
       "https://" + "a" * 300 + ".io", "mailto:a@b.co", "a@b.co", "present", "Present",
       "2020-01", "2020", "2020-13", "2019-02-30", "Sept 2021", "0000", "-1", "1e999",
       "true", "null", "~", "[1]", "{}", "https://x.io", "http://x.io/(a)", "x@", "@x",
       "+351 912 345 678", "en", "FRESH@1.0.0", "FRESH", "../../etc/passwd", "me.png")
scalar = st.one_of(st.sampled_from(ODD), st.text(max_size=15), st.none(), st.booleans(),
                   st.integers(-10, 3000), st.floats(allow_nan=True, allow_infinity=True),
                   st.sampled_from([2020, 2021.5, 10**30, -0.0]))
plausible_text = st.one_of(st.sampled_from(["Acme", "Engineer", "Lisbon", "Python, Go",
                                            "Led a team of five.", "B.Sc."]), scalar)
date_value = st.one_of(st.sampled_from(["2020-01", "2020-01-15", "2020", "present",
                                        "Present", "current", "", "2021-13", "Sept 2021",
                                        "2020-02-30", "1899-01", "9999-12-31"]), scalar)


def wrong(strategy: Any) -> Any:
    """Mostly ``strategy``; sometimes any value at all, a list of them or a mapping."""
    anything = st.one_of(scalar, st.lists(scalar, max_size=3),
                         st.dictionaries(st.sampled_from(["name", "x", "url", "0"]), scalar,
                                         max_size=2))
    return st.one_of(strategy, strategy, strategy, anything)


def obj(fields: dict[str, Any], required: tuple[str, ...] = ()) -> Any:
    """A mapping with some of ``fields`` (each key's value strategy), maybe an unknown key."""
    @st.composite
    def build(draw: st.DrawFn) -> dict[str, Any]:
        keys = draw(st.lists(st.sampled_from(sorted(fields)), unique=True,
                             max_size=len(fields)))
        out = {k: draw(wrong(fields[k])) for k in (*required, *keys)}
        if draw(st.integers(0, 6)) == 0:
            out[draw(st.sampled_from(["extra", "id", "Name", "x-y"]))] = draw(scalar)
        return out
    return build()


def listof(strategy: Any, n: int = 3) -> Any:
    return st.lists(strategy, max_size=n)


texts = listof(plausible_text)

# --- RenderCV ----------------------------------------------------------------------------

_rcv_dates = {"date": date_value, "start_date": date_value, "end_date": date_value}
RCV_ENTRIES = {
    "experience": obj({"company": plausible_text, "position": plausible_text,
                       "location": plausible_text, "summary": plausible_text,
                       "highlights": texts, "url": plausible_text, **_rcv_dates}),
    "education": obj({"institution": plausible_text, "area": plausible_text,
                      "degree": plausible_text, "location": plausible_text,
                      "gpa": plausible_text, "grade": plausible_text, "summary": plausible_text,
                      "highlights": texts, "url": plausible_text, **_rcv_dates},
                     ("institution",)),
    "publication": obj({"title": plausible_text, "authors": texts, "doi": plausible_text,
                        "url": plausible_text, "journal": plausible_text,
                        "summary": plausible_text, **_rcv_dates}, ("title",)),
    "oneline": obj({"label": plausible_text, "details": plausible_text}, ("label", "details")),
    "bullet": obj({"bullet": plausible_text}, ("bullet",)),
    "number": obj({"number": plausible_text}, ("number",)),
    "reversed_number": obj({"reversed_number": plausible_text}, ("reversed_number",)),
    "normal": obj({"name": plausible_text, "location": plausible_text,
                   "summary": plausible_text, "highlights": texts, "url": plausible_text,
                   **_rcv_dates}, ("name",)),
    "text": plausible_text,
    "unknown": st.dictionaries(st.sampled_from(["foo", "bar"]), scalar, max_size=2),
}
SECTION_KEYS = ("experience", "education", "publications", "projects", "awards",
                "honors_and_awards", "skills", "technologies", "summary", "about_me",
                "certifications", "talks", "volunteering", "Welcome to RenderCV",
                "selected_honors", "custom", "order", "titles", "", " ", "123", "Ünï",
                "a" * 300, "x-y", "custom-1")


@st.composite
def rendercv_section(draw: st.DrawFn) -> Any:
    kinds = draw(st.lists(st.sampled_from(sorted(RCV_ENTRIES)), min_size=1, max_size=2))
    entries = draw(st.lists(st.one_of(*(RCV_ENTRIES[k] for k in kinds)), max_size=4))
    return draw(wrong(st.just(entries)))


rendercv = st.fixed_dictionaries(
    {"cv": obj({
        "name": plausible_text, "headline": plausible_text, "label": plausible_text,
        "location": plausible_text, "email": st.one_of(plausible_text, texts),
        "phone": st.one_of(plausible_text, texts), "website": plausible_text,
        "photo": plausible_text,
        "social_networks": listof(obj({"network": st.sampled_from(
            ["LinkedIn", "GitHub", "GitLab", "X", "Twitter", "Mastodon", "ORCID",
             "StackOverflow", "ResearchGate", "YouTube", "Google Scholar", "IMDB", "Nope"]),
            "username": plausible_text})),
        "custom_connections": listof(obj({"placeholder": plausible_text,
                                          "url": plausible_text,
                                          "fontawesome_icon": plausible_text})),
        "sections": st.dictionaries(st.sampled_from(SECTION_KEYS), rendercv_section(),
                                    max_size=5),
    }, ("sections",))},
    optional={"design": st.dictionaries(st.sampled_from(["theme", "font"]), scalar),
              "locale": scalar, "settings": scalar, "rendercv_settings": scalar,
              "extra": scalar},
)

# --- FRESH -------------------------------------------------------------------------------

_fresh_dates = {"start": date_value, "end": date_value, "date": date_value,
                "current": st.one_of(st.booleans(), scalar)}
_common = {"summary": plausible_text, "highlights": texts, "url": plausible_text,
           "location": plausible_text, **_fresh_dates}


def history(entry: Any) -> Any:
    """A FRESH section: ``{history: [...]}``, maybe with section-wide extras."""
    return st.one_of(obj({"history": listof(entry), "summary": plausible_text,
                          "level": plausible_text, "degree": plausible_text}),
                     listof(entry))


FRESH_SECTIONS: dict[str, Any] = {
    "employment": history(obj({"employer": plausible_text, "position": plausible_text,
                               "keywords": texts, **_common})),
    "education": history(obj({"institution": plausible_text, "title": plausible_text,
                              "studyType": plausible_text, "area": plausible_text,
                              "grade": plausible_text, "gpa": plausible_text,
                              "curriculum": texts, **_common})),
    "service": history(obj({"organization": plausible_text, "position": plausible_text,
                            "flavor": st.sampled_from(["volunteer", "military", "x"]),
                            **_common})),
    "projects": listof(obj({"title": plausible_text, "role": plausible_text,
                            "repo": plausible_text, "description": plausible_text,
                            "category": plausible_text, "media": texts, "keywords": texts,
                            **_common})),
    "skills": obj({"sets": listof(obj({"name": plausible_text, "level": plausible_text,
                                       "skills": texts})),
                   "list": listof(obj({"name": plausible_text, "level": plausible_text,
                                       "years": st.one_of(st.integers(-1, 50), scalar),
                                       "summary": plausible_text, "id": scalar}))}),
    "writing": listof(obj({"title": plausible_text, "flavor": plausible_text,
                           "publisher": st.one_of(plausible_text, obj(
                               {"name": plausible_text, "url": plausible_text})),
                           "author": st.one_of(plausible_text, texts), **_common})),
    "speaking": listof(obj({"title": plausible_text, "event": plausible_text,
                            "role": plausible_text, **_common})),
    "recognition": listof(obj({"title": plausible_text, "from": plausible_text,
                               "event": plausible_text, "flavor": plausible_text,
                               **_common})),
    "testimonials": listof(obj({"name": plausible_text, "quote": plausible_text,
                                "flavor": plausible_text})),
    "references": listof(obj({"name": plausible_text, "role": plausible_text,
                              "private": st.one_of(st.booleans(), scalar),
                              "contact": listof(obj({"label": plausible_text,
                                                     "value": plausible_text,
                                                     "flavor": plausible_text}))})),
    "languages": listof(obj({"language": plausible_text, "level": plausible_text,
                             "years": scalar})),
    "interests": listof(obj({"name": plausible_text, "summary": plausible_text,
                             "keywords": texts})),
    **{k: history(obj({"title": plausible_text, "category": plausible_text,
                       "organization": plausible_text, "role": plausible_text, **_common}))
       for k in ("affiliation", "governance", "samples", "reading", "extracurricular")},
    "disposition": obj({"travel": scalar, "authorization": scalar}),
}

fresh = st.builds(
    lambda top, sections: {**top, **sections},
    st.fixed_dictionaries(
        {"name": plausible_text,
         "meta": obj({"format": st.sampled_from(["FRESH@1.0.0", "FRESH@0.9.0", "fresh",
                                                 "FRESH@"]),
                      "version": scalar}, ("format",))},
        optional={
            "info": obj({"label": plausible_text, "image": plausible_text,
                         "brief": plausible_text, "characterClass": plausible_text,
                         "quote": plausible_text}),
            "contact": obj({"email": plausible_text, "phone": plausible_text,
                            "website": plausible_text,
                            "other": listof(obj({"label": plausible_text,
                                                 "value": plausible_text,
                                                 "flavor": plausible_text}))}),
            "location": obj({"city": plausible_text, "region": plausible_text,
                             "country": plausible_text, "address": plausible_text,
                             "code": plausible_text}),
            "social": listof(obj({"network": plausible_text, "user": plausible_text,
                                  "url": plausible_text, "label": plausible_text})),
        }),
    st.dictionaries(st.sampled_from(sorted(FRESH_SECTIONS)), st.just(None), max_size=6)
    .flatmap(lambda keys: st.fixed_dictionaries({k: FRESH_SECTIONS[k] for k in keys})),
)

# --- mutated samples ---------------------------------------------------------------------


def _sample(path: Path) -> Any:
    text = path.read_text(encoding="utf-8")
    return json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)


SAMPLES = {p.name: _sample(p) for p in sorted(CORPUS.glob("*"))
           if p.suffix in (".json", ".yaml") and p.name != "jsonresume-schema.json"}
"""The corpus's RenderCV, FRESH and JSON Resume samples (and the profiles a RenderCV tool
ships)."""
section_id = st.sampled_from(["experience", "education", "skills", "summary", "custom",
                              "extra", "notes", "x", "", "Ünï", "a b", "projects"])
extension = obj({
    "lang": plausible_text, "keywords": texts, "order": listof(section_id, 5),
    "titles": st.dictionaries(section_id, plausible_text, max_size=3),
    "custom": st.dictionaries(section_id, obj({
        "title": plausible_text, "text": plausible_text, "bullets": texts,
        "private": st.booleans(), "tags": texts,
        "entries": listof(obj({"title": plausible_text, "subtitle": plausible_text,
                               "start": date_value, "end": date_value}, ("title",)))}),
        max_size=3),
})
"""JSON Resume's ``x-resumec`` block: what only resumec knows."""



@st.composite
def mutated_samples(draw: st.DrawFn) -> Any:
    """A corpus sample with keys dropped or renamed, values replaced, lists changed."""
    doc = copy.deepcopy(SAMPLES[draw(st.sampled_from(sorted(SAMPLES)))])
    for _ in range(draw(st.integers(1, 8))):
        paths = value_paths(doc)
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent = doc
        for part in path[:-1]:
            parent = parent[part]
        key = path[-1]
        kind = draw(st.sampled_from(["drop", "replace", "replace", "wrap", "empty", "double",
                                     "rename", "extension"]))
        value = parent[key]
        if kind == "extension" and isinstance(doc, dict) and "basics" in doc:
            doc["x-resumec"] = draw(extension)
        elif kind == "drop":
            del parent[key]
        elif kind == "replace":
            parent[key] = draw(st.one_of(scalar, st.lists(scalar, max_size=2),
                                         st.dictionaries(st.text(max_size=5), scalar,
                                                         max_size=2)))
        elif kind == "wrap":
            parent[key] = [value]
        elif kind == "empty" and isinstance(value, list | dict):
            parent[key] = type(value)()
        elif kind == "double" and isinstance(value, list):
            value.extend(copy.deepcopy(value))
        elif kind == "rename" and isinstance(parent, dict):
            new = draw(st.sampled_from(["name", "company", "position", "institution", "title",
                                        "label", "details", "bullet", "history", "sections",
                                        "start_date", "end", "highlights", "url", "x"]))
            if new not in parent:
                parent[new] = parent.pop(key)
    return doc


# --- checking ----------------------------------------------------------------------------


def _imported(path: Path) -> tuple[dict[str, Any], list[str]] | None:
    """What ``resumec import`` makes of the file, and its notes, if it imports it."""
    try:
        fmt, data, notes = convert(load_source(path).data, base_dir=path.parent)
        if fmt == "resumec":
            return None
        validate(Source("imported.yaml", data), path.parent)
    except ResumecError:
        return None
    assert all(isinstance(n, str) and n for n in notes)
    return data, notes


def check(doc: Any, folder: Path, suffix: str = ".yaml") -> None:
    """Load ``doc`` as a file: a résumé that imports and renders, or located errors.

    Read directly, another tool's file is refused where ``import`` fills in a placeholder,
    each located; what import leaves out as looking wrong is a located warning."""
    path = folder / f"cv{suffix}"
    if suffix == ".json":
        path.write_text(json.dumps(doc), encoding="utf-8")
    else:  # JSON is YAML; dumped as YAML, keys such as "1" would stay text
        path.write_text(yaml.safe_dump(doc, allow_unicode=False), encoding="utf-8")
    warnings: list[str] = []
    with time_limit(20):
        imported = _imported(path)
        try:
            resume = load_resume(path, path.name, warnings.append)
        except ResumecError as exc:
            check_error(exc)
            note("load: user error", exc)
            refused = [f"{i.path}: {i.message}" for i in exc.issues if isinstance(i, Issue)]
            if imported is not None:  # only for what import fills in, before any warning
                assert not warnings
                filled = {n.missing for n in imported[1] if isinstance(n, Filled)}
                assert filled, "resumec import takes what validate refuses"
                assert set(refused) == filled
            return
        assert isinstance(resume, Resume)
        note("load: résumé")
        if imported is not None:  # what `resumec import` writes reads back the same
            data, notes = imported
            assert not any(isinstance(n, Filled) for n in notes)
            problems = sum(isinstance(n, Problem) for n in notes)
            located = [w for w in warnings if re.match(r"cv\.\w+:\d+:\d+: warning: ", w)]
            assert len(located) == min(problems, MAX_ISSUES)
            assert len(warnings) - len(located) == (problems > MAX_ISSUES) + (
                len(notes) > problems)
            again = validate(parse(dump_yaml(data), "imported.yaml"), folder)
            assert again.model_dump() == resume.model_dump()
        try:
            run(tasks(resume, path, Options(formats=("md", "txt", "json"))), workers=1)
        except ResumecError as exc:
            check_error(exc)
            note("render: user error", exc)


@fuzz(40)
@given(doc=rendercv)
def test_generated_rendercv_documents(tmp_path_factory: pytest.TempPathFactory,
                                      doc: dict[str, Any]) -> None:
    check(doc, tmp_path_factory.mktemp("rcv"))


@fuzz(40)
@given(doc=fresh)
def test_generated_fresh_documents(tmp_path_factory: pytest.TempPathFactory,
                                   doc: dict[str, Any]) -> None:
    check(doc, tmp_path_factory.mktemp("fresh"), ".json")


@fuzz(40)
@given(doc=mutated_samples())
def test_mutated_samples(tmp_path_factory: pytest.TempPathFactory, doc: Any) -> None:
    check(doc, tmp_path_factory.mktemp("ms"), ".json")


@pytest.mark.parametrize("meta", [{"meta": {"format": "fresh@1.0.0"}}, {}],
                         ids=["format-in-lower-case", "no-meta"])
def test_fresh_import_and_validate_agree(tmp_path: Path, meta: dict[str, Any]) -> None:
    """What ``resumec import`` takes as FRESH, ``resumec validate`` and ``render`` take."""
    path = tmp_path / "cv.json"
    path.write_text(json.dumps({"name": "A", **meta, "info": {"label": "X"}}),
                    encoding="utf-8")
    assert detect(json.loads(path.read_text(encoding="utf-8"))) == "fresh"
    assert load_resume(path).headline == "X"
