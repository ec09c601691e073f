"""The PDF backend: the theme's HTML and CSS laid out by WeasyPrint.

Takes a :class:`~resumec.backends.RenderJob`; gives a tagged PDF (PDF/UA-1) with the
theme's fonts embedded and subset, document metadata (title, author, subject,
keywords, language), clickable links and an outline of the section headings.

WeasyPrint is imported here only, and only when a PDF is rendered. Every stylesheet
and the HTML go through a restricted URL fetcher (:class:`ResourcePolicy`): local
files from the résumé's folder (pictures only), the theme's folders and its font
files, small ``data:`` URIs and the fonts made for this page — no network, and no
file attachments. The theme's fonts reach WeasyPrint as static faces cut to the
page's characters (variable fonts pinned per weight), which saves it from instancing
a variable font once per size; characters no theme or system font has are reported
through :attr:`RenderJob.warn`.
"""

from __future__ import annotations

import dataclasses
import html as html_lib
import re
import shutil
import subprocess
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from resumec.backends.htmlkit import (
    MEMORY_SCHEME,
    FaceRule,
    Resource,
    ResourceDenied,
    ResourcePolicy,
    font_face_css,
    harfbuzz,
    page_chars,
    page_fonts,
    photo_path,
    render_html,
    stylesheets,
    usable_faces,
)
from resumec.backends.libs import quick_library_lookup
from resumec.document import document_title
from resumec.markup import plain

if TYPE_CHECKING:
    from resumec.backends import RenderJob
    from resumec.themes import Theme

_TAG = re.compile(r"<[^>]*>")
PDF_VARIANT: str | None = "pdf/ua-1"
"""Tagged, accessible PDF by default; WeasyPrint renders it as fast and as reliably."""
IMAGE_DPI = 300
"""Pictures (the photo) are downsampled to this resolution."""


@dataclass(frozen=True)
class PdfResult:
    """A rendered PDF, its page count and, for page budgets, where each section ends."""

    data: bytes
    pages: int
    sections: tuple[tuple[str, int], ...] = ()
    """Each section's title and the last page (from 1) it reaches, in reading order."""


class PdfBackend:
    """PDF through WeasyPrint: tagged, with fonts, metadata, links and an outline."""

    name = "pdf"
    suffix = "pdf"
    description = "PDF (WeasyPrint): tagged PDF/UA, embedded fonts, links and bookmarks."

    def render(self, job: RenderJob) -> bytes:
        """Render ``job`` to the bytes of a PDF file."""
        return render_pdf(job).data


def render_pdf(job: RenderJob, variant: str | None = PDF_VARIANT) -> PdfResult:
    """Lay out and write the PDF for ``job``; warn about text no font can show."""
    with quick_library_lookup():
        from weasyprint import CSS, HTML
        from weasyprint.text.fonts import FontConfiguration

    photo = photo_path(job)
    html = render_html(job, "pdf", photo=photo.as_uri() if photo else None)
    lang = job.document.lang
    plain_sheets = stylesheets(job.theme, job.paper, lang, "")
    chars = page_chars(html_lib.unescape(_TAG.sub(" ", html)), *(s.text for s in plain_sheets))
    memory: dict[str, Resource] = {}
    fonts_css = font_face_css(_face_rules(job, chars, memory))
    policy = dataclasses.replace(ResourcePolicy.for_job(job), memory=memory)
    fetcher = _fetcher_class()(policy)
    font_config = FontConfiguration()
    sheets = [CSS(string=s.text, base_url=_dir_url(s.base), url_fetcher=fetcher,
                  font_config=font_config)
              for s in stylesheets(job.theme, job.paper, lang, fonts_css)]
    options: dict[str, Any] = {"pdf_variant": variant, "dpi": IMAGE_DPI,
                               "optimize_images": True}
    document = HTML(string=html, base_url=_dir_url(job.base_dir), url_fetcher=fetcher,
                    ).render(stylesheets=sheets, font_config=font_config, **options)
    # Attachments are never wanted in a résumé: drop any a template asks for.
    document.metadata.attachments = []
    if not document.metadata.title:
        document.metadata.title = document_title(job.document)
    # As given: <meta name=keywords> would split a keyword holding a comma in two.
    document.metadata.keywords = list(job.document.keywords)
    data = document.write_pdf(**options)
    for url in fetcher.denied:
        job.warn(f"theme '{job.theme.name}': blocked a resource: {url}")
    missing = uncovered_characters(_text_of(job), job.theme)
    if missing:
        shown = ", ".join(f"{ch!r} U+{ord(ch):04X}" for ch in missing[:12])
        more = f" and {len(missing) - 12} more" if len(missing) > 12 else ""
        job.warn(f"no available font has these characters; they will show as boxes: "
                 f"{shown}{more}")
    return PdfResult(data, len(document.pages), _section_pages(document))


def _face_rules(job: RenderJob, chars: frozenset[str], memory: dict[str, Resource]
                ) -> list[FaceRule]:
    fonts = page_fonts(job.theme, chars)
    if fonts is not None:
        rules = []
        for i, f in enumerate(fonts):
            # Served by the fetcher from memory: a data: URI would make the CSS parser
            # read every byte of the font as text.
            url = f"{MEMORY_SCHEME}:font-{i}.ttf"
            memory[url] = Resource("font/ttf", data=f.data)
            rules.append(FaceRule(f.family, str(f.weight), f.style, url))
        return rules
    # Without HarfBuzz, WeasyPrint reads the files; a variable font names its own weights.
    return [FaceRule(f.family, None if " " in f.weight.strip() else f.weight, f.style,
                     f.path.resolve().as_uri()) for f in usable_faces(job.theme)]


def _section_pages(document: Any) -> tuple[tuple[str, int], ...]:
    """(title, last page) of every ``<section>`` with an ``<h2>``, from the laid-out pages."""
    last: dict[int, int] = {}
    titles: dict[int, str] = {}
    order: list[int] = []
    try:
        for number, page in enumerate(document.pages, 1):
            for box in page._page_box.descendants():
                element = getattr(box, "element", None)
                if element is None or getattr(box, "element_tag", None) != "section":
                    continue
                key = id(element)
                if key not in titles:
                    heading = element.find("h2")
                    titles[key] = "".join(heading.itertext()).strip() if heading is not None \
                        else ""
                    order.append(key)
                last[key] = number
    except AttributeError:  # WeasyPrint's page boxes are not public API
        return ()
    return tuple((titles[k], last[k]) for k in order if titles[k])


def _dir_url(folder: Path) -> str:
    return folder.resolve().as_uri() + "/"


@cache
def _fetcher_class() -> type[Any]:
    """A WeasyPrint URL fetcher that serves only what a :class:`ResourcePolicy` allows."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class PolicyFetcher(URLFetcher):  # type: ignore[misc]
        def __init__(self, policy: ResourcePolicy) -> None:
            super().__init__(timeout=1, allowed_protocols=("file", "data"),
                             allow_redirects=False, fail_on_errors=False)
            self.policy = policy
            self.denied: list[str] = []

        def fetch(self, url: str, headers: object = None) -> Any:
            try:
                res = self.policy.resolve(url)
            except ResourceDenied:
                if url not in self.denied:
                    self.denied.append(url[:200])
                raise
            headers_out = {"Content-Type": res.mime} if res.mime else {}
            return URLFetcherResponse(url, res.read(), headers_out)

        def open(self, url: Any, data: object = None, timeout: object = None) -> Any:
            raise ResourceDenied("direct opening is not allowed")

    return PolicyFetcher


# --- coverage ---------------------------------------------------------------------------------


def _text_of(job: RenderJob) -> str:
    doc = job.document
    return "".join(plain(t) for t in (*doc.all_text(), *doc.keywords))


def uncovered_characters(text: str, theme: Theme) -> list[str]:
    """Characters of ``text`` that neither the theme's fonts nor any system font have.

    Only non-ASCII characters are checked; the theme's font tables are read once, and the
    system is asked (through Fontconfig's ``fc-list``) only about what the theme lacks.
    """
    wanted = sorted({ch for ch in text if ord(ch) > 0x7E and _visible(ch)})
    if not wanted:
        return []
    rest = set(wanted)
    # Upright regular faces first: they hold the most characters; stop once all are found.
    hb = harfbuzz()
    for face in sorted(theme.fonts, key=lambda f: (f.style != "normal", f.weight != "400")):
        if hb is not None:
            rest -= hb.covered(face.path, rest)
        else:
            rest -= {ch for ch in rest if ord(ch) in _cmap(face.path)}
        if not rest:
            return []
    unknown = sorted(ch for ch in rest if ch not in _SYSTEM)
    if unknown:
        _SYSTEM.update(_system_coverage(unknown))
    return sorted(ch for ch in rest if not _SYSTEM[ch])


def _visible(ch: str) -> bool:
    # Spaces, controls and format characters draw nothing; private-use and unassigned
    # code points do need a glyph.
    return unicodedata.category(ch) not in ("Zs", "Zl", "Zp", "Cc", "Cf", "Cs")


@cache
def _cmap(path: Path) -> frozenset[int]:
    """The code points a font file maps (its ``cmap`` table only is read)."""
    from fontTools.ttLib import TTFont

    try:
        with TTFont(str(path), lazy=True, fontNumber=0) as font:
            return frozenset(font.getBestCmap() or {})
    except Exception:  # an unreadable font covers nothing
        return frozenset()


_SYSTEM: dict[str, bool] = {}
"""Characters already looked up among the system's fonts."""


def _system_coverage(chars: Iterable[str]) -> dict[str, bool]:
    """Whether some installed font has each character (``True`` when it cannot tell)."""
    todo = list(chars)
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return dict.fromkeys(todo, True)
    out: dict[str, bool] = {}

    def probe(group: list[str]) -> None:
        charset = " ".join(f"{ord(c):x}" for c in group)
        try:
            found = subprocess.run([fc_list, f":charset={charset}", "family"], check=False,
                                   capture_output=True, timeout=10).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            out.update(dict.fromkeys(group, True))
            return
        if found:
            out.update(dict.fromkeys(group, True))
        elif len(group) == 1:
            out[group[0]] = False
        else:
            probe(group[: len(group) // 2])
            probe(group[len(group) // 2:])

    probe(todo)
    return out
