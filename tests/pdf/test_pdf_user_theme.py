"""A user's theme folder that ``extends: classic`` overrides only what it ships."""

from __future__ import annotations

import pytest
from pdf_helpers import DEMO, EXAMPLES, USER_THEMES, outline_titles, render

pytestmark = pytest.mark.slow
MINIMAL = next(p for p in EXAMPLES if p.stem == "minimal")


def test_token_title_and_css_overrides() -> None:
    r = render(MINIMAL, USER_THEMES / "acme")
    assert r.warnings == []
    # The token reaches the CSS; the parent's other tokens are kept.
    assert "--color-accent: #aa0055;" in r.html
    assert '--font-body: "Source Serif 4"' in r.html
    # The child's CSS follows the parent's, which is still there.
    assert r.html.index(".headline::after") > r.html.index("classic: one column")
    # The title token renames the section everywhere.
    assert ">Work history</h2>" in r.html
    assert "Work history" in outline_titles(r.reader())
    text = r.pdftotext()
    assert "WORK HISTORY" in text  # classic's headings are upper case
    assert "Backend Developer (acme)" in text


def test_template_override_can_extend_the_parents_template() -> None:
    r = render(DEMO, USER_THEMES / "acme-layout")
    assert '<meta name="x-theme" content="acme-layout">' in r.html
    assert "Layout override by acme-layout" in r.html
    assert 'class="masthead"' in r.html  # the rest is classic's
    assert "Layout override by acme-layout" in r.pypdf_text()
