"""Fuzzing the loader and validator: every input is a résumé or located errors, never a crash.

Three sources of input: random mutations of the real examples (bytes flipped, lines
dropped, duplicated or swapped, characters inserted), random YAML-ish text, and random
JSON Resume-like documents. Cases found are kept below as regression tests.

Set ``RESUMEC_FUZZ_SCALE`` (e.g. 20) to run many more examples than CI does.
"""

from __future__ import annotations

import copy
import json
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from resumec.errors import Issue, ResumecError
from resumec.loader import check_file, load_resume
from resumec.schema import Resume
from tests.conftest import CORPUS, DEMO, EXAMPLES
from tests.fuzz.fuzzkit import time_limit

SOURCES = [p.read_bytes() for p in (DEMO, *EXAMPLES)]
SCALE = int(os.environ.get("RESUMEC_FUZZ_SCALE", "1"))
FUZZ = settings(max_examples=150 * SCALE, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def check(data: bytes, tmp_path: Path, suffix: str = ".yaml") -> None:
    """Load ``data``: it must give a Resume or a ResumecError of located issues."""
    path = tmp_path / f"fuzz{suffix}"
    path.write_bytes(data)
    with time_limit(10):
        said = _verdict(lambda: check_file(path, "fuzz" + suffix))  # `resumec validate`
        try:
            resume = load_resume(path, "fuzz" + suffix)
        except ResumecError as exc:
            assert exc.issues  # noqa: PT017 - either outcome is fine; both are checked
            for issue in exc.issues:
                if isinstance(issue, Issue):
                    assert issue.line >= 1 and issue.col >= 1
                    assert issue.message and "\n" not in str(issue).strip("\n")
            assert said == [str(i) for i in exc.issues], "validate and render disagree"  # noqa: PT017
            return
    assert isinstance(resume, Resume)
    assert said is None, f"validate refuses what render takes: {said}"


def _verdict(step: Callable[[], object]) -> list[str] | None:
    """The issues ``step`` raises, or None if it raises none."""
    try:
        step()
    except ResumecError as exc:
        return [str(i) for i in exc.issues]
    return None


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    data = bytearray(draw(st.sampled_from(SOURCES)))
    for _ in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(["flip", "insert", "drop_line", "dup_line", "swap",
                                     "truncate"]))
        lines = data.split(b"\n")
        if kind == "flip" and data:
            i = draw(st.integers(0, len(data) - 1))
            data[i] = draw(st.integers(0, 255))
        elif kind == "insert":
            i = draw(st.integers(0, len(data)))
            data[i:i] = draw(st.sampled_from([b":", b"- ", b"&a ", b"*a", b"!!python/name:os ",
                                              b"\t", b"{", b"[", b"'", b'"', b"<<: *a\n",
                                              b"\x00", b"\xff", b"2020-13", b"present",
                                              b"{{ 7*7 }}", b"\n  x: 1", b"---\n"]))
        elif kind in ("drop_line", "dup_line", "swap") and len(lines) > 2:
            i = draw(st.integers(0, len(lines) - 2))
            if kind == "drop_line":
                del lines[i]
            elif kind == "dup_line":
                lines.insert(i, lines[i])
            else:
                lines[i], lines[i + 1] = lines[i + 1], lines[i]
            data = bytearray(b"\n".join(lines))
        elif kind == "truncate" and data:
            del data[draw(st.integers(0, len(data) - 1)):]
    return bytes(data)


@FUZZ
@given(mutated())
def test_mutated_examples_never_crash(tmp_path_factory: pytest.TempPathFactory,
                                      data: bytes) -> None:
    check(data, tmp_path_factory.mktemp("m"))


yamlish = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
              st.text(max_size=30)),
    lambda children: st.one_of(st.lists(children, max_size=5),
                               st.dictionaries(st.sampled_from(
                                   ["name", "headline", "experience", "roles", "title",
                                    "start", "end", "highlights", "tags", "employer",
                                    "skills", "items", "custom", "profiles", "include",
                                    "contact", "email", "links", "url", "text", "summary",
                                    "x"]), children, max_size=6)),
    max_leaves=30,
)


@FUZZ
@given(yamlish)
def test_random_documents_never_crash(tmp_path_factory: pytest.TempPathFactory,
                                      doc: object) -> None:
    tmp = tmp_path_factory.mktemp("r")
    check(json.dumps(doc).encode(), tmp, ".json")
    check(json.dumps(doc, indent=1).encode(), tmp, ".yaml")


_jr_scalar = st.one_of(st.none(), st.booleans(), st.integers(-5, 3000), st.text(max_size=20),
                       st.sampled_from(["2020-01", "2019-02-30", "present", "", "https://x.io",
                                        "javascript:alert(1)", "mailto:a@b.co", "2021-13-01"]))
_jr_entry = st.dictionaries(st.sampled_from(
    ["name", "company", "position", "startDate", "endDate", "url", "website", "summary",
     "highlights", "institution", "area", "studyType", "courses", "keywords", "level",
     "language", "fluency", "title", "date", "awarder", "issuer", "reference", "extra"]),
    st.one_of(_jr_scalar, st.lists(_jr_scalar, max_size=3)), max_size=8)
json_resume = st.fixed_dictionaries(
    {"basics": st.dictionaries(st.sampled_from(["name", "label", "email", "phone", "url",
                                                "summary", "location", "profiles", "image",
                                                "website", "picture"]),
                               st.one_of(_jr_scalar, st.lists(_jr_entry, max_size=2),
                                         _jr_entry), max_size=8)},
    optional={k: st.lists(_jr_entry, max_size=4) for k in
              ("work", "volunteer", "education", "awards", "certificates", "publications",
               "skills", "languages", "interests", "references", "projects")},
)


@FUZZ
@given(json_resume)
def test_random_json_resume_documents_never_crash(tmp_path_factory: pytest.TempPathFactory,
                                                  doc: object) -> None:
    check(json.dumps(doc).encode(), tmp_path_factory.mktemp("j"), ".json")


@FUZZ
@given(st.text(alphabet=st.sampled_from(list(" \n\t:-[]{}&*!|>'\"#%@`,?abc12")), max_size=200))
def test_random_yaml_text_never_crashes(tmp_path_factory: pytest.TempPathFactory,
                                        text: str) -> None:
    check(text.encode(), tmp_path_factory.mktemp("t"))


def _data(path: Path) -> Any:
    text = path.read_text(encoding="utf-8")
    return json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)


DOCUMENTS = [_data(p) for p in (DEMO, *EXAMPLES, *sorted(CORPUS.glob("*.json")),
                                 *sorted(CORPUS.glob("*.yaml")))
             if p.name != "jsonresume-schema.json"]
"""Documents of every format resumec reads: its own, JSON Resume, RenderCV and FRESH."""
UNUSUAL = ("\ufdd0", "\ufdef", "\ufffe", "\uffff", "\U0001fffe", "\U0010ffff", "\ue000",
           "\U000f0000", "\U0010fffd", "\u202e", "\u202a", "\u2066", "\u2069", "\u200e",
           "\u061c", "\ufeff", "\ufffd", "\U000e0001", "\ufe0f", "\u0085", "\u2028",
           "\u00ad", "\u2060", "\x7f", "\x9b", "\x00", "\t", "\r", "\x1b[31m")
"""Code points that are rarely text: noncharacters, private use, bidi controls, tags,
line and paragraph separators, controls."""
odd = st.one_of(st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF),
                st.sampled_from(["\ud83d\ude00", "\ude00\ud83d", "\udbff\udfff"]),
                st.sampled_from(UNUSUAL))
"""Half of a UTF-16 pair, pairs right and wrong way round, and unusual code points."""


def _strings(data: Any, at: tuple[Any, ...] = ()) -> list[tuple[tuple[Any, ...], bool]]:
    """Where ``data`` holds text: (path, whether it is a key)."""
    out: list[tuple[tuple[Any, ...], bool]] = []
    if isinstance(data, dict):
        for k, v in data.items():
            out.append(((*at, k), True))
            out.extend(_strings(v, (*at, k)))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            out.extend(_strings(v, (*at, i)))
    elif isinstance(data, str):
        out.append((at, False))
    return out


@st.composite
def odd_documents(draw: st.DrawFn) -> tuple[Any, bool]:
    """A real document of any format with odd code points put into its text and keys;
    and whether it holds half a UTF-16 pair."""
    doc = copy.deepcopy(draw(st.sampled_from(DOCUMENTS)))
    for _ in range(draw(st.integers(1, 4))):
        path, is_key = draw(st.sampled_from(_strings(doc)))
        parent = doc
        for part in path[:-1]:
            parent = parent[part]
        old = path[-1] if is_key else parent[path[-1]]
        if not isinstance(old, str) or (is_key and old not in parent):
            continue
        i = draw(st.integers(0, len(old)))
        new = old[:i] + draw(odd) + old[i:]
        if is_key:
            if new not in parent:
                parent[new] = parent.pop(old)
        else:
            parent[path[-1]] = new
    text = json.dumps(doc, ensure_ascii=False)
    return doc, bool(re.search("[\ud800-\udfff]", text))


@FUZZ
@given(odd_documents())
def test_odd_code_points_in_every_format_never_crash(tmp_path_factory: pytest.TempPathFactory,
                                                     case: tuple[Any, bool]) -> None:
    """JSON escapes (``"\\ud800"``), raw UTF-8 (half a pair is then invalid UTF-8) and YAML."""
    doc, halves = case
    tmp = tmp_path_factory.mktemp("o")
    check(json.dumps(doc).encode(), tmp, ".json")
    check(json.dumps(doc, ensure_ascii=False).encode("utf-8", "surrogatepass"), tmp, ".json")
    check(json.dumps(doc).encode(), tmp, ".yaml")
    if not halves:
        check(json.dumps(doc, ensure_ascii=False, indent=1).encode(), tmp, ".yaml")


# Regression cases found by fuzzing and by hand, kept forever.
REGRESSIONS: list[tuple[str, bytes]] = [
    ("tag-on-key", b"!!python/name:os.system x: 1\n"),
    ("alias-to-undefined", b"name: *nope\n"),
    ("merge-non-mapping", b"name: A\n<<: [1, 2]\n"),
    ("null-key", b"name: A\n~: 1\n"),
    ("complex-key", b"name: A\n? [a, b]\n: 1\n"),
    ("bom-then-tab", b"\xef\xbb\xbf\tname: A\n"),
    ("nul-byte", b"name: A\x00\n"),
    ("lone-surrogate-escape", b'name: "\\ud800"\n'),
    ("huge-int-year", b"name: A\nexperience: [{employer: X, title: Y, start: 99999999999999}]\n"),
    ("float-date", b"name: A\nexperience: [{employer: X, title: Y, start: 2021.10}]\n"),
    ("bool-name", b"name: true\n"),
    ("deep-flow", b"name: " + b"[" * 5000 + b"]" * 5000 + b"\n"),
    ("many-docs", b"name: A\n---\nname: B\n"),
    ("multi-line-scalar-quoted", b"1\n\n1"),  # the message quoted "1\n1" over two lines
    # File names longer than the system allows: looking them up raised OSError.
    ("photo-name-too-long", b"name: A\nphoto: " + b"a" * 300 + b"\n"),
    ("theme-name-too-long", b"name: A\nprofiles: {p: {theme: " + b"a" * 300 + b"}}\n"),
    ("json-resume-image-name-too-long", b"basics: {name: A, image: " + b"a" * 300 + b"}\n"),
    # Merge keys expanded without end, or without end in sight.
    ("merge-into-itself", b"name: A\n<<: &a {<<: *a}\n"),
    ("merge-into-itself-in-a-list", b"name: A\nx: &a {<<: [*a]}\n"),
    ("merges-nested-deep", b"name: A\nx: " + b"{<<: " * 2000 + b"{k: 1}" + b"}" * 2000 + b"\n"),
    ("merges-doubling", b"name: A\nx0: &a0 {k: 1}\n" + b"".join(
        b"x%d: &a%d {<<: [*a%d, *a%d]}\n" % (i, i, i - 1, i - 1) for i in range(1, 40))),
    ("int-too-long-to-read", b"name: A\nprofiles: {p: {max_pages: " + b"9" * 5000 + b"}}\n"),
]


@pytest.mark.parametrize(("case", "data"), REGRESSIONS, ids=[c for c, _ in REGRESSIONS])
def test_regressions(tmp_path: Path, case: str, data: bytes) -> None:
    check(data, tmp_path)


@pytest.mark.parametrize("path", sorted(CORPUS.glob("*.yaml")), ids=lambda p: p.name)
def test_other_tools_yaml_gives_located_errors_not_crashes(tmp_path: Path, path: Path) -> None:
    check(path.read_bytes(), tmp_path)
