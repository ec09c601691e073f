"""What resumec's fast paths in WeasyPrint's layout save: warm renders with and without.

Usage: .venv/bin/python benchmarks/speedups.py [FILE ...] [--pairs N] [--lines-only]

For each FILE (default: the demo and the examples), renders its PDF in one warm process
as a watch save does, alternately with :mod:`resumec.backends.speedups` applied and with
WeasyPrint's own functions (in ABBA order, so that neither side always runs first), and
prints the median CPU time of each side, their ratio, and the median and quartiles of
the per-pair ratio. CPU time, not wall time: the comparison is of work done, and this
host's clock speed drifts. With ``--lines-only``, only the remembered lines of text
(``split_first_line``) are switched; the other fast paths stay on both sides. A
measurement to read, not a test.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import tempfile
import time
from pathlib import Path

from resumec.backends import speedups
from resumec.backends.libs import quick_library_lookup
from resumec.loader import load_resume
from resumec.render import Options, run, tasks

ROOT = Path(__file__).resolve().parent.parent


def _cpu_seconds(source: Path, opts: Options) -> float:
    todo = tasks(load_resume(source, str(source)), source, opts)
    start = time.process_time()
    run(todo, workers=1)
    spent = time.process_time() - start
    gc.collect()
    return spent


def _set(applied: bool) -> None:
    """Apply the fast paths, or revert them and keep renders from re-applying them."""
    if LINES_ONLY:
        from weasyprint.text import line_break

        now = line_break.split_first_line
        speedups._rebind("split_first_line", now, _FAST_LINES if applied
                         else speedups.ORIGINAL["split_first_line"])
        return
    speedups.apply = _APPLY if applied else (lambda: False)  # type: ignore[assignment]
    if applied:
        _APPLY()
    else:
        speedups.revert()


_APPLY = speedups.apply
LINES_ONLY = False
_FAST_LINES: object = None


def compare(source: Path, pairs: int) -> str:
    """One line of the table for ``source``."""
    with tempfile.TemporaryDirectory() as out:
        opts = Options(formats=("pdf",), out_dir=Path(out))
        for applied in (False, True, True):  # each side's caches fill
            _set(applied)
            _cpu_seconds(source, opts)
        own: list[float] = []
        fast: list[float] = []
        for index in range(pairs):
            for applied in ((False, True) if index % 2 == 0 else (True, False)):
                _set(applied)
                (fast if applied else own).append(_cpu_seconds(source, opts))
    _set(True)
    ratios = sorted(f / o for o, f in zip(own, fast, strict=True))
    quartiles = statistics.quantiles(ratios, n=4)
    a, b = statistics.median(own) * 1000, statistics.median(fast) * 1000
    return (f"{source.name:<22} {a:8.1f} {b:8.1f}   {b / a:.3f}   "
            f"{quartiles[1]:.3f} ({quartiles[0]:.3f}-{quartiles[2]:.3f})")


def main(argv: list[str] | None = None) -> None:
    """Print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--pairs", type=int, default=20)
    parser.add_argument("--lines-only", action="store_true",
                        help="switch only the remembered lines of text")
    args = parser.parse_args(argv)
    files = args.files or [ROOT / "resume.yaml", *sorted((ROOT / "examples").glob("*.yaml"))]
    with quick_library_lookup():
        import weasyprint  # noqa: F401 - applies the fast paths
    if not speedups.ORIGINAL:
        raise SystemExit("the fast paths are not applied on this WeasyPrint: nothing to compare")
    global LINES_ONLY, _FAST_LINES
    if args.lines_only:
        from weasyprint.text import line_break

        LINES_ONLY, _FAST_LINES = True, line_break.split_first_line
    gc.disable()  # as the command line runs; watch collects between saves, as here
    print(f"median CPU ms of a warm PDF render, {args.pairs} ABBA pairs")
    print(f"{'file':<22} {'weasyprint':>8} {'fast':>8}   ratio   paired (IQR)")
    for source in files:
        print(compare(source, args.pairs), flush=True)


if __name__ == "__main__":
    main()
