"""The wheel ships the built-in themes, and an editable install finds them in the checkout."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

from resumec.themes import builtin_dir, builtin_names
from tests.conftest import ROOT


def test_an_editable_install_finds_the_checkouts_themes() -> None:
    assert builtin_dir() == ROOT / "themes"
    assert {"classic", "modern", "compact", "sidebar"} <= set(builtin_names())
    assert "_base" not in builtin_names()  # shared templates, not a theme


def test_the_wheel_ships_every_theme_file(tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "hatchling", "build", "-t", "wheel", "-d",
                           str(tmp_path)], cwd=ROOT, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    [wheel] = tmp_path.glob("resumec-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {f"resumec/themes/{p.relative_to(ROOT / 'themes').as_posix()}"
                for p in (ROOT / "themes").rglob("*") if p.is_file()}
    assert expected and expected <= names
    assert "resumec/cli.py" in names and "resumec/themes/classic/theme.yaml" in names
    entry = next(n for n in names if n.endswith("entry_points.txt"))
    assert "resumec = resumec.__main__:main" in zipfile.ZipFile(wheel).read(entry).decode()


def test_an_installed_wheel_finds_its_packaged_themes(tmp_path: Path) -> None:
    subprocess.run([sys.executable, "-m", "hatchling", "build", "-t", "wheel", "-d",
                    str(tmp_path)], cwd=ROOT, capture_output=True, check=True)
    [wheel] = tmp_path.glob("resumec-*.whl")
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    code = ("import resumec.themes as t; print(t.builtin_dir()); "
            "print(t.load_theme('sidebar').dirs[0]); "
            "from resumec.schema.compiled import resume_validator as v; print(v() is not None)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=False, cwd=tmp_path, env={"PYTHONPATH": str(site),
                                                          "PATH": "/usr/bin:/bin"})
    assert proc.returncode == 0, proc.stderr
    root, sidebar, compiled = proc.stdout.split()
    assert compiled == "True"  # the compiled schema ships, and its fingerprint holds
    assert Path(root) == site / "resumec" / "themes"
    assert Path(sidebar).is_relative_to(site)
