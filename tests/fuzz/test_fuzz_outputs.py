"""Fuzzing where outputs go: ``resumec render -o`` into whatever the disk holds there.

The output folder is a file, a link to elsewhere, a link to nothing, a folder under a
file, a path too long; an output's name is taken by a folder, a link, a read-only file,
or is the résumé itself. Whatever it is, the render writes every output or fails with a
user error having written none (earlier outputs byte for byte as they were), and never
writes over the résumé nor through a link into another folder's file.

Set ``RESUMEC_FUZZ_SCALE`` (e.g. 20) to run many more examples than CI does.
"""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from resumec.errors import ResumecError
from resumec.render import Options, render_file
from tests.fuzz.fuzzkit import check_error, fuzz, note, time_limit

RESUME = "name: Ada\nexperience: [{employer: E, title: T, start: 2020}]\n"
FORMATS = ("md", "txt", "json", "html")
SUFFIX = {"md": "md", "txt": "txt", "json": "json", "html": "html"}
THINGS = ("nothing", "file", "folder", "folder-with-file", "link-to-file", "link-to-folder",
          "link-to-nothing", "read-only-file", "link-to-resume", "hardlink-to-resume")


def snapshot(root: Path) -> dict[str, bytes | str]:
    """Every file and link under ``root``: its bytes, or where it points."""
    out: dict[str, bytes | str] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in filenames + dirnames:
            path = Path(dirpath, name)
            key = str(path.relative_to(root))
            if path.is_symlink():
                out[key] = "-> " + os.readlink(path)
            elif path.is_file():
                out[key] = path.read_bytes()
    return out


def place(path: Path, thing: str, root: Path) -> None:
    """Put ``thing`` at ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    elsewhere = root / "elsewhere"
    if thing == "file":
        path.write_bytes(b"OLD")
    elif thing == "folder":
        path.mkdir()
    elif thing == "folder-with-file":
        path.mkdir()
        (path / "inside").write_bytes(b"KEEP")
    elif thing == "link-to-file":
        path.symlink_to(elsewhere / "keep.txt")
    elif thing == "link-to-folder":
        path.symlink_to(elsewhere)
    elif thing == "link-to-nothing":
        path.symlink_to(root / "nowhere")
    elif thing == "read-only-file":
        path.write_bytes(b"OLD")
        path.chmod(0o444)
    elif thing == "link-to-resume":
        path.symlink_to(root / "cv" / "resume.yaml")
    elif thing == "hardlink-to-resume":
        os.link(root / "cv" / "resume.yaml", path)


@st.composite
def layout(draw: st.DrawFn) -> tuple[str, str, dict[str, str], tuple[str, ...]]:
    """An output folder (as given to -o), what is there, what the outputs' names hold."""
    out = draw(st.sampled_from(["out", "out/deeper", "cv", ".", "a" * 300,
                                "/".join(["d"] * 300), "out/../cv", "elsewhere/../out"]))
    there = draw(st.sampled_from((*THINGS, "file-above")))
    formats = tuple(draw(st.lists(st.sampled_from(FORMATS), min_size=1, max_size=4,
                                  unique=True)))
    names = {f: draw(st.sampled_from(THINGS)) for f in formats if draw(st.booleans())}
    return out, there, names, formats


def check(root: Path, out: str, there: str, names: dict[str, str], formats: tuple[str, ...],
          source_name: str = "resume.yaml") -> None:
    shutil.rmtree(root, ignore_errors=True)
    (root / "cv").mkdir(parents=True)
    (root / "elsewhere").mkdir()
    (root / "elsewhere" / "keep.txt").write_bytes(b"KEEP")
    source = root / "cv" / source_name
    source.write_text(RESUME, encoding="utf-8")
    out_dir = root / out
    try:
        if there == "file-above":
            place(out_dir.parent, "file", root)
        elif out not in ("cv", ".", "out/../cv"):
            place(out_dir, there, root)
        for fmt, thing in names.items():
            if out_dir.is_dir():
                place(out_dir / f"{source.stem}.{SUFFIX[fmt]}", thing, root)
    except OSError:
        pass  # a path too long to make: the render meets it as it is
    before = snapshot(root)
    cwd = os.getcwd()
    os.chdir(root)
    try:
        with time_limit(20):
            written = render_file(source, Options(formats=formats, out_dir=Path(out)))
    except ResumecError as exc:
        check_error(exc)
        note("user error", exc)
        after = snapshot(root)
        assert after == before, "a failed render changed files"
    else:
        note("written")
        after = snapshot(root)
        assert len(written) == len(formats)
        for path in written:
            assert (root / path).is_file() and not (root / path).is_symlink()
        changed = {k for k in set(before) | set(after) if before.get(k) != after.get(k)}
        # An output folder that is a link to another folder is written through.
        assert {(root / k).resolve() for k in changed} <= {(root / p).resolve()
                                                           for p in written}, changed
    finally:
        os.chdir(cwd)
        for dirpath, _, filenames in os.walk(root):
            for name in filenames:
                p = Path(dirpath, name)
                if not p.is_symlink():
                    p.chmod(stat.S_IRUSR | stat.S_IWUSR)
    assert source.read_text(encoding="utf-8") == RESUME
    assert (root / "elsewhere" / "keep.txt").read_bytes() == b"KEEP"


@fuzz(30)
@given(case=layout())
def test_output_folders(tmp_path_factory: pytest.TempPathFactory,
                        case: tuple[str, str, dict[str, str], tuple[str, ...]]) -> None:
    out, there, names, formats = case
    check(tmp_path_factory.getbasetemp() / "outputs", out, there, names, formats)


# Regression cases, kept forever: (id, -o, what is there, outputs' names, formats).
REGRESSIONS = [
    # resume.txt was written, then resume.md failed (a folder of that name): the command
    # failed with one output written.
    ("an-output-name-taken-by-a-folder-after-another",
     "out", "folder", {"md": "folder"}, ("txt", "md")),
    ("the-output-folder-is-a-file", "out", "file", {}, ("md",)),
    ("the-output-folder-is-under-a-file", "out/deeper", "file-above", {}, ("md",)),
    ("the-output-folder-is-a-link-to-nothing", "out", "link-to-nothing", {}, ("md",)),
    ("an-output-is-a-link-to-the-resume", "out", "folder", {"md": "link-to-resume"}, ("md",)),
    ("an-output-is-a-link-elsewhere", "out", "folder", {"md": "link-to-file"}, ("md",)),
    ("an-output-is-read-only", "out", "folder", {"md": "read-only-file"}, ("md",)),
]


@pytest.mark.parametrize(("case", "out", "there", "names", "formats"), REGRESSIONS,
                         ids=[c[0] for c in REGRESSIONS])
def test_regressions(tmp_path: Path, case: str, out: str, there: str, names: dict[str, str],
                     formats: tuple[str, ...]) -> None:
    check(tmp_path / "r", out, there, names, formats)


def test_the_input_is_never_an_output(tmp_path: Path) -> None:
    """A JSON Resume rendered as JSON into its own folder would overwrite itself."""
    root = tmp_path / "r"
    (root / "cv").mkdir(parents=True)
    source = root / "cv" / "resume.json"
    source.write_text('{"basics": {"name": "Ada"}}', encoding="utf-8")
    with pytest.raises(ResumecError, match="refusing to overwrite the input file"):
        render_file(source, Options(formats=("json",), out_dir=root / "cv"))
    assert source.read_text(encoding="utf-8") == '{"basics": {"name": "Ada"}}'
