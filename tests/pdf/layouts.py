"""Lay a document out with resumec's fast paths in WeasyPrint and with its own code,
and compare the two box for box (:mod:`resumec.backends.speedups`)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from resumec.backends import RenderJob, pdf, speedups
from resumec.backends.libs import quick_library_lookup

with quick_library_lookup():
    import weasyprint
    from weasyprint import HTML

APPLIED = weasyprint.__version__.split(".")[0] in speedups.TESTED_WEASYPRINT
NOT_APPLIED = (f"the fast paths are for WeasyPrint {', '.join(speedups.TESTED_WEASYPRINT)} "
               "only")


@contextmanager
def weasyprint_own() -> Iterator[None]:
    """WeasyPrint's own functions for the duration (a render in it must not re-apply)."""
    apply = speedups.apply
    speedups.revert()
    speedups.apply = lambda: False  # type: ignore[assignment]
    try:
        yield
    finally:
        speedups.apply = apply  # type: ignore[assignment]
        assert speedups.apply() == APPLIED


_GEOMETRY = ("position_x", "position_y", "width", "height", "margin_top", "margin_right",
             "margin_bottom", "margin_left", "padding_top", "padding_right",
             "padding_bottom", "padding_left", "border_top_width", "border_right_width",
             "border_bottom_width", "border_left_width", "min_width", "max_width",
             "min_height", "max_height")


def plain(value: Any) -> Any:
    """``value`` as something ``==`` compares by content (gradients, for one, are
    objects without an equality of their own)."""
    if value is None or isinstance(value, (str, int, float, bytes)):
        return value
    if isinstance(value, (tuple, list)):
        return type(value).__name__, tuple(plain(item) for item in value)
    if isinstance(value, dict):
        return tuple(sorted((key, plain(item)) for key, item in value.items()))
    if callable(getattr(value, "serialize", None)):  # a tinycss2 token
        return type(value).__name__, value.serialize()
    if hasattr(value, "__dict__"):
        return type(value).__name__, plain(vars(value))
    return value  # compares by value (tinycss2 colours, frozensets, ...)


def boxes(document: Any) -> Iterator[Any]:
    for page in document.pages:
        stack = [page._page_box]
        while stack:
            box = stack.pop()
            yield box
            stack.extend(reversed(getattr(box, "children", [])))


def described(box: Any) -> tuple[Any, ...]:
    """A box's kind, element, text, geometry and, for text, what its Pango layout keeps
    for drawing (the text of the line, widths, direction, decoration metrics)."""
    layout = getattr(box, "pango_layout", None)
    return (type(box).__name__, box.element_tag, getattr(box, "text", None),
            *(getattr(box, name, None) for name in _GEOMETRY),
            None if layout is None else plain(vars(layout)))


def laid_out(html: str, *, lines: str = "cold", **render: Any
             ) -> tuple[Any, list[tuple[Any, ...]], list[dict[str, Any]]]:
    """Lay ``html`` out; with the fast paths, ``lines`` says whether the lines of text
    remembered for the font configuration are forgotten first ("cold") or kept ("warm")."""
    fonts = render.get("font_config")
    if fonts is not None:
        # Line heights are cached on the font configuration, which renders share: each
        # side starts without them, or the one laid out second would ask its styles for
        # fewer values than the first (the same happens laying out twice the same way).
        fonts.strut_layouts.clear()
        if lines == "cold":
            speedups.forget_lines(fonts)
    document = HTML(string=html, base_url=render.pop("base_url", None)).render(**render)
    laid = list(boxes(document))
    styles = [{key: plain(value) for key, value in box.style.items()} for box in laid]
    return document, [described(box) for box in laid], styles


def assert_same(ours: tuple[Any, list[Any], list[Any]],
                 theirs: tuple[Any, list[Any], list[Any]]) -> None:
    assert len(ours[0].pages) == len(theirs[0].pages)
    assert len(ours[1]) == len(theirs[1]) > 0
    for index, (mine, own) in enumerate(zip(ours[1], theirs[1], strict=True)):
        assert mine == own, f"box {index}"
    # Remembering a line reads every style value breaking it could depend on; WeasyPrint
    # reads those its code path needs: ours may hold more of those values, all the same.
    extra = set(speedups._LINE_STYLE)
    for index, (mine, own) in enumerate(zip(ours[2], theirs[2], strict=True)):
        mine = {key: value for key, value in mine.items() if key in own or key not in extra}
        assert mine == own, f"style of box {index}: " + ", ".join(
            sorted(key for key in mine.keys() | own.keys() if mine.get(key) != own.get(key)))


def assert_job_lays_out_as_weasyprint_does(job: RenderJob) -> None:
    """``job``'s PDF layout, fast paths against WeasyPrint's own code."""
    setup = pdf._setup(job)
    fetcher = pdf._fetcher_class()(setup.policy)
    fonts, sheets = pdf._styles(setup.sheets, setup.policy, fetcher)
    render = {"stylesheets": sheets, "font_config": fonts, "base_url": job.base_dir.as_uri()}
    cold = laid_out(setup.html, **render)  # lines repeated within the document remembered
    warm = laid_out(setup.html, lines="warm", **render)  # every line remembered
    with weasyprint_own():
        theirs = laid_out(setup.html, **render)
    assert_same(cold, theirs)
    assert_same(warm, theirs)
