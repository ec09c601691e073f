"""Tailoring is a pure function: every rule of a profile, tested without rendering."""

from __future__ import annotations

import textwrap

import pytest

from resumec.errors import ResumecError
from resumec.loader import parse, validate
from resumec.schema import Resume
from resumec.tailor import apply_profile, explain, resolve_profile

SOURCE = textwrap.dedent("""\
    name: Tess Tailor
    headline: Engineer
    summary: The general summary.
    experience:
      - employer: Acme
        roles:
          - title: Backend lead
            start: 2020
            end: present
            tags: [backend]
            highlights:
              - {text: Untagged one}
              - {text: Frontend thing, tags: [frontend]}
              - {text: Backend thing, tags: [backend]}
              - {text: Secret thing, tags: [backend], private: true}
              - {text: Another backend, tags: [backend]}
          - title: Frontend dev
            start: 2018
            end: 2019
            tags: [frontend]
      - employer: Pixels
        title: Designer
        start: 2016
        end: 2017
        tags: [frontend]
    skills:
      - name: Web
        tags: [frontend]
        items: [CSS]
      - name: Systems
        items: [Go, {name: React, tags: [frontend]}]
    custom:
      story:
        title: Story
        text: Prose.
    projects:
      - {name: Side thing, private: true}
      - {name: Public thing}
    profiles:
      backend:
        description: Backend jobs
        include: [backend]
        exclude: [frontend]
        max_highlights: 2
        headline: Backend Engineer
        sections: [skills, experience]
      onepage:
        extends: backend
        summary: Short.
        sections: [summary, experience]
    """)


@pytest.fixture(scope="module")
def resume() -> Resume:
    resume: Resume = validate(parse(SOURCE, "t.yaml"))
    return resume


def _highlights(r: Resume) -> list[str]:
    return [h.text for h in r.experience[0].roles[0].highlights]


def test_no_profile_drops_only_private_items(resume: Resume) -> None:
    out = apply_profile(resume)
    assert [p.name for p in out.projects] == ["Public thing"]
    assert "Secret thing" not in _highlights(out)
    assert out.section_order == resume.section_order
    kept = apply_profile(resume, include_private=True)
    assert "Secret thing" in _highlights(kept) and len(kept.projects) == 2


def test_include_keeps_untagged_and_matching_exclude_drops(resume: Resume) -> None:
    out = apply_profile(resume, "backend")
    assert [e.employer for e in out.experience] == ["Acme"]
    assert [r.title for r in out.experience[0].roles] == ["Backend lead"]
    assert [g.name for g in out.skills] == ["Systems"]
    assert [s.name for s in out.skills[0].items] == ["Go"]


def test_max_highlights_prefers_matching_ones_and_keeps_the_authors_order(
        resume: Resume) -> None:
    out = apply_profile(resume, "backend")
    assert _highlights(out) == ["Backend thing", "Another backend"]


def test_sections_choose_and_order_and_overrides_apply(resume: Resume) -> None:
    out = apply_profile(resume, "backend")
    assert out.section_order == ("skills", "experience")
    assert out.headline == "Backend Engineer"
    assert out.summary is None and out.custom == {} and out.projects == ()


def test_extends_inherits_and_the_child_wins(resume: Resume) -> None:
    profile = resolve_profile(resume, "onepage")
    assert profile.include == ("backend",) and profile.max_highlights == 2
    out = apply_profile(resume, "onepage")
    assert out.section_order == ("summary", "experience")
    assert out.summary == "Short." and out.headline == "Backend Engineer"


def test_the_source_resume_is_unchanged(resume: Resume) -> None:
    apply_profile(resume, "backend")
    assert len(resume.experience) == 2 and len(_highlights(resume)) == 5
    assert resume.headline == "Engineer"


def test_explain_gives_a_reason_for_every_drop(resume: Resume) -> None:
    reasons = {d.path: d.reason for d in explain(resume, "backend")}
    assert reasons["experience[1]"] == "tagged frontend (excluded)"
    assert reasons["experience[0].roles[1]"] == "tagged frontend (excluded)"
    assert reasons["experience[0].roles[0].highlights[3]"] == "private"
    assert any("max_highlights=2" in r for r in reasons.values())
    assert reasons["story"].startswith("section not in")


def test_unknown_profile_lists_names_with_a_suggestion(resume: Resume) -> None:
    with pytest.raises(ResumecError) as err:
        apply_profile(resume, "bakend")
    assert str(err.value) == ("no profile 'bakend'; did you mean 'backend'? "
                              "(profiles: backend, onepage)")


@pytest.mark.parametrize(("profile", "expected"), [
    ("include: [bakend]", "t.yaml:5:17: profiles.p.include[0]: no item is tagged 'bakend'; "
                          "did you mean 'backend'?"),
    ("sections: [experince]", "t.yaml:5:18: profiles.p.sections[0]: no section 'experince' "
                              "in this résumé; did you mean 'experience'?"),
    ("extends: nope", "t.yaml:5:16: profiles.p.extends: no profile 'nope'"),
    ("theme: modren", "t.yaml:5:14: profiles.p.theme: no theme 'modren'; did you mean "
                      "'modern'? (built-in themes: classic, compact, modern, sidebar; or a "
                      "folder with theme.yaml)"),
    ("formats: [pdf, dox]", "t.yaml:5:22: profiles.p.formats[1]: no format 'dox'; did you "
                            "mean 'docx'? (formats: pdf, docx, html, md, txt, json)"),
])
def test_profile_mistakes_are_located_validation_errors(profile: str, expected: str) -> None:
    text = ("name: A\nexperience:\n  - {employer: X, title: Y, tags: [backend]}\n"
            f"profiles:\n  p: {{{profile}}}\n")
    with pytest.raises(ResumecError) as err:
        validate(parse(text, "t.yaml"))
    assert [str(i) for i in err.value.issues] == [expected]


def test_extends_loop_is_an_error() -> None:
    text = "name: A\nprofiles:\n  a: {extends: b}\n  b: {extends: a}\n"
    with pytest.raises(ResumecError) as err:
        validate(parse(text, "t.yaml"))
    assert "loop: a → b → a" in str(err.value)


@pytest.mark.parametrize("source", ["resume", "demo"])
def test_a_resolved_profile_equals_the_validated_merge(resume: Resume, source: str) -> None:
    # resolve_profile assembles the merged profile without validating it again: the
    # values were validated with the résumé, and Profile has no cross-field check.
    from pathlib import Path

    from resumec.loader import load_resume
    from resumec.schema.model import Profile

    r = resume if source == "resume" else load_resume(
        Path(__file__).resolve().parents[2] / "resume.yaml")
    assert r.profiles
    for name in r.profiles:
        got = resolve_profile(r, name)
        merged: dict[str, object] = {}
        chain = [r.profiles[name]]
        while chain[-1].extends:
            chain.append(r.profiles[chain[-1].extends])
        for p in reversed(chain):
            merged.update({k: getattr(p, k) for k in p.model_fields_set})
        merged.pop("extends", None)
        validated = Profile.model_validate(merged)
        assert got == validated and got.model_fields_set == validated.model_fields_set
    assert Profile.__pydantic_decorators__.model_validators == {}  # no cross-field checks
