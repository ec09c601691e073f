"""What the command line changes in its own process to start faster, and that nothing
it defers is lost."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from tests.conftest import DEMO


def _python(code: str) -> str:
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True,
                          text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_metadata_stand_in_defers_the_import_and_answers_as_the_module() -> None:
    out = _python("""
        import sys
        from resumec.__main__ import defer_metadata_import
        defer_metadata_import()
        from importlib.metadata import entry_points   # as pydantic's plug-in loader does
        print("_adapters" in str(sorted(sys.modules)))
        scripts = sorted(e.name for e in entry_points(group="console_scripts"))
        import importlib.metadata
        print("resumec" in scripts, importlib.metadata.version("pydantic") > "2",
              sys.modules["importlib.metadata"] is importlib.metadata)
        """)
    assert out.splitlines() == ["False", "True True True"]


def test_a_render_never_loads_importlib_metadata() -> None:
    out = _python(f"""
        import sys, tempfile
        DEMO = {str(DEMO)!r}
        sys.argv = ["resumec", "render", DEMO, "-f", "pdf", "-f", "docx",
                    "-o", tempfile.mkdtemp()]
        from resumec.__main__ import main
        try:
            main()
        except SystemExit:
            pass
        print(type(sys.modules["importlib.metadata"]).__name__,
              hasattr(sys.modules["importlib.metadata"], "__file__"))
        """)
    assert out.splitlines()[-1] == "module False"  # still the stand-in


def test_pydantic_plugins_still_load_when_asked_for() -> None:
    out = _python("""
        import os
        os.environ["PYDANTIC_DISABLE_PLUGINS"] = "some-other-plugin"
        from resumec.__main__ import defer_metadata_import
        defer_metadata_import()
        from pydantic import TypeAdapter
        print(TypeAdapter(int).validate_python("3"))
        import sys
        print(hasattr(sys.modules["importlib.metadata"], "__file__"))
        """)
    assert out.splitlines() == ["3", "True"]  # the loader asked: the real module came
