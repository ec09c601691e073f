"""Shared fixtures: paths to the demo, the examples and the corpus; a CLI runner."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "resume.yaml"
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
CORPUS = ROOT.parent / "shared" / "corpus"


def pytest_configure(config: pytest.Config) -> None:
    """Keep the per-user cache (cut fonts, compiled templates) in a folder of the run's own,
    for this process and every resumec process the tests start."""
    import tempfile

    os.environ["RESUMEC_CACHE_DIR"] = tempfile.mkdtemp(prefix="resumec-cache-")


def pytest_unconfigure(config: pytest.Config) -> None:
    import shutil

    shutil.rmtree(os.environ.get("RESUMEC_CACHE_DIR", ""), ignore_errors=True)


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A per-user cache folder of the test's own (``resumec.cache``); not yet created."""
    from resumec import cache

    monkeypatch.setenv("RESUMEC_CACHE_DIR", str(tmp_path / "cache"))
    cache.folder.cache_clear()
    yield tmp_path / "cache"
    cache.folder.cache_clear()


@pytest.fixture
def run_cli() -> Callable[..., subprocess.CompletedProcess[str]]:
    """Run ``python -m resumec ARGS`` in a fresh process; return the completed process."""

    def run(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
        return subprocess.run([sys.executable, "-m", "resumec", *map(str, args)], cwd=cwd,
                              capture_output=True, text=True, env=env, timeout=300, check=False)

    return run
