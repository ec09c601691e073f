"""The kernel's word that a file changed (inotify): which saves it reports, and for what."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pytest

from resumec.notify import CLOSE_WRITE, MODIFY, MOVED_TO, WRITTEN, Notifier, notifier

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="inotify: Linux")


def _events(n: Notifier, seconds: float = 0.5) -> int:
    """Every event reported within ``seconds`` of the last one, OR-ed."""
    mask = 0
    while got := n.wait(seconds):
        mask |= got
        seconds = 0.05
    return mask


@pytest.fixture
def cv(tmp_path: Path) -> Path:
    path = tmp_path / "cv.yaml"
    path.write_text("name: A\n", encoding="utf-8")
    return path


def test_a_write_in_place_is_reported_once_closed(cv: Path) -> None:
    with notifier(cv) as n:  # type: ignore[union-attr]
        assert n.wait(0.05) == 0
        with cv.open("a", encoding="utf-8") as f:
            f.write("headline: B\n")
            f.flush()
            assert _events(n) & (MODIFY | WRITTEN) == MODIFY  # written to, not yet whole
        assert _events(n) & CLOSE_WRITE


def test_a_save_by_rename_is_reported(cv: Path) -> None:
    with notifier(cv) as n:  # type: ignore[union-attr]
        tmp = cv.with_name(".cv.yaml.swp")
        tmp.write_text("name: B\n", encoding="utf-8")
        assert _events(n) == 0  # another name in the folder: not ours
        os.replace(tmp, cv)
        assert _events(n) & MOVED_TO


def test_a_link_reports_writes_to_the_file_it_points_to(tmp_path: Path) -> None:
    real = tmp_path / "elsewhere" / "resume.yaml"
    real.parent.mkdir()
    real.write_text("name: A\n", encoding="utf-8")
    link = tmp_path / "cv.yaml"
    link.symlink_to(real)
    with notifier(link) as n:  # type: ignore[union-attr]
        real.write_text("name: B\n", encoding="utf-8")
        assert _events(n) & CLOSE_WRITE


def test_no_events_means_a_timeout_not_a_hang(cv: Path) -> None:
    with notifier(cv) as n:  # type: ignore[union-attr]
        start = time.monotonic()
        assert n.wait(0.2) == 0
        assert 0.15 < time.monotonic() - start < 2


def test_without_inotify_there_is_no_notifier(cv: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "platform", "darwin")
    assert notifier(cv) is None
