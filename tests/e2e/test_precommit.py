"""The pre-commit hook, as a user adds it to their own repository (`pre-commit try-repo`)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

GOOD = "name: Ada Lovelace\nheadline: Analyst\n"
BAD = "name: Ada Lovelace\nheadlnie: Analyst\n"


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)


@pytest.fixture(scope="module")
def user_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    repo = tmp_path_factory.mktemp("user-repo")
    _git(repo, "init", "-q")
    (repo / "resume.yaml").write_text(GOOD, encoding="utf-8")
    (repo / "cv").mkdir()
    (repo / "cv" / "resume-backend.yaml").write_text(BAD, encoding="utf-8")
    (repo / "notes.yaml").write_text("not: [a, résumé\n", encoding="utf-8")  # not matched
    _git(repo, "add", ".")
    return repo


def _try_repo(repo: Path, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "PRE_COMMIT_COLOR": "never"}
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), "resumec-validate",
         "--all-files"], cwd=repo, capture_output=True, text=True, env=env, timeout=900,
        check=False)


def test_try_repo_flags_the_bad_resume_only(user_repo: Path,
                                            tmp_path_factory: pytest.TempPathFactory) -> None:
    home = tmp_path_factory.mktemp("pre-commit-home")
    proc = _try_repo(user_repo, home)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 1, out
    assert "cv/resume-backend.yaml:2:1: headlnie: unknown key 'headlnie'; did you mean " \
           "'headline'?" in out
    assert "notes.yaml" not in out.split("resumec validate", 1)[-1]
    (user_repo / "cv" / "resume-backend.yaml").write_text(GOOD, encoding="utf-8")
    _git(user_repo, "add", ".")
    fixed = _try_repo(user_repo, home)
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    assert "Passed" in fixed.stdout
