"""The loader: bytes → located data → Resume, with every problem reported at once."""

from __future__ import annotations

import contextlib
import itertools
import os
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from resumec import loader
from resumec.errors import MAX_ISSUES, Issue, ResumecError, did_you_mean
from resumec.loader import (
    MAX_DEPTH,
    MAX_NODES,
    Source,
    describe,
    format_loc,
    load_resume,
    load_source,
    parse,
    validate,
)
from resumec.schema import PartialDate, Resume

MINIMAL = "name: Ada Lovelace\n"


def _parse_issues(text: str, name: str = "r.yaml", *, json_only: bool = False) -> list[Issue]:
    with pytest.raises(ResumecError) as info:
        parse(text, name, json_only=json_only)
    assert all(isinstance(i, Issue) for i in info.value.issues)
    return list(info.value.issues)  # type: ignore[arg-type]


def _where(issue: Issue) -> tuple[int, int, str]:
    return (issue.line, issue.col, issue.path)


# --- reading the bytes --------------------------------------------------------------------------


def test_load_resume_from_a_file(tmp_path: Path) -> None:
    path = tmp_path / "resume.yaml"
    path.write_text("name: Ada\nexperience:\n  - employer: Acme\n    title: Dev\n"
                    "    start: 2020-05\n", encoding="utf-8")
    resume = load_resume(path)
    assert isinstance(resume, Resume)
    assert resume.experience[0].start == PartialDate(2020, 5)


def test_display_name_is_used_in_issues(tmp_path: Path) -> None:
    path = tmp_path / "resume.yaml"
    path.write_text("name: Ada\nnmae: x\n", encoding="utf-8")
    with pytest.raises(ResumecError) as info:
        load_resume(path, "shown.yaml")
    assert str(info.value) == "shown.yaml:2:1: nmae: unknown key 'nmae'; did you mean 'name'?"
    with pytest.raises(ResumecError) as info:
        load_resume(path)
    assert str(info.value).startswith(f"{path}:2:1: nmae:")


def test_invalid_utf8_is_located(tmp_path: Path) -> None:
    path = tmp_path / "r.yaml"
    path.write_bytes("name: Ada\nheadline: Café\nsummary: né".encode() + b"\xff\n")
    with pytest.raises(ResumecError) as info:
        load_source(path, "r.yaml")
    [issue] = info.value.issues
    assert isinstance(issue, Issue)
    assert (issue.line, issue.col) == (3, 12)
    assert issue.message == "invalid UTF-8 byte 0xFF; save the file as UTF-8"


def test_invalid_utf8_column_counts_characters_not_bytes(tmp_path: Path) -> None:
    path = tmp_path / "r.yaml"
    path.write_bytes("name: ééé".encode() + b"\xc3(\n")
    with pytest.raises(ResumecError) as info:
        load_source(path, "r.yaml")
    [issue] = info.value.issues
    assert isinstance(issue, Issue)
    assert (issue.line, issue.col) == (1, 10)


def test_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "r.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + MINIMAL.encode())
    assert load_resume(path).name == "Ada Lovelace"


def test_oversized_file_is_refused_before_reading(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "huge.yaml"
    with path.open("wb") as fh:  # sparse: big on paper, cheap to make
        fh.truncate(loader.MAX_BYTES * 50)

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the oversized file was read or parsed")

    monkeypatch.setattr(Path, "read_bytes", refuse)
    monkeypatch.setattr(yaml, "compose", refuse)
    with pytest.raises(ResumecError) as info:
        load_resume(path, "huge.yaml")
    [issue] = info.value.issues
    assert isinstance(issue, Issue)
    assert (issue.file, issue.line, issue.col) == ("huge.yaml", 1, 1)
    assert "file is 104,857,600 bytes" in issue.message
    assert f"at most {loader.MAX_BYTES:,} bytes" in issue.message


def test_file_just_over_the_limit_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "r.yaml"
    path.write_bytes(MINIMAL.encode() + b"#" * loader.MAX_BYTES)
    with pytest.raises(ResumecError, match="a résumé may be at most"):
        load_resume(path)


def test_missing_file_and_directory_are_user_errors(tmp_path: Path) -> None:
    with pytest.raises(ResumecError, match=r"nope\.yaml: no such file"):
        load_resume(tmp_path / "nope.yaml", "nope.yaml")
    with pytest.raises(ResumecError, match="is a directory"):
        load_resume(tmp_path, "dir")


def test_names_the_system_cannot_read_are_user_errors(tmp_path: Path) -> None:
    """A name too long for the file system, a loop of links: errors, not tracebacks."""
    with pytest.raises(ResumecError, match=r"long\.yaml: cannot read: "):
        load_resume(tmp_path / ("a" * 300 + ".yaml"), "long.yaml")
    (tmp_path / "a.yaml").symlink_to("b.yaml")
    (tmp_path / "b.yaml").symlink_to("a.yaml")
    with pytest.raises(ResumecError, match=r"a\.yaml: cannot read: "):
        load_resume(tmp_path / "a.yaml", "a.yaml")


# --- YAML syntax and shape ----------------------------------------------------------------------


def test_yaml_syntax_error_is_located() -> None:
    [issue] = _parse_issues("name: Ada\nheadline: Engineer: at Acme\n")
    assert (issue.line, issue.col) == (2, 19)
    assert issue.message == "YAML syntax: mapping values are not allowed in this context"
    assert str(issue) == ("r.yaml:2:19: YAML syntax: mapping values are not allowed in this "
                          "context")


def test_tab_indentation_is_located() -> None:
    [issue] = _parse_issues("name: Ada\ncontact:\n\temail: a@b.co\n")
    assert (issue.line, issue.col) == (3, 1)
    assert issue.message.startswith("YAML syntax:")


def test_tab_indentation_message_names_the_tab() -> None:
    [issue] = _parse_issues("name: Ada\ncontact:\n\temail: a@b.co\n")
    assert "tab" in issue.message.lower()


def test_unclosed_quote_points_at_the_opening_quote() -> None:
    [issue] = _parse_issues('name: Ada\nheadline: "Engineer\nsummary: Wrote things.\n')
    assert issue.line == 2 or "line 2" in issue.message


def test_second_document_message_reads_well() -> None:
    [issue] = _parse_issues("name: Ada\n---\nname: Bob\n")
    assert issue.line == 2
    assert not issue.message.startswith("YAML syntax: but ")


@pytest.mark.parametrize(
    ("text", "got"),
    [("- a\n- b\n", "got a list"), ("just text\n", 'got "just text"'), ("42\n", "got 42"),
     ("~\n", "got nothing"), ("'007'\n", 'got "007"')],
)
def test_document_must_be_a_mapping(text: str, got: str) -> None:
    [issue] = _parse_issues(text)
    assert (issue.line, issue.col) == (1, 1)
    assert issue.message == ("a résumé is a mapping of keys such as 'name:' and 'experience:', "
                             + got)


@pytest.mark.parametrize("text", ["", "\n\n", "   \n", "# only a comment\n"])
def test_empty_file(text: str) -> None:
    [issue] = _parse_issues(text)
    assert (issue.line, issue.col, issue.path) == (1, 1, "")
    assert issue.message == "the file is empty; a résumé needs at least 'name'"


def test_empty_file_on_disk(tmp_path: Path) -> None:
    path = tmp_path / "r.yaml"
    path.write_bytes(b"")
    with pytest.raises(ResumecError, match="the file is empty"):
        load_resume(path)


# --- duplicate keys -----------------------------------------------------------------------------


def test_duplicate_key_names_both_lines() -> None:
    [issue] = _parse_issues("name: Ada\nheadline: Engineer\nname: Bob\n")
    assert _where(issue) == (3, 1, "name")
    assert issue.message == "duplicate key 'name' (first at line 1)"


def test_every_duplicate_is_reported_with_its_path() -> None:
    text = ("name: Ada\nexperience:\n  - employer: Acme\n    title: Dev\n"
            "    title: Lead\ncontact:\n  email: a@b.co\ncontact: {}\n")
    issues = _parse_issues(text)
    assert [(_where(i), i.message) for i in issues] == [
        ((5, 5, "experience[0].title"), "duplicate key 'title' (first at line 4)"),
        ((8, 1, "contact"), "duplicate key 'contact' (first at line 6)"),
    ]


def test_same_key_in_different_mappings_is_fine(load_text) -> None:
    text = ("name: Ada\nexperience:\n  - employer: A\n    title: T\n"
            "  - employer: B\n    title: T\n")
    assert [e.employer for e in load_text(text).experience] == ["A", "B"]


# --- hostile documents --------------------------------------------------------------------------


def _lol(levels: int = 9) -> str:
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    names = "abcdefghijklmnop"
    for prev, name in itertools.pairwise(names[:levels]):
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def test_billion_laughs_is_refused(deadline) -> None:
    text = _lol(9)  # 9**9 ≈ 387 million strings if expanded
    assert text.count("\n") == 9
    with deadline(30):  # a safety net against a hang, not a timing assertion
        issues = _parse_issues(text)
    assert len(issues) == 1
    assert issues[0].message == (f"the document expands to more than {MAX_NODES:,} values "
                                 "(too many aliases?)")
    assert issues[0].path[:1] in "abcdefghi"


def test_billion_laughs_through_merge_keys_is_refused(deadline) -> None:
    lines = ["a0: &a0 {x: lol, y: lol}"]
    for i in range(1, 12):
        keys = ", ".join(f"k{j}: *a{i - 1}" for j in range(6))
        lines.append(f"a{i}: &a{i} {{{keys}}}")
    with deadline(30):
        issues = _parse_issues("\n".join(lines) + "\n")
    assert [i.message for i in issues] == [
        f"the document expands to more than {MAX_NODES:,} values (too many aliases?)"]


def test_aliases_below_the_limit_are_fine() -> None:
    source = parse(_lol(4), "r.yaml")  # 9**4 = 6561 strings
    assert len(source.data["d"]) == 9
    assert source.data["d"][8][8][8][8] == "lol"


def test_recursive_alias_is_refused() -> None:
    [issue] = _parse_issues("name: Ada\nloop: &x [1, *x]\n")
    assert (issue.line, issue.path) == (2, "loop[1]")
    assert issue.message == "an alias refers to the node that contains it"


def test_recursive_alias_is_located_at_the_alias() -> None:
    [issue] = _parse_issues("name: Ada\nkeywords: &loop\n  - engines\n  - *loop\n")
    assert _where(issue) == (4, 5, "keywords[1]")


@pytest.mark.parametrize(("text", "where"), [
    # in a flow sequence, after an item naming the anchor in text
    ("name: Ada\nloop: &x [\"*x\", *x]\n", (2, 17, "loop[1]")),
    # in a mapping, past an alias of the same anchor used earlier, not in a loop
    ("name: Ada\nbase: &b [a]\nme: &me\n  first: *b\n  self: *me\n", (5, 9, "me.self")),
    # an anchor name that is the start of another one
    ("name: Ada\nkk: &kk x\nkeywords: &k\n  - *kk\n  - *k\n", (5, 5, "keywords[1]")),
    # past an earlier item that is an alias to a node before it
    ("name: Ada\nb: &b x\nl: &l\n  - *b\n  - *l\n", (5, 5, "l[1]")),
])
def test_recursive_alias_is_located_at_the_alias_that_closes_the_loop(
        text: str, where: tuple[int, int, str]) -> None:
    issues = _parse_issues(text)
    assert [_where(i) for i in issues if "contains it" in i.message] == [where]


def test_recursive_mapping_alias_is_refused(deadline) -> None:
    with deadline(30):
        [issue] = _parse_issues("name: Ada\nme: &me\n  self: *me\n")
    assert issue.path == "me.self"
    assert issue.message == "an alias refers to the node that contains it"


def test_deep_nesting_is_a_located_error_not_a_recursion_error(deadline) -> None:
    depth = 10_000
    text = "name: Ada\nx: " + "[" * depth + "]" * depth + "\n"
    with deadline(30):
        issues = _parse_issues(text)
    [issue] = issues
    assert issue.message == f"nested more than {MAX_DEPTH} levels deep"
    assert (issue.line, issue.col) == (2, 4 + MAX_DEPTH)
    assert issue.path == "x" + "[0]" * MAX_DEPTH


@pytest.mark.parametrize("mapping", [False, True])
def test_nesting_limit_boundary(mapping: bool) -> None:
    def nest(levels: int) -> str:  # `levels` containers around a scalar
        return ("{a: " * levels + "1" + "}" * levels) if mapping else "[" * levels + "1" + \
            "]" * levels

    # The scalar's path is x + `levels` steps: it may be at most MAX_DEPTH long.
    ok = parse(f"x: {nest(MAX_DEPTH - 1)}\n", "r.yaml")
    assert "x" in ok.data
    [issue] = _parse_issues(f"x: {nest(MAX_DEPTH)}\n")
    assert issue.message == f"nested more than {MAX_DEPTH} levels deep"


def test_deep_json_is_a_user_error_not_a_recursion_error(deadline) -> None:
    depth = 10_000
    with deadline(30):
        issues = _parse_issues('{"name": "Ada",\n "x": ' + "[" * depth + "]" * depth + "}",
                               "r.json", json_only=True)
    assert len(issues) == 1
    assert "nested" in issues[0].message


def test_deep_json_is_located() -> None:
    depth = 10_000
    [issue] = _parse_issues('{\n "name": "Ada",\n "x": ' + "[" * depth + "]" * depth + "}",
                            "r.json", json_only=True)
    assert issue.line == 3


@pytest.mark.parametrize(
    ("text", "tag"),
    [
        ('x: !!python/object/apply:os.system ["echo hi"]\n', "!!python/object/apply:os.system"),
        ("x: !!python/name:os.system\n", "!!python/name:os.system"),
        ("x: !!python/object:collections.OrderedDict {}\n",
         "!!python/object:collections.OrderedDict"),
        ("x: !!binary aGk=\n", "!!binary"),
        ("x: !!set {a, b}\n", "!!set"),
        ("x: !custom thing\n", "!custom"),
    ],
)
def test_unsafe_and_unknown_tags_are_refused(text: str, tag: str,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[object] = []
    monkeypatch.setattr(os, "system", lambda *a: calls.append(a) or 0)
    [issue] = _parse_issues("name: Ada\n" + text)
    assert _where(issue) == (2, 4, "x")
    assert issue.message == (f"tag '{tag}' is not allowed; a résumé holds only text, numbers, "
                             "lists and mappings")
    assert calls == []


def test_unsafe_tags_are_all_reported() -> None:
    issues = _parse_issues("a: !!python/name:os.system\nb:\n  - 1\n  - !!python/name:os.getcwd\n")
    assert [_where(i) for i in issues] == [(1, 4, "a"), (4, 5, "b[1]")]


# --- YAML 1.2 core scalars ----------------------------------------------------------------------


def test_yaml_1_2_booleans_stay_text(load_text) -> None:
    resume = load_text("name: Ada\nheadline: yes\nlanguages: [no, on, off, y, n, Yes, NO]\n")
    assert resume.headline == "yes"
    assert [lang.language for lang in resume.languages] == ["no", "on", "off", "y", "n",
                                                            "Yes", "NO"]


def test_numbers_in_text_fields_stay_as_written(load_text) -> None:
    text = ("name: Ada\nheadline: 3.10\nskills:\n  - name: Versions\n"
            "    items: [3.10, 007, 1.0, 2.50, +1, 1e3, 0x1F, 1_000]\n")
    resume = load_text(text)
    assert resume.headline == "3.10"
    assert [s.name for s in resume.skills[0].items] == ["3.10", "007", "1.0", "2.50", "+1", "1e3",
                                                        "0x1F", "1_000"]


def test_timestamps_stay_text_until_the_schema_parses_them(load_text) -> None:
    text = ("name: Ada\nexperience:\n  - employer: A\n    title: T\n"
            "    when: 2021-03-14\n    start: 2021-03-14\n")
    job = load_text(text).experience[0]
    assert job.when == "2021-03-14"
    assert job.start == PartialDate(2021, 3, 14)


def test_core_schema_values() -> None:
    data = parse("a: true\nb: False\nc: null\nd: ~\ne:\nf: 12\ng: -1.5\nh: '12'\ni: \"true\"\n",
                 "r.yaml").data
    assert data == {"a": True, "b": False, "c": None, "d": None, "e": None, "f": 12,
                    "g": -1.5, "h": "12", "i": "true"}
    assert type(data["h"]) is str


def test_true_in_a_text_field_is_an_error(issues_of) -> None:
    [issue] = issues_of("name: true\n")
    assert _where(issue) == (1, 7, "name")
    assert issue.message == "expected text, got true"


def test_a_plain_equals_sign_is_text(load_text) -> None:
    assert load_text("name: Ada\nheadline: =\n").headline == "="


# --- merge keys ---------------------------------------------------------------------------------


def test_merge_key_copies_an_anchor(load_text) -> None:
    text = """\
name: Ada
experience:
  - &acme
    employer: Acme
    location: Remote
    title: Dev
    start: 2019
    end: 2021
  - <<: *acme
    title: Lead
    start: 2021
    end: present
"""
    first, second = load_text(text).experience
    assert (second.employer, second.location, second.title) == ("Acme", "Remote", "Lead")
    assert (second.start, second.end) == (PartialDate(2021), "present")
    assert first.title == "Dev"


def test_merge_list_earlier_mapping_wins() -> None:
    data = parse("a: &a {x: 1, y: 1}\nb: &b {y: 2, z: 2}\nc:\n  <<: [*a, *b]\n  z: 3\n",
                 "r.yaml").data
    assert data["c"] == {"x": 1, "y": 1, "z": 3}


def test_merge_of_a_scalar_is_an_error() -> None:
    [issue] = _parse_issues("a: &a text\nb:\n  <<: *a\n")
    assert issue.message == "'<<' merges only mappings"


def test_nested_merge_keys() -> None:
    data = parse("a: &a {x: 1}\nb: &b\n  <<: *a\n  y: 2\nc:\n  <<: *b\n  z: 3\n", "r.yaml").data
    assert data["c"] == {"x": 1, "y": 2, "z": 3}


# --- JSON ---------------------------------------------------------------------------------------


def test_json_file_loads(tmp_path: Path) -> None:
    path = tmp_path / "resume.JSON"
    path.write_text('{"name": "Ada", "headline": 3.10, "languages": ["no"],\n'
                    ' "experience": [{"employer": "A", "title": "T", "start": "2020-05"}]}',
                    encoding="utf-8")
    resume = load_resume(path)
    assert (resume.name, resume.headline, resume.languages[0].language) == ("Ada", "3.10", "no")
    assert resume.experience[0].start == PartialDate(2020, 5)


def test_json_syntax_error_is_located(tmp_path: Path) -> None:
    path = tmp_path / "r.json"
    path.write_text('{\n  "name": "Ada",\n  "headline": "x",\n}\n', encoding="utf-8")
    with pytest.raises(ResumecError) as info:
        load_source(path, "r.json")
    [issue] = info.value.issues
    assert isinstance(issue, Issue)
    assert (issue.line, issue.col) == (4, 1)
    assert issue.message.startswith("JSON syntax: ")


def test_json_schema_errors_are_located(tmp_path: Path) -> None:
    path = tmp_path / "r.json"
    path.write_text('{\n  "name": "Ada",\n  "contact": {\n    "emial": "a@b.co"\n  }\n}\n',
                    encoding="utf-8")
    with pytest.raises(ResumecError) as info:
        load_resume(path, "r.json")
    assert str(info.value) == ("r.json:4:5: contact.emial: unknown key 'emial'; "
                               "did you mean 'email'?")


def test_json_duplicate_key_is_an_error() -> None:
    [issue] = _parse_issues('{"name": "Ada",\n "name": "Bob"}', "r.json", json_only=True)
    assert "duplicate key 'name'" in issue.message


def test_json_duplicate_key_is_located_with_both_lines() -> None:
    [issue] = _parse_issues('{\n  "name": "Ada",\n  "headline": "x",\n  "name": "Bob"\n}\n',
                            "r.json", json_only=True)
    assert (issue.line, issue.col) == (4, 3)
    assert "line 2" in issue.message


def test_json_half_of_a_utf16_pair_is_an_error(tmp_path: Path) -> None:
    """JSON may escape half of a UTF-16 pair on its own (YAML may not): no UTF-8 output
    can hold one, and every format crashed writing it. Both halves make one character."""
    path = tmp_path / "r.json"
    path.write_text('{"name": "A \\ud83d\\ude00", "summary": "\\ud800",\n'
                    ' "custom": {"x\\udc00": {"title": "T", "text": "x"}}}', encoding="utf-8")
    with pytest.raises(ResumecError) as info:
        load_resume(path, "r.json")
    assert [str(i) for i in info.value.issues] == [
        "r.json:1:1: custom: \\udc00 is half of a UTF-16 pair with no other half: not a "
        "character",
        "r.json:1:1: summary: \\ud800 is half of a UTF-16 pair with no other half: not a "
        "character"]
    path.write_text('{"name": "A \\ud83d\\ude00"}', encoding="utf-8")
    assert load_resume(path).name == "A \U0001f600"


def test_json_is_not_read_as_yaml(tmp_path: Path) -> None:
    path = tmp_path / "r.json"
    path.write_text("name: Ada\n", encoding="utf-8")
    with pytest.raises(ResumecError, match="JSON syntax"):
        load_source(path)


# --- schema errors, all at once -----------------------------------------------------------------


def test_every_issue_is_reported_at_once_sorted_by_line(issues_of) -> None:
    text = """\
name: Ada
profiles:
  web:
    paper: A4
contact:
  emial: ada@example.org
  website: javascript:alert(1)
experience:
  - title: Engineer
    start: 2020-13
"""
    issues = issues_of(text)
    assert [(_where(i), i.message) for i in issues] == [
        ((4, 12, "profiles.web.paper"), "expected 'a4' or 'letter', got \"A4\"; did you mean "
                                        "'a4'?"),
        ((6, 3, "contact.emial"), "unknown key 'emial'; did you mean 'email'?"),
        ((7, 12, "contact.website"), "only http, https and mailto URLs are allowed, got scheme "
                                     "\"javascript:\" in \"javascript:alert(1)\""),
        ((9, 5, "experience[0].employer"), "missing required key 'employer'"),
        ((10, 12, "experience[0].start"), 'month 13 does not exist in "2020-13"'),
    ]


def test_issues_are_sorted_numerically_not_as_text(issues_of) -> None:
    text = "name: Ada\n" + "\n" * 8 + "a: 1\n" + "b: 2\n"
    assert [i.line for i in issues_of(text)] == [10, 11]


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        ("name: Ada\ncontact:\n  emial: a@b.co\n", (3, 3, "contact.emial"),
         "unknown key 'emial'; did you mean 'email'?"),
        ("name: Ada\nexperiance: []\n", (2, 1, "experiance"),
         "unknown key 'experiance'; did you mean 'experience'?"),
        ("name: Ada\nexperience:\n  - employer: A\n    titel: T\n",
         (4, 5, "experience[0].titel"), "unknown key 'titel'; did you mean 'title'?"),
        ("name: Ada\nprofiles:\n  p:\n    inclde: [x]\n", (4, 5, "profiles.p.inclde"),
         "unknown key 'inclde'; did you mean 'include'?"),
        ("name: Ada\ncustom:\n  s:\n    title: S\n    txt: hi\n", (5, 5, "custom.s.txt"),
         "unknown key 'txt'; did you mean 'text'?"),
        ("Name: Ada\n", (1, 1, "Name"), "unknown key 'Name'; did you mean 'name'?"),
    ],
)
def test_misspelt_key_gets_a_suggestion_at_the_key(issues_of, text: str,
                                                   where: tuple[int, int, str],
                                                   message: str) -> None:
    issue = next(i for i in issues_of(text) if "unknown key" in i.message)
    assert (_where(issue), issue.message) == (where, message)


def test_unknown_key_without_a_close_match_lists_the_keys(issues_of) -> None:
    [issue] = issues_of("name: Ada\ncontact:\n  fax: 123\n")
    assert issue.message == ("unknown key 'fax' (expected one of: email, phone, location, "
                             "website, links)")


def test_missing_required_key_is_at_the_parent(issues_of) -> None:
    text = "name: Ada\nexperience:\n  - employer: A\n    title: T\n  - title: Lead\n"
    [issue] = issues_of(text)
    assert _where(issue) == (5, 5, "experience[1].employer")
    assert issue.message == "missing required key 'employer'"


def test_missing_name_is_at_the_top(issues_of) -> None:
    [issue] = issues_of("headline: Engineer\n")
    assert _where(issue) == (1, 1, "name")
    assert issue.message == "missing required key 'name'"


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        ("name: Ada\nskills: Python\n", (2, 9, "skills"), 'expected a list, got "Python"'),
        ("name: Ada\ncontact: a@b.co\n", (2, 10, "contact"),
         'expected a mapping of keys to values, got "a@b.co"'),
        ("name: [Ada]\n", (1, 7, "name"), "expected text, got a list"),
        ("name:\n", (1, 6, "name"), "expected text, got nothing"),
        ("name: Ada\nprofiles:\n  p:\n    max_pages: 0\n", (4, 16, "profiles.p.max_pages"),
         "must be greater than or equal to 1, got 0"),
        ("name: Ada\nprofiles:\n  p:\n    max_pages: two\n", (4, 16, "profiles.p.max_pages"),
         'expected a whole number, got "two"'),
    ],
)
def test_type_errors_are_written_for_people(issues_of, text: str, where: tuple[int, int, str],
                                            message: str) -> None:
    [issue] = issues_of(text)
    assert (_where(issue), issue.message) == (where, message)


def test_an_invalid_item_does_not_make_its_list_empty(issues_of) -> None:
    text = "name: Ada\nskills:\n  - name: L\n    items:\n      - name: Rust\n        yers: 3\n"
    assert [i.message for i in issues_of(text)] == [
        "unknown key 'yers'; did you mean 'years'?"]


# --- whole-document checks ----------------------------------------------------------------------

TAGGED = """\
name: Ada
experience:
  - employer: Acme
    title: Dev
    tags: [backend]
    highlights:
      - text: Built the ML platform
        tags: [ml]
"""


def test_profile_include_tag_nobody_uses(issues_of) -> None:
    text = TAGGED + "profiles:\n  web:\n    include: [bakend]\n    exclude: [frontend]\n"
    issues = issues_of(text)
    assert [(_where(i), i.message) for i in issues] == [
        ((11, 15, "profiles.web.include[0]"), "no item is tagged 'bakend'; did you mean "
                                              "'backend'?"),
        ((12, 15, "profiles.web.exclude[0]"), "no item is tagged 'frontend' (tags in use: "
                                              "backend, ml)"),
    ]


def test_profile_tags_in_use_are_listed_briefly(issues_of) -> None:
    tags = [f"t{i:02}" for i in range(30)]
    text = MINIMAL + f"skills:\n  - name: S\n    items: [a]\n    tags: [{', '.join(tags)}]\n"
    [issue] = issues_of(text + "profiles:\n  p:\n    include: [zzzzzz]\n")
    assert issue.message == ("no item is tagged 'zzzzzz' (tags in use: t00, t01, t02, t03, "
                             "t04, t05, t06, t07, t08, t09, t10, t11, … (30 in all))")


def test_profile_tags_when_no_item_is_tagged(issues_of) -> None:
    [issue] = issues_of(MINIMAL + "profiles:\n  p:\n    include: [x]\n")
    assert issue.message == "no item is tagged 'x' (no item has tags)"


def test_profile_tags_on_nested_items_count(load_text) -> None:
    resume = load_text(TAGGED + "profiles:\n  ml:\n    include: [ml]\n")
    assert resume.profiles["ml"].include == ("ml",)


def test_profile_sections_naming_a_missing_section(issues_of) -> None:
    text = TAGGED + "profiles:\n  p:\n    sections: [experience, educaton, experiance]\n"
    issues = issues_of(text)
    assert [(_where(i), i.message) for i in issues] == [
        ((11, 28, "profiles.p.sections[1]"), "no section 'educaton' in this résumé"),
        ((11, 38, "profiles.p.sections[2]"), "no section 'experiance' in this résumé; "
                                             "did you mean 'experience'?"),
    ]


def test_profile_titles_naming_a_missing_section_is_at_the_key(issues_of) -> None:
    [issue] = issues_of(TAGGED + "profiles:\n  p:\n    titles:\n      projects: Work\n")
    assert _where(issue) == (12, 7, "profiles.p.titles.projects")
    assert issue.message == "no section 'projects' in this résumé"


def test_profile_extends_cycle(issues_of) -> None:
    text = MINIMAL + "profiles:\n  a:\n    extends: b\n  b:\n    extends: a\n  c:\n    extends: c\n"
    issues = issues_of(text)
    assert [(_where(i), i.message) for i in issues] == [
        ((4, 14, "profiles.a.extends"), "profiles extend each other in a loop: a → b → a"),
        ((6, 14, "profiles.b.extends"), "profiles extend each other in a loop: b → a → b"),
        ((8, 14, "profiles.c.extends"), "profiles extend each other in a loop: c → c"),
    ]


def test_profile_extends_chain_is_fine(load_text) -> None:
    text = MINIMAL + "profiles:\n  a: {}\n  b:\n    extends: a\n  c:\n    extends: b\n"
    assert load_text(text).profiles["c"].extends == "b"


def test_profile_extends_chain_longer_than_the_limit(issues_of, deadline) -> None:
    """Each profile's chain is walked: thousands of profiles each extending the one before
    took minutes to check."""
    from resumec.schema.checks import MAX_EXTENDS

    n = 5_000
    text = MINIMAL + "profiles:\n  p0: {}\n" + "".join(
        f"  p{i}: {{extends: p{i - 1}}}\n" for i in range(1, n))
    with deadline(30), pytest.raises(ResumecError) as info:
        validate(parse(text, "r.yaml"))
    *issues, more = info.value.issues
    assert more == f"r.yaml: {n - MAX_EXTENDS - 1 - MAX_ISSUES:,} more issues not shown " \
        f"({n - MAX_EXTENDS - 1:,} in all)"
    assert isinstance(issues[0], Issue)
    assert issues[0].path == f"profiles.p{MAX_EXTENDS + 1}.extends"
    assert issues[0].message == f"extends a chain of more than {MAX_EXTENDS} profiles"


def test_profile_extends_unknown(issues_of) -> None:
    text = MINIMAL + "profiles:\n  backend: {}\n  web:\n    extends: bakend\n"
    [issue] = issues_of(text)
    assert _where(issue) == (5, 14, "profiles.web.extends")
    assert issue.message == "no profile 'bakend'; did you mean 'backend'?"


def test_top_level_titles_naming_an_unknown_section(issues_of) -> None:
    [issue] = issues_of(MINIMAL + "titles:\n  experiance: Work\n")
    assert _where(issue) == (3, 3, "titles.experiance")
    assert issue.message == "no section 'experiance'; did you mean 'experience'?"


def test_custom_section_shadowing_a_built_in(issues_of) -> None:
    [issue] = issues_of(MINIMAL + "custom:\n  skills:\n    title: Skills\n    text: Many.\n")
    assert _where(issue) == (3, 3, "custom.skills")
    assert issue.message.startswith("'skills' is a built-in section")


def test_photo_file_missing(tmp_path: Path) -> None:
    path = tmp_path / "r.yaml"
    path.write_text(MINIMAL + "photo: me.jpg\n", encoding="utf-8")
    with pytest.raises(ResumecError) as info:
        load_resume(path, "r.yaml")
    [issue] = info.value.issues
    assert isinstance(issue, Issue)
    assert _where(issue) == (2, 8, "photo")
    assert issue.message.startswith("no such file: me.jpg")
    Image.new("RGB", (3, 4)).save(tmp_path / "me.jpg")
    assert load_resume(path).photo == "me.jpg"


def test_photo_is_resolved_next_to_the_resume(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "cv").mkdir()
    (tmp_path / "cv" / "r.yaml").write_text(MINIMAL + "photo: me.jpg\n", encoding="utf-8")
    Image.new("RGB", (3, 4)).save(tmp_path / "me.jpg")  # next to the cwd, not the résumé
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ResumecError, match=r"no such file: me\.jpg"):
        load_resume(Path("cv/r.yaml"))


def test_checks_report_every_problem_at_once(issues_of) -> None:
    text = (TAGGED + "titles:\n  skils: Know-how\nprofiles:\n  p:\n    include: [x]\n"
            "    extends: q\n")
    assert [i.path for i in issues_of(text)] == ["titles.skils", "profiles.p.include[0]",
                                                 "profiles.p.extends"]


# --- small pieces -------------------------------------------------------------------------------


def test_format_loc() -> None:
    assert format_loc(("experience", 2, "roles", 0, "end")) == "experience[2].roles[0].end"
    assert format_loc((0, "a")) == "[0].a"
    assert format_loc(()) == ""


def test_describe() -> None:
    source = parse("a: 3.10\nb: 007\n", "r.yaml")
    assert describe(source.data["a"]) == "3.10"
    assert describe(source.data["b"]) == "007"
    assert describe("x" * 60) == '"' + "x" * 47 + '…"'
    assert (describe(True), describe(None), describe({}), describe([])) == (
        "true", "nothing", "a mapping", "a list")


def test_locate_falls_back_to_the_nearest_ancestor() -> None:
    source = parse("name: Ada\nexperience:\n  - employer: A\n", "r.yaml")
    assert source.locate(("experience", 0, "title")) == (3, 5)
    assert source.locate(("experience", 0, "employer")) == (3, 15)
    assert source.locate(("experience", 0, "employer"), key=True) == (3, 5)
    assert source.locate(("nowhere", 3)) == (1, 1)
    assert Source("x", {}).locate(("a",)) == (1, 1)


def test_issue_string_and_order() -> None:
    a = Issue("r.yaml", 2, 5, "name", "bad")
    b = Issue("r.yaml", 10, 1, "", "worse")
    assert str(a) == "r.yaml:2:5: name: bad"
    assert str(b) == "r.yaml:10:1: worse"
    assert sorted([b, a]) == [a, b]
    assert str(ResumecError([a, b])) == "r.yaml:2:5: name: bad\nr.yaml:10:1: worse"


def test_issue_quoting_the_resume_stays_one_line() -> None:
    issue = Issue("r.yaml", 1, 1, "custom.a\nb", 'unknown key \'k\x1b[31m\', got "1\u20281"')
    assert str(issue) == 'r.yaml:1:1: custom.a\\nb: unknown key \'k\\x1b[31m\', got "1\\u20281"'
    reordered = Issue("r.yaml", 1, 1, "", "got \"\u202eevil\u202c\u2067x\u2069\"")
    assert str(reordered) == 'r.yaml:1:1: got "\\u202eevil\\u202c\\u2067x\\u2069"'
    with pytest.raises(ResumecError) as caught:
        validate(parse("1\n\n1\n", "r.yaml"))
    assert [str(i) for i in caught.value.issues] == [
        'r.yaml:1:1: a résumé is a mapping of keys such as \'name:\' and \'experience:\', '
        'got "1\\n1"']


def test_did_you_mean() -> None:
    assert did_you_mean("emial", ["email", "phone"]) == "; did you mean 'email'?"
    assert did_you_mean("EMAIL", ["email"]) == "; did you mean 'email'?"
    assert did_you_mean("zzz", ["email", "phone"]) == ""
    assert did_you_mean("x", []) == ""


def test_validate_without_a_folder_skips_file_checks() -> None:
    resume = validate(parse(MINIMAL + "photo: me.jpg\n", "r.yaml"))
    assert resume.photo == "me.jpg"


# --- robustness: whatever the input, a user error or a Resume, never a traceback ----------------

_YAMLISH = st.lists(
    st.sampled_from([*"ab: -[]{},&*!<>|'\"#\n\t 0129.=~?%@`\\", "name", "experience", "<<",
                     "é", "\x00", "---", "!!str", "&a", "*a"]),
    max_size=40,
).map("".join)

_KEYS = st.sampled_from(["name", "experience", "employer", "title", "start", "end", "roles",
                         "highlights", "custom", "text", "skills", "items", "profiles",
                         "sections", "include", "extends", "tags", "photo", "bogus"])
_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
                     st.text(max_size=12), st.sampled_from(["2020-05", "present", "x@y.org"]))
_DATA = st.recursive(_SCALARS, lambda inner: st.lists(inner, max_size=3)
                     | st.dictionaries(_KEYS, inner, max_size=4), max_leaves=20)


@settings(max_examples=300, deadline=None)
@given(_YAMLISH)
def test_any_text_gives_a_source_or_located_issues(text: str) -> None:
    issues: tuple[Issue | str, ...] = ()
    try:
        source = parse(text, "f.yaml")
    except ResumecError as exc:
        issues = exc.issues
    else:
        with contextlib.suppress(ResumecError):
            validate(source)
    assert all(isinstance(i, Issue) and i.line >= 1 and i.col >= 1 for i in issues)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(_KEYS, _DATA, max_size=5))
def test_any_data_validates_or_gives_located_issues(data: dict[str, object]) -> None:
    issues: tuple[Issue | str, ...] = ()
    try:
        assert isinstance(validate(Source("f.yaml", data)), Resume)
    except ResumecError as exc:
        issues = exc.issues or ("(an error with no issues)",)
    assert all(isinstance(i, Issue) and i.message for i in issues)


def _raised(text: str) -> tuple[Issue | str, ...]:
    with pytest.raises(ResumecError) as info:
        validate(parse(text, "r.yaml"))
    return info.value.issues


def test_an_error_lists_the_first_issues_and_counts_the_rest(deadline) -> None:
    """A file with 50,000 unknown keys (a data file checked by mistake) took 10 s and
    printed 50,000 lines; now the first MAX_ISSUES, in file order, then a count."""
    n = 50_000
    text = MINIMAL + "nmae: x\n" + "".join(f"key{i:05}: {i}\n" for i in range(n - 1))
    with deadline(60):  # a safety net against a hang, not a timing assertion
        *issues, more = _raised(text)
    assert more == f"r.yaml: {n - MAX_ISSUES:,} more issues not shown ({n:,} in all)"
    assert len(issues) == MAX_ISSUES
    assert all(isinstance(i, Issue) for i in issues)
    assert [i.line for i in issues if isinstance(i, Issue)] == list(range(2, 2 + MAX_ISSUES))
    assert issues[0] == Issue("r.yaml", 2, 1, "nmae", "unknown key 'nmae'; did you mean 'name'?")


def test_an_error_at_the_limit_lists_every_issue() -> None:
    text = MINIMAL + "".join(f"key{i:03}: {i}\n" for i in range(MAX_ISSUES))
    issues = _raised(text)
    assert len(issues) == MAX_ISSUES
    assert all(isinstance(i, Issue) for i in issues)


def test_thousands_of_unknown_sections_among_thousands_are_checked_quickly(deadline) -> None:
    """4,000 custom sections and 4,000 order entries naming none of them took 97 s: each
    entry's "did you mean" compared it with every section, and finding the sections in
    order was quadratic. Suggestions now stop at a budget of comparisons."""
    n = 4_000
    text = (MINIMAL + "custom:\n"
            + "".join(f"  sec{i}x: {{title: S, entries: [{{title: x}}]}}\n" for i in range(n))
            + "order:\n" + "".join(f"  - sec{i}y\n" for i in range(n)))
    with deadline(60):
        *issues, more = _raised(text)
    assert more == f"r.yaml: {n - MAX_ISSUES:,} more issues not shown ({n:,} in all)"
    first = issues[0]
    assert isinstance(first, Issue) and first.path == "order[0]"
    assert first.message == "no section 'sec0y'; did you mean 'sec0x'?"


def test_a_section_listed_twice_in_order(issues_of) -> None:
    """Listed twice, a section was rendered twice."""
    text = MINIMAL + "summary: Hi\norder: [summary, experience, summary]\n"
    [issue] = issues_of(text)
    assert _where(issue) == (3, 30, "order[2]")
    assert issue.message == "'summary' is already at order[0]"


def test_a_section_listed_twice_in_a_profile(issues_of) -> None:
    text = MINIMAL + "summary: Hi\nprofiles:\n  web:\n    sections: [summary, summary]\n"
    [issue] = issues_of(text)
    assert _where(issue) == (5, 25, "profiles.web.sections[1]")
    assert issue.message == "'summary' is already at sections[0]"


def test_json_that_yaml_cannot_read_with_a_number_too_long_for_python(issues_of) -> None:
    """Python reads at most 4,300 digits: such a number is text, in JSON as in YAML, not
    "JSON: Exceeds the limit (4300 digits) for integer string conversion"."""
    big = "9" * 5000
    text = ('\t{"name": "A", "headline": ' + big + ', "experience": [{"employer": "x", '
            '"title": "T", "start": ' + big + "}]}")  # a leading tab: YAML refuses it
    [issue] = issues_of(text, json_only=True)
    assert issue.path == "experience[0].start"
    assert issue.message == 'expected YYYY, YYYY-MM or YYYY-MM-DD, got "' + "9" * 47 + '…"'


@pytest.mark.parametrize(("value", "got"), [
    ("[2020]", "a list"), ("{year: 2020}", "a mapping"), ("true", "true"),
    ("x" * 80, '"' + "x" * 47 + '…"'),
])
def test_a_date_that_is_no_date_is_described_in_words(issues_of, value: str, got: str
                                                       ) -> None:
    text = MINIMAL + f"experience:\n  - employer: X\n    title: T\n    start: {value}\n"
    [issue] = issues_of(text)
    assert issue.message == f"expected YYYY, YYYY-MM or YYYY-MM-DD, got {got}"
