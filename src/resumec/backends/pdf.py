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

import atexit
import dataclasses
import hashlib
import html as html_lib
import os
import re
import shutil
import subprocess
import unicodedata
import weakref
from collections import OrderedDict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from resumec.backends import budget
from resumec.backends.htmlkit import (
    LATIN_CHARS,
    MEMORY_SCHEME,
    FaceRule,
    Resource,
    ResourceDenied,
    ResourcePolicy,
    Stylesheet,
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
    """The PDF file (empty when the layout overflowed ``render_pdf``'s ``max_pages``)."""
    pages: int
    sections: tuple[tuple[str, int], ...] = ()
    """Each section's title and the last page (from 1) it reaches, in reading order."""
    complete: bool = True
    """False when the layout stopped past ``max_pages`` (or was known to run past it):
    ``pages`` is then a lower bound, and ``sections`` empty."""


class PdfBackend:
    """PDF through WeasyPrint: tagged, with fonts, metadata, links and an outline."""

    name = "pdf"
    suffix = "pdf"
    description = "PDF (WeasyPrint): tagged PDF/UA, embedded fonts, links and bookmarks."

    def render(self, job: RenderJob) -> bytes:
        """Render ``job`` to the bytes of a PDF file."""
        return render_pdf(job).data

    def prepare(self, job: RenderJob) -> None:
        """Parse the stylesheets and set the fonts up for ``job``, as its render would.

        A batch calls this before it forks: each worker then starts with them, instead of
        every process parsing the same CSS and registering the same fonts for its first
        PDF (~55 ms of set-up that cost a cold worker ~60–150 ms).
        """
        with quick_library_lookup():
            import weasyprint  # noqa: F401 - what the set-up below parses with
        setup = _setup(job)
        _styles(setup.sheets, setup.policy, _fetcher_class()(setup.policy))


@dataclass(frozen=True)
class _Setup:
    """What a PDF is laid out from: the HTML, every stylesheet, and what it may load."""

    html: str
    sheets: list[Stylesheet]
    """The page's fonts first, then the theme's stylesheets in cascade order."""
    policy: ResourcePolicy
    photo: Path | None
    texts: tuple[str, ...]
    """The text of the HTML and of the stylesheets: the characters the page may show."""


def _setup(job: RenderJob) -> _Setup:
    photo = photo_path(job)
    html = render_html(job, "pdf", photo=photo.as_uri() if photo else None)
    theme_sheets = stylesheets(job.theme, job.paper, job.document.lang, "")
    texts = (html_lib.unescape(_TAG.sub(" ", html)), *(s.text for s in theme_sheets))
    chars = page_chars(*texts, base=LATIN_CHARS)
    memory: dict[str, Resource] = {}
    fonts_css = font_face_css(_face_rules(job, chars, memory))
    policy = dataclasses.replace(ResourcePolicy.for_job(job), memory=memory)
    return _Setup(html, [Stylesheet(fonts_css, job.theme.dirs[0]), *theme_sheets], policy,
                  photo, texts)


def render_pdf(job: RenderJob, variant: str | None = PDF_VARIANT, *,
               max_pages: int | None = None, stop_early: bool = True) -> PdfResult:
    """Lay out and write the PDF for ``job``; warn about text no font can show.

    With ``max_pages``, a layout longer than that is not written: the result has its page
    count and sections but no data (a page budget's trial needs no file). With
    ``stop_early`` as well, such a layout stops where the page after ``max_pages`` would
    begin, or is not made at all when an identical one was seen to run past the budget
    before (:mod:`resumec.backends.budget`): the result is then not ``complete``.
    """
    with quick_library_lookup():
        from weasyprint import HTML

    setup = _setup(job)
    html, all_sheets, policy, photo = setup.html, setup.sheets, setup.policy, setup.photo
    trial = None
    if max_pages is not None and stop_early:
        trial = _trial_key(job, html, all_sheets, policy, variant, photo,
                           page_chars(*setup.texts, base=frozenset()))
        known = budget.recall(trial) if trial else None
        if known is not None and known > max_pages:
            _warn_missing(job)
            return PdfResult(b"", known, complete=False)
    fetcher = _fetcher_class()(policy)
    font_config, sheets = _styles(all_sheets, policy, fetcher)
    options: dict[str, Any] = {"pdf_variant": variant, "dpi": IMAGE_DPI,
                               "optimize_images": True}
    try:
        with budget.stop_after(max_pages if stop_early else None):
            document = HTML(string=html, base_url=_dir_url(job.base_dir), url_fetcher=fetcher,
                            ).render(stylesheets=sheets, font_config=font_config, **options)
    except budget.PastBudget:
        assert max_pages is not None
        result = PdfResult(b"", max_pages + 1, complete=False)
    else:
        # Attachments are never wanted in a résumé: drop any a template asks for.
        document.metadata.attachments = []
        if not document.metadata.title:
            document.metadata.title = document_title(job.document)
        # As given: <meta name=keywords> would split a keyword holding a comma in two.
        document.metadata.keywords = list(job.document.keywords)
        over = max_pages is not None and len(document.pages) > max_pages
        data = b"" if over else document.write_pdf(**options)
        result = PdfResult(data, len(document.pages), _section_pages(document))
    if trial and max_pages is not None and result.pages > max_pages \
            and _self_contained(fetcher, policy, photo):
        budget.remember(trial, result.pages)
    for url in fetcher.denied:
        job.warn(f"theme '{job.theme.name}': blocked a resource: {url}")
    _warn_missing(job)
    return result


def _warn_missing(job: RenderJob) -> None:
    missing = uncovered_characters(_text_of(job), job.theme)
    if missing:
        shown = ", ".join(f"{ch!r} U+{ord(ch):04X}" for ch in missing[:12])
        more = f" and {len(missing) - 12} more" if len(missing) > 12 else ""
        job.warn(f"no available font has these characters; they will show as boxes: "
                 f"{shown}{more}")


def _trial_key(job: RenderJob, html: str, sheets: list[Stylesheet], policy: ResourcePolicy,
               variant: str | None, photo: Path | None, chars: frozenset[str]) -> str | None:
    """The cache name of this layout: a digest of everything it depends on, or None when
    that cannot be named — ``chars`` (the text and stylesheets' characters) holds some the
    theme's fonts lack, which the system's fonts draw, and those can change under it."""
    if _theme_lacks({ch for ch in chars if _visible(ch)}, job.theme):
        return None
    theme_files = budget.folder_stamps(job.theme.dirs)
    if theme_files is None:
        return None
    parts = [html, _dir_url(job.base_dir), str(variant), str(IMAGE_DPI), theme_files,
             budget.stamp(photo) if photo else "-", repr(_font_stamps(policy))]
    for sheet in sheets:
        parts += [sheet.text, str(sheet.base)]
    return budget.trial_key(*parts)


def _self_contained(fetcher: Any, policy: ResourcePolicy, photo: Path | None) -> bool:
    """Whether the layout loaded only what its key names: nothing refused, and no file but
    the photo, the theme's files and its fonts. (A layout stopped early has not loaded
    what only painting needs, such as backgrounds; nor does its verdict depend on them.)"""
    photo_real = photo.resolve() if photo else None
    return not fetcher.denied and all(
        path == photo_real or path in policy.font_files
        or any(path.is_relative_to(d) for d in policy.theme_dirs)
        for path in fetcher.files)


# --- parsed stylesheets, reused ---------------------------------------------------------------

FONT_SETUPS_KEPT = 4
"""Font set-ups (a Fontconfig configuration with the page's fonts, and its Pango caches) kept
per process: ``resumec watch`` and a batch's profiles reuse one while the fonts are alike."""
SHEETS_KEPT = 32
"""Parsed stylesheets kept per process."""
_UNCACHEABLE = re.compile(r"@(?:import|font-face|color-profile)\b", re.IGNORECASE)
"""At-rules that make the CSS parser fetch files: their content is not in the text."""


@dataclass(frozen=True)
class _Parsed:
    """A parsed stylesheet and the URLs the fetcher refused while parsing it."""

    css: Any
    denied: tuple[str, ...] = ()


class _Lru:
    """A small least-recently-used map."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.items: OrderedDict[Hashable, Any] = OrderedDict()

    def get(self, key: Hashable) -> Any:
        value = self.items.get(key)
        if value is not None:
            self.items.move_to_end(key)
        return value

    def put(self, key: Hashable, value: Any) -> None:
        self.items[key] = value
        self.items.move_to_end(key)
        while len(self.items) > self.size:
            self.items.popitem(last=False)


_FONT_SETUPS = _Lru(FONT_SETUPS_KEPT)
_SHEETS = _Lru(SHEETS_KEPT)


_FONT_CONFIGS: weakref.WeakSet[Any] = weakref.WeakSet()
"""Every font configuration made here: each may hold a temporary folder of font files."""


def _font_configuration() -> Any:
    from weasyprint.text.fonts import FontConfiguration

    font_config = FontConfiguration()
    _FONT_CONFIGS.add(font_config)
    return font_config


def clear_caches() -> None:
    """Forget every parsed stylesheet and font set-up (the next render starts cold)."""
    _FONT_SETUPS.items.clear()
    _SHEETS.items.clear()


def _at_exit() -> None:
    """Release the caches while the interpreter is whole (freed during its teardown,
    after the modules they need, Pango's objects crash the process), and delete the
    temporary font folders now: WeasyPrint deletes one when its font configuration is
    freed, which the command line, ending without the interpreter's teardown and with
    the cycle collector off, may never do."""
    clear_caches()
    for font_config in list(_FONT_CONFIGS):
        folder, font_config._folder = font_config._folder, None
        if folder:
            shutil.rmtree(folder, ignore_errors=True)


def _disown_font_folders() -> None:
    # A forked batch worker inherits the parent's font set-ups, whose font files live in
    # the parent's temporary folders: only the parent may delete them.
    for font_config in list(_FONT_CONFIGS):
        font_config._folder = None


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_disown_font_folders)
atexit.register(_at_exit)


def _styles(sheets: list[Stylesheet], policy: ResourcePolicy, fetcher: Any
            ) -> tuple[Any, list[Any]]:
    """The font configuration and the parsed ``sheets`` (the first declares the fonts).

    Parsing the CSS and setting up Fontconfig with the page's fonts cost a tenth of a
    second, and a fresh font configuration starts Pango's font caches cold; both are
    reused while everything they depend on is the same: the CSS text, the folder it
    resolves against, the policy and, for fonts, the bytes of every font made for the page
    and the files of the theme's fonts. A stylesheet whose at-rules fetch files while
    it is parsed (``@import``, ``@font-face``) turns reuse off for the render.
    """
    from weasyprint import CSS

    def parse(sheet: Stylesheet, font_config: Any) -> _Parsed:
        before = len(fetcher.denied)
        css = CSS(string=sheet.text, base_url=_dir_url(sheet.base), url_fetcher=fetcher,
                  font_config=font_config)
        return _Parsed(css, tuple(fetcher.denied[before:]))

    fonts, rest = sheets[0], sheets[1:]
    if any(_UNCACHEABLE.search(s.text) for s in rest):
        font_config = _font_configuration()
        return font_config, [parse(s, font_config).css for s in sheets]
    font_key = (fonts.text, fonts.base, policy, _font_stamps(policy))
    setup = _FONT_SETUPS.get(font_key)
    if setup is None:
        font_config = _font_configuration()
        setup = (font_config, parse(fonts, font_config))
        _FONT_SETUPS.put(font_key, setup)
    font_config, first = setup
    parsed = [first]
    for sheet in rest:
        key = (sheet.text, sheet.base, policy)
        hit = _SHEETS.get(key)
        if hit is None:
            hit = parse(sheet, None)  # no @font-face: the sheet needs no font configuration
            _SHEETS.put(key, hit)
        parsed.append(hit)
    for p in parsed:
        fetcher.denied.extend(u for u in p.denied if u not in fetcher.denied)
    return font_config, [p.css for p in parsed]


def _font_stamps(policy: ResourcePolicy) -> tuple[Hashable, ...]:
    """What the fonts a render declares hold: made ones by content, files by size and time."""
    made = sorted((url, hashlib.blake2b(r.read(), digest_size=16).digest())
                  for url, r in policy.memory.items())
    files = []
    for path in sorted(policy.font_files):
        try:
            st = path.stat()
            files.append((path, st.st_size, st.st_mtime_ns))
        except OSError:
            files.append((path, -1, -1))
    return (*made, *files)


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
            self.files: list[Path] = []
            """The local files served."""

        def fetch(self, url: str, headers: object = None) -> Any:
            try:
                res = self.policy.resolve(url)
            except ResourceDenied:
                if url not in self.denied:
                    self.denied.append(url[:200])
                raise
            if res.path is not None:
                self.files.append(res.path)
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
    rest = _theme_lacks({ch for ch in text if ord(ch) > 0x7E and _visible(ch)}, theme)
    if not rest:
        return []
    unknown = sorted(ch for ch in rest if ch not in _SYSTEM)
    if unknown:
        _SYSTEM.update(_system_coverage(unknown))
    return sorted(ch for ch in rest if not _SYSTEM[ch])


def _theme_lacks(chars: set[str], theme: Theme) -> set[str]:
    """Which of ``chars`` none of the theme's fonts has."""
    rest = set(chars)
    # Upright regular faces first: they hold the most characters; stop once all are found.
    hb = harfbuzz()
    for face in sorted(theme.fonts, key=lambda f: (f.style != "normal", f.weight != "400")):
        if not rest:
            break
        if hb is not None:
            rest -= hb.covered(face.path, rest)
        else:
            rest -= {ch for ch in rest if ord(ch) in _cmap(face.path)}
    return rest


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
