"""The résumé model: strict keys, immutability, shorthands, section order, descriptions."""

from __future__ import annotations

import typing
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from resumec.schema import SECTION_KEYS, CustomSection, PartialDate, Profile, Resume
from resumec.schema import model as m


def _models_in(tp: Any) -> set[type[BaseModel]]:
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return {tp}
    return {found for arg in typing.get_args(tp) for found in _models_in(arg)}


def _reachable(root: type[BaseModel]) -> set[type[BaseModel]]:
    seen: set[type[BaseModel]] = set()
    todo = [root]
    while todo:
        model = todo.pop()
        if model in seen:
            continue
        seen.add(model)
        for field in model.model_fields.values():
            todo.extend(_models_in(field.annotation))
    return seen


MODELS = sorted(_reachable(Resume), key=lambda c: c.__name__)

# The smallest valid mapping for every model of the schema.
MINIMAL: dict[type[BaseModel], dict[str, Any]] = {
    m.Resume: {"name": "Ada"},
    m.Contact: {},
    m.Link: {"url": "https://example.org"},
    m.Experience: {"employer": "Acme", "title": "Dev"},
    m.Role: {"title": "Dev"},
    m.Highlight: {"text": "Did a thing"},
    m.Education: {"institution": "Uni"},
    m.SkillGroup: {"name": "Languages", "items": ["Python"]},
    m.Skill: {"name": "Python"},
    m.Project: {"name": "resumec"},
    m.Publication: {"title": "A paper"},
    m.Talk: {"title": "A talk"},
    m.Award: {"title": "A prize"},
    m.Certification: {"name": "A certificate"},
    m.Volunteering: {"organization": "A charity"},
    m.Language: {"language": "Portuguese"},
    m.Interest: {"name": "Climbing"},
    m.Reference: {"name": "Bob"},
    m.Entry: {"title": "An entry"},
    m.CustomSection: {"title": "Story", "text": "Once upon a time."},
    m.Profile: {},
}


def test_the_minimal_table_covers_every_model() -> None:
    assert set(MINIMAL) == set(MODELS), "a model was added or removed: update MINIMAL"


@pytest.mark.parametrize("model", MODELS, ids=lambda c: c.__name__)
def test_every_model_forbids_unknown_keys(model: type[BaseModel]) -> None:
    assert model.model_config.get("extra") == "forbid"
    model.model_validate(MINIMAL[model])
    with pytest.raises(ValidationError) as info:
        model.model_validate({**MINIMAL[model], "colour": "blue"})
    [error] = info.value.errors()
    assert (error["type"], error["loc"]) == ("extra_forbidden", ("colour",))


@pytest.mark.parametrize("model", MODELS, ids=lambda c: c.__name__)
def test_every_model_is_frozen(model: type[BaseModel]) -> None:
    assert model.model_config.get("frozen") is True
    instance = model.model_validate(MINIMAL[model])
    field = next(iter(model.model_fields))
    with pytest.raises(ValidationError, match="frozen"):
        setattr(instance, field, getattr(instance, field))


def test_lists_are_tuples_so_nested_items_cannot_change() -> None:
    resume = Resume.model_validate({"name": "Ada", "experience": [MINIMAL[m.Experience]]})
    assert isinstance(resume.experience, tuple)
    with pytest.raises(TypeError):
        resume.experience[0] = resume.experience[0]  # type: ignore[index]


def test_unknown_nested_key_is_forbidden_at_its_path() -> None:
    data = {"name": "Ada", "experience": [{"employer": "A", "roles": [{"title": "T", "x": 1}]}]}
    with pytest.raises(ValidationError) as info:
        Resume.model_validate(data)
    [error] = info.value.errors()
    assert error["loc"] == ("experience", 0, "roles", 0, "x")


# --- descriptions (a product requirement: they feed `resumec schema` and the docs) ---------


@pytest.mark.parametrize("model", MODELS, ids=lambda c: c.__name__)
def test_every_field_has_a_description(model: type[BaseModel]) -> None:
    undocumented = [name for name, field in model.model_fields.items()
                    if not (field.description or "").strip()]
    assert undocumented == []
    assert (model.__doc__ or "").strip(), f"{model.__name__} has no docstring"


def test_every_property_in_the_json_schema_has_a_description() -> None:
    schema = Resume.model_json_schema(by_alias=True)
    objects = {"Resume": schema, **schema["$defs"]}
    assert {c.__name__ for c in MODELS} <= set(objects)
    undocumented = [f"{name}.{prop}" for name, obj in objects.items()
                    for prop, spec in obj.get("properties", {}).items()
                    if not str(spec.get("description", "")).strip()]
    assert undocumented == []
    assert "$schema" in schema["properties"]
    assert schema["required"] == ["name"]


# --- shorthands ---------------------------------------------------------------------------------


def test_skills_items_as_plain_strings() -> None:
    group = m.SkillGroup.model_validate({"name": "Languages",
                                         "items": ["Python", {"name": "Rust", "years": 3}]})
    assert [(s.name, s.years) for s in group.items] == [("Python", None), ("Rust", 3.0)]


def test_highlights_as_strings() -> None:
    job = m.Experience.model_validate({
        "employer": "A", "title": "T", "highlights": ["Shipped it", {"text": "Led", "tags": ["x"]}],
    })
    assert [(h.text, h.tags) for h in job.highlights] == [("Shipped it", ()), ("Led", ("x",))]


def test_languages_interests_and_links_as_strings() -> None:
    resume = Resume.model_validate({
        "name": "Ada",
        "languages": ["English", {"language": "Portuguese", "fluency": "native"}],
        "interests": ["Climbing"],
        "contact": {"links": ["https://github.com/ada"]},
    })
    assert [(x.language, x.fluency) for x in resume.languages] == [("English", None),
                                                                   ("Portuguese", "native")]
    assert resume.interests[0].name == "Climbing"
    assert resume.contact.links[0].url == "https://github.com/ada"


def test_numbers_are_shorthand_too() -> None:
    group = m.SkillGroup.model_validate({"name": "Versions", "items": [3, 2.5]})
    assert [s.name for s in group.items] == ["3", "2.5"]


@pytest.mark.parametrize("value", [True, None, ["Python"]])
def test_shorthand_does_not_take_booleans_nulls_or_lists(value: object) -> None:
    with pytest.raises(ValidationError):
        m.SkillGroup.model_validate({"name": "Languages", "items": [value]})


def test_models_without_shorthand_refuse_a_string() -> None:
    with pytest.raises(ValidationError) as info:
        Resume.model_validate({"name": "Ada", "experience": ["Acme"]})
    [error] = info.value.errors()
    assert error["loc"] == ("experience", 0)


# --- experience: title or roles -----------------------------------------------------------------


def _experience_error(data: dict[str, Any]) -> str:
    with pytest.raises(ValidationError) as info:
        m.Experience.model_validate(data)
    [error] = info.value.errors()
    assert error["loc"] == ()
    return str(error["msg"])


def test_experience_needs_a_title_or_roles() -> None:
    assert _experience_error({"employer": "Acme"}) == (
        "give the job a 'title', or list its 'roles'")


@pytest.mark.parametrize(
    "single",
    [{"title": "Dev"}, {"start": "2020"}, {"date": "2020"}, {"when": "Summers"},
     {"summary": "Did things"}, {"highlights": ["Did a thing"]}],
)
def test_experience_refuses_roles_with_single_role_fields(single: dict[str, Any]) -> None:
    data = {"employer": "Acme", "roles": [{"title": "Lead"}], **single}
    assert _experience_error(data) == ("give either 'roles' or a single role's title, dates, "
                                       "summary and highlights directly, not both")


def test_positions_of_a_single_role() -> None:
    job = m.Experience.model_validate({
        "employer": "Acme", "title": "Dev", "start": "2020-01", "end": "present",
        "summary": "Built it", "highlights": ["Shipped"], "location": "Remote",
    })
    [role] = job.positions
    assert isinstance(role, m.Role)
    assert (role.title, role.start, role.end, role.summary) == (
        "Dev", PartialDate(2020, 1), "present", "Built it")
    assert [h.text for h in role.highlights] == ["Shipped"]


def test_positions_of_several_roles_in_order() -> None:
    job = m.Experience.model_validate({
        "employer": "Acme", "location": "Lisbon",
        "roles": [{"title": "Lead", "start": 2022}, {"title": "Dev", "start": 2020, "end": 2022}],
    })
    assert job.positions == job.roles
    assert [r.title for r in job.positions] == ["Lead", "Dev"]


# --- section order ------------------------------------------------------------------------------


def test_section_order_follows_the_document() -> None:
    resume = Resume.model_validate({
        "name": "Ada", "skills": [MINIMAL[m.SkillGroup]], "summary": "Hello",
        "education": [MINIMAL[m.Education]], "experience": [MINIMAL[m.Experience]],
    })
    assert resume.section_order == ("skills", "summary", "education", "experience")


def test_custom_sections_go_where_custom_is_written() -> None:
    resume = Resume.model_validate({
        "name": "Ada",
        "experience": [MINIMAL[m.Experience]],
        "custom": {"story": {"title": "Story", "text": "Once."},
                   "press": {"title": "Press", "bullets": ["Quoted"]}},
        "education": [MINIMAL[m.Education]],
    })
    assert resume.section_order == ("experience", "story", "press", "education")
    assert resume.section_content("story").title == "Story"


def test_empty_sections_are_left_out_of_the_order() -> None:
    resume = Resume.model_validate({"name": "Ada", "experience": [], "summary": "Hi",
                                    "projects": [MINIMAL[m.Project]]})
    assert resume.section_order == ("summary", "projects")


def test_section_content_of_an_unknown_section() -> None:
    resume = Resume.model_validate({"name": "Ada"})
    assert resume.section_content("experience") == ()
    with pytest.raises(KeyError):
        resume.section_content("hobbies")


def test_with_order_returns_a_reordered_copy() -> None:
    resume = Resume.model_validate({"name": "Ada", "summary": "Hi",
                                    "projects": [MINIMAL[m.Project]]})
    copy = resume.with_order(("projects", "summary"), headline="Engineer")
    assert copy.section_order == ("projects", "summary")
    assert copy.headline == "Engineer"
    assert (resume.section_order, resume.headline) == (("summary", "projects"), None)


def test_section_keys_are_all_resume_fields() -> None:
    assert set(SECTION_KEYS) <= set(Resume.model_fields)


# --- custom sections, profiles, defaults --------------------------------------------------------


def test_custom_section_needs_content() -> None:
    with pytest.raises(ValidationError) as info:
        CustomSection.model_validate({"title": "Empty"})
    [error] = info.value.errors()
    assert error["msg"] == "a custom section needs 'text', 'entries' or 'bullets'"


@pytest.mark.parametrize("content", [{"text": "Prose."}, {"entries": [{"title": "E"}]},
                                     {"bullets": ["One"]}])
def test_any_one_kind_of_content_is_enough(content: dict[str, Any]) -> None:
    assert CustomSection.model_validate({"title": "S", **content}).title == "S"


@pytest.mark.parametrize(("key", "value"), [("paper", "A4"), ("paper", "legal"),
                                            ("max_pages", 0), ("max_pages", 21),
                                            ("max_highlights", -1)])
def test_profile_settings_are_bounded(key: str, value: object) -> None:
    with pytest.raises(ValidationError) as info:
        Profile.model_validate({key: value})
    assert info.value.errors()[0]["loc"] == (key,)


def test_resume_defaults() -> None:
    resume = Resume.model_validate({"name": "Ada"})
    assert (resume.lang, resume.headline, resume.photo) == ("en", None, None)
    assert resume.contact == m.Contact()
    assert all(resume.section_content(k) in ((), None) for k in SECTION_KEYS)
    assert resume.section_order == ()


def test_schema_key_alias_is_accepted() -> None:
    resume = Resume.model_validate({"$schema": "https://example.org/s.json", "name": "Ada"})
    assert resume.schema_ == "https://example.org/s.json"
