"""Time resumec's commands side by side with their baselines, in one run.

Usage: .venv/bin/python benchmarks/run.py [--runs N] [--only NAME...] [--against REV]

Each row runs a command N times as a fresh process (cold: a new interpreter each
time, as a pre-commit hook or a user would), interleaved with its baseline so that
machine noise hits both alike, and prints medians and the ratio to the baseline.
These are measurements to read, not tests: nothing here passes or fails.

``--against REV`` times each row's command a third time, interleaved with the other two,
with resumec's code as of git revision REV (a temporary worktree on PYTHONPATH): an
A/B of a change under the same machine noise.

resumec keeps a per-user cache of what it derives from installed files (fonts cut to a
character set, compiled templates, parsed library declarations): the rows run with a
cache folder of their own, filled by the first (untimed) run, as on a user's machine
after their first render; the "first render" row empties it before every run.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
RESUMEC = [PY, "-m", "resumec"]
# As users run it: byte-code caches on (any value of PYTHONDONTWRITEBYTECODE, even "0",
# would make every run recompile resumec's own modules from source).
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
CACHE = Path(tempfile.mkdtemp(prefix="resumec-bench-cache-"))
ENV["RESUMEC_CACHE_DIR"] = str(CACHE)


@dataclass(frozen=True)
class Case:
    """A command to time, its baseline, and the target ratio from the issues."""

    name: str
    command: list[str]
    baseline_name: str
    baseline: list[str]
    target: float | None
    empty_cache: bool = False
    """Empty resumec's cache before each run: a user's very first render."""
    prepare: Callable[[], None] | None = None
    """Run (untimed) before each timed run of the command, e.g. to edit its input."""


def _time(cmd: list[str], cwd: Path, empty_cache: bool = False,
          env: dict[str, str] | None = None) -> float:
    if empty_cache:
        shutil.rmtree(CACHE, ignore_errors=True)
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          check=False, env=ENV if env is None else env)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{proc.stderr.decode()[-2000:]}")
    return elapsed


def _scaled_resume(roles: int, folder: Path) -> Path:
    """A résumé with ``roles`` roles of four highlights each, for the scaling rows."""
    lines = ["name: Scale Test", "headline: Benchmark", "experience:"]
    for i in range(roles):
        lines += [f"  - employer: Company {i}", f"    title: Engineer {i}",
                  f"    start: {1990 + i % 30}-01", f"    end: {1991 + i % 30}-06",
                  "    highlights:"]
        lines += [f"      - Shipped **feature {i}.{h}** that cut latency by {h + 10}% for "
                  f"[customers](https://example.com/{i})" for h in range(4)]
    path = folder / f"scale-{roles}.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


_EDITS = iter(range(1 << 30))


def _edit(path: Path) -> None:
    """Write the demo to ``path`` with one word of its summary changed, never the same."""
    text = (ROOT / "resume.yaml").read_text(encoding="utf-8")
    path.write_text(text.replace("dependable,", f"dependable ({next(_EDITS)}),", 1),
                    encoding="utf-8")


def cases(tmp: Path) -> list[Case]:
    """Every row of the table."""
    out = tmp / "out"
    demo = str(ROOT / "resume.yaml")
    edited = tmp / "edited.yaml"
    _edit(edited)
    rows = [
        Case("validate resume.yaml", [*RESUMEC, "validate", demo],
             "import pydantic", [PY, "-c", "import pydantic"], 1.3),
        Case("render --format pdf", [*RESUMEC, "render", demo, "-f", "pdf", "-o", str(out)],
             "import weasyprint", [PY, "-c", "import weasyprint"], 1.4),
        Case("first render (no cache) pdf", [*RESUMEC, "render", demo, "-f", "pdf", "-o",
                                             str(out)],
             "import weasyprint", [PY, "-c", "import weasyprint"], None, empty_cache=True),
        Case("render --format docx", [*RESUMEC, "render", demo, "-f", "docx", "-o", str(out)],
             "import docx", [PY, "-c", "import docx"], 2.5),
        Case("render --format html", [*RESUMEC, "render", demo, "-f", "html", "-o", str(out)],
             "import jinja2", [PY, "-c", "import jinja2"], None),
        Case("4 profiles x {pdf,docx}", [*RESUMEC, "render", demo, "--all-profiles", "-f",
                                          "pdf", "-f", "docx", "-o", str(out)],
             "one cold pdf", [*RESUMEC, "render", demo, "-f", "pdf", "-o", str(out)], 1.5),
        # The row above re-renders an unchanged file, whose page-budget trials the cache
        # remembers; here every run follows an edit, as in a user's edit-render loop.
        Case("4 profiles, after an edit", [*RESUMEC, "render", str(edited), "--all-profiles",
                                           "-f", "pdf", "-f", "docx", "-o", str(out)],
             "one cold pdf", [*RESUMEC, "render", demo, "-f", "pdf", "-o", str(out)], 1.5,
             prepare=lambda: _edit(edited)),
    ]
    for n in (10, 50, 200):
        path = str(_scaled_resume(n, tmp))
        rows.append(Case(f"validate {n} roles", [*RESUMEC, "validate", path],
                         "import pydantic", [PY, "-c", "import pydantic"], None))
        rows.append(Case(f"render pdf {n} roles", [*RESUMEC, "render", path, "-f", "pdf", "-o",
                                                   str(out)],
                         "import weasyprint", [PY, "-c", "import weasyprint"], None))
    return rows


WATCHED = (("watch: save -> new PDF", ROOT / "resume.yaml"),
           ("watch, 2 pages (narrative)", ROOT / "examples" / "narrative.yaml"),
           ("watch, 1 page (minimal)", ROOT / "examples" / "minimal.yaml"))
"""The demo (4 pages) and two examples of the usual lengths."""


def watch_latency(runs: int, tmp: Path, source: Path = ROOT / "resume.yaml") -> list[float]:
    """Seconds from saving ``source`` (its headline edited) to an updated PDF, with
    ``resumec watch`` running."""
    src = tmp / "watched.yaml"
    text = source.read_text(encoding="utf-8")
    if "\nheadline: " not in text:
        raise ValueError(f"{source} has no headline to edit")
    src.write_text(text, encoding="utf-8")
    pdf = tmp / "wout" / "watched.pdf"
    proc = subprocess.Popen([*RESUMEC, "watch", str(src), "-f", "pdf", "-o", str(tmp / "wout")],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=ENV)
    try:
        assert proc.stdout is not None
        while "watching" not in proc.stdout.readline():
            pass
        times = []
        for i in range(runs):
            before = pdf.stat().st_mtime_ns
            start = time.perf_counter()
            src.write_text(text.replace("\nheadline: ", f"\nheadline: {i} ", 1),
                           encoding="utf-8")
            while pdf.stat().st_mtime_ns == before:
                time.sleep(0.005)
            times.append(time.perf_counter() - start)
            time.sleep(0.3)
        return times
    finally:
        proc.terminate()
        proc.wait(10)


@contextmanager
def _worktree(rev: str | None, tmp: Path) -> Iterator[dict[str, str] | None]:
    """The environment that runs resumec as of ``rev`` (None without a revision)."""
    if rev is None:
        yield None
        return
    tree = tmp / "against"
    subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "--quiet", str(tree),
                    rev], check=True)
    try:
        yield {**ENV, "PYTHONPATH": str(tree / "src")}
    finally:
        subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)],
                       check=False)


@contextmanager
def _removed(folder: Path) -> Iterator[None]:
    try:
        yield
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _paired(ours: list[float], base: list[float]) -> str:
    """The median and quartiles of each run's ratio to the baseline run just before it.

    The ratio of medians can move when the machine's speed drifts during a row; a run and
    the baseline timed a moment before it share that drift, so their ratios spread less.
    """
    ratios = sorted(o / b for o, b in zip(ours, base, strict=True))
    if len(ratios) < 4:
        return f"{statistics.median(ratios):.2f}x"
    q1, q2, q3 = statistics.quantiles(ratios, n=4)
    return f"{q2:.2f}x ({q1:.2f}-{q3:.2f})"


def main(argv: list[str] | None = None) -> None:
    """Run the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--only", nargs="*", default=None, help="substrings of row names")
    parser.add_argument("--against", metavar="REV", default=None,
                        help="also time each command with resumec as of this git revision")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as d, _removed(CACHE), \
            _worktree(args.against, Path(d)) as old_env:
        tmp = Path(d)
        rows = [c for c in cases(tmp) if not args.only or any(s in c.name for s in args.only)]
        print(f"median of {args.runs} cold runs each; {os.cpu_count()} cores; "
              f"python {sys.version.split()[0]}")
        against = f"  {'@' + args.against[:10]:>12}" if args.against else ""
        print(f"{'command':28} {'median':>8}  {'baseline':20} {'median':>8}  {'ratio':>6}  target"
              f"    {'paired (IQR)':>17}{against}")
        for case in rows:
            _time(case.command, ROOT)  # warm the OS file cache and .pyc files once
            if old_env is not None:
                _time(case.command, ROOT, env=old_env)
            ours: list[float] = []
            base: list[float] = []
            old: list[float] = []
            for _ in range(args.runs):
                base.append(_time(case.baseline, ROOT))
                if case.prepare:
                    case.prepare()
                ours.append(_time(case.command, ROOT, case.empty_cache))
                if old_env is not None:
                    if case.prepare:
                        case.prepare()
                    old.append(_time(case.command, ROOT, case.empty_cache, old_env))
            m, b = statistics.median(ours), statistics.median(base)
            target = f"<= {case.target}x" if case.target else ""
            then = (f"  {statistics.median(old) * 1000:6.0f}ms {statistics.median(old) / b:4.2f}x"
                    if old else "")
            print(f"{case.name:28} {m * 1000:7.0f}ms  {case.baseline_name:20} {b * 1000:7.0f}ms"
                  f"  {m / b:5.2f}x  {target:8}  {_paired(ours, base):>17}{then}", flush=True)
        for name, source in WATCHED:
            if not args.only or any(s in name for s in args.only):
                w = statistics.median(watch_latency(args.runs, tmp, source))
                print(f"{name:28} {w * 1000:7.0f}ms  {'(target 300ms)':20}", flush=True)


if __name__ == "__main__":
    main()
