"""``python -m resumec`` and the ``resumec`` console script.

``resumec validate FILE...`` runs on every commit through the pre-commit hook, so it
skips the command-line framework entirely: plain file arguments go straight to the
validator (the compiled schema: no pydantic models), and the process ends without the
interpreter's teardown. Everything else (and validate with options, e.g. --help) goes
through typer.
"""

from __future__ import annotations

import contextlib
import gc
import os
import sys


def main() -> None:
    """Run the command line."""
    # A command runs once and exits. Python's cycle collector would spend 10–20 % of a
    # render walking objects that reference counting frees anyway (the 200-role benchmark
    # peaks at 165 MB without it, 156 MB with it). `resumec watch`, which runs for hours,
    # collects after each render (see resumec.watch).
    gc.disable()
    # pydantic otherwise scans every installed package's entry points for plug-ins.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    args = sys.argv[1:]
    if len(args) > 1 and args[0] == "validate" and not any(a.startswith("-") for a in args[1:]):
        from pathlib import Path

        from resumec.loader import validate_files

        code = validate_files([Path(a) for a in args[1:]], sys.stderr)
        # Nothing is left to clean up: skip the interpreter's teardown of every module
        # and object, a sixth of a validation's time.
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(OSError):  # a closed pipe: nothing more to say
                stream.flush()
        os._exit(code)
    from resumec.cli import app

    app()


if __name__ == "__main__":
    main()
