"""Stop WeasyPrint leaking C memory on every line of text with OpenType features.

``resumec watch`` renders in one process for hours. WeasyPrint 70 sets a text layout's
OpenType features (kerning, tabular figures: the built-in themes use both) as a Pango
attribute in ``Layout.setup``, and loses two C objects each time: its cache of
attributes is filled through ``dict.setdefault``, whose default — a new attribute — is
made on every call and dropped when the key is already there, and the attribute list is
never released (releasing it would free the cached attribute it holds). A layout is made
for every piece of text laid out, several per line: ~60 kB of a two-page résumé's
render, and the watch process grew by that much on every save.

:func:`plug` makes ``setup`` give each layout a list of its own with an attribute of its
own, and hand the list to the layout, which frees both with itself. The features are
the same, written the same way; only who owns them changes.
"""

from __future__ import annotations

import types
from typing import Any

from resumec.backends.memo import per_values

TESTED_WEASYPRINT = ("70",)
"""WeasyPrint major versions whose ``Layout.setup`` this is known to match."""


def plug(line_break: types.ModuleType | None) -> bool:
    """Patch ``weasyprint.text.line_break`` (once); return whether it is patched.

    Does nothing on a WeasyPrint version it was not tested with, or when the module no
    longer has the names it relies on.
    """
    if line_break is None:
        return False
    layout = getattr(line_break, "Layout", None)
    if getattr(layout, "_resumec_plugged", False):
        return True
    import weasyprint

    real_features = getattr(line_break, "font_features", None)
    pango = getattr(line_break, "pango", None)
    original = getattr(layout, "setup", None)
    if (weasyprint.__version__.split(".")[0] not in TESTED_WEASYPRINT or layout is None
            or not callable(real_features) or pango is None or not callable(original)):
        return False

    def no_features(*args: Any, **kwargs: Any) -> dict[str, Any]:
        return {}  # the original setup then sets no attribute list: setup below does

    def features_text(style: Any, values: tuple[Any, ...]) -> bytes:
        features = real_features(*values)
        return ",".join(f"{key} {value}" for key, value in features.items()).encode()

    text_of = per_values(  # font_features' arguments, in order; a handful of combinations
        ("font_kerning", "font_variant_ligatures", "font_variant_position",
         "font_variant_caps", "font_variant_numeric", "font_variant_alternates",
         "font_variant_east_asian", "font_feature_settings"), features_text)

    def setup(self: Any, style: Any) -> None:
        original(self, style)
        text = text_of(style)
        if text:
            attributes = pango.pango_attr_list_new()
            pango.pango_attr_list_insert(attributes, pango.pango_attr_font_features_new(text))
            pango.pango_layout_set_attributes(self.layout, attributes)  # the layout's now
            pango.pango_attr_list_unref(attributes)

    ORIGINAL.update(setup=original, font_features=real_features)
    line_break.font_features = no_features  # type: ignore[attr-defined]  # only setup uses it
    layout.setup = setup
    layout._resumec_plugged = True
    return True


ORIGINAL: dict[str, Any] = {}
"""What :func:`plug` replaced (for the tests, which compare the two)."""
