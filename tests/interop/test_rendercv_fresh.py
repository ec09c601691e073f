"""RenderCV and FRESH imports: corpus samples validate, entries land in the right sections,
and nothing is dropped without a note."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from interop_helpers import CORPUS, FRESH, RENDERCV, load_json
from test_jsonresume import assert_nothing_silently_dropped

from resumec.errors import ResumecError
from resumec.interop import convert
from resumec.interop.rendercv import entry_kind, from_rendercv, section_title
from resumec.interop.yamlout import dump_yaml
from resumec.loader import load_source, parse, validate
from resumec.schema.model import Resume

SAMPLE = CORPUS / "rendercv-2.8.sample_content.yaml"
EDISON = CORPUS / "jsonresume-monorepo.rendercv-format.resume.yaml"


@pytest.mark.parametrize("path", RENDERCV, ids=lambda p: p.name)
def test_rendercv_sample_imports_to_valid_yaml(path: Path) -> None:
    data = load_source(path).data
    fmt, out, notes = convert(data)
    assert fmt == "rendercv"
    Resume.model_validate(out)
    again = parse(dump_yaml(out), path.name)
    assert again.data == out
    validate(again, CORPUS)
    assert_nothing_silently_dropped(data, out, notes)


def test_rendercv_sections_map_to_the_nearest_resumec_section() -> None:
    out, notes = from_rendercv(load_source(SAMPLE).data)
    assert out["name"] == "John Doe"
    assert [x["label"] for x in out["contact"]["links"]] == ["LinkedIn", "GitHub"]
    assert out["contact"]["links"][1]["url"] == "https://github.com/rendercv"
    assert out["education"][1]["institution"] == "Boğaziçi University"
    assert out["education"][1]["location"] == "Istanbul, Türkiye"
    assert out["experience"][0] == {
        "employer": "Nexus AI", "location": "San Francisco, CA", "title": "Co-Founder & CTO",
        "start": "2023-06", "end": "present", "highlights": out["experience"][0]["highlights"]}
    flash = out["projects"][0]
    assert (flash["name"], flash["url"]) == ("FlashInfer", "https://github.com/")
    assert out["projects"][1]["date"] == "2021"
    pub = out["publications"][0]
    assert pub["url"] == "https://doi.org/10.1234/neurips.2023.1234"
    assert pub["publisher"] == "NeurIPS 2023" and pub["authors"][0] == "John Doe"
    assert out["skills"][0] == {"name": "Languages",
                                "items": ["Python", "C++", "CUDA", "Rust", "Julia"]}
    custom = out["custom"]
    assert custom["welcome-to-rendercv"]["title"] == "Welcome to RenderCV"
    assert "**bold**" in custom["welcome-to-rendercv"]["text"]
    assert custom["selected-honors"]["title"] == "Selected Honors"
    assert len(custom["patents"]["bullets"]) == 3
    assert custom["invited-talks"]["title"] == "Invited Talks"
    assert any("numbered entries" in n for n in notes)
    # RenderCV's order is kept: custom sections stay where they were among the others.
    assert not any(n.startswith("section order:") for n in notes)
    resume = Resume.model_validate(out)
    assert resume.section_order == tuple(out["order"])
    assert list(out["order"]).index("education") > 0


def test_rendercv_title_keeps_its_wording_and_one_line_entries() -> None:
    out, _ = from_rendercv(load_source(EDISON).data)
    assert out["summary"] == "Prolific inventor"
    assert out["titles"] == {"skills": "Technologies"}
    assert out["skills"][1] == {"name": "Software", "items": ["CAD", "Simulation"]}
    awards = out["custom"]["additional-experience-and-awards"]
    assert awards["bullets"] == ["**Congressional Gold Medal:** US Congress"]
    assert out["experience"][0]["start"] == "1878-01-01"


def test_rendercv_settings_and_unknown_keys_are_reported() -> None:
    data = {"cv": {"name": "A", "pronouns": "they", "sections": {
        "Experience": [{"company": "[Acme](https://acme.example)", "position": "Dev",
                        "start_date": "2020-01", "end_date": "present", "team": "core"}],
        "Teaching": [{"company": "Uni", "position": "TA", "date": "Fall 2019"}],
        "Misc": ["A paragraph.", {"bullet": "A bullet"}, {"label": "Tools", "details": "vim"},
                 {"name": "Thing", "date": 2020}, 42.5, {"weird": 1}]}},
        "design": {"theme": "classic"}, "locale": {"language": "en"},
        "rendercv_settings": {"date": "2024-01-01"}, "extra": {"x": 1}}
    out, notes = from_rendercv(data)
    Resume.model_validate(out)
    assert out["experience"][0]["url"] == "https://acme.example"
    teaching = out["custom"]["teaching"]["entries"][0]
    assert teaching == {"title": "TA", "subtitle": "Uni", "when": "Fall 2019"}
    misc = out["custom"]["misc"]
    assert misc["text"] == "A paragraph.\n\n42.5"
    assert misc["bullets"] == ["A bullet", "**Tools:** vim"]
    assert misc["entries"] == [{"title": "Thing", "date": "2020"}]
    for key in ("design", "locale", "rendercv_settings", "extra", "cv.pronouns",
                "cv.sections.Experience[0].team", "cv.sections.Misc[5]"):
        assert any(n.startswith(f"{key}:") for n in notes), key


@pytest.mark.parametrize(("entry", "kind"), [
    ({"company": "A", "position": "B"}, "experience"),
    ({"institution": "A", "area": "B"}, "education"),
    ({"title": "A", "authors": ["B"]}, "publication"),
    ({"label": "A", "details": "B"}, "oneline"),
    ({"bullet": "A"}, "bullet"),
    ({"number": "A"}, "number"),
    ({"reversed_number": "A"}, "reversed_number"),
    ({"name": "A"}, "normal"),
    ("text", "text"),
    ({"x": 1}, "unknown"),
])
def test_rendercv_entry_kinds(entry: Any, kind: str) -> None:
    assert entry_kind(entry) == kind


def test_rendercv_section_titles() -> None:
    assert section_title("selected_honors") == "Selected Honors"
    assert section_title("additional_experience_and_awards") == \
        "Additional Experience and Awards"
    assert section_title("Welcome to RenderCV") == "Welcome to RenderCV"


@pytest.mark.parametrize(("key", "title", "note"), [
    ("Ex\x12tra", "Ex tra", "removed control characters"),
    ("\x12", "Untitled", "a section without a title"),
    ("", "Untitled", "a section without a title"),
])
def test_rendercv_section_keys_make_titles_that_validate(key: str, title: str,
                                                         note: str) -> None:
    """A section key is free text: its title loses control characters as any value does
    (they made the import invalid), and a key with nothing left is titled for the user to
    edit (its section was dropped without a note)."""
    _, out, notes = convert({"cv": {"name": "A", "sections": {key: ["Some text."]}}})
    [section] = out["custom"].values()
    assert section == {"title": title, "text": "Some text."}
    assert any(note in n for n in notes), notes
    Resume.model_validate(out)
    _, out, _ = convert({"cv": {"name": "A", "sections": {
        key: [{"company": "C", "position": "P"}]}}})
    assert out.get("titles", {}).get("experience", "Experience").isprintable()
    Resume.model_validate(out)


@pytest.mark.parametrize("path", FRESH, ids=lambda p: p.name)
def test_fresh_imports_best_effort(path: Path) -> None:
    data = load_json(path)
    fmt, out, notes = convert(data)
    assert fmt == "fresh"
    Resume.model_validate(out)
    again = parse(dump_yaml(out), path.name)
    assert again.data == out
    validate(again, CORPUS)
    assert notes
    # a volunteer stint is imported as volunteering: its flavor is its section
    assert_nothing_silently_dropped(data, out, notes, mapped=("service.history[0].flavor",))


def test_fresh_hostile_strings_stay_literal_in_the_data() -> None:
    _, out, _ = convert(load_json(CORPUS / "fresh-test-resumes.fresh.johnny-trouble.json"))
    assert out["experience"][0]["employer"] == "AB&C's Awesome <Tagged> **Company**"
    assert out["education"][0]["courses"][2] == "A <course> with brackets."
    assert out["contact"]["website"] == "https://a-problematic-url.io#section?q=123&z=242"


def test_unknown_format_is_a_clear_error() -> None:
    with pytest.raises(ResumecError, match="not a résumé format"):
        convert({"hello": "world"})


def test_a_yaml_date_before_1000_imports_as_free_text_with_a_note() -> None:
    """``start_date: 0202-05-01`` (a slip for 2020) is a YAML date to PyYAML: it is kept
    as written, in ``when``, and the result still validates."""
    import datetime as dt

    data = {"cv": {"name": "A", "sections": {"experience": [
        {"company": "X", "position": "Y", "start_date": dt.date(202, 5, 1),
         "end_date": dt.date(2021, 1, 1)}]}}}
    fmt, out, notes = convert(data)
    assert fmt == "rendercv"
    job = out["experience"][0]
    assert job["when"] == "0202-05-01 – 2021-01-01" and "start" not in job
    assert any("'0202-05-01' is not a date" in n for n in notes)
    Resume.model_validate(out)
