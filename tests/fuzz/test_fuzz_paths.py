"""Fuzzing path values: every file a résumé names is one in its folder, or a located error.

The values that name files — ``photo``, a profile's ``theme``, ``--theme``, and the photo of
the formats resumec imports (JSON Resume ``basics.image``, RenderCV ``cv.photo``, FRESH
``info.image``) — get names longer than a file name (NAME_MAX) or a path (PATH_MAX) may
be, NULs, ``..``, absolute paths, ``file:`` and ``http:`` URLs, symbolic links that leave
the folder or loop, folders where a file is expected.

Every such résumé loads, or fails with located errors — never a traceback. One that loads
renders (PDF and HTML, which embed the photo, Markdown, text, JSON Resume, DOCX) or fails
with a user error, and opens no file outside its own folder but the theme's: a Python
audit hook records every file opened while loading and rendering, with the working folder
set to a folder outside holding a decoy of every name the résumé folder holds.

Set ``RESUMEC_FUZZ_SCALE`` (e.g. 20) to run many more examples than CI does.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from resumec.errors import ResumecError
from resumec.loader import load_resume
from resumec.render import Options, run, tasks
from resumec.schema import Resume
from resumec.schema.checks import is_file
from resumec.tailor import resolve_profile
from resumec.themes import MANIFEST, builtin_dir
from tests.fuzz.fuzzkit import check_error, fuzz, note, time_limit

PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c63f8cfc0f01f0005000201e2b1a5d6"
                    "0000000049454e44ae426082")
LONG_PNG = "p" * 251 + ".png"  # a name of 255 bytes, the longest one may be
THEME = "name: {name}\ndescription: A theme of the fuzzer's.\nextends: classic\n"


@dataclass(frozen=True)
class World:
    """``folder`` holds the résumé and what it may name; ``outside`` holds decoys of the
    same names and a secret picture, and is the working folder while the résumé is loaded
    and rendered: no file in it may be opened, but for a theme the résumé names there
    (``theme``) or the command line does."""

    folder: Path
    outside: Path


def _build(root: Path) -> World:
    folder, outside = root / "r", root / "outside"
    for where in (folder, outside):
        (where / "sub").mkdir(parents=True)
        (where / "dir.png").mkdir()
        for name in ("me.png", "sub/me.png", "me.jpg", "ünï cödé.png", LONG_PNG):
            (where / name).write_bytes(PNG)
        for name in ("mytheme", "sub/mytheme", "classic"):
            (where / name).mkdir()
            (where / name / "theme.yaml").write_text(THEME.format(name=name.replace("/", "-")))
    (outside / "secret.png").write_bytes(PNG)
    # A picture that names others: the one next to the résumé, and the secret by three
    # ways (an SVG's references are fetched as the photo's own, by the PDF engine).
    refs = ("me.png", "../outside/secret.png", "outdir/secret.png",
            (outside / "secret.png").as_uri(), "http://127.0.0.1:9/x.png")
    (folder / "refs.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        'width="40" height="40">' + "".join(
            f'<image href="{r}" width="8" height="8"/><image xlink:href="{r}"/>' for r in refs)
        + f'<style>@import url("{refs[1]}");</style></svg>', encoding="utf-8")
    (outside / "theme").mkdir()
    (outside / "theme" / "theme.yaml").write_text(THEME.format(name="outside"))
    (folder / "out.png").symlink_to(outside / "secret.png")
    (folder / "up.png").symlink_to("../outside/secret.png")
    (folder / "outdir").symlink_to(outside)
    (folder / "loop.png").symlink_to("loop.png")
    (folder / "loop-a.png").symlink_to("loop-b.png")
    (folder / "loop-b.png").symlink_to("loop-a.png")
    (folder / "dangling.png").symlink_to("nowhere.png")
    (folder / "in.png").symlink_to("me.png")
    return World(folder, outside)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    return _build(tmp_path_factory.mktemp("paths"))


# --- what was opened ---------------------------------------------------------------------

_OPENED: list[str] | None = None


def _audit(name: str, args: tuple[Any, ...]) -> None:
    if _OPENED is not None and name == "open" and isinstance(args[0], str | bytes | Path):
        path = args[0]
        _OPENED.append(os.fsdecode(path) if isinstance(path, bytes) else str(path))


sys.addaudithook(_audit)


@contextmanager
def watched(world: World) -> Iterator[list[str]]:
    """Record the files opened inside, with the working folder set to ``world.outside``."""
    global _OPENED
    opened: list[str] = []
    cwd = os.getcwd()
    os.chdir(world.outside)
    _OPENED = opened
    try:
        yield opened
    finally:
        _OPENED = None
        os.chdir(cwd)


def _inside(path: str, world: World, allowed: tuple[Path, ...]) -> bool:
    """Whether opening ``path`` (maybe relative to ``world.outside``) stays out of
    ``world.outside``, but for the ``allowed`` folders (themes named as folders)."""
    try:
        resolved = (world.outside / path).resolve()
    except (OSError, RuntimeError, ValueError):
        return True  # nothing there to open
    outside = world.outside.resolve()
    if not resolved.is_relative_to(outside):
        return True
    return any(resolved.is_relative_to(d.resolve()) for d in allowed)


# --- path values -------------------------------------------------------------------------

FIXED = (
    "me.png", "./me.png", "sub/me.png", "sub/../me.png", "me.jpg", "ünï cödé.png", LONG_PNG,
    "in.png", "refs.svg", "out.png", "up.png", "outdir/secret.png", "loop.png", "loop-a.png",
    "dangling.png", "dir.png", "sub", ".", "..", "/", "../outside/secret.png",
    "../../../../../../etc/passwd", "/etc/passwd", "/dev/zero", "/proc/self/environ",
    "~/me.png", "me.png/", "me.png/.", "me.png/..", "sub//me.png", "./././me.png",
    "file:me.png", "file:///etc/passwd", "file://localhost/etc/hostname",
    "http://127.0.0.1:9/me.png", "https://example.com/me.png", "//example.com/me.png",
    "data:image/png;base64,iVBORw0KGgo=", "C:\\me.png", "..\\outside\\secret.png",
    "\\\\server\\share\\me.png", "me.png\x00.txt", "\x00", "me.png\n", " me.png ",
    "%2e%2e/outside/secret.png", "me%2Epng", "ME.PNG", "me.PNG", "me.png\u200b",
    "\u202egnp.em", "me.png\ufeff", "mytheme", "./mytheme", "sub/mytheme", "classic",
    "./classic", "modern", "theme", "../outside/theme", "outdir/theme", "outdir/mytheme",
    "classic/../modern", "/classic", "nonexistent", "", " ",
)
_CHARS = st.characters(codec="utf-8", exclude_categories=("Cs",))
segment = st.one_of(
    st.sampled_from(["..", ".", "", "me.png", "sub", "outdir", "out.png", "loop.png",
                     "mytheme", "classic", "theme", "secret.png", "outside", "dir.png", "~",
                     "%2e%2e", "\x00", "😀", "a" * 255, "a" * 256, "b" * 300]),
    st.text(_CHARS, min_size=1, max_size=12),
    st.integers(200, 5000).map(lambda n: "x" * n),
)


@st.composite
def built_path(draw: st.DrawFn) -> str:
    """A path put together from parts: maybe absolute, maybe a URL, maybe too long."""
    parts = draw(st.lists(segment, min_size=1, max_size=6))
    if draw(st.integers(0, 4)) == 0:  # deep: past PATH_MAX in short steps
        parts = [draw(st.sampled_from(["..", "sub", "a" * 200, "."]))] * draw(
            st.integers(20, 2100)) + parts
    path = "/".join(parts)
    prefix = draw(st.sampled_from(["", "", "", "/", "./", "../", "file:", "file://",
                                   "file:///", "http://127.0.0.1:9/", "outdir/", "sub/../"]))
    return prefix + path


path_value = st.one_of(st.sampled_from(FIXED), built_path())


# --- documents ---------------------------------------------------------------------------

@st.composite
def native(draw: st.DrawFn) -> tuple[str, dict[str, Any], str | None]:
    """A resumec document naming paths: a photo, profiles' themes, and ``--theme``."""
    doc: dict[str, Any] = {"name": "A", "experience": [
        {"employer": "E", "title": "T", "start": 2020}]}
    if draw(st.booleans()):
        doc["photo"] = draw(path_value)
    if draw(st.booleans()):
        doc["profiles"] = {"p": {"theme": draw(path_value)},
                           "q": {"extends": "p", **({"theme": draw(path_value)}
                                                    if draw(st.booleans()) else {})}}
    cli = draw(path_value) if draw(st.integers(0, 2)) == 0 else None
    return "native", doc, cli


@st.composite
def foreign(draw: st.DrawFn) -> tuple[str, dict[str, Any], str | None]:
    """A JSON Resume, RenderCV or FRESH document whose photo is a path value."""
    kind = draw(st.sampled_from(["jsonresume", "jsonresume-legacy", "rendercv", "fresh"]))
    image = draw(path_value)
    doc: dict[str, Any]
    if kind == "jsonresume":
        doc = {"basics": {"name": "A", "image": image}}
        if draw(st.booleans()):
            doc["x-resumec"] = {"lang": "en"}
    elif kind == "jsonresume-legacy":
        doc = {"basics": {"name": "A", "picture": image}, "work": []}
    elif kind == "rendercv":
        doc = {"cv": {"name": "A", "photo": image, "sections": {"about": ["Hi."]}}}
    else:
        doc = {"name": "A", "meta": {"format": "FRESH@1.0.0"}, "info": {"image": image}}
    cli = draw(path_value) if draw(st.integers(0, 3)) == 0 else None
    return kind, doc, cli


FORMATS = ("pdf", "html", "md", "txt", "json", "docx")


def expected_theme(world: World, named: str | None) -> Path:
    """The folder of the theme a profile names, as validation looks it up: a folder from
    the résumé's, else a built-in theme; with none named, the built-in default."""
    folder = world.folder / named if named else None
    if folder is not None and is_file(folder / MANIFEST):
        return folder.resolve()
    return (builtin_dir() / (named or "classic")).resolve()


def check(world: World, doc: dict[str, Any], cli_theme: str | None, suffix: str) -> None:
    """Load and render ``doc`` from ``world.folder``: a résumé or located errors; outputs
    or a user error; no file opened outside but a theme's the résumé names by its path
    from its folder (``../outside/theme``), or ``cli_theme``'s (the command line's, a
    path from the working folder)."""
    path = world.folder / f"resume{suffix}"
    text = json.dumps(doc, ensure_ascii=False)
    if suffix == ".json":
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
    else:  # JSON is YAML, but a NUL must be written as an escape there too
        path.write_text(json.dumps(doc), encoding="utf-8")
    themes: tuple[Path, ...] = (world.outside / "theme",)
    with time_limit(20), watched(world) as opened:
        try:
            resume = load_resume(path, path.name)
        except ResumecError as exc:
            check_error(exc)
            note("load: user error", exc)
            opened_now = list(opened)
            resume = None
        if resume is not None:
            assert isinstance(resume, Resume)
            note("load: résumé")
            profiles = (None, *resume.profiles)
            try:
                todo = tasks(resume, path, Options(formats=FORMATS, theme=cli_theme,
                                                   profiles=profiles))
                for t in todo:
                    if not cli_theme:  # what validation found is what renders
                        named = resolve_profile(resume, t.profile).theme if t.profile else None
                        assert t.job.theme.dirs[0] == expected_theme(world, named), named
                    themes += t.job.theme.dirs  # a theme named by its folder may be anywhere
                outputs = run(todo, workers=1)
            except ResumecError as exc:
                check_error(exc)
                note("render: user error", exc)
            else:
                assert {o.format for o in outputs} == set(FORMATS)
                note("render: outputs")
            opened_now = list(opened)
    outside = [p for p in opened_now if not _inside(p, world, themes)]
    assert not outside, f"opened outside the résumé's folder: {outside[:3]}"


@fuzz(40)
@given(case=native())
def test_native_path_values(world: World, case: tuple[str, dict[str, Any], str | None]) -> None:
    _kind, doc, cli = case
    check(world, doc, cli, ".yaml")


@fuzz(25)
@given(case=foreign())
def test_imported_photo_paths(world: World, case: tuple[str, dict[str, Any], str | None]
                              ) -> None:
    kind, doc, cli = case
    note(kind)
    check(world, doc, cli, ".json" if kind.startswith("jsonresume") else ".yaml")


# Regression cases found by fuzzing, kept forever: (id, document, --theme).
REGRESSIONS: list[tuple[str, dict[str, Any], str | None]] = [
    ("photo-too-long", {"name": "A", "photo": "a" * 300}, None),
    ("theme-too-long", {"name": "A", "profiles": {"p": {"theme": "a" * 300}}}, None),
    ("cli-theme-too-long", {"name": "A"}, "a" * 300),
    ("cli-theme-path-too-long", {"name": "A"}, "./" + "a/" * 3000),
    ("json-resume-image-too-long", {"basics": {"name": "A", "image": "a" * 300}}, None),
    # A photo that is a loop of symbolic links: Path.resolve raised RuntimeError.
    ("photo-a-loop-of-links", {"name": "A", "photo": "loop.png"}, None),
    ("photo-a-loop-of-two-links", {"name": "A", "photo": "loop-a.png"}, None),
    # A profile's theme folder was looked for in the working folder (which holds a decoy
    # of the same name), not in the résumé's, where validation had found it.
    ("profile-theme-folder-next-to-the-resume",
     {"name": "A", "profiles": {"p": {"theme": "mytheme"}}}, None),
    # No theme named: a folder "classic" in the working folder replaced the built-in one.
    ("default-theme-is-the-built-in-one", {"name": "A"}, None),
]


@pytest.mark.parametrize(("case", "doc", "cli"), REGRESSIONS, ids=[c for c, _, _ in REGRESSIONS])
def test_regressions(world: World, case: str, doc: dict[str, Any], cli: str | None) -> None:
    check(world, doc, cli, ".json" if "basics" in doc else ".yaml")


def test_the_world_is_as_described(world: World) -> None:
    """The fixture the fuzzer relies on: links out and loops where it says."""
    assert (world.folder / "out.png").resolve() == (world.outside / "secret.png").resolve()
    assert (world.folder / "in.png").resolve().parent == world.folder.resolve()
    assert not (world.folder / "loop.png").exists()
