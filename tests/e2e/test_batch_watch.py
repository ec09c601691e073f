"""Batch rendering across profiles and cores, and watch mode's warm re-render loop."""

from __future__ import annotations

import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from pypdf import PdfReader

from resumec.render import Options
from resumec.watch import watch
from tests.conftest import DEMO

Run = Callable[..., subprocess.CompletedProcess[str]]


def _pdf_text(path: Path) -> tuple[int, str]:
    reader = PdfReader(path)
    return len(reader.pages), " ".join(" ".join((p.extract_text() or "").split())
                                       for p in reader.pages)


def test_a_profile_rendered_in_a_batch_equals_it_rendered_alone(run_cli: Run,
                                                                tmp_path: Path) -> None:
    batch = run_cli("render", DEMO, "--all-profiles", "-f", "pdf", "-f", "txt", "-f", "md",
                    "-o", tmp_path / "batch")
    assert batch.returncode == 0, batch.stderr
    assert "[12/12] rendered" in batch.stderr  # progress, one line per output as it completes
    alone = run_cli("render", DEMO, "--profile", "backend", "-f", "pdf", "-f", "txt", "-f", "md",
                    "-o", tmp_path / "alone")
    assert alone.returncode == 0, alone.stderr
    for ext in ("txt", "md"):
        assert (tmp_path / "batch" / f"resume-backend.{ext}").read_bytes() == (
            tmp_path / "alone" / f"resume-backend.{ext}").read_bytes()
    assert _pdf_text(tmp_path / "batch" / "resume-backend.pdf") == _pdf_text(
        tmp_path / "alone" / "resume-backend.pdf")
    texts = {p.name: p.read_text(encoding="utf-8") for p in (tmp_path / "batch").glob("*.txt")}
    assert len(set(texts.values())) == 4, "profiles must give visibly different résumés"


def _wait_for(predicate: Callable[[], bool], seconds: float = 20) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


@contextmanager
def _watching(src: Path, out_dir: Path, say: Callable[[str], None] = print,
              warn: Callable[[str], None] = print) -> Iterator[None]:
    """``watch`` rendering ``src`` to plain text in ``out_dir`` on a thread, stopped after."""
    stop = threading.Event()
    thread = threading.Thread(target=watch, args=(src, Options(formats=("txt",), out_dir=out_dir),
                                                  say, warn),
                              kwargs={"stop": stop}, daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(5)
    assert not thread.is_alive()


def _lose_events(monkeypatch: pytest.MonkeyPatch) -> None:
    from resumec.notify import Notifier

    def wait(self: Notifier, timeout: float) -> int:
        time.sleep(max(timeout, 0))
        return 0

    monkeypatch.setattr(Notifier, "wait", wait)


@pytest.mark.parametrize("changes", ["inotify", "polling", "inotify losing events"])
def test_watch_rerenders_on_save_and_keeps_the_last_good_output(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, changes: str) -> None:
    """Whether the kernel reports saves, the file is polled, or the kernel stays silent (a
    network mount written from elsewhere: the safety poll sees it)."""
    if changes == "polling":
        monkeypatch.setattr("resumec.watch.notifier", lambda path: None)
    elif changes == "inotify losing events":
        _lose_events(monkeypatch)
    src = tmp_path / "cv.yaml"
    src.write_text("name: Ada Lovelace\nheadline: Analyst\n", encoding="utf-8")
    out = tmp_path / "out" / "cv.txt"
    said: list[str] = []
    warned: list[str] = []
    with _watching(src, tmp_path / "out", said.append, warned.append):
        assert _wait_for(lambda: out.exists() and "Analyst" in out.read_text(encoding="utf-8"))
        src.write_text("name: Ada Lovelace\nheadline: Engine programmer\n", encoding="utf-8")
        assert _wait_for(lambda: "Engine programmer" in out.read_text(encoding="utf-8"))
        good = out.read_bytes()
        src.write_text("name: Ada Lovelace\nheadlnie: Oops\n", encoding="utf-8")
        assert _wait_for(lambda: any("did you mean 'headline'" in w for w in warned))
        assert any(w.startswith(f"{src}:2:1: headlnie: unknown key") for w in warned)
        assert out.read_bytes() == good
        src.write_text("name: Ada Lovelace\nheadline: Fixed\n", encoding="utf-8")
        assert _wait_for(lambda: "Fixed" in out.read_text(encoding="utf-8"))
    assert sum(line.startswith("rendered ") for line in said) == 3


@pytest.mark.parametrize("changes", ["inotify", "polling"])
def test_watch_renders_a_save_made_during_its_first_render(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, changes: str) -> None:
    import resumec.watch as watching

    if changes == "polling":
        monkeypatch.setattr(watching, "notifier", lambda path: None)
    src = tmp_path / "cv.yaml"
    src.write_text("name: Ada Lovelace\nheadline: First\n", encoding="utf-8")
    out = tmp_path / "out" / "cv.txt"
    real = watching.build_once
    calls: list[int] = []

    def build_once(*args: object) -> bool:
        done = real(*args)  # type: ignore[arg-type]
        if not calls:  # saved after the first render read the file, before it ended
            src.write_text("name: Ada Lovelace\nheadline: Second\n", encoding="utf-8")
        calls.append(1)
        return done

    monkeypatch.setattr(watching, "build_once", build_once)
    with _watching(src, tmp_path / "out"):
        assert _wait_for(lambda: out.exists() and "Second" in out.read_text(encoding="utf-8"),
                         5)
    assert len(calls) == 2


def test_watch_renders_a_write_whose_writer_keeps_the_file_open(tmp_path: Path) -> None:
    """No close, no rename: the write is read once it has settled."""
    src = tmp_path / "cv.yaml"
    src.write_text("name: Ada Lovelace\nheadline: Analyst\n", encoding="utf-8")
    out = tmp_path / "out" / "cv.txt"
    with _watching(src, tmp_path / "out"):
        assert _wait_for(lambda: out.exists())
        with src.open("r+", encoding="utf-8") as f:
            f.write("name: Ada Lovelace\nheadline: Appended\n")
            f.flush()
            assert _wait_for(lambda: "Appended" in out.read_text(encoding="utf-8"), 10)


@pytest.mark.parametrize("fmt", ["txt"])
def test_watch_cli_exits_cleanly_on_a_missing_file(run_cli: Run, tmp_path: Path,
                                                   fmt: str) -> None:
    proc = run_cli("watch", tmp_path / "missing.yaml", "-f", fmt, "-o", tmp_path)
    assert proc.returncode == 1 and "no such file" in proc.stderr


def test_page_budgets_fit_alike_in_this_process_and_beside_the_workers(tmp_path: Path) -> None:
    from io import BytesIO

    from resumec.loader import load_resume
    from resumec.render import run, tasks

    resume = load_resume(DEMO)
    opts = Options(formats=("pdf", "txt"), out_dir=tmp_path, profiles=("onepage", "backend"))
    todo = tasks(resume, DEMO, opts)
    # Fitted by run(), not by tasks(); plain text has no pages, so no budget.
    assert [t.budget for t in todo] == [1, None, None, None]
    alone = {o.path.name: o.data for o in run(todo, workers=1)}
    beside = {o.path.name: o.data for o in run(todo, workers=2)}
    assert alone.keys() == beside.keys() == {"resume-onepage.pdf", "resume-onepage.txt",
                                             "resume-backend.pdf", "resume-backend.txt"}
    for name, data in alone.items():
        if name.endswith(".pdf"):
            a, b = PdfReader(BytesIO(data)), PdfReader(BytesIO(beside[name]))
            assert len(a.pages) == len(b.pages)
            assert [p.extract_text() for p in a.pages] == [p.extract_text() for p in b.pages]
        else:
            assert data == beside[name]
    assert len(PdfReader(BytesIO(alone["resume-onepage.pdf"])).pages) == 1
    assert len(PdfReader(BytesIO(alone["resume-backend.pdf"])).pages) > 1


class _Logged:
    """A backend that notes every render in a file (shared by forked workers); it fails
    for the résumé whose headline is ``fail``, if any."""

    def __init__(self, real: object, log: Path, fail: str | None) -> None:
        self.real, self.log, self.fail = real, log, fail

    def __getattr__(self, name: str) -> object:
        return getattr(self.real, name)

    def render(self, job: object) -> bytes:
        import os

        from resumec.errors import ResumecError

        headline = job.document.headline  # type: ignore[attr-defined]
        with self.log.open("a", encoding="utf-8") as f:
            f.write(f"{os.getpid()} {self.real.name} {headline}\n")  # type: ignore[attr-defined]
        if headline == self.fail:
            raise ResumecError(f"cannot render {headline}")
        return self.real.render(job)  # type: ignore[attr-defined, no-any-return]


def _logged_tasks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fail: str | None = None
                  ) -> tuple[list[object], Path]:
    from resumec import backends
    from resumec.loader import load_resume
    from resumec.render import tasks

    log = tmp_path / "renders.log"
    real_get = backends.get
    monkeypatch.setattr(backends, "get", lambda fmt: _Logged(real_get(fmt), log, fail))
    opts = Options(formats=("txt", "md"), out_dir=tmp_path,
                   profiles=(None, "backend", "leadership", "platform"))
    return list(tasks(load_resume(DEMO), DEMO, opts)), log


@pytest.mark.parametrize("workers", [2, 3])
def test_every_task_is_rendered_once_whichever_process_takes_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workers: int) -> None:
    from resumec.render import run

    todo, log = _logged_tasks(tmp_path, monkeypatch)
    outputs = run(todo, workers=workers)  # type: ignore[arg-type]
    lines = log.read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(todo) == 8  # each task once, none twice
    assert [o.path for o in outputs] == [t.path for t in todo]  # type: ignore[attr-defined]
    log.unlink()
    alone = run(todo, workers=1)  # type: ignore[arg-type]
    assert [o.data for o in outputs] == [o.data for o in alone]


def test_a_task_failing_in_any_process_fails_the_batch(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from resumec.errors import ResumecError
    from resumec.render import run

    todo, _ = _logged_tasks(tmp_path, monkeypatch, fail="Staff Platform Engineer · "
                            "Kubernetes, PostgreSQL, reliability")
    with pytest.raises(ResumecError, match="cannot render Staff Platform"):
        run(todo, workers=2)  # type: ignore[arg-type]


def test_watch_frees_each_renders_cycles_when_the_collector_is_off() -> None:
    import gc
    import weakref

    from resumec.watch import collect_garbage

    class Node:
        pass

    was_on = gc.isenabled()
    gc.disable()  # as the command line runs it
    try:
        a, b = Node(), Node()
        a.other, b.other = b, a  # type: ignore[attr-defined]
        gone = weakref.ref(a)
        del a, b
        assert gone() is not None  # a cycle: reference counting alone cannot free it
        collect_garbage()
        assert gone() is None
    finally:
        if was_on:
            gc.enable()


@pytest.mark.parametrize("args", [["-f", "pdf"], ["-f", "pdf", "-f", "docx"],
                                  ["--all-profiles", "-f", "pdf", "-f", "docx"]],
                         ids=["one", "two formats", "a batch with a page budget"])
def test_no_temporary_files_are_left_behind(tmp_path: Path, args: list[str]) -> None:
    import os
    import sys

    scratch = tmp_path / "tmp"
    scratch.mkdir()
    done = subprocess.run([sys.executable, "-m", "resumec", "render", str(DEMO), *args,
                           "-o", str(tmp_path / "out")], capture_output=True, text=True,
                          env={**os.environ, "TMPDIR": str(scratch)}, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    assert list((tmp_path / "out").iterdir())
    assert not list(scratch.iterdir())  # WeasyPrint's font folders, the batch's scratch
