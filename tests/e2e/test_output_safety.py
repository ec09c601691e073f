"""Outputs are written safely: atomically, inside the output folder, or not at all."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from resumec.backends.docx import DocxBackend
from resumec.errors import ResumecError
from resumec.render import Options, render_file

Run = Callable[..., subprocess.CompletedProcess[str]]
SOURCE = "name: Ada Lovelace\nheadline: Analyst\n"


def test_a_profile_name_cannot_leave_the_output_folder(run_cli: Run, tmp_path: Path) -> None:
    src = tmp_path / "cv.yaml"
    src.write_text(SOURCE + 'profiles:\n  "../../escape": {description: x}\n', encoding="utf-8")
    proc = run_cli("render", src, "--all-profiles", "-f", "txt", "-o", tmp_path / "out")
    assert proc.returncode == 1
    assert "cv.yaml:4:3: profiles.../../escape: profile name '../../escape' names output " \
           "files" in proc.stderr
    assert not list(tmp_path.rglob("*.txt"))


def test_an_unwritable_output_folder_is_a_clean_error(run_cli: Run, tmp_path: Path) -> None:
    src = tmp_path / "cv.yaml"
    src.write_text(SOURCE, encoding="utf-8")
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    proc = run_cli("render", src, "-f", "txt", "-o", blocker / "out")
    assert proc.returncode == 1
    assert proc.stderr.startswith(f"cannot write {blocker / 'out' / 'cv.txt'}:")
    assert "Traceback" not in proc.stderr


def test_a_failing_backend_leaves_earlier_outputs_byte_for_byte(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    src = tmp_path / "cv.yaml"
    src.write_text(SOURCE, encoding="utf-8")
    opts = Options(formats=("txt", "md", "docx"), out_dir=tmp_path / "out")
    render_file(src, opts)
    before = {p.name: p.read_bytes() for p in (tmp_path / "out").iterdir()}
    src.write_text(SOURCE.replace("Analyst", "Engine programmer"), encoding="utf-8")

    def explode(self: DocxBackend, job: object) -> bytes:
        raise ResumecError("docx failed half-way")

    monkeypatch.setattr(DocxBackend, "render", explode)
    with pytest.raises(ResumecError):
        render_file(src, opts)
    after = {p.name: p.read_bytes() for p in (tmp_path / "out").iterdir()}
    assert after == before  # no file changed, no temporary file left behind
