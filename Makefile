# The two commands of the README. Each one sets up whatever is missing first.
.PHONY: demo test lint bench schema

demo:  ## set up, then render the demo résumé to out/ (PDF and DOCX)
	@scripts/setup.sh
	.venv/bin/resumec render resume.yaml --format pdf --format docx --out-dir out

test:  ## set up, then run lint, types and the whole test suite
	@scripts/setup.sh --test
	.venv/bin/ruff check src tests benchmarks
	.venv/bin/mypy
	.venv/bin/python -m pytest -q

bench:  ## timing tables (not part of the tests)
	@scripts/setup.sh --test
	.venv/bin/python benchmarks/run.py

schema:  ## regenerate the compiled schema and the JSON Schema after editing the models
	@scripts/setup.sh
	.venv/bin/python -m resumec.schema.compile
	.venv/bin/resumec schema > schema/resume.schema.json
