"""YAML writing: hand-written look, quoting only where needed, exact read-back."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from interop_helpers import SOURCES

from resumec.interop.yamlout import dump_yaml
from resumec.loader import load_source, parse, validate

TRICKY = ["no", "yes", "on", "off", "y", "N", "true", "False", "null", "~", "", " ", "3.10",
          "007", "1e5", "0x1F", "1_000", "2020-05", "2020-05-01", "2020", "12:30",
          "a: b", "a #b", "#tag", "- item", "? key", "[x]", "{y}", "*star", "&anchor",
          "!tag", "%pct", "@at", "`tick", "'quoted'", '"double"', "it's", "trailing ",
          " leading", "C#", "|pipe", ">fold", "<p>raw</p>", "{{ 7*7 }}", "tab\there", "é ü 中文",
          "…ellipsis", "line1\nline2", "para\n\n  indented\n", "ends with newline\n",
          "trailing space \nline", "\u00a0nbsp"]


def roundtrip(data: dict[str, Any]) -> str:
    text = dump_yaml(data)
    assert "!!" not in text
    assert parse(text, "<test>").data == data
    return text


@pytest.mark.parametrize("value", TRICKY)
def test_tricky_strings_read_back_as_written(value: str) -> None:
    roundtrip({"name": "A", "headline": value, "keywords": [value, "b"],
               "custom": {"x": {"title": value, "bullets": [value]}}})


def test_values_that_would_change_meaning_are_quoted() -> None:
    text = roundtrip({"name": "no", "headline": "3.10", "contact": {"phone": "007"},
                      "education": [{"institution": "X", "start": "2020-05", "end": "2021"}],
                      "summary": "Key: value"})
    assert 'name: "no"' in text
    assert 'headline: "3.10"' in text
    assert 'phone: "007"' in text
    assert 'start: "2020-05"' in text and 'end: "2021"' in text
    assert 'summary: "Key: value"' in text or "summary: 'Key: value'" in text


def test_plain_where_safe_and_hand_written_layout() -> None:
    data = {
        "profiles": {"x": {"include": ["a"]}},
        "custom": {"notes": {"title": "Notes", "text": "One.\n\nTwo."}},
        "skills": [{"name": "Languages", "items": ["Go", "Rust", "Python"]}],
        "experience": [{"summary": ("Long " * 30).strip(), "title": "Dev", "employer": "Acme",
                        "highlights": ["Short one", ("x " * 60).strip()]}],
        "contact": {"email": "a@b.example", "location": "Zürich, Switzerland"},
        "headline": "Engineer",
        "name": "Ada",
    }
    text = roundtrip(data)
    lines = text.splitlines()
    assert lines[:2] == ["name: Ada", "headline: Engineer"]
    keys = [ln.split(":")[0] for ln in lines if ln and not ln[0].isspace()]
    assert keys == ["name", "headline", "contact", "custom", "skills", "experience",
                    "profiles"]
    assert "  location: Zürich, Switzerland" in lines
    assert "    items: [Go, Rust, Python]" in lines
    assert "  - employer: Acme" in lines  # sequences indented under their key
    i = lines.index("  - employer: Acme")
    assert lines[i + 1:i + 3] == ["    title: Dev", "    summary: >-"]
    assert "    text: |-" in lines
    assert "" in lines and lines[lines.index("contact:") - 1] == ""
    assert max(len(ln) for ln in lines) <= 100


def test_header_is_a_modeline() -> None:
    text = dump_yaml({"name": "A"}, header="https://resumec.dev/schema/resume.schema.json")
    assert text.splitlines()[0] == (
        "# yaml-language-server: $schema=https://resumec.dev/schema/resume.schema.json")
    assert parse(text, "<test>").data == {"name": "A"}


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.name)
def test_sources_survive_a_rewrite(path: Any) -> None:
    data = load_source(path).data
    text = dump_yaml(data)
    again = parse(text, path.name)
    assert again.data == data
    validate(again, path.parent)


def test_pyyaml_reads_it_too() -> None:
    data = {"name": "A", "summary": "a\n\nb", "keywords": ["no", "2020-05-01", "1.0"]}
    assert yaml.safe_load(dump_yaml(data)) == data


_TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufeff")
                | st.sampled_from(["\n", " ", ":", "#", "-", "'", '"', "*", "&", "!"]),
                max_size=120)


@settings(max_examples=300, deadline=None)
@given(st.lists(_TEXT, min_size=1, max_size=4), _TEXT)
def test_any_text_reads_back(values: list[str], one: str) -> None:
    roundtrip({"name": "A", "headline": one, "keywords": values,
               "experience": [{"employer": one, "highlights": values}]})
