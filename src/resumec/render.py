"""The pipeline: résumé file → validated → tailored → themed → bytes → files.

Takes a résumé path and render options; gives the paths written. Every output is
rendered in memory first and only then written, each through a temporary file and a
rename, so a failure leaves no partial file and earlier outputs untouched.
"""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from resumec import backends
from resumec.document import Document, build
from resumec.errors import ResumecError
from resumec.loader import load_resume
from resumec.schema.checks import SAFE_NAME
from resumec.schema.model import Resume
from resumec.tailor import apply_profile, resolve_profile
from resumec.themes import Theme, load_theme

if TYPE_CHECKING:
    from resumec.backends.pdf import PdfResult

DEFAULT_FORMATS = ("pdf", "docx")
PAGELESS = frozenset({"md", "txt", "json"})
"""Built-in formats without pages or type sizes: a page budget has nothing to fit there."""
_SAFE_NAME = SAFE_NAME


@dataclass(frozen=True)
class Output:
    """One file to write: where, and what."""

    path: Path
    data: bytes
    profile: str | None
    format: str


@dataclass(frozen=True)
class Options:
    """How to render: formats, theme, paper, profiles and where to write."""

    formats: Sequence[str] = ()
    theme: str | None = None
    paper: str | None = None
    out_dir: Path = Path("out")
    profiles: Sequence[str | None] = (None,)
    include_private: bool = False
    max_pages: int | None = None


def _theme_for(cli: str | None, profile: str | None, base_dir: Path) -> Theme:
    """The command line's theme, else the profile's, else the default. A profile's theme
    folder is found from the résumé's folder, where validation looked for it, whatever
    the working folder holds."""
    if not cli:
        return load_theme(profile, base_dir)
    if ("/" in cli or cli.startswith(".")) and not Path(cli).is_absolute():
        candidate = base_dir / cli
        if os.path.isdir(candidate):  # False for a name too long, where Path.is_dir raises
            return load_theme(candidate)
    return load_theme(cli)


def document_for(resume: Resume, theme: Theme) -> Document:
    """Lay the résumé out with the theme's wording and section order."""
    return build(resume, theme.wording(), theme.order(resume.section_order))


@dataclass(frozen=True)
class Task:
    """One output to render: a profile's job in one format."""

    profile: str | None
    format: str
    path: Path
    job: backends.RenderJob
    data: bytes | None = None
    """Already rendered (a PDF laid out while fitting a page budget)."""
    budget: int | None = None
    """Pages the profile must fit in: :func:`run` tightens the job's theme until it does."""


def tasks(resume: Resume, source: Path, opts: Options,
          warn: Callable[[str], None] = lambda m: None) -> list[Task]:
    """Resolve every (profile, format) pair of ``opts`` into a task; render nothing yet."""
    out: list[Task] = []
    base_dir = source.parent
    for name in opts.profiles:
        profile = resolve_profile(resume, name) if name else None
        if name is not None and not _SAFE_NAME.match(name):
            raise ResumecError(f"profile name '{name}' cannot name a file: use letters, "
                               "digits, '-', '_' and '.'")
        tailored = apply_profile(resume, name, include_private=opts.include_private)
        theme = _theme_for(opts.theme, profile.theme if profile else None, base_dir)
        formats = list(opts.formats or (profile.formats if profile and profile.formats else ())
                       or DEFAULT_FORMATS)
        paper = opts.paper or (profile.paper if profile else None) or theme.tokens.page.size
        stem = source.stem + (f"-{name}" if name else "")
        job = backends.RenderJob(tailored, document_for(tailored, theme), theme, paper,
                                 base_dir, warn)
        budget = opts.max_pages or (profile.max_pages if profile else None)
        for fmt in dict.fromkeys(formats):
            if theme.formats is not None and fmt not in theme.formats:
                raise ResumecError(f"theme '{theme.name}' does not support format '{fmt}' "
                                   f"(it supports: {', '.join(theme.formats)})")
            backend = backends.get(fmt)
            out.append(Task(name, fmt, opts.out_dir / f"{stem}.{backend.suffix}", job,
                            budget=None if fmt in PAGELESS else budget or None))
    return out


def _fitted(task: Task, done: dict[int, tuple[backends.RenderJob, bytes]]) -> Task:
    """``task`` with its page budget fitted: the job at the step that fits (and its PDF).

    The profile's formats share one fit, kept in ``done`` by job.
    """
    if not task.budget or task.data is not None:
        return task
    key = id(task.job)
    if key not in done:
        done[key] = fit_pages(task.job, task.budget, label=task.path.stem)
    job, pdf = done[key]
    return replace(task, job=job, data=pdf if task.format == "pdf" else None, budget=None)


def fit_name(job: backends.RenderJob, budget: int, label: str) -> tuple[str, ...]:
    """What names a page-budget fit from one render to the next: where its output goes
    and what it is fitted with (the step it needed is remembered under this)."""
    return (str(job.base_dir.resolve()), label, job.theme.name,
            *(str(d) for d in job.theme.dirs), job.paper, str(budget),
            str(len(job.theme.tokens.density)))


def fit_pages(job: backends.RenderJob, budget: int, label: str
              ) -> tuple[backends.RenderJob, bytes]:
    """Find the loosest theme step whose PDF fits ``budget`` pages, or fail.

    Never truncates: the steps the theme declares scale type, spacing and margins within
    bounds; the DOCX of the same profile uses the step the PDF needed. Returns the job at
    that step and its PDF.

    Each trial is a full layout, so the steps are searched by halving (a tighter step
    never needs more pages), starting from the step this profile needed last time, then
    its neighbour — after an edit the answer has usually not moved, and two trials
    settle it — or, the first time, from the as-designed step. A trial that does not fit
    stops where its page after the budget would begin, or is skipped when the very same
    layout was seen not to fit before (:mod:`resumec.backends.budget`). Should a theme
    ever break the halving's rule, the steps not tried are tried in order before giving
    up — a step that fits is always found — though it might then not be the loosest one.
    """
    from resumec.backends import budget as budgets
    from resumec.backends.pdf import render_pdf

    steps = len(job.theme.tokens.density)
    said: list[str] = []
    tried: dict[int, tuple[backends.RenderJob, PdfResult]] = {}

    def trial(step: int) -> bool:
        attempt = replace(job, theme=job.theme.with_density(step), warn=said.append)
        tried[step] = attempt, render_pdf(attempt, max_pages=budget)  # fits: written
        return tried[step][1].pages <= budget

    def found(step: int) -> tuple[backends.RenderJob, bytes]:
        for message in dict.fromkeys(said):  # each trial warns alike: say it once
            job.warn(message)
        attempt, result = tried[step]
        return replace(attempt, warn=job.warn), result.data

    name = fit_name(job, budget, label)
    last = budgets.last_step(*name)
    hint = last if last is not None and last <= steps else None
    lo, hi = 0, steps + 1  # the loosest step that fits is in [lo, hi]; steps + 1: none
    probe = hint if hint is not None else 0
    while lo < hi:
        if trial(probe):
            hi = probe
        else:
            lo = probe + 1
        if hint is not None and probe == hint:  # then its neighbour on the undecided side
            probe = hi - 1 if hi == hint else lo
        elif hint is not None and hint >= hi:  # halve what is left, leaning to the hint
            probe = (lo + hi) // 2
        else:
            probe = (lo + hi - 1) // 2
    best = hi if hi <= steps else None
    if best is None:
        best = next((s for s in range(steps + 1) if s not in tried and trial(s)), None)
    if best is not None:
        budgets.remember_step(best, *name)
        return found(best)
    attempt, result = tried[steps]
    if not result.complete:  # stopped early: lay it out in full to say what overflows
        result = render_pdf(attempt, max_pages=budget, stop_early=False)
    over = [title for title, page in result.sections if page > budget]
    where = f"; on page {budget + 1} and after: {', '.join(over)}" if over else ""
    raise ResumecError(f"{label}: does not fit on {budget} page{'s' if budget > 1 else ''}: "
                       f"{result.pages} pages even at the theme's tightest density "
                       f"(step {steps}){where}. Drop content (a profile's sections, "
                       "max_highlights or tags) or allow more pages.")


_TASKS: list[Task] = []  # what forked workers render, by index (inherited, never pickled)
_QUEUE: list[int] = []  # the order in which free tasks are claimed (inherited too)
_NEXT: Any = None  # shared counter: how many of _QUEUE are claimed (a multiprocessing.Value)


def _use_scratch(folder: str) -> None:
    """In a pool worker: make temporary files in ``folder``, which the parent deletes.

    WeasyPrint deletes its temporary font folders when their configuration is freed, and
    a pool worker ends without freeing anything.
    """
    tempfile.tempdir = folder


def _claim() -> int | None:
    """The next task no process has taken, taken now; None when all are."""
    with _NEXT.get_lock():
        n: int = _NEXT.value
        if n >= len(_QUEUE):
            return None
        _NEXT.value = n + 1
    return _QUEUE[n]


def _drain() -> dict[int, bytes]:
    """In a pool worker: render tasks one at a time, as long as some are left."""
    done: dict[int, bytes] = {}
    while (index := _claim()) is not None:
        task = _TASKS[index]
        done[index] = task.data if task.data is not None else backends.get(
            task.format).render(task.job)
    return done


def prepare(todo: Sequence[Task]) -> None:
    """Import each format's engine, and set up what its renders share, once, here.

    Called before a batch forks, so that every worker starts with it: a backend's
    ``prepare(job)`` (optional; the PDF's parses the theme's stylesheets and sets its fonts
    up) runs for the first job of each theme, for each format.
    """
    seen: set[tuple[str, tuple[Path, ...]]] = set()
    for task in todo:
        backend = backends.get(task.format)
        key = (task.format, task.job.theme.dirs)
        prepare_job = getattr(backend, "prepare", None)
        if key not in seen and callable(prepare_job):
            prepare_job(task.job)
        seen.add(key)


def run(todo: Sequence[Task], progress: Callable[[Task, int, int], None] | None = None,
        workers: int | None = None) -> list[Output]:
    """Render tasks in memory: in this process for one, across the CPU cores for several.

    Workers are forked after the engines are imported and set up here (:func:`prepare`),
    so each starts warm and shares the loaded résumé, themes, parsed stylesheets and fonts
    instead of making them again. Page budgets are fitted here, in this process, while the
    workers render the other tasks; the fit's PDF is the output, and the profile's other
    formats follow it here. The other tasks are taken one at a time, longest (PDFs) first,
    by whichever process is free: this one joins in once done fitting, and they all finish
    within about one DOCX of each other. (A process pool hands out tasks ahead of time: a
    worker could be left with two PDFs to go while this process had nothing left.)
    """
    global _NEXT
    results: list[bytes | None] = [None] * len(todo)
    workers = min(workers or os.cpu_count() or 1, len(todo))
    fits: dict[int, tuple[backends.RenderJob, bytes]] = {}
    count = 0

    def finish(task: Task, index: int, data: bytes) -> None:
        nonlocal count
        results[index] = data
        count += 1
        if progress:
            progress(task, count, len(todo))

    def render_here(index: int) -> None:
        task = _fitted(todo[index], fits)
        finish(task, index, task.data if task.data is not None
               else backends.get(task.format).render(task.job))

    fitting = [i for i, t in enumerate(todo) if t.budget and t.data is None]
    free = sorted(set(range(len(todo))) - set(fitting),
                  key=lambda i: (todo[i].format != "pdf", i))
    # The fitting takes a core of its own: the pool gets the others.
    pool_size = min(workers - 1 if fitting else workers, len(free))
    if pool_size >= 1 and workers > 1 and hasattr(os, "fork"):
        import multiprocessing  # only for a batch: ~5 ms a single render need not pay
        from concurrent.futures import ProcessPoolExecutor

        prepare(todo)
        ctx = multiprocessing.get_context("fork")
        _TASKS[:] = todo
        _QUEUE[:] = free
        _NEXT = ctx.Value("i", 0)
        scratch = tempfile.mkdtemp(prefix="resumec-batch-")
        pool = ProcessPoolExecutor(max_workers=pool_size, mp_context=ctx,
                                   initializer=_use_scratch, initargs=(scratch,))
        try:
            drains = [pool.submit(_drain) for _ in range(pool_size)]
            for i in fitting:
                render_here(i)
            while (claimed := _claim()) is not None:
                render_here(claimed)
            for drain in drains:
                for index, data in sorted(drain.result().items()):
                    finish(todo[index], index, data)
        except BaseException:
            with _NEXT.get_lock():  # the workers take nothing more
                _NEXT.value = len(_QUEUE)
            pool.shutdown(wait=True, cancel_futures=True)
            raise
        finally:
            pool.shutdown(wait=True)
            _TASKS.clear()
            _QUEUE.clear()
            _NEXT = None
            shutil.rmtree(scratch, ignore_errors=True)
    else:
        for i in range(len(todo)):
            render_here(i)
    return [Output(t.path, data, t.profile, t.format)
            for t, data in zip(todo, results, strict=True) if data is not None]


def _written_beside(path: Path, data: bytes) -> Path:
    """A temporary file in ``path``'s folder holding ``data``, on disk, with an ordinary
    file's permissions; the caller moves or links it into place, and removes it."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        mask = os.umask(0)
        os.umask(mask)
        os.fchmod(fd, 0o666 & ~mask)  # mkstemp makes 0600
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return Path(tmp)


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = _written_beside(path, data)
    except OSError as exc:
        raise ResumecError(f"cannot write {path}: {exc.strerror or exc}") from None
    try:
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise ResumecError(f"cannot write {path}: {exc.strerror or exc}") from None


def write_new(path: Path, data: bytes) -> bool:
    """Create ``path`` holding ``data``, whole or not at all; False if anything is already
    there — a file, a folder or a symbolic link, even one to nothing, which is never
    written through.

    The data goes to a temporary file in the same folder, which is then hard-linked to
    ``path`` (the link fails if the name is taken). Where the file system has no hard
    links, the file is created exclusively and written in place.
    """
    try:
        tmp = _written_beside(path, data)
    except OSError as exc:
        raise ResumecError(f"{path}: cannot write: {exc.strerror or exc}") from None
    try:
        try:
            os.link(tmp, path)
        except FileExistsError:
            return False
        except OSError:  # no hard links here (EPERM, ENOTSUP): O_EXCL never follows links
            try:
                with path.open("xb") as out:
                    out.write(data)
            except FileExistsError:
                return False
        return True
    except OSError as exc:
        raise ResumecError(f"{path}: cannot write: {exc.strerror or exc}") from None
    finally:
        tmp.unlink(missing_ok=True)


def write_outputs(outputs: Sequence[Output], source: Path) -> list[Path]:
    """Write rendered outputs; refuse to overwrite the résumé itself.

    Every name is checked before any file is written: one that cannot be written (a
    folder of that name, a file where the output folder should be) fails the command
    with no output written, not after the outputs before it were.
    """
    src = source.resolve()
    for out in outputs:
        if out.path.resolve() == src:
            raise ResumecError(f"refusing to overwrite the input file {source}")
    for out in outputs:
        _check_writable(out.path)
    for out in outputs:
        write_atomic(out.path, out.data)
    return [o.path for o in outputs]


def _check_writable(path: Path) -> None:
    """Raise a user error now if ``path`` is sure to fail to be written."""
    try:
        here = os.lstat(path)
    except OSError:
        here = None
    if here is not None and stat.S_ISDIR(here.st_mode):
        raise ResumecError(f"cannot write {path}: a folder of that name is in the way")
    for folder in (path.parent, *path.parent.parents):
        try:
            st = os.stat(folder)
        except (FileNotFoundError, NotADirectoryError):
            if os.path.islink(folder):
                raise ResumecError(f"cannot write {path}: {folder} is a link to nothing"
                                   ) from None
            continue  # made when written (or a file further up, which says so)
        except OSError as exc:
            raise ResumecError(f"cannot write {path}: {exc.strerror or exc}") from None
        if not stat.S_ISDIR(st.st_mode):
            raise ResumecError(f"cannot write {path}: {folder} is a file, not a folder")
        return


def render_file(source: Path, opts: Options,
                warn: Callable[[str], None] = lambda m: None) -> list[Path]:
    """Load, validate, tailor and render ``source``; write and return the files."""
    resume = load_resume(source)
    return write_outputs(run(tasks(resume, source, opts, warn)), source)
