"""Page budgets, cheaper: stop a trial layout past the budget, and remember verdicts.

A page budget (``max_pages``) is fitted by laying the résumé out at the theme's density
steps until one fits (:func:`resumec.render.fit_pages`). Each trial is a full layout,
the slowest part of a render; three things make them cheaper, none changing which step
is chosen:

- **Stopping early.** A trial that will not fit stops as soon as the page after the
  budget would begin (:func:`stop_after`): the rest of the layout decides nothing.
- **Remembering verdicts.** That a layout runs past the budget is a fact of its inputs
  (the HTML, the stylesheets, the fonts' bytes, the files it may load and the versions of
  the layout engine): it is kept in the per-user cache under a digest of all of them
  (:func:`trial_key`), so an unchanged résumé's failing trials are not laid out again.
  Only a number is stored — the pages the layout reached — never the résumé's text.
- **Starting where it ended last time.** The step a profile needed last time
  (:func:`last_step`) is tried first, then its neighbour: after an edit, two trials
  usually decide instead of three.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from pathlib import Path
from typing import Any

from resumec import cache as user_cache

KIND = "fits"
"""The cache kind holding trial verdicts and each profile's last step."""
TESTED_WEASYPRINT = ("70",)
"""WeasyPrint major versions whose pagination loop :func:`stop_after` is known to match
(it wraps an internal function); with any other, trials are laid out in full."""

_LIMIT: ContextVar[int | None] = ContextVar("resumec_page_limit", default=None)


class PastBudget(Exception):
    """Raised out of a layout when a page past the budget would begin."""


@cache
def _hooked() -> bool:
    """Wrap WeasyPrint's page maker once, so that a layout can stop past a budget.

    ``weasyprint.layout.page.make_all_pages`` makes each page with ``remake_page`` and
    goes on to another page while the one made returns where to resume (or holds
    footnotes to carry over): the wrapper raises :class:`PastBudget` instead of letting
    it go on past the limit :func:`stop_after` set. With no limit set it changes nothing.
    """
    try:
        import weasyprint
        from weasyprint.layout import page as pages
    except ImportError:
        return False
    original = getattr(pages, "remake_page", None)
    if weasyprint.__version__.split(".")[0] not in TESTED_WEASYPRINT or not callable(original):
        return False

    def remake_page(index: int, context: Any, root_box: Any, html: Any) -> Any:
        page, resume_at = original(index, context, root_box, html)
        limit = _LIMIT.get()
        if limit is not None and index + 1 >= limit and (
                resume_at is not None or context.reported_footnotes):
            raise PastBudget
        return page, resume_at

    pages.remake_page = remake_page
    return True


@contextmanager
def stop_after(limit: int | None) -> Iterator[bool]:
    """Within the block, a layout running past ``limit`` pages raises :class:`PastBudget`.

    Yields whether it will: False with no limit, or on a WeasyPrint this is not tested
    with (the layout then runs to the end).
    """
    active = limit is not None and _hooked()
    token = _LIMIT.set(limit if active else None)
    try:
        yield active
    finally:
        _LIMIT.reset(token)


# --- verdicts ----------------------------------------------------------------------------------


@cache
def engine_versions() -> str:
    """The versions a layout depends on: WeasyPrint's, Pango's and HarfBuzz's."""
    import weasyprint
    from weasyprint.text.ffi import pango

    from resumec.backends.htmlkit import harfbuzz

    hb = harfbuzz()
    return f"weasyprint {weasyprint.__version__}; pango {pango.pango_version()}; " \
           f"harfbuzz {hb.version if hb else '-'}"


def stamp(path: Path) -> str:
    """A file's identity for a key: where it resolves to, its size and modification time."""
    try:
        real = path.resolve()
        st = real.stat()
    except OSError:
        return f"{path}: missing"
    return f"{real}: {st.st_size} {st.st_mtime_ns}"


STAMPED_FILES_MAX = 2000
"""Theme folders holding more files than this are not stamped (nor trials remembered):
walking them at every trial would cost more than the layout it saves."""


def folder_stamps(folders: tuple[Path, ...]) -> str | None:
    """Every file under ``folders`` (a theme's), stamped: what its stylesheets may load.
    None when they hold more than :data:`STAMPED_FILES_MAX` files."""
    out: list[str] = []
    for top in folders:
        for root, dirs, files in os.walk(top):
            dirs.sort()
            out.extend(stamp(Path(root) / name) for name in sorted(files))
            if len(out) > STAMPED_FILES_MAX:
                return None
    return "\n".join(out)


def trial_key(*parts: str | bytes) -> str:
    """The cache name of a layout made from ``parts`` (which must name all its inputs)."""
    return user_cache.key("trial", engine_versions(), *parts)


def _number(key: str) -> int | None:
    """The whole number >= 0 stored under ``key``, or None."""
    entry = user_cache.get(KIND, key)
    try:
        value = json.loads(entry) if entry is not None else None
    except ValueError:
        return None
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 \
        else None


def recall(key: str) -> int | None:
    """The pages a layout with this key is known to reach at least, or None."""
    return _number(key) or None


def remember(key: str, pages: int) -> None:
    """Keep that the layout with this key reaches at least ``pages`` pages."""
    user_cache.put(KIND, key, json.dumps(pages).encode())


# --- each profile's last step ------------------------------------------------------------------


def _step_key(*parts: str) -> str:
    return user_cache.key("step", *parts)


def last_step(*parts: str) -> int | None:
    """The density step the fit named by ``parts`` needed last time, or None."""
    return _number(_step_key(*parts))


def remember_step(step: int, *parts: str) -> None:
    """Keep the density step the fit named by ``parts`` needed."""
    user_cache.put(KIND, _step_key(*parts), json.dumps(step).encode())
