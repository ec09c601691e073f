"""Where a warm re-render's time goes: the phases of `resumec watch`'s render, timed apart.

Usage: .venv/bin/python benchmarks/phases.py [FILE] [--runs N] [--format FMT]

Renders FILE (default: the demo) in one process the way a watch save does — load and
validate, tailor and lay out the document, render, write — first a few times untimed
(the process warms up as a watch's first render does), then N times, and prints each
phase's median in milliseconds. A measurement to read, not a test.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import tempfile
import time
from pathlib import Path

from resumec.loader import load_resume
from resumec.render import Options, run, tasks, write_outputs

ROOT = Path(__file__).resolve().parent.parent

PHASES = ("load + validate", "tailor + document", "render", "write")


def phases(source: Path, opts: Options) -> tuple[float, float, float, float]:
    """Seconds of each of :data:`PHASES` for one render of ``source``."""
    t0 = time.perf_counter()
    resume = load_resume(source, str(source))
    t1 = time.perf_counter()
    todo = tasks(resume, source, opts)
    t2 = time.perf_counter()
    outputs = run(todo, workers=1)
    t3 = time.perf_counter()
    write_outputs(outputs, source)
    t4 = time.perf_counter()
    return t1 - t0, t2 - t1, t3 - t2, t4 - t3


def main(argv: list[str] | None = None) -> None:
    """Print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", nargs="?", type=Path, default=ROOT / "resume.yaml")
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--format", default="pdf")
    args = parser.parse_args(argv)
    gc.disable()  # as the command line runs; watch collects between saves, as here
    with tempfile.TemporaryDirectory() as out:
        opts = Options(formats=(args.format,), out_dir=Path(out))
        for _ in range(3):
            phases(args.file, opts)
            gc.collect()
        times = []
        for _ in range(args.runs):
            times.append(phases(args.file, opts))
            gc.collect()
    print(f"{args.file.name}, {args.format}: median of {args.runs} warm renders")
    for name, column in zip(PHASES, zip(*times, strict=True), strict=True):
        print(f"  {name:18} {statistics.median(column) * 1000:7.1f} ms")


if __name__ == "__main__":
    main()
