"""Helpers the fuzzers share: a time limit, the user-error oracle, the examples' scale,
the paths into a document."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import Any

from hypothesis import HealthCheck, event, settings
from hypothesis.errors import InvalidArgument

from resumec.errors import Issue, ResumecError, terminal_safe

SCALE = int(os.environ.get("RESUMEC_FUZZ_SCALE", "1"))


def fuzz(examples: int) -> settings:
    """``examples`` examples per CI run, times ``RESUMEC_FUZZ_SCALE``."""
    return settings(max_examples=examples * SCALE, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.filter_too_much])


@contextmanager
def time_limit(seconds: int) -> Iterator[None]:
    """Fail instead of hanging: no input may take this long."""
    def expire(signum: int, frame: object) -> None:
        raise TimeoutError(f"took more than {seconds} s")

    old = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def check_error(exc: ResumecError) -> None:
    """A user error: issues written for people, each located when it comes from the file
    (``file:line:col: path: message``), on one line (the command line prints the others
    through ``terminal_safe``, as ``Issue`` prints itself)."""
    assert exc.issues
    for issue in exc.issues:
        text = terminal_safe(str(issue))
        assert text.strip() and "\n" not in text, repr(text)
        assert "Traceback" not in text
        if isinstance(issue, Issue):
            assert issue.line >= 1 and issue.col >= 1 and issue.message


def note(what: str, exc: ResumecError | None = None) -> None:
    """Count ``what`` (and the start of ``exc``'s first message) in Hypothesis's statistics;
    outside a fuzzed test (a regression case), do nothing."""
    if exc is not None:
        first = str(exc.issues[0])
        what += ": " + (first.split(": ", 2)[-1] if first.count(": ") >= 2 else first)[:12]
    with suppress(InvalidArgument):
        event(what)


def value_paths(data: Any, at: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path to a value in ``data`` (keys and list indexes)."""
    out = [at] if at else []
    if isinstance(data, dict):
        for k, v in data.items():
            out.extend(value_paths(v, (*at, k)))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            out.extend(value_paths(v, (*at, i)))
    return out
