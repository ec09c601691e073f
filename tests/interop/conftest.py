"""Fixtures for the interop tests (helpers live in interop_helpers.py)."""

from __future__ import annotations

from typing import Any

import pytest
from interop_helpers import jsonresume_validator


@pytest.fixture(scope="session")
def validator() -> Any:
    """A draft-07 validator for the official JSON Resume schema, with format checks."""
    return jsonresume_validator()
