"""``python -m resumec`` and the ``resumec`` console script.

``resumec validate FILE...`` runs on every commit through the pre-commit hook, so it
skips the command-line framework entirely: plain file arguments go straight to the
validator (the compiled schema: no pydantic models). Everything else (and validate
with options, e.g. --help) goes through typer.

Every command ends without the interpreter's teardown — freeing every module and object
one by one, a sixth of a validation and ~0.13 s of a render — once its output is
flushed and, for commands through typer, the exit handlers (temporary font folders,
Pango's objects, log handlers) have run.
"""

from __future__ import annotations

import atexit
import contextlib
import gc
import os
import sys

_EXIT_STATUS: list[int] = []
"""The status a command ended with, for :func:`_end_without_teardown`."""


def defer_metadata_import() -> None:
    """Put a stand-in for :mod:`importlib.metadata` in place until it is really used.

    pydantic's plug-in loader imports ``entry_points`` from it (~20 ms: the module and
    the e-mail parser it brings) the first time a validator is built, then — with
    ``PYDANTIC_DISABLE_PLUGINS``, as resumec runs it — never calls it. The stand-in hands
    out ``entry_points`` as a function that imports the real module when called; any
    other name imports the real module at once, which then replaces the stand-in.
    """
    if "importlib.metadata" not in sys.modules:
        from resumec.lazy import stand_in

        stand_in("importlib.metadata", ("entry_points",))


def main() -> None:
    """Run the command line."""
    # A command runs once and exits. Python's cycle collector would spend 10–20 % of a
    # render walking objects that reference counting frees anyway (the 200-role benchmark
    # peaks at 165 MB without it, 156 MB with it). `resumec watch`, which runs for hours,
    # collects after each render (see resumec.watch).
    gc.disable()
    # pydantic otherwise scans every installed package's entry points for plug-ins.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    defer_metadata_import()
    args = sys.argv[1:]
    if len(args) > 1 and args[0] == "validate" and not any(a.startswith("-") for a in args[1:]):
        from pathlib import Path

        from resumec.loader import validate_files

        code = validate_files([Path(a) for a in args[1:]], sys.stderr)
        _flush()
        os._exit(code)  # nothing was set up that needs an exit handler
    # Registered first, so it runs last: after every exit handler registered later.
    atexit.register(_end_without_teardown)
    from resumec.cli import app

    try:
        app()  # ends with SystemExit, as click does
    except SystemExit as exc:
        _EXIT_STATUS.append(exc.code if isinstance(exc.code, int) else 0 if exc.code is None
                            else 1)  # Python prints a message code itself, then exits 1
        raise


def _flush() -> None:
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError):  # a closed pipe: nothing more to say
            stream.flush()


def _end_without_teardown() -> None:
    """The last exit handler: end the process now, with the command's status.

    Only after a command ended normally (a SystemExit); a crash or Ctrl-C gets Python's
    own ending (its traceback, its signal status).
    """
    if _EXIT_STATUS:
        _flush()
        os._exit(_EXIT_STATUS[-1])


if __name__ == "__main__":
    main()
