"""Golden HTML for each built-in theme with the demo résumé.

Regenerate after a deliberate change with ``RESUMEC_REGEN_GOLDEN=1 pytest tests/pdf`` and
review the diff like code. Embedded font data and the version are masked, so a font
package update does not churn the files.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from pdf_helpers import DEMO, THEMES, make_job

from resumec import __version__
from resumec.backends.html import render_page

GOLDEN = Path(__file__).parent / "golden"
_FONT_DATA = re.compile(r"data:font/(woff|ttf);base64,[A-Za-z0-9+/=]+")


def normalise_html(page: str) -> str:
    """The page with font data and the version masked."""
    page = _FONT_DATA.sub(r"data:font/\1;base64,…", page)
    return page.replace(f"resumec {__version__}", "resumec VERSION")


@pytest.mark.parametrize("theme", THEMES)
def test_html_matches_golden(theme: str) -> None:
    page = normalise_html(render_page(make_job(DEMO, theme, [])))
    golden = GOLDEN / f"{theme}.html"
    if os.environ.get("RESUMEC_REGEN_GOLDEN") == "1" or not golden.exists():
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(page, encoding="utf-8")
        if os.environ.get("RESUMEC_REGEN_GOLDEN") != "1":
            pytest.fail(f"{golden} did not exist; written — review and commit it")
    assert page == golden.read_text(encoding="utf-8"), (
        f"{theme}: the HTML differs from {golden}; if intended, regenerate with "
        "RESUMEC_REGEN_GOLDEN=1 and review the diff")


def test_golden_masks_only_font_data() -> None:
    page = normalise_html(render_page(make_job(DEMO, "classic", [])))
    assert "data:font/woff;base64,…" in page
    assert "Inês Carvalho" in page and ";base64,d09G" not in page
