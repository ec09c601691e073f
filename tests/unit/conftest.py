"""Shared helpers for the unit tests: parse and validate résumé text in one call."""

from __future__ import annotations

import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from resumec.errors import Issue, ResumecError
from resumec.loader import parse, validate


def _issues(text: str, name: str = "r.yaml", *, json_only: bool = False) -> list[Issue]:
    with pytest.raises(ResumecError) as info:
        validate(parse(text, name, json_only=json_only))
    issues = info.value.issues
    assert all(isinstance(i, Issue) for i in issues), issues
    return [i for i in issues if isinstance(i, Issue)]


def _load(text: str, name: str = "r.yaml", *, json_only: bool = False) -> Any:
    try:
        return validate(parse(text, name, json_only=json_only))
    except ResumecError as exc:
        pytest.fail(f"expected a valid document, got:\n{exc}")


@pytest.fixture
def issues_of() -> Callable[..., list[Issue]]:
    """Return a function: résumé text → the located issues it raises (fails if valid)."""
    return _issues


@pytest.fixture
def load_text() -> Callable[..., Any]:
    """Return a function: résumé text → the validated Resume (fails if invalid)."""
    return _load


@contextmanager
def _deadline(seconds: float) -> Iterator[None]:
    def expired(_signum: int, _frame: Any) -> None:
        raise TimeoutError(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@pytest.fixture
def deadline() -> Callable[[float], Any]:
    """A safety net against hangs (alias bombs): raise TimeoutError after ``seconds``."""
    return _deadline
