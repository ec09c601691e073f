"""Fuzzing theme folders: a hostile or broken ``--theme ./folder`` renders, or fails with a
user error — never a traceback, a hang or a file read outside its folders.

A theme is put together from parts: a ``theme.yaml`` with wrong types, unknown keys, huge,
negative and NaN numbers, control characters in names, ``extends:`` loops, chains,
missing parents and paths that leave the folder; templates with syntax errors, undefined
names, ``include``/``import``/``extends`` of files outside the theme folders, endless
recursion and huge loops and values; CSS with ``url()``, ``@import`` and ``@font-face``
naming ``file:``, ``http:``, absolute and ``..`` paths; font files that are not fonts or are
cut short; files that are symbolic links out of the folder, or not UTF-8.

Each renders in every format with a Python audit hook recording every file opened and
every connection tried, from a working folder (``outside``) holding the secrets the theme
names: nothing in it may be opened, nothing may connect.

Set ``RESUMEC_FUZZ_SCALE`` (e.g. 20) to run many more examples than CI does.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from resumec.errors import ResumecError
from resumec.loader import load_resume
from resumec.render import Options, run, tasks
from tests.fuzz.fuzzkit import check_error, fuzz, note, time_limit

FORMATS = ("pdf", "html", "docx", "md", "txt", "json")
CHEAP = ("html", "docx", "md", "txt", "json")
RESUME = "name: Ada\nheadline: Analyst\nexperience: [{employer: E, title: T, start: 2020}]\n"

# --- what was opened ---------------------------------------------------------------------

_SEEN: dict[str, list[str]] | None = None


def _audit(name: str, args: tuple[Any, ...]) -> None:
    if _SEEN is None:
        return
    if name == "open" and isinstance(args[0], str | bytes | Path):
        path = args[0]
        _SEEN["opened"].append(os.fsdecode(path) if isinstance(path, bytes) else str(path))
    elif name in ("socket.connect", "socket.getaddrinfo", "urllib.Request"):
        _SEEN["connected"].append(f"{name} {args!r:.200}")


sys.addaudithook(_audit)


@contextmanager
def watched(cwd: Path) -> Iterator[dict[str, list[str]]]:
    """Record files opened and connections tried inside, from the working folder ``cwd``."""
    global _SEEN
    seen: dict[str, list[str]] = {"opened": [], "connected": []}
    old = os.getcwd()
    os.chdir(cwd)
    _SEEN = seen
    try:
        yield seen
    finally:
        _SEEN = None
        os.chdir(old)


def opened_outside(opened: list[str], outside: Path) -> list[str]:
    """The paths opened (relative ones from ``outside``) that lead into ``outside``."""
    bad = []
    for path in opened:
        try:
            real = (outside / path).resolve()
        except (OSError, RuntimeError, ValueError):
            continue
        if real.is_relative_to(outside.resolve()):
            bad.append(path)
    return bad


# --- the world: a résumé, secrets outside, and a folder for the theme -----------------

@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("themes")
    outside, cv = root / "outside", root / "cv"
    outside.mkdir()
    cv.mkdir()
    (cv / "resume.yaml").write_text(RESUME, encoding="utf-8")
    (outside / "secret.css").write_text("body { color: red }", encoding="utf-8")
    (outside / "secret.html.j2").write_text("SECRET {{ doc.name }}", encoding="utf-8")
    (outside / "secret.ttf").write_bytes(b"\x00\x01\x00\x00SECRET")
    # No theme.yaml in it: a theme extending ../outside names no theme (a theme it does
    # name, anywhere, is one of the theme's folders).
    (outside / "secret.yaml").write_text("name: secret\ndescription: s\n", encoding="utf-8")
    (outside / "templates").mkdir()
    (outside / "templates" / "resume.html.j2").write_text("SECRET", encoding="utf-8")
    return root


# --- parts of a theme --------------------------------------------------------------------

REFS = ("../outside/secret.css", "../../outside/secret.css", "/OUTSIDE/secret.css",
        "file:///OUTSIDE/secret.css", "file://localhost/OUTSIDE/secret.css",
        "http://127.0.0.1:9/x.css", "https://example.com/x.css", "//example.com/x.css",
        "/etc/passwd", "file:///etc/passwd", "../outside/secret.ttf", "/OUTSIDE/secret.ttf",
        "out.css", "f.ttf", "data:text/css,body{color:red}", "")
NUMBERS: tuple[Any, ...] = (0, -1, -0.0, 1e-300, 1e308, float("inf"), float("-inf"),
                            float("nan"), 10**40, 96, 96.0001, 60, 2, 0.75, True, None, "10",
                            "x", [], {})
TEXTS: tuple[Any, ...] = ("", "a\x00b", "\x1b[31m", "\ufffe", "x" * 5000, "Lato\n", '"; }',
                          "<w:b/>", "{{ 7*7 }}", 5, None, [], {"a": 1})
TOKEN_PATHS = (("sizes", "body"), ("sizes", "name"), ("spacing", "line_height"),
               ("spacing", "section"), ("page", "margin_top"), ("page", "size"),
               ("page", "page_numbers"), ("headings", "letter_spacing"), ("colors", "text"),
               ("fonts", "body"), ("fonts", "heading"), ("fonts", "fallback"),
               ("docx_fonts", "body"), ("docx_fonts", "heading"), ("docx_fonts", "fallback"),
               ("dates", "present"), ("dates", "separator"), ("dates", "style"),
               ("titles", "experience"), ("section_order",), ("density",), ("layout",),
               ("nonsense",), ("sizes", "nonsense"))
EXTENDS = ("classic", "modern", "sidebar", "compact", "nope", "", ".", "..", "../outside",
           "../../outside", "/OUTSIDE", "../parent", "../loop-a", "/", "_base", "a" * 300,
           "classic/../modern", "\x00")
TEMPLATES = (
    "{% extends 'classic/resume.html.j2' %}",
    "{% extends 'classic/resume.html.j2' %}{% block masthead %}{{ nope }}{% endblock %}",
    "{% if %}", "{{ }", "{{ nope }}", "{{ doc.nope.x }}", "{{ 1/0 }}", "{{ doc.name(1) }}",
    "{% include '/OUTSIDE/secret.html.j2' %}", "{% include '../../outside/secret.html.j2' %}",
    "{% import '../outside/secret.html.j2' as s %}", "{% include 'outside/secret.html.j2' %}",
    "{% include 'theme.yaml' %}", "{% extends 'resume.html.j2' %}",
    "{% include 'resume.html.j2' %}", "{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}",
    "{% for x in [[1]] recursive %}{{ loop([[x]]) }}{% endfor %}",
    "{% for i in range(10**9) %}x{% endfor %}", "{{ 'a' * 10**10 }}", "{{ [0] * 10**12 }}",
    "{{ 9**9**9 }}", "{{ (10**5000)|string }}", "{{ 'a b'|wordwrap(0) }}",
    "{{ ''.__class__.__mro__ }}", "{{ cycler.__init__.__globals__ }}",
    "{% if 1 %}" * 3000 + "{% endif %}" * 3000, "{{ " + "(" * 3000 + "1" + ")" * 3000 + " }}",
    "{% set ns = namespace(a='ab') %}{% for i in range(60) %}{% set ns.a = ns.a ~ ns.a %}"
    "{% endfor %}", "", "\x00", "<html>{{ doc.name }}</html>",
)
CSS = (
    "@import url({r});", "@import '{r}';", "body {{ background: url({r}) }}",
    "@font-face {{ font-family: Z; src: url({r}) }} body {{ font-family: Z }}",
    "@page {{ size: 1e9mm 1e9mm; margin: -5mm }}", "@page {{ size: 0 0 }}",
    "body {{ font-size: 1e308pt; columns: 100000 }}", "}}}}{{{{ @media {{", "",
    "img {{ content: url({r}) }}",
)
FONT_BYTES = (b"", b"not a font", b"\x00\x01\x00\x00", b"wOFF" + b"\x00" * 40, b"OTTO" * 3,
              bytes(range(256)) * 20, b"\x89PNG\r\n\x1a\n")


@st.composite
def theme_spec(draw: st.DrawFn) -> dict[str, Any]:
    """What to put in a theme folder: a manifest, files, links out."""
    manifest: dict[str, Any] = {"name": "fuzz", "description": "A fuzzed theme."}
    if draw(st.integers(0, 5)):
        manifest["extends"] = draw(st.sampled_from(EXTENDS)) if draw(st.booleans()) \
            else "classic"
    tokens: dict[str, Any] = {}
    for path in draw(st.lists(st.sampled_from(TOKEN_PATHS), max_size=3)
                     if draw(st.integers(0, 2)) == 0 else st.just([])):
        value = draw(st.sampled_from(NUMBERS + TEXTS))
        at = tokens
        for key in path[:-1]:
            at = at.setdefault(key, {}) if isinstance(at.get(key, {}), dict) else {}
        at[path[-1]] = value
    if tokens:
        manifest["tokens"] = tokens
    if draw(st.integers(0, 3)) == 0:
        manifest["fonts"] = [{"family": draw(st.sampled_from((*TEXTS[:8], "F"))),
                              "files": [{"path": draw(st.sampled_from(REFS[10:14])),
                                         "weight": draw(st.sampled_from(["400", "100 900",
                                                                         "bold", "x 9"]))}]}]
    if draw(st.integers(0, 6)) == 0:
        manifest[draw(st.sampled_from(["formats", "nonsense", "name"]))] = draw(
            st.sampled_from(NUMBERS[:6] + TEXTS[:4] + (["pdf", "zzz"], [])))
    files: dict[str, bytes] = {}
    if draw(st.booleans()):
        files["templates/resume.html.j2"] = draw(st.sampled_from(TEMPLATES)).encode()
    if draw(st.booleans()):
        rules = draw(st.lists(st.sampled_from(CSS), min_size=1, max_size=3))
        files[draw(st.sampled_from(["theme.css", "web.css"]))] = "\n".join(
            r.format(r=draw(st.sampled_from(REFS))) for r in rules).encode()
    if draw(st.integers(0, 3)) == 0:
        files["f.ttf"] = draw(st.sampled_from(FONT_BYTES))
    if draw(st.integers(0, 5)) == 0:
        files[draw(st.sampled_from(["theme.css", "templates/resume.html.j2"]))] = b"\xff\xfe"
    links = draw(st.lists(st.sampled_from(["theme.css", "templates/resume.html.j2", "f.ttf",
                                           "web.css", "templates/base.html.j2"]),
                          max_size=2, unique=True))
    raw = None
    if draw(st.integers(0, 8)) == 0:
        raw = draw(st.sampled_from(["", "- a\n", "42\n", "name: [\n", "\xff", "a: &a [1]\n"]))
    return {"manifest": manifest, "files": files, "links": links, "raw": raw}


def build_theme(root: Path, spec: dict[str, Any]) -> Path:
    """Write ``spec`` to ``root/theme`` (and the extra themes its extends: names)."""
    outside = root / "outside"
    folder = root / "theme"
    shutil.rmtree(folder, ignore_errors=True)
    for extra in ("parent", "loop-a"):
        shutil.rmtree(root / extra, ignore_errors=True)
    folder.mkdir()

    def fill(text: str) -> str:
        return text.replace("/OUTSIDE", str(outside))

    manifest = spec["manifest"]
    if spec["raw"] is not None:
        (folder / "theme.yaml").write_bytes(spec["raw"].encode("utf-8", "surrogateescape"))
    else:
        (folder / "theme.yaml").write_text(fill(yaml.safe_dump(manifest, allow_unicode=True)),
                                           encoding="utf-8")
    for name, data in spec["files"].items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(fill(data.decode("utf-8", "surrogateescape")).encode(
            "utf-8", "surrogateescape"))
    secret = {"theme.css": "secret.css", "web.css": "secret.css", "f.ttf": "secret.ttf",
              "theme.yaml": "secret.yaml"}
    for name in spec["links"]:
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.unlink(missing_ok=True)
        path.symlink_to(outside / secret.get(name, "secret.html.j2"))
    # A chain to a built-in theme, and a loop, for extends: to name.
    (root / "parent").mkdir()
    (root / "parent" / "theme.yaml").write_text("name: parent\ndescription: p\n"
                                                "extends: classic\n", encoding="utf-8")
    (root / "loop-a").mkdir()
    (root / "loop-a" / "theme.yaml").write_text("name: a\ndescription: a\n"
                                                "extends: ../theme\n", encoding="utf-8")
    return folder


def fresh() -> None:
    """Forget loaded themes and template environments: the theme folder's files change
    under the same paths from one example to the next."""
    from resumec import themes
    from resumec.backends import htmlkit

    themes._load.cache_clear()
    htmlkit.environment.cache_clear()


def check(root: Path, spec: dict[str, Any], formats: tuple[str, ...] = CHEAP) -> None:
    """Render the résumé with the theme ``spec``: outputs or a user error, and nothing
    opened in ``outside``, no connection tried."""
    fresh()
    folder = build_theme(root, spec)
    source = root / "cv" / "resume.yaml"
    warnings: list[str] = []
    with time_limit(30), watched(root / "outside") as seen:
        try:
            resume = load_resume(source, source.name)
            todo = tasks(resume, source, Options(formats=formats, theme=str(folder)),
                         warn=warnings.append)
            outputs = run(todo, workers=1)
        except ResumecError as exc:
            check_error(exc)
            note("user error", exc)
            if os.environ.get("RESUMEC_FUZZ_SHOW"):
                print("ERR", str(exc.issues[0])[:160])
        else:
            assert {o.format for o in outputs} == set(formats)
            note("rendered")
    assert not opened_outside(seen["opened"], root / "outside"), seen["opened"]
    assert not seen["connected"], seen["connected"]


@fuzz(25)
@given(spec=theme_spec())
def test_hostile_theme_folders(root: Path, spec: dict[str, Any]) -> None:
    check(root, spec)


@fuzz(4)
@given(spec=theme_spec())
def test_hostile_theme_folders_as_pdf(root: Path, spec: dict[str, Any]) -> None:
    check(root, spec, ("pdf",))


def _spec(manifest: dict[str, Any] | None = None, files: dict[str, str] | None = None,
          links: tuple[str, ...] = ()) -> dict[str, Any]:
    return {"manifest": {"name": "fuzz", "description": "d", "extends": "classic",
                         **(manifest or {})},
            "files": {k: v.encode() for k, v in (files or {}).items()},
            "links": list(links), "raw": None}


T = "templates/resume.html.j2"
# Regression cases, kept forever: (id, theme, formats).
REGRESSIONS: list[tuple[str, dict[str, Any], tuple[str, ...]]] = [
    # A template that recursed, divided by zero or called text: RecursionError,
    # ZeroDivisionError, TypeError with a traceback.
    ("template-extends-itself", _spec(files={T: "{% extends 'resume.html.j2' %}"}), CHEAP),
    ("template-includes-itself", _spec(files={T: "{% include 'resume.html.j2' %}"}), CHEAP),
    ("template-macro-recursion",
     _spec(files={T: "{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}"}), CHEAP),
    ("template-nested-too-deeply",
     _spec(files={T: "{% if 1 %}" * 3000 + "{% endif %}" * 3000}), CHEAP),
    ("template-divides-by-zero", _spec(files={T: "{{ 1/0 }}"}), CHEAP),
    ("template-calls-text", _spec(files={T: "{{ doc.name(1) }}"}), CHEAP),
    ("template-range-too-big", _spec(files={T: "{% for i in range(10**9) %}{% endfor %}"}),
     CHEAP),
    # Ten gigabytes asked for by one '*': a MemoryError, or the process killed.
    ("template-repeats-text-too-often", _spec(files={T: "{{ 'a' * 10**10 }}"}), CHEAP),
    ("template-repeats-a-list-too-often", _spec(files={T: "{% set n = 10**10 %}{{ [1] * n }}"}),
     CHEAP),
    # A theme's file that is a link out of its folder was read: the CSS, a template, the
    # manifest (fonts were already refused so).
    ("css-a-link-out", _spec(links=("theme.css",)), ("pdf",)),
    ("web-css-a-link-out", _spec(links=("web.css",)), ("html",)),
    ("template-a-link-out", _spec(links=("templates/resume.html.j2",)), CHEAP),
    ("included-template-a-link-out",
     _spec(files={T: "{% include 'base.html.j2' %}"}, links=("templates/base.html.j2",)),
     CHEAP),
    ("manifest-a-link-out", {**_spec(), "links": ["theme.yaml"]}, ("md",)),
    # A Word font's name with a control character: lxml's ValueError while writing the DOCX.
    ("docx-font-name-with-nul", _spec({"tokens": {"docx_fonts": {"body": "Cambria\x00"}}}),
     ("docx",)),
    ("docx-font-name-with-a-noncharacter",
     _spec({"tokens": {"docx_fonts": {"heading": "a\ufffe"}}}), ("docx",)),
    # Not UTF-8: UnicodeDecodeError from the template loader and from reading the CSS.
    ("template-not-utf8", {**_spec(), "files": {T: b"\xff\xfe"}}, CHEAP),
    ("css-not-utf8", {**_spec(), "files": {"theme.css": b"\xff\xfe"}}, ("pdf",)),
    ("web-css-not-utf8", {**_spec(), "files": {"web.css": b"body{}\xff"}}, ("html",)),
]


@pytest.mark.parametrize(("case", "spec", "formats"), REGRESSIONS,
                         ids=[c for c, _, _ in REGRESSIONS])
def test_regressions(root: Path, case: str, spec: dict[str, Any], formats: tuple[str, ...]
                     ) -> None:
    check(root, spec, formats)


def test_a_template_error_names_the_users_template_and_line(root: Path) -> None:
    fresh()
    folder = build_theme(root, _spec(files={T: "line one\n{{ 1/0 }}"}))
    source = root / "cv" / "resume.yaml"
    with pytest.raises(ResumecError) as caught:
        run(tasks(load_resume(source), source, Options(formats=("html",), theme=str(folder))),
            workers=1)
    message = str(caught.value.issues[0])
    assert "resume.html.j2 (line 2)" in message and "division by zero" in message, message
