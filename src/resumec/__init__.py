"""resumec: one validated résumé source compiled to PDF, Word DOCX, HTML, Markdown, text and
JSON Resume."""

__version__ = "0.1.0"
