"""Every JSON Resume file of the public corpus renders to PDF and DOCX with all its text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from resumec.interop import detect
from tests.conftest import CORPUS
from tests.docx.docxkit import body_text, reopen
from tests.docx.docxkit import render as render_docx
from tests.pdf.pdf_helpers import assert_all_present, expected_pieces, make_job
from tests.pdf.pdf_helpers import render as render_pdf_and_html

JSON_RESUMES = [p for p in sorted(CORPUS.glob("*.json"))
                if detect(json.loads(p.read_text(encoding="utf-8"))) == "jsonresume"]


@pytest.mark.parametrize("path", JSON_RESUMES, ids=lambda p: p.name)
def test_json_resume_renders_to_pdf_and_docx_with_all_its_text(path: Path) -> None:
    rendered = render_pdf_and_html(path, "classic")
    pieces = expected_pieces(rendered.job.document, "classic")
    assert len(pieces) > 5
    assert_all_present(pieces, rendered.pypdf_text(), f"{path.name} PDF")
    docx_text = body_text(reopen(render_docx(make_job(path, "classic", []))))
    assert_all_present(pieces, docx_text, f"{path.name} DOCX")


def test_the_corpus_has_json_resume_files() -> None:
    assert len(JSON_RESUMES) >= 6
