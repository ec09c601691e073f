"""pydantic-core's engine loaded on its own, and handed over when the package is imported.

``resumec validate`` loads the extension module without ``pydantic_core/__init__`` (see
``resumec.schema.corelib``); a later ``import pydantic_core`` must still give the usual
package around that one module. Each case runs in a fresh interpreter: in this one,
pydantic is long imported.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap


def _run(code: str) -> list[str]:
    proc = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True,
                          text=True, check=True)
    return proc.stdout.split()


def test_the_engine_loads_without_the_package_and_validates() -> None:
    out = _run("""
        import sys
        from resumec.schema import corelib
        v = corelib.SchemaValidator({"type": "int"})
        try:
            v.validate_python("x")
        except corelib.ValidationError as exc:
            kind = exc.errors(include_url=False)[0]["type"]
        print(kind, "pydantic_core" in sys.modules, "pydantic_core.core_schema" in sys.modules,
              "pydantic" in sys.modules, "typing" in sys.modules)
    """)
    assert out == ["int_parsing", "False", "False", "False", "False"]


def test_a_later_import_of_the_package_shares_the_one_extension_module() -> None:
    out = _run("""
        import sys
        from resumec.schema import corelib
        first = corelib.ValidationError
        import pydantic_core, pydantic
        ext = sys.modules["pydantic_core._pydantic_core"]
        print(pydantic_core.ValidationError is first,
              pydantic_core._pydantic_core is ext,
              type(ext.__spec__.loader).__name__,
              ext.__spec__.origin == ext.__file__,
              any(type(f).__name__ == "_Handover" for f in sys.meta_path))

        class M(pydantic.BaseModel):
            x: int
        try:
            M(x="y")
        except first as exc:  # pydantic's errors are the engine's class
            print(exc.error_count())
    """)
    assert out == ["True", "True", "ExtensionFileLoader", "True", "False", "1"]


def test_the_package_imported_first_is_used_as_it_is() -> None:
    out = _run("""
        import sys
        import pydantic_core
        from resumec.schema import corelib
        print(corelib.SchemaValidator is pydantic_core.SchemaValidator,
              corelib.__version__ == pydantic_core.__version__,
              any(type(f).__name__ == "_Handover" for f in sys.meta_path))
    """)
    assert out == ["True", "True", "False"]
