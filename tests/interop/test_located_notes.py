"""Another tool's file read as it is: notes located in it, placeholders refused, losses said.

``resumec import`` notes each change at its line and column in the source file. Read
directly (``validate``, ``render``, ``watch``), the same file is refused where import would
fill in a placeholder (a PDF must not say "Your Name"), and each value left out because it
looks wrong there is a located warning; other changes are counted in one line.
"""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from resumec.errors import ResumecError
from resumec.interop import convert
from resumec.interop.located import Reading, split_note
from resumec.interop.values import Filled, Problem
from resumec.loader import foreign_format, load_resume, load_source
from tests.conftest import CORPUS, ROOT

Run = Callable[..., subprocess.CompletedProcess[str]]

# Line and column (1-based) of each key below are checked against the text by hand.
FLAWED = """\
{
  "basics": {"name": "Ada", "email": "not-an-email",
    "profiles": [{"network": "Mastodon", "url": "ftp://x"}]},
  "work": [
    {"name": "A", "position": "Eng", "startDate": "2020-01"},
    {"name": "B", "position": "Eng", "startDate": "2019-01",
     "highlights": ["Shipped it", {"x": 1}], "hightlights": ["Typo"]}
  ],
  "meta": {"version": "v1"}
}
"""

NAMELESS = """\
{
  "basics": {"label": "Engineer"},
  "work": [{"position": "Eng", "startDate": "2020-01"}]
}
"""


@pytest.mark.parametrize(("data", "note", "loc", "path"), [
    ({"basics": {"email": "x"}}, "basics.email: bad", ("basics", "email"), "basics.email"),
    ({"work": [{"a": 1}, {"b": 2}]}, "work[1].b: odd", ("work", 1, "b"), "work[1].b"),
    # a key the data lacks: as deep as the path resolves
    ({"basics": {}}, "basics.name: missing name", ("basics",), "basics.name"),
    ({}, "basics.name: missing", (), "basics.name"),
    ({"work": [{}]}, "work[3].name: missing", ("work",), "work[3].name"),
    # keys that hold the path's punctuation, as RenderCV section titles may
    ({"cv": {"sections": {"Ph.D. work": [{"x": 1}]}}},
     "cv.sections.Ph.D. work[0].x: not known", ("cv", "sections", "Ph.D. work", 0, "x"),
     "cv.sections.Ph.D. work[0].x"),
    ({"cv": {"sections": {"Ph": {}, "Ph.D": {"y": 2}}}}, "cv.sections.Ph.D.y: z",
     ("cv", "sections", "Ph.D", "y"), "cv.sections.Ph.D.y"),
    ({"a": {"b:c": 1}}, "a.b:c: colon in a key", ("a", "b:c"), "a.b:c"),
    # a note naming a run of entries points at the first
    ({"work": [{}, {}, {}]}, "work[0]–work[2]: merged", ("work", 0), "work[0]–work[2]"),
    ({"meta": {"v": 1}}, "meta: not imported", ("meta",), "meta"),
    ({"x": 1}, "no path here", (), ""),
])
def test_a_note_is_split_at_the_place_its_path_names(data: Any, note: str, loc: tuple[Any, ...],
                                                     path: str) -> None:
    got_loc, got_path, message = split_note(data, note)
    assert got_loc == loc
    assert got_path == path
    assert (f"{got_path}: {message}" if got_path else message) == note


def test_a_huge_mapping_is_not_scanned_for_a_dotted_key() -> None:
    data = {"s": {f"k.{i}": i for i in range(5000)}}
    assert split_note(data, "s.k.4999: x")[0] == ("s",)
    assert split_note({"s": {"k.1": 1}}, "s.k.1: x")[0] == ("s", "k.1")


def _write(tmp_path: Path, text: str, name: str = "cv.json") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_import_notes_each_change_at_its_line_and_column(run_cli: Run, tmp_path: Path) -> None:
    src = _write(tmp_path, FLAWED)
    proc = run_cli("import", src, "-o", tmp_path / "cv.yaml")
    assert proc.returncode == 0, proc.stderr
    lines = proc.stderr.splitlines()
    assert f"{src}:2:29: note: basics.email: 'not-an-email' is not a valid e-mail address; " \
           "not imported" in lines
    assert any(line.startswith(f"{src}:3:42: note: basics.profiles[0].url: 'ftp://x' is not a "
                               "usable link") for line in lines), lines
    assert f"{src}:7:35: note: work[1].highlights[1]: expected text, got a mapping; " \
           "not imported" in lines
    assert f"{src}:7:46: note: work[1].hightlights: not a JSON Resume field resumec knows; " \
           "not imported" in lines
    assert any(line.startswith(f"{src}:9:3: note: meta: ") for line in lines), lines
    places = [tuple(map(int, line.split(":")[1:3])) for line in lines]
    assert places == sorted(places)  # in file order
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    shown = re.findall(r"^resume\.json:(\d+:\d+: note: .*)$", readme, re.M)
    assert len(shown) == 2
    assert {f"{src}:{line}" for line in shown} <= set(lines)  # the README shows this file


def test_validate_warns_about_what_it_leaves_out_and_passes(run_cli: Run, tmp_path: Path
                                                            ) -> None:
    src = _write(tmp_path, FLAWED)
    proc = run_cli("validate", src)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stderr.splitlines()
    assert f"{src}:2:29: warning: basics.email: 'not-an-email' is not a valid e-mail " \
           "address; not imported" in lines
    assert f"{src}:7:46: warning: work[1].hightlights: not a JSON Resume field resumec " \
           "knows; not imported" in lines
    # what has no place in resumec is counted, not listed: `import` lists it
    assert lines[-1] == (f"{src}: note: 1 field was renamed, reshaped or left out to fit "
                         "resumec; `resumec import` lists each")
    assert not any(": meta" in line for line in lines)
    assert len(lines) == 6


def test_render_warns_too_and_writes_every_output(run_cli: Run, tmp_path: Path) -> None:
    src = _write(tmp_path, FLAWED)
    proc = run_cli("render", src, "-f", "txt", "-f", "md", "-o", tmp_path / "out")
    assert proc.returncode == 0, proc.stderr
    assert f"{src}:2:29: warning: basics.email:" in proc.stderr
    assert proc.stdout.split() == [str(tmp_path / "out" / "cv.txt"),
                                   str(tmp_path / "out" / "cv.md")]
    text = (tmp_path / "out" / "cv.txt").read_text(encoding="utf-8")
    assert "Shipped it" in text and "Typo" not in text


def test_a_file_lacking_what_a_resume_needs_is_refused_where_it_lacks_it(
        run_cli: Run, tmp_path: Path) -> None:
    src = _write(tmp_path, NAMELESS)
    out = tmp_path / "out"
    for command in (["validate", src], ["render", src, "-f", "pdf", "-f", "txt", "-o", out]):
        proc = run_cli(*command)
        assert proc.returncode == 1
        lines = proc.stderr.splitlines()
        assert f"{src}:2:3: basics.name: missing name; add it (resumec makes up no text)" \
            in lines
        assert f"{src}:3:12: work[0].name: missing employer name; add it (resumec makes up " \
               "no text)" in lines
        assert "Your Name" not in proc.stderr and "Traceback" not in proc.stderr
    assert not out.exists()
    # import is where placeholders belong: it writes them, for the person to edit
    proc = run_cli("import", src, "-o", tmp_path / "cv.yaml")
    assert proc.returncode == 0, proc.stderr
    assert f"{src}:2:3: note: basics.name: missing name; imported as 'Your Name': edit it" \
        in proc.stderr.splitlines()
    assert yaml.safe_load((tmp_path / "cv.yaml").read_text(encoding="utf-8"))["name"] == \
        "Your Name"


def test_a_rendercv_section_without_a_title_is_refused(tmp_path: Path) -> None:
    src = _write(tmp_path, "cv:\n  name: Ada\n  sections:\n    ' ':\n      - Some text.\n",
                 "cv.yaml")
    with pytest.raises(ResumecError) as caught:
        load_resume(src, "cv.yaml")
    assert [str(i) for i in caught.value.issues] == [
        "cv.yaml:4:5: cv.sections. : a section without a title; add one"]


def test_warnings_are_capped_like_errors(tmp_path: Path) -> None:
    work = [{"name": f"A{i}", "position": "B", f"extra{i}": "x"} for i in range(150)]
    src = _write(tmp_path, json.dumps({"basics": {"name": "Ada"}, "work": work}, indent=1))
    heard: list[str] = []
    load_resume(src, "cv.json", heard.append)
    assert len(heard) == 101
    assert heard[-1] == "cv.json: warning: 50 more not shown; `resumec import` lists every one"


FOREIGN = [p for p in sorted(CORPUS.glob("*.*")) if p.suffix in (".json", ".yaml")
           and foreign_format(load_source(p).data)]


def test_the_corpus_has_files_of_each_other_format() -> None:
    assert {foreign_format(load_source(p).data) for p in FOREIGN} == {
        "jsonresume", "rendercv", "fresh"}


@pytest.mark.parametrize("path", FOREIGN, ids=lambda p: p.name)
def test_every_corpus_file_reads_directly_and_each_note_has_a_place(path: Path) -> None:
    source = load_source(path, path.name)
    _, _, notes = convert(source.data, base_dir=path.parent)
    reading = Reading(source, notes)
    assert not reading.errors  # real files have what a résumé needs
    assert len(reading.warnings) == sum(isinstance(n, Problem) for n in notes)
    assert not any(isinstance(n, Filled) for n in notes)
    for note in notes:  # every note's path resolves in the file, at least to its section
        loc, note_path, _ = split_note(source.data, note)
        assert loc and note_path.startswith(str(loc[0])), note
    heard: list[str] = []
    load_resume(path, path.name, heard.append)
    assert len(heard) == len(reading.warnings) + (reading.changed > 0)


def test_errors_in_the_copied_extension_block_are_located(tmp_path: Path) -> None:
    src = _write(tmp_path, """\
{
  "basics": {"name": "Ada"},
  "x-resumec": {
    "lang": "en",
    "titles": {"custom": "Acme"},
    "custom": {"talks": {"title": "T", "text": "x"}, "ok": {"title": "Fine", "text": "y"},
               "bad": {"title": "B", "entries": [{"title": "E", "start": "2020-13"}]}}
  }
}
""")
    with pytest.raises(ResumecError) as caught:
        load_resume(src, "cv.json")
    assert [str(i) for i in caught.value.issues] == [
        "cv.json:5:16: titles.custom: no section 'custom'"]
