"""Compiled theme templates, kept across processes in the per-user cache.

A template compiled in an earlier process must be reused, and give the same page; an
edited template — a user's theme — must be compiled again in the next process; a damaged
entry must be compiled again; differently configured environments must not share code.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import CodeType

import pytest
from jinja2 import Environment
from jinja2.sandbox import SandboxedEnvironment
from pdf_helpers import DEMO, USER_THEMES, make_job

from resumec import cache
from resumec.backends import htmlkit
from resumec.backends.htmlkit import compile_salt, environment, render_html
from resumec.cache import seal


@pytest.fixture
def cache_dir(cache_dir: Path) -> Iterator[Path]:
    """A cache folder of the test's own, and no environment (nor template) in memory."""
    environment.cache_clear()
    yield cache_dir
    environment.cache_clear()


class _Compiles:
    """Counts the templates Jinja compiles from source."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.names: list[str | None] = []
        real = SandboxedEnvironment.compile

        def compile_(env: SandboxedEnvironment, source: str, name: str | None = None,
                     filename: str | None = None) -> CodeType:
            self.names.append(name)
            return real(env, source, name, filename)

        monkeypatch.setattr(SandboxedEnvironment, "compile", compile_)


def _entries(cache_dir: Path) -> list[Path]:
    folder = cache_dir / "templates"
    return sorted(folder.iterdir()) if folder.is_dir() else []


def test_compiled_templates_are_reused(cache_dir: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    job = make_job(DEMO, "classic", [])
    compiles = _Compiles(monkeypatch)
    cold = render_html(job, "pdf")
    assert sorted(map(str, compiles.names)) == ["base.html.j2", "macros.html.j2",
                                                "resume.html.j2"]
    assert len(_entries(cache_dir)) == 3
    environment.cache_clear()  # as a new process would start
    compiles.names.clear()
    assert render_html(job, "pdf") == cold
    assert compiles.names == []


def test_with_the_cache_off_templates_are_compiled(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RESUMEC_CACHE_DIR", "")
    monkeypatch.chdir(tmp_path)
    cache.folder.cache_clear()
    environment.cache_clear()
    try:
        job = make_job(DEMO, "classic", [])
        compiles = _Compiles(monkeypatch)
        html = render_html(job, "web")
        assert 'class="masthead"' in html
        assert len(compiles.names) == 3
        assert list(tmp_path.iterdir()) == []
    finally:
        cache.folder.cache_clear()
        environment.cache_clear()


@pytest.mark.parametrize("damage", ["flip", "garbage", "sealed garbage", "sealed pickle"])
def test_a_damaged_entry_is_compiled_again(cache_dir: Path, damage: str,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    job = make_job(DEMO, "classic", [])
    good = render_html(job, "pdf")
    entries = _entries(cache_dir)
    from jinja2.bccache import bc_magic

    for entry in entries:
        raw = bytearray(entry.read_bytes())
        if damage == "flip":
            raw[len(raw) // 2] ^= 0x40
        elif damage == "garbage":
            raw[:] = os.urandom(200)
        elif damage == "sealed garbage":  # passes the seal; Jinja's own check refuses it
            raw[:] = seal(os.urandom(200))
        else:  # passes the seal and Jinja's magic; the checksum is not a pickle
            raw[:] = seal(bc_magic + b"\x80\x05not a pickle")
        entry.write_bytes(bytes(raw))
    environment.cache_clear()
    compiles = _Compiles(monkeypatch)
    assert render_html(job, "pdf") == good
    assert len(compiles.names) == 3


def test_differently_configured_environments_do_not_share_code() -> None:
    dirs = htmlkit.template_dirs(make_job(DEMO, "classic", []).theme)
    ours = environment(dirs)
    salt = compile_salt(ours)
    assert salt is not None and salt == compile_salt(ours)
    unsandboxed = ours.overlay()
    unsandboxed.__class__ = Environment  # compiles operators without the sandbox's checks
    assert compile_salt(unsandboxed) != salt
    assert compile_salt(ours.overlay(trim_blocks=False)) != salt
    assert compile_salt(ours.overlay(autoescape=False)) != salt
    renamed = ours.overlay()
    renamed.filters = {**ours.filters, "md": htmlkit.safe_href}
    renamed.filters["extra"] = str
    assert compile_salt(renamed) != salt


def test_without_a_stamp_of_the_filters_code_nothing_is_cached(
        cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(htmlkit, "file_stamp", lambda path: None)
    job = make_job(DEMO, "classic", [])
    assert environment(htmlkit.template_dirs(job.theme)).bytecode_cache is None
    render_html(job, "pdf")
    assert _entries(cache_dir) == []


@pytest.mark.slow
def test_an_edited_user_template_is_compiled_again_in_a_new_process(
        tmp_path: Path) -> None:
    theme = Path(shutil.copytree(USER_THEMES / "acme-layout", tmp_path / "acme-layout"))
    template = theme / "templates" / "resume.html.j2"
    out = tmp_path / "out"
    env = {**os.environ, "RESUMEC_CACHE_DIR": str(tmp_path / "cache"),
           "PYTHONIOENCODING": "utf-8"}

    def render() -> str:
        subprocess.run([sys.executable, "-m", "resumec", "render", str(DEMO), "-f", "html",
                        "-t", str(theme), "-o", str(out)], check=True, env=env,
                       capture_output=True, timeout=300)
        return (out / "resume.html").read_text(encoding="utf-8")

    assert "Layout override by acme-layout" in render()
    entries = _entries(tmp_path / "cache")
    assert len(entries) >= 4  # the theme's template, classic's, base and macros
    # The same size and modification time: only the source itself tells the edit apart.
    st = template.stat()
    text = template.read_text(encoding="utf-8")
    template.write_text(text.replace("by acme-layout", "by ACME-EDITED"), encoding="utf-8")
    os.utime(template, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert template.stat().st_size == st.st_size
    html = render()
    assert "Layout override by ACME-EDITED" in html
    assert "by acme-layout" not in html
    # The edited template's code replaced its entry: the key names the file, not the text.
    assert len(_entries(tmp_path / "cache")) == len(entries)


@pytest.mark.skipif(not hasattr(os, "geteuid"), reason="POSIX permissions")
def test_a_folder_others_can_write_is_not_read(cache_dir: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    job = make_job(DEMO, "classic", [])
    render_html(job, "pdf")
    assert len(_entries(cache_dir)) == 3
    (cache_dir / "templates").chmod(0o770)  # code others could have put there is not run
    environment.cache_clear()
    compiles = _Compiles(monkeypatch)
    try:
        render_html(job, "pdf")
    finally:
        (cache_dir / "templates").chmod(0o700)
    assert len(compiles.names) == 3
