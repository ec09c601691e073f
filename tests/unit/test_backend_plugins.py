"""Third-party formats through the ``resumec.backends`` entry-point group.

Each test installs a fake distribution into a folder on PYTHONPATH and asks a fresh
process, as a user's ``resumec`` would.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from tests.conftest import DEMO

PLUGIN = '''
class Upper:
    name = "{name}"
    suffix = "up"
    description = "the résumé's name in capitals"

    def render(self, job):
        return job.resume.name.upper().encode()
'''


def _install(site: Path, dist: str, entry_points: str, module: str = "") -> None:
    info = site / f"{dist}-1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {dist}\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(textwrap.dedent(entry_points))
    if module:
        (site / f"{dist}.py").write_text(module)


def _python(site: Path, code: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(site), *sys.path])}
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True,
                          text=True, env=env, timeout=120, check=False)


def test_an_installed_plugin_is_found_and_renders(tmp_path: Path) -> None:
    _install(tmp_path / "site", "upperfmt", "[resumec.backends]\nup = upperfmt:Upper\n",
             PLUGIN.format(name="up"))
    done = _python(tmp_path / "site", textwrap.dedent("""
        import sys
        from pathlib import Path
        from resumec import backends
        from resumec.loader import load_resume
        from resumec.render import document_for
        from resumec.themes import load_theme
        resume, theme = load_resume(Path(sys.argv[1])), load_theme()
        job = backends.RenderJob(resume, document_for(resume, theme), theme, "a4", Path("."))
        print(backends.names()[-1], backends.get("up").render(job).decode())
        """), str(DEMO))
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["up", "INÊS", "CARVALHO"]


def test_a_plugin_taking_a_builtin_name_is_refused(tmp_path: Path) -> None:
    _install(tmp_path / "site", "badfmt", "[resumec.backends]\npdf = badfmt:Upper\n",
             PLUGIN.format(name="pdf"))
    done = _python(tmp_path / "site",
                   "from resumec import backends\n"
                   "try:\n    backends.names()\n"
                   "except Exception as e:\n    print(e)")
    assert "backend 'pdf' from badfmt duplicates the one from resumec" in done.stdout


def test_other_entry_points_do_not_load_the_metadata_machinery(tmp_path: Path) -> None:
    _install(tmp_path / "site", "otherpkg", "[console_scripts]\nother = otherpkg:main\n")
    done = _python(tmp_path / "site",
                   "import sys\nfrom resumec import backends\n"
                   "print(backends.names(), 'importlib.metadata' in sys.modules)")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().endswith("False")
    assert "'pdf'" in done.stdout


def test_a_zipped_path_entry_is_searched_the_full_way(tmp_path: Path) -> None:
    import zipfile

    archive = tmp_path / "plugins.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("zipfmt-1.0.dist-info/METADATA", "Metadata-Version: 2.1\nName: zipfmt\n"
                   "Version: 1.0\n")
        z.writestr("zipfmt-1.0.dist-info/entry_points.txt",
                   "[resumec.backends]\nzup = zipfmt:Upper\n")
        z.writestr("zipfmt.py", PLUGIN.format(name="zup"))
    done = _python(archive, "from resumec import backends\nprint(backends.names())")
    assert done.returncode == 0, done.stderr
    assert "'zup'" in done.stdout
