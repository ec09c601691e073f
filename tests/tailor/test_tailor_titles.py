"""Tailoring keeps the titles of the sections it keeps, and only those."""

from __future__ import annotations

import json
import textwrap

import pytest

from resumec.loader import parse, validate
from resumec.schema import Resume
from resumec.tailor import apply_profile

SOURCE = textwrap.dedent("""\
    name: Tess Titles
    summary: About me.
    experience:
      - {employer: Acme, title: Backend lead, tags: [backend]}
      - {employer: Pixels, title: Designer, tags: [frontend]}
    projects:
      - {name: Web thing, tags: [frontend]}
    custom:
      story: {title: Story, text: Prose.}
      secret: {title: Secret, text: Hidden., private: true}
      web: {title: Web, bullets: [{text: CSS art, tags: [frontend]}]}
    titles:
      experience: Work history
      projects: Things I made
      story: Back story
      secret: Off the record
      web: On the web
    profiles:
      backend:
        exclude: [frontend]
      short:
        sections: [experience, secret]
        titles: {experience: Jobs, story: Tale}
    """)


@pytest.fixture(scope="module")
def resume() -> Resume:
    resume: Resume = validate(parse(SOURCE, "t.yaml"))
    return resume


def _valid_again(r: Resume) -> None:
    """The tailored résumé, written out as a file of its own, validates."""
    data = r.model_dump(mode="json", by_alias=True, exclude_defaults=True, exclude={"profiles"})
    validate(parse(json.dumps(data), "tailored.json"))


def test_a_private_custom_section_takes_its_title_along(resume: Resume) -> None:
    out = apply_profile(resume)
    assert "secret" not in out.custom
    assert out.titles == {
        "experience": "Work history",
        "projects": "Things I made",
        "story": "Back story",
        "web": "On the web",
    }
    _valid_again(out)
    kept = apply_profile(resume, include_private=True)
    assert kept.titles == resume.titles


def test_sections_emptied_by_tags_lose_their_titles(resume: Resume) -> None:
    out = apply_profile(resume, "backend")
    # projects (a built-in section) and web (a custom one) hold only frontend items.
    assert out.projects == () and "web" not in out.custom
    assert out.titles == {"experience": "Work history", "story": "Back story"}
    _valid_again(out)


def test_sections_left_out_lose_their_titles_and_profile_titles_stay(resume: Resume) -> None:
    out = apply_profile(resume, "short")
    assert out.section_order == ("experience",)  # secret is private: gone too
    assert out.titles == {"experience": "Jobs"}
    _valid_again(out)
    kept = apply_profile(resume, "short", include_private=True)
    assert kept.section_order == ("experience", "secret")
    assert kept.titles == {"experience": "Jobs", "secret": "Off the record"}
    _valid_again(kept)


@pytest.mark.parametrize("profile", [None, "backend", "short"])
@pytest.mark.parametrize("include_private", [False, True])
def test_every_title_names_a_section_shown(
    resume: Resume, profile: str | None, include_private: bool
) -> None:
    out = apply_profile(resume, profile, include_private=include_private)
    assert set(out.titles) <= set(out.section_order)
    for key in out.section_order:  # and every title the author or profile gave is there
        given = (resume.profiles[profile].titles or {}) if profile else {}
        assert out.titles.get(key) == given.get(key, resume.titles.get(key))
