"""The HTML backend: the résumé as one self-contained web page that looks like the PDF.

Takes a :class:`~resumec.backends.RenderJob`; gives UTF-8 HTML with the theme's CSS
inline, the theme's fonts embedded as ``data:`` URIs (WOFF, cut to the characters the
page shows, the same static faces the PDF uses) and the photo embedded the same way.
A Content-Security-Policy forbids the page from loading anything, so it looks the same
offline, as an e-mail attachment or on a server; ``@media print`` lays it out like
the PDF.
"""

from __future__ import annotations

import html as html_lib
import io
import re
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from resumec.backends.htmlkit import (
    FaceRule,
    data_uri,
    font_face_css,
    page_chars,
    page_fonts,
    photo_path,
    render_html,
    stylesheets,
    usable_faces,
)

if TYPE_CHECKING:
    from resumec.backends import RenderJob

_TAG = re.compile(r"<[^>]*>")
_MIME = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
         ".gif": "image/gif", ".webp": "image/webp", ".svg": "image/svg+xml"}


class HtmlBackend:
    """One self-contained HTML page with the theme's look, fonts embedded, print CSS."""

    name = "html"
    suffix = "html"
    description = "Self-contained web page (CSS and fonts inline) with the theme's look."

    def render(self, job: RenderJob) -> bytes:
        """Render ``job`` as a UTF-8 HTML page."""
        return render_page(job).encode("utf-8")


def render_page(job: RenderJob) -> str:
    """The web page for ``job`` as a string."""
    photo = photo_path(job)
    photo_uri = data_uri(photo.read_bytes(), _MIME[photo.suffix.lower()]) if photo else None
    # A first pass finds the characters the page shows, to cut the fonts down to them.
    draft = render_html(job, "web", css="", photo=photo_uri)
    sheets = stylesheets(job.theme, job.paper, job.document.lang, "", "web")
    chars = page_chars(html_lib.unescape(_TAG.sub(" ", draft)), *(s.text for s in sheets))
    fonts_css = font_face_css(_face_rules(job, chars))
    css = "\n".join(s.text for s in stylesheets(job.theme, job.paper, job.document.lang,
                                                 fonts_css, "web"))
    # "</style" inside the CSS would end the element early.
    return render_html(job, "web", css=css.replace("</", "<\\/"), photo=photo_uri)


def _face_rules(job: RenderJob, chars: frozenset[str]) -> list[FaceRule]:
    fonts = page_fonts(job.theme, chars)
    if fonts is not None:
        return [FaceRule(f.family, str(f.weight), f.style,
                         data_uri(_to_woff(f.data), "font/woff")) for f in fonts]
    # Without HarfBuzz: fontTools cuts the theme's files (slower, still variable).
    text = "".join(sorted(chars))
    rules = []
    for face in usable_faces(job.theme):
        try:
            woff = _fonttools_woff(face.path, text)
        except Exception:
            continue
        rules.append(FaceRule(face.family, face.weight, face.style,
                              data_uri(woff, "font/woff")))
    return rules


@lru_cache(maxsize=64)
def _to_woff(sfnt: bytes) -> bytes:
    from fontTools.ttLib import TTFont

    font = TTFont(io.BytesIO(sfnt))
    font.flavor = "woff"
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


@lru_cache(maxsize=16)
def _fonttools_woff(path: Path, text: str) -> bytes:
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.layout_features = ["*"]
    font: Any = TTFont(str(path))
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=text)
    subsetter.subset(font)
    font.flavor = "woff"
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()
