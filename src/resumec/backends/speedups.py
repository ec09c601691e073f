"""Hot paths of WeasyPrint's layout, answered the same way with less work.

A warm PDF render is nearly all WeasyPrint: of the 4-page demo's ~270 ms, resumec's own
HTML is 4 ms. A sampling profile of its layout (py-spy, 40 renders) put 13 % of the
render in ``resolve_percentages`` and 13 % in ``ComputedStyle.__missing__``, each doing
general work for every box and property where one common case decides, and ~4 % in
rebuilding the same font values for every piece of text. Each function below keeps
WeasyPrint's own code for everything but that case, and answers the case with the value
WeasyPrint's code would give; together they take ~10 % off a render's CPU time. Then
Pango's line breaking was the largest part left (~17 %), and lines are remembered once
broken: all told, ~25 % off a warm render (``benchmarks/speedups.py``).

- **Logical properties.** To compute a physical property (``margin_left``), WeasyPrint
  asks which logical one (``margin_inline_start``) maps onto it for the element's
  direction, by calling a Python function with keyword arguments for every property of
  every element. The answer depends only on the property and the direction: it is
  memoised.
- **Properties not in the cascade.** Most of an element's properties are set by no rule:
  their computed value is the parent's (inherited) or the initial value. WeasyPrint's
  ``__missing__`` still builds the hyphenated name, looks for a logical alias, and checks
  the value for ``calc()``. :func:`_computed_style_missing` returns the parent's value or
  the initial value straight away when none of that can apply — the property is not
  cascaded, nor is its logical alias; it is not one whose computation has side effects
  (``display``, ``float``, ``position``, ``page``, text decorations, custom properties);
  its initial value needs no computing; an inherited value holds no math function —
  and hands every other case to WeasyPrint.
- **Percentages.** ``resolve_percentages`` resolves 14 lengths of every box laid out,
  through two function calls each. :func:`_resolve_percentages` does the same arithmetic
  in one loop, for plain lengths and percentages, and passes anything else (``auto``,
  ``calc()``) to WeasyPrint's own ``percentage``.
- **Font values.** Every text layout (~800 in the demo) gets a new Pango font
  description, and line heights and unit ratios are cached under a key written with
  ``str()`` of 14 style values. A document has a handful of distinct sets of those
  values: each description is made once (Pango copies it into each layout) and each key
  written once.
- **Lines of text.** :func:`_split_first_line` remembers each first line WeasyPrint
  breaks, per font configuration, under everything the break depends on: the measuring
  passes of a layout, a watch re-render and a batch's profiles ask for the same lines.

Applied once, after WeasyPrint's import (:func:`resumec.backends.libs.quick_library_lookup`),
on the WeasyPrint versions they were written against; :data:`ORIGINAL` keeps what they
replace, and the tests lay documents out with both and compare every box and style.
"""

from __future__ import annotations

import functools
import operator
import sys
from collections.abc import Callable
from math import inf
from typing import Any

from resumec.backends.memo import per_values

TESTED_WEASYPRINT = ("70",)
"""WeasyPrint major versions whose code the functions here are known to match."""

ORIGINAL: dict[str, Any] = {}
"""What :func:`apply` replaced, by name (for the tests, which compare the two)."""

_BORDERS = ("border_top_width", "border_right_width", "border_bottom_width",
            "border_left_width")
_SIDE_EFFECTS = frozenset({"display", "float", "position", "page"})
"""Properties whose computation in WeasyPrint does more than return a value."""


def apply() -> bool:
    """Install the fast paths (once); return whether they are installed.

    Does nothing on a WeasyPrint version they were not written against, or when a name
    they rely on is missing.
    """
    if ORIGINAL:
        return True
    try:
        import weasyprint
        from weasyprint import css
        from weasyprint.css import computed_values, functions, properties
        from weasyprint.formatting_structure import boxes
        from weasyprint.layout import percent
        from weasyprint.text import line_break
    except ImportError:
        return False
    if weasyprint.__version__.split(".")[0] not in TESTED_WEASYPRINT:
        return False
    physical = getattr(computed_values, "PHYSICAL_FUNCTIONS", None)
    style_class = getattr(css, "ComputedStyle", None)
    if not isinstance(physical, dict) or style_class is None or not all(
            callable(getattr(percent, name, None))
            for name in ("resolve_percentages", "percentage", "adjust_box_sizing")) or not all(
            callable(getattr(line_break, name, None))
            for name in ("get_font_description", "_font_style_cache_key", "split_first_line")
    ) or not isinstance(getattr(line_break, "Layout", None), type):
        return False

    ORIGINAL.update(physical_functions=dict(physical), missing=style_class.__missing__,
                    resolve_percentages=percent.resolve_percentages,
                    font_description=line_break.get_font_description,
                    font_key=line_break._font_style_cache_key,
                    split_first_line=line_break.split_first_line)
    line_break.get_font_description = _font_description(line_break.get_font_description)
    line_break._font_style_cache_key = _font_key()
    physical.update({name: functools.cache(function) for name, function in physical.items()})
    style_class.__missing__ = _computed_style_missing(
        style_class.__missing__, physical, properties, functions.check_math)
    fast = _resolve_percentages(percent.percentage, percent.adjust_box_sizing,
                                functions.check_math, boxes.Box, boxes.PageBox,
                                properties.Dimension)
    _rebind("resolve_percentages", ORIGINAL["resolve_percentages"], fast)
    _rebind("split_first_line", ORIGINAL["split_first_line"],
            _split_first_line(ORIGINAL["split_first_line"], line_break.Layout))
    return True


def revert() -> None:
    """Put WeasyPrint's own functions back (for the tests)."""
    if not ORIGINAL:
        return
    from weasyprint import css
    from weasyprint.css import computed_values
    from weasyprint.layout import percent
    from weasyprint.text import line_break

    computed_values.PHYSICAL_FUNCTIONS.update(ORIGINAL["physical_functions"])
    line_break.get_font_description = ORIGINAL["font_description"]
    line_break._font_style_cache_key = ORIGINAL["font_key"]
    css.ComputedStyle.__missing__ = ORIGINAL["missing"]
    _rebind("resolve_percentages", percent.resolve_percentages,
            ORIGINAL["resolve_percentages"])
    _rebind("split_first_line", line_break.split_first_line, ORIGINAL["split_first_line"])
    ORIGINAL.clear()


def _rebind(name: str, old: Any, new: Any) -> None:
    """Point every WeasyPrint module's global ``name`` that is ``old`` at ``new``: the
    layout modules import ``resolve_percentages`` and ``split_first_line`` by name."""
    for module_name, module in list(sys.modules.items()):
        if (module_name == "weasyprint" or module_name.startswith("weasyprint.")) \
                and getattr(module, name, None) is old:
            setattr(module, name, new)


def _computed_style_missing(original: Any, physical: dict[str, Any], properties: Any,
                            check_math: Any) -> Any:
    inherited = properties.INHERITED
    initial = properties.INITIAL_VALUES
    not_computed = properties.INITIAL_NOT_COMPUTED
    # An initial value holding a math function would need WeasyPrint's resolution.
    needs_math = frozenset(key for key, value in initial.items() if check_math(value))
    slow = _SIDE_EFFECTS | needs_math

    def computed_style_missing(self: Any, key: str) -> Any:
        """``ComputedStyle.__missing__``: the parent's or the initial value of a
        property no rule sets; WeasyPrint's own code for everything else."""
        cascaded = self.cascaded
        if key in cascaded or key in slow or key[:2] == "__" \
                or key[:16] == "text_decoration_":
            return original(self, key)
        logical = physical.get(key)
        if logical is not None and logical(block="ttb", inline=self["direction"]) in cascaded:
            return original(self, key)
        parent = self.parent_style
        if parent is not None and key in inherited:
            value = parent[key]
            if check_math(value):
                return original(self, key)
        elif key in not_computed:
            return original(self, key)
        else:
            value = initial[key]
        self[key] = value
        return value

    return computed_style_missing


def _resolve_percentages(percentage: Any, adjust_box_sizing: Any, check_math: Any,
                         box_class: Any, page_class: Any, dimension: Any) -> Any:

    def resolve_percentages(box: Any, containing_block: Any) -> None:
        """``weasyprint.layout.percent.resolve_percentages``, in one loop."""
        if isinstance(containing_block, box_class):
            cb_width = containing_block.width
            cb_height = containing_block.height
        else:
            cb_width, cb_height = containing_block
        maybe_height = cb_height if isinstance(box, page_class) else cb_width
        style = box.style
        heights: tuple[tuple[str, Any], ...]
        if cb_height == "auto":
            # The containing block's height depends on its content.
            height = style["height"]
            if height == "auto" or check_math(height) or height.unit == "%":
                box.height = "auto"
            else:
                assert height.unit.lower() == "px"
                box.height = height.value
            heights = (("min_height", 0), ("max_height", inf))
        else:
            heights = (("height", cb_height), ("min_height", cb_height),
                       ("max_height", cb_height))
        for name, refer_to in (
                ("margin_left", cb_width), ("margin_right", cb_width),
                ("margin_top", maybe_height), ("margin_bottom", maybe_height),
                ("padding_left", cb_width), ("padding_right", cb_width),
                ("padding_top", maybe_height), ("padding_bottom", maybe_height),
                ("width", cb_width), ("min_width", cb_width), ("max_width", cb_width),
                *heights):
            value = style[name]
            if type(value) is dimension and value.unit is not None:
                used = refer_to * value.value / 100 if value.unit == "%" else value.value
            else:
                used = percentage(value, style, refer_to)
                if used == "auto" and name in ("min_width", "min_height"):
                    used = 0
            setattr(box, name, used)
        collapse = style["border_collapse"] == "collapse"
        for name in _BORDERS:
            # With collapsed borders, a width set by the conflict resolution stays.
            if not (collapse and hasattr(box, name)):
                setattr(box, name, style[name])
        if style["box_sizing"] != "content-box":  # content-box: nothing to adjust
            adjust_box_sizing(box, "width")
            adjust_box_sizing(box, "height")

    return resolve_percentages


_FONT_DESCRIPTION = ("font_family", "font_style", "font_stretch", "font_weight", "font_size",
                     "font_variant_caps", "font_variation_settings")
"""The style values ``weasyprint.text.fonts.get_font_description`` reads."""
_FONT_KEY = ("font_family", "font_style", "font_stretch", "font_weight",
             "font_variant_ligatures", "font_variant_position", "font_variant_caps",
             "font_variant_numeric", "font_variant_alternates", "font_variant_east_asian",
             "font_feature_settings", "font_variation_settings", "font_language_override",
             "lang")
"""The style values ``weasyprint.text.line_break._font_style_cache_key`` names."""


def _font_description(original: Any) -> Any:
    """``weasyprint.text.fonts.get_font_description``, made once per set of font values:
    its only user, ``Layout.setup``, hands the description to Pango, which copies it."""
    return per_values(_FONT_DESCRIPTION, lambda style, values: original(style))


def _font_key() -> Any:
    written: Callable[[Any], str] = per_values(_FONT_KEY, lambda style, values: str(values))

    def font_style_cache_key(style: Any, include_size: bool = False) -> str:
        """``weasyprint.text.line_break._font_style_cache_key``: the same text, written
        once per set of values."""
        key = written(style)
        if include_size:
            key += str(style["font_size"]) + str(style["line_height"])
        return key

    return font_style_cache_key


_LINE_STYLE = ("font_family", "font_style", "font_stretch", "font_weight", "font_size",
               "font_variation_settings", "font_kerning", "font_variant_ligatures",
               "font_variant_position", "font_variant_caps", "font_variant_numeric",
               "font_variant_alternates", "font_variant_east_asian", "font_feature_settings",
               "font_language_override", "lang", "direction", "text_decoration_line",
               "letter_spacing", "word_spacing", "white_space", "overflow_wrap", "word_break",
               "tab_size", "hyphens", "hyphenate_character", "hyphenate_limit_chars",
               "hyphenate_limit_zone")
"""Every style value ``weasyprint.text.line_break.split_first_line`` reads, through the
functions it calls too (``Layout``, ``get_font_description``, ``first_line_metrics``);
the tests check the list against what it reads."""
LINES_KEPT = 4096
"""Lines of text kept per font configuration, twice over: when this many are new, the
older half goes. The demo lays out ~320 distinct lines a render."""


def _split_first_line(original: Any, layout_class: Any) -> Any:
    values_of = operator.itemgetter(*_LINE_STYLE)

    def split_first_line(text: str, style: Any, context: Any, max_width: Any,
                         justification_spacing: Any, is_line_start: bool = True,
                         minimum: bool = False) -> Any:
        """``weasyprint.text.line_break.split_first_line``, remembered: the first line of
        the same text, in the same style, font configuration and width, is the same.

        A re-render after an edit (``resumec watch``), a profile of the same résumé, and
        the measuring passes of one layout (each paragraph's widths are measured before it
        is laid out) ask for lines already broken. Pango's line breaking is the largest
        part of a layout (~17 % of the demo's render). The lines are kept on the font
        configuration, whose fonts they were measured with, and go with it.

        The layout returned is a new ``Layout`` each time, holding the values the first
        one was left with (text, widths, direction, decoration metrics): drawing brings
        it back to life, and may change its text (an ellipsis).
        """
        fonts = style.font_config
        try:
            key = (text, max_width, justification_spacing, is_line_start, minimum,
                   values_of(style))
            lines, older = fonts._resumec_lines
            hit = lines.get(key) or older.get(key)
        except AttributeError:  # the first line for this font configuration
            fonts._resumec_lines = ({}, {})
            return split_first_line(text, style, context, max_width, justification_spacing,
                                    is_line_start, minimum)
        except TypeError:  # a value that cannot be a key
            return original(text, style, context, max_width, justification_spacing,
                            is_line_start, minimum)
        if hit is None:
            result = original(text, style, context, max_width, justification_spacing,
                              is_line_start, minimum)
            hit = (dict(vars(result[0])), result[1:])
            if len(lines) >= LINES_KEPT:
                fonts._resumec_lines = lines, older = {}, lines
            lines[key] = hit
            return result
        if key not in lines:
            lines[key] = hit
        state, metrics = hit
        layout = layout_class.__new__(layout_class)
        layout.__dict__.update(state)
        return (layout, *metrics)

    return split_first_line


def forget_lines(font_config: Any) -> None:
    """Drop the lines remembered for ``font_config`` (for the tests: a cold start)."""
    font_config.__dict__.pop("_resumec_lines", None)
