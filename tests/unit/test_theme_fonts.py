"""Theme fonts from installed fontpkg packages, found without fontpkg's registry."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import fontpkg
import pytest

from resumec.errors import ResumecError
from resumec.themes import _fontpkg_faces, _package_faces, load_theme


@pytest.mark.parametrize("slug", sorted(fontpkg.families()))
def test_read_straight_from_the_package_as_fontpkg_reads_it(slug: str) -> None:
    family = fontpkg.families()[slug].name
    faces = _package_faces(family, slug)
    assert faces is not None
    assert faces == _fontpkg_faces(family, slug, Path("."))
    assert all(face.path.is_file() for face in faces)


def test_a_family_is_named_loosely_as_fontpkg_allows() -> None:
    assert _package_faces("Lato", "Lato") == _package_faces("Lato", "lato")


def test_a_missing_package_is_left_to_fontpkg_which_says_what_to_install(
        tmp_path: Path) -> None:
    assert _package_faces("Nope", "no-such-font") is None
    theme = tmp_path / "nofont"
    theme.mkdir()
    (theme / "theme.yaml").write_text("name: nofont\ndescription: a theme\nextends: classic\n"
                                      "fonts:\n  - family: Nope\n    package: no-such-font\n")
    with pytest.raises(ResumecError, match=r"font package 'no-such-font' is not installed "
                                           r"\(pip install fontpkg-no-such-font\)"):
        load_theme(theme)


@pytest.mark.parametrize(("manifest", "message"), [
    ("extends: " + "t" * 300 + "\n", "extends: no theme 'ttt"),
    ("extends: classic\nfonts:\n  - family: X\n    files: [{path: " + "t" * 300 + ".ttf}]\n",
     "font file 'ttt"),
])
def test_a_manifest_naming_a_file_too_long_to_look_up_is_an_error(
        tmp_path: Path, manifest: str, message: str) -> None:
    """Path.is_file raises for a name longer than the system allows."""
    theme = tmp_path / "long"
    theme.mkdir()
    (theme / "theme.yaml").write_text("name: long\ndescription: a theme\n" + manifest)
    with pytest.raises(ResumecError, match=message):
        load_theme(theme)


def test_builtin_themes_load_without_fontpkgs_registry() -> None:
    code = ("import sys\nsys.modules['fontpkg'] = None  # importing it now fails\n"
            "from resumec.themes import builtin_names, load_theme\n"
            "print(all(load_theme(name).fonts for name in builtin_names()))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60, check=False)
    assert done.stdout.strip() == "True", done.stderr
