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


JSON_RESUME = '{"basics": {"name": "Ada Lovelace"}}'


@pytest.mark.parametrize("command", ["import", "new"])
def test_new_files_are_never_written_through_a_link(run_cli: Run, tmp_path: Path,
                                                    command: str) -> None:
    """``import`` and ``new`` write the résumé and the schema beside it: a link already
    there, even to nothing, is left alone (it was followed, writing outside the folder)."""
    src = tmp_path / "cv.json"
    src.write_text(JSON_RESUME, encoding="utf-8")
    folder = tmp_path / "cv"
    folder.mkdir()
    (folder / "resume.schema.json").symlink_to(tmp_path / "escaped.json")
    (folder / "taken.yaml").symlink_to(tmp_path / "escaped.yaml")
    args = ["import", src, "-o"] if command == "import" else ["new"]
    proc = run_cli(*args, folder / "taken.yaml")
    assert proc.returncode == 1
    assert proc.stderr.splitlines()[-1] == f"{folder / 'taken.yaml'}: already exists; " \
                                           "not overwriting it"
    proc = run_cli(*args, folder / "ok.yaml")
    assert proc.returncode == 0, proc.stderr
    assert (folder / "ok.yaml").read_text(encoding="utf-8").startswith("# yaml-language-server")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cv", "cv.json"]
    assert sorted(p.name for p in folder.iterdir()) == ["ok.yaml", "resume.schema.json",
                                                        "taken.yaml"]


def test_a_schema_that_cannot_be_written_is_a_warning(run_cli: Run, tmp_path: Path) -> None:
    src = tmp_path / "cv.json"
    src.write_text(JSON_RESUME, encoding="utf-8")
    (tmp_path / "resume.schema.json").mkdir()  # taken by a folder: left alone, silently
    proc = run_cli("import", src, "-o", tmp_path / "ok.yaml")
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr and "warning" not in proc.stderr
    assert (tmp_path / "resume.schema.json").is_dir()
