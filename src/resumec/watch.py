"""Watch mode: re-render on every save, in one warm process.

Takes a résumé path and render options; renders once, then again whenever the file's
content changes: as soon as it is saved where the kernel reports writes (inotify, on
Linux), else by polling its content hash — no extra dependency either way — and a slow
poll stays on for filesystems whose writes come unannounced (network mounts). While the
file is invalid, the located errors are printed and the last good outputs stay as they
are.
"""

from __future__ import annotations

import gc
import hashlib
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from resumec.errors import ResumecError
from resumec.loader import load_resume
from resumec.notify import OVERFLOW, WRITTEN, Notifier, notifier
from resumec.render import Options, run, tasks, write_outputs


def _fingerprint(path: Path) -> bytes | None:
    try:
        return hashlib.blake2b(path.read_bytes(), digest_size=16).digest()
    except OSError:
        return None


def collect_garbage() -> None:
    """Free a render's reference cycles now, between saves, if the cycle collector is off
    (the command line turns it off: it would run during renders); else leave it to run."""
    if not gc.isenabled():
        gc.collect()


def build_once(source: Path, opts: Options, say: Callable[[str], None],
               warn: Callable[[str], None]) -> bool:
    """Render ``source`` once; print errors instead of raising. Return success."""
    start = time.perf_counter()
    try:
        resume = load_resume(source, str(source), warn)
        written = write_outputs(run(tasks(resume, source, opts, warn), workers=1), source)
    except ResumecError as exc:
        for issue in exc.issues:
            warn(str(issue))
        warn("not rendered: the last good output is unchanged")
        return False
    elapsed = time.perf_counter() - start
    say(f"rendered {', '.join(str(p) for p in written)} in {elapsed:.2f} s")
    return True


def watch(source: Path, opts: Options, say: Callable[[str], None],
          warn: Callable[[str], None], *, interval: float = 0.01,
          stop: threading.Event | None = None) -> None:
    """Render now and after every change to ``source`` until ``stop`` is set.

    On Linux the kernel says when the file is written (:mod:`resumec.notify`): a save is
    rendered as soon as the editor has closed or renamed the file, and between saves the
    process sleeps. Writes with no close yet are given ``interval`` seconds to finish.
    The file is also read every :data:`SAFETY_POLL` seconds, for changes no event
    reports (a network mount written from another machine).

    Elsewhere, or when inotify is out of watches, the file is read every ``interval``
    seconds (hashing a few kilobytes: ~0.3 % of a core at 100 reads a second), and once
    more that long after a change, so that an editor writing in pieces has finished.
    """
    stop = stop or threading.Event()
    seen = _fingerprint(source)
    if seen is None:
        raise ResumecError(f"{source}: no such file")
    events = notifier(source)  # before the first render: a save during it is seen
    try:
        build_once(source, opts, say, warn)
        collect_garbage()
        say(f"watching {source} (Ctrl-C to stop)")
        changes = _notified(events, interval, stop) if events else _polled(source, interval,
                                                                            stop)
        for _ in changes:
            current = _fingerprint(source)
            if current is None or current == seen:
                continue
            seen = current
            build_once(source, opts, say, warn)
            collect_garbage()
    finally:
        if events:
            events.close()


SAFETY_POLL = 0.25
"""Seconds between reads of a file whose changes inotify reports anyway."""
STOP_CHECK = 0.25
"""Seconds between looks at the stop flag while nothing happens."""


def _notified(events: Notifier, settle: float, stop: threading.Event) -> Iterator[None]:
    """Yield whenever the watched file may have changed, as ``events`` tell, and every
    :data:`SAFETY_POLL` seconds (see :func:`watch`)."""
    pending: float | None = None  # when written-to but not closed: read it at this time
    last_poll = time.monotonic()
    while not stop.is_set():
        now = time.monotonic()
        wait = min(STOP_CHECK, SAFETY_POLL - (now - last_poll))
        if pending is not None:
            wait = min(wait, pending - now)
        mask = events.wait(wait)
        now = time.monotonic()
        if mask & (WRITTEN | OVERFLOW):
            pending = None
            yield
        elif mask:
            pending = pending if pending is not None else now + settle
        elif pending is not None and now >= pending:
            pending = None
            yield
        if now - last_poll >= SAFETY_POLL:
            last_poll = now
            yield


def _polled(source: Path, interval: float, stop: threading.Event) -> Iterator[None]:
    """Yield at once, then whenever ``source``'s content differs from the last poll's,
    ``interval`` after that poll."""
    yield  # anything saved before polling began
    seen = _fingerprint(source)
    while not stop.wait(interval):
        current = _fingerprint(source)
        if current is None or current == seen:
            continue
        time.sleep(interval)  # let an editor finish writing before reading
        seen = _fingerprint(source)
        yield
