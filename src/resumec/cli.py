"""The ``resumec`` command line: a thin typer app over the pipeline.

Takes arguments; gives files and messages. A :class:`~resumec.errors.ResumecError`
prints its issues to stderr and exits 1 with no traceback; any other exception is a
bug in resumec and keeps its traceback.
"""

from __future__ import annotations

import contextlib
import functools
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from resumec import __version__
from resumec.errors import ResumecError, terminal_safe

app = typer.Typer(
    name="resumec",
    help="Compile one validated resume.yaml to PDF, Word DOCX, HTML, Markdown, text and "
    "JSON Resume.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

F = TypeVar("F", bound=Callable[..., Any])


def _err(message: str) -> None:
    """Say ``message`` on stderr, on one line, with nothing a terminal would act on."""
    print(terminal_safe(message), file=sys.stderr)


def user_errors(fn: F) -> F:
    """Print a ResumecError's issues and exit 1; let real bugs keep their traceback."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except ResumecError as exc:
            for issue in exc.issues:
                _err(str(issue))
            raise typer.Exit(1) from None

    return wrapper  # type: ignore[return-value]


def _version(value: bool) -> None:
    if value:
        print(f"resumec {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
) -> None:
    """Compile one validated resume.yaml to the documents a person sends."""


@app.command()
def validate(
    files: Annotated[list[Path], typer.Argument(help="Résumé files (YAML or JSON).")],
) -> None:
    """Check résumé files; print every problem as FILE:LINE:COL: path: message."""
    from resumec.loader import validate_files

    if validate_files(files, sys.stderr):
        raise typer.Exit(1)


@app.command()
@user_errors
def render(
    file: Annotated[Path, typer.Argument(help="The résumé (YAML or JSON).")],
    formats: Annotated[list[str] | None, typer.Option(
        "--format", "-f", help="Output format; repeat for several. Default: pdf and docx "
        "(or the profile's). Formats: pdf, docx, html, md, txt, json, and installed plug-ins.",
    )] = None,
    theme: Annotated[str | None, typer.Option(
        "--theme", "-t", help="A built-in theme's name (see `resumec themes`) or a theme folder.",
    )] = None,
    out_dir: Annotated[Path, typer.Option("--out-dir", "-o", help="Where to write.")] = Path(
        "out"),
    paper: Annotated[str | None, typer.Option(help="Paper size: a4 or letter.")] = None,
    profile: Annotated[list[str] | None, typer.Option(
        "--profile", "-p", help="Render a tailored variant; repeat for several.")] = None,
    all_profiles: Annotated[bool, typer.Option(
        "--all-profiles", help="Render every profile in the résumé.")] = False,
    include_private: Annotated[bool, typer.Option(
        "--include-private", help="Keep items marked private: true.")] = False,
    explain: Annotated[bool, typer.Option(
        "--explain", help="Print what each profile keeps and drops, and why; write nothing.",
    )] = False,
    max_pages: Annotated[int | None, typer.Option(
        "--max-pages", min=1, max=20, help="Fit on at most N pages by tightening the theme "
        "within its bounds, or fail naming what overflows (never truncates).")] = None,
) -> None:
    """Render a résumé to files in the output folder; print each path written."""
    from resumec import backends
    from resumec.errors import did_you_mean
    from resumec.loader import load_resume
    from resumec.render import Options, run, tasks, write_outputs

    if paper is not None and paper not in ("a4", "letter"):
        raise ResumecError(f"--paper: expected a4 or letter, got '{paper}'"
                           + did_you_mean(paper, ["a4", "letter"]))
    known = backends.names()
    for fmt in formats or ():
        if fmt not in known:
            raise ResumecError(f"--format: no format '{fmt}'{did_you_mean(fmt, known)} "
                               f"(formats: {', '.join(known)})")
    resume = load_resume(file, str(file), warn=_err)
    names: list[str | None] = list(profile or [])
    if all_profiles:
        names = list(dict.fromkeys([*names, *resume.profiles]))
        if not names:
            raise ResumecError(f"{file}: --all-profiles: this résumé has no profiles")
    if explain:
        _explain(resume, names or [None], include_private)
        return
    opts = Options(formats=tuple(formats or ()), theme=theme, paper=paper, out_dir=out_dir,
                   profiles=tuple(names or [None]), include_private=include_private,
                   max_pages=max_pages)
    todo = tasks(resume, file, opts, warn=lambda m: _err(f"warning: {m}"))

    def progress(task: Any, done: int, total: int) -> None:
        if total > 1:
            _err(f"[{done}/{total}] rendered {task.path}")

    for path in write_outputs(run(todo, progress), file):
        print(path)


@app.command()
@user_errors
def watch(
    file: Annotated[Path, typer.Argument(help="The résumé (YAML or JSON).")],
    formats: Annotated[list[str] | None, typer.Option(
        "--format", "-f", help="Output format; repeat for several. Default: pdf.")] = None,
    theme: Annotated[str | None, typer.Option("--theme", "-t", help="Theme name or folder.")
                     ] = None,
    out_dir: Annotated[Path, typer.Option("--out-dir", "-o", help="Where to write.")] = Path(
        "out"),
    paper: Annotated[str | None, typer.Option(help="Paper size: a4 or letter.")] = None,
    profile: Annotated[str | None, typer.Option("--profile", "-p", help="A profile.")] = None,
    include_private: Annotated[bool, typer.Option(
        "--include-private", help="Keep items marked private: true.")] = False,
) -> None:
    """Re-render on every save, keeping the last good output while the file is invalid."""
    from resumec import backends
    from resumec.render import Options
    from resumec.watch import watch as watch_file

    fmts = tuple(formats or ("pdf",))
    for fmt in fmts:
        backends.get(fmt).render  # noqa: B018 - import the engines once, up front
    opts = Options(formats=fmts, theme=theme, paper=paper, out_dir=out_dir,
                   profiles=(profile,), include_private=include_private)
    with contextlib.suppress(KeyboardInterrupt):
        watch_file(file, opts, say=lambda m: print(terminal_safe(m)), warn=_err)


def _explain(resume: Any, names: list[str | None], include_private: bool) -> None:
    from resumec.tailor import explain as explain_profile
    from resumec.tailor import resolve_profile

    for name in names:
        if name is not None:
            resolve_profile(resume, name)
        decisions = explain_profile(resume, name, include_private=include_private)
        print(f"{name or '(no profile)'}: drops {len(decisions)} item"
              f"{'' if len(decisions) == 1 else 's'}")
        for d in decisions:
            print(f"  - {d.path}: {d.reason}")


@app.command()
def schema() -> None:
    """Print the résumé JSON Schema (for editors: yaml-language-server, VS Code)."""
    from resumec.schema.export import json_schema

    print(json.dumps(json_schema(), indent=2, ensure_ascii=False))


STARTER = """\
# yaml-language-server: $schema={schema}
# A résumé for resumec. Check it with `resumec validate {name}`, build it with
# `resumec render {name}`. Text fields take inline Markdown: **bold**, *italic*, [links](https://…).
name: Your Name
headline: What you do, in one line
contact:
  email: you@example.com
  location: City, Country
  links:
    - label: GitHub
      url: https://github.com/you
summary: |
  Two or three sentences on what you do best and what you are looking for.
experience:
  - employer: Company
    title: Your title
    start: 2021-03
    end: present
    highlights:
      - What you achieved, with a number if you can.
education:
  - institution: University
    degree: BSc
    area: Your subject
    start: 2014
    end: 2017
skills:
  - name: Languages
    items: [Python, SQL]
"""


@app.command()
@user_errors
def new(
    file: Annotated[Path, typer.Argument(help="Where to write the starter résumé.")] = Path(
        "resume.yaml"),
) -> None:
    """Write a starter résumé (and its JSON Schema beside it); never overwrite a file."""
    _write_new(file, STARTER.format(schema=SCHEMA_FILE, name=file.name))
    print(file)


SCHEMA_FILE = "resume.schema.json"


def _write_new(file: Path, text: str) -> None:
    """Write ``text`` to a new file (never over an existing one, never through a link),
    with the schema beside it unless something is already there."""
    from resumec.render import write_new
    from resumec.schema.export import json_schema

    if not write_new(file, text.encode("utf-8")):
        raise ResumecError(f"{file}: already exists; not overwriting it")
    schema = json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"
    try:
        write_new(file.parent / SCHEMA_FILE, schema.encode("utf-8"))
    except ResumecError as exc:  # the résumé is written; the schema only helps editors
        _err(f"warning: {exc}")


@app.command(name="import")
@user_errors
def import_(
    file: Annotated[Path, typer.Argument(help="A JSON Resume (.json), RenderCV or FRESH file.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="The resumec YAML to write.")
                      ] = Path("resume.yaml"),
) -> None:
    """Convert another tool's résumé to resumec YAML; report every field changed or dropped."""
    from resumec.interop import convert
    from resumec.interop.located import note_issue
    from resumec.interop.yamlout import dump_yaml
    from resumec.loader import Source, load_source, validate

    source = load_source(file, str(file))
    fmt, data, notes = convert(source.data, base_dir=file.parent)
    if fmt == "resumec":
        raise ResumecError(f"{file}: already a resumec résumé; nothing to import")
    validate(Source(str(output), data), output.parent)
    _write_new(output, dump_yaml(data, header=SCHEMA_FILE))
    for note in sorted(note_issue(source, note) for note in notes):
        _err(str(note))
    print(output)


@app.command()
@user_errors
def themes() -> None:
    """List the built-in themes: name, then a one-line description."""
    from resumec.themes import builtin_names, load_theme

    names = builtin_names()
    width = max((len(n) for n in names), default=0)
    for name in names:
        print(f"{name.ljust(width)}  {load_theme(name).description}")


@app.command()
@user_errors
def profiles(
    file: Annotated[Path, typer.Argument(help="The résumé.")],
) -> None:
    """List the résumé's profiles: name, description, and what each keeps and drops."""
    from resumec.loader import load_resume
    from resumec.tailor import explain as explain_profile
    from resumec.tailor import resolve_profile

    resume = load_resume(file, str(file))
    if not resume.profiles:
        print(f"{file}: no profiles")
        return
    width = max(len(n) for n in resume.profiles)
    for name in resume.profiles:
        p = resolve_profile(resume, name)
        dropped = explain_profile(resume, name)
        kept = list(p.sections or resume.section_order)
        print(f"{name.ljust(width)}  {p.description or '(no description)'} — "
              f"{len(kept)} sections, drops {len(dropped)} item"
              f"{'' if len(dropped) == 1 else 's'}")
