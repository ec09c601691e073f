"""Which theme folder a render uses: a profile's is found from the résumé's folder, as
validation finds it; none named is the built-in default, whatever the working folder holds."""

from __future__ import annotations

from pathlib import Path

import pytest

from resumec.errors import Issue, ResumecError
from resumec.loader import load_resume
from resumec.render import Options, tasks
from resumec.themes import builtin_dir, load_theme

THEME = "name: {name}\ndescription: One of the test's.\nextends: classic\n"


@pytest.fixture
def folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """The résumé's folder and, the working folder, another: each holds a theme folder
    ``mytheme`` and one called ``classic``."""
    here, cwd = tmp_path / "resume", tmp_path / "cwd"
    for root in (here, cwd):
        for name in ("mytheme", "classic"):
            (root / name).mkdir(parents=True)
            (root / name / "theme.yaml").write_text(THEME.format(name=f"{root.name}-{name}"))
    monkeypatch.chdir(cwd)
    return here, cwd


def _themes(source: Path, text: str, cli: str | None = None) -> dict[str | None, Path]:
    source.write_text(text, encoding="utf-8")
    resume = load_resume(source)
    todo = tasks(resume, source, Options(formats=("md",), theme=cli,
                                         profiles=(None, *resume.profiles)))
    return {t.profile: t.job.theme.dirs[0] for t in todo}


def test_a_profiles_theme_folder_is_found_next_to_the_resume(folders: tuple[Path, Path]
                                                             ) -> None:
    here, _ = folders
    used = _themes(here / "r.yaml", "name: A\nprofiles: {p: {theme: mytheme}}\n")
    assert used["p"] == (here / "mytheme").resolve()


def test_no_theme_named_is_the_built_in_default(folders: tuple[Path, Path]) -> None:
    here, _ = folders
    used = _themes(here / "r.yaml", "name: A\n")
    assert used[None] == (builtin_dir() / "classic").resolve()


def test_the_command_lines_theme_folder_is_found_from_the_working_folder(
        folders: tuple[Path, Path]) -> None:
    here, cwd = folders
    used = _themes(here / "r.yaml", "name: A\nprofiles: {p: {theme: mytheme}}\n", "mytheme")
    assert set(used.values()) == {(cwd / "mytheme").resolve()}


@pytest.mark.parametrize(("text", "message"), [
    ("- a\n", "a theme manifest is a mapping of keys such as 'name:' and 'tokens:', got a list"),
    ("", "the file is empty; a theme manifest needs at least 'name' and 'description'"),
    ("name: x\ndescription: y\nfonts: !!binary aGk=\n",
     "fonts: tag '!!binary' is not allowed; a theme manifest holds only text, numbers, lists "
     "and mappings"),
])
def test_a_broken_manifest_is_called_a_manifest_not_a_resume(tmp_path: Path, text: str,
                                                              message: str) -> None:
    (tmp_path / "t").mkdir()
    (tmp_path / "t" / "theme.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(ResumecError) as caught:
        load_theme(str(tmp_path / "t"))
    [issue] = caught.value.issues
    assert str(issue).split(": ", 1)[1] == message


def test_a_theme_naming_an_unknown_format_is_refused_where_it_names_it(tmp_path: Path) -> None:
    (tmp_path / "t").mkdir()
    (tmp_path / "t" / "theme.yaml").write_text(
        "name: t\ndescription: d\nextends: classic\nformats: [pdf, dcox, zzz]\n",
        encoding="utf-8")
    with pytest.raises(ResumecError) as caught:
        load_theme(str(tmp_path / "t"))
    assert [str(i).split(": ", 1)[1] for i in caught.value.issues] == [
        "formats[1]: no format 'dcox'; did you mean 'docx'? (formats: pdf, docx, html, md, "
        "txt, json)",
        "formats[2]: no format 'zzz' (formats: pdf, docx, html, md, txt, json)"]
    assert [(i.line, i.col) for i in caught.value.issues if isinstance(i, Issue)] == [
        (4, 16), (4, 22)]
