"""HTML for the HTML and PDF backends: sandboxed templates, CSS from tokens, safe resources.

Takes a :class:`~resumec.backends.RenderJob`; gives the résumé as one HTML string (for a
browser or for WeasyPrint), the theme's stylesheets in cascade order, the theme's fonts
cut down to the page (HarfBuzz, through ctypes), and the :class:`ResourcePolicy` that
decides which local files the PDF engine may read.

The cut fonts and the compiled templates depend only on installed and theme files, so
they are kept across processes in the per-user cache (:mod:`resumec.cache`): together
they are about a twentieth of a cold PDF render.

Résumé text is data: it reaches the templates as values, autoescaped, and inline
Markdown is turned into HTML here from :func:`resumec.markup.spans` — never by compiling
text as a template. Nothing here imports WeasyPrint.
"""

from __future__ import annotations

import base64
import ctypes
import ctypes.util
import mimetypes
import os
import sys
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache, cached_property, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Literal
from urllib.parse import unquote_to_bytes, urlsplit
from urllib.request import url2pathname

from markupsafe import Markup, escape

from resumec import __version__, pictures
from resumec import cache as disk_cache
from resumec.document import document_title
from resumec.errors import ResumecError
from resumec.markup import spans
from resumec.schema.checks import is_file, resolved
from resumec.themes import builtin_dir

if TYPE_CHECKING:
    from jinja2 import BytecodeCache, Environment
    from jinja2.runtime import Context

    from resumec.backends import RenderJob
    from resumec.themes import FontFace, Theme

Target = Literal["pdf", "web"]

TEMPLATE = "resume.html.j2"
"""The template every theme renders (its own, or the nearest one up the extends chain)."""
THEME_CSS = "theme.css"
"""Each theme folder's stylesheet; parents' come first in the cascade."""
WEB_CSS = "web.css"
"""A theme folder's extra stylesheet for the web page only."""
BASE_CSS = "base.css"
"""The shared stylesheet every built-in theme starts from."""
SHARED = "_base"
"""The folder under the built-in themes holding the templates and CSS every theme starts from."""

MEMORY_SCHEME = "resumec-mem"
"""URLs of resources a backend made in memory for one render."""
DATA_URI_CAP = 2 * 1024 * 1024
"""Largest ``data:`` URI (in characters) the PDF engine may decode."""
IMAGE_SUFFIXES = pictures.SUFFIXES
"""The only files the PDF engine may read from the résumé's folder: pictures."""

_RTL_LANGS = frozenset({"ar", "arc", "dv", "fa", "he", "iw", "ku", "ps", "sd", "ug", "ur",
                        "yi"})
_CJK = {"ja": "JP", "ko": "KR", "zh-tw": "TC", "zh-hant": "TC", "zh-hk": "HK", "zh-mo": "HK"}


# --- resources --------------------------------------------------------------------------------


class ResourceDenied(ValueError):
    """A URL the PDF engine may not load."""


@dataclass(frozen=True)
class Resource:
    """A resource the policy allows: its bytes (or the file holding them) and type."""

    mime: str | None
    path: Path | None = None
    data: bytes | None = None

    def read(self) -> bytes:
        """Return the resource's bytes."""
        if self.data is not None:
            return self.data
        assert self.path is not None
        return self.path.read_bytes()


@dataclass(frozen=True)
class ResourcePolicy:
    """Which URLs the PDF engine may load: local files in a few places and small data URIs.

    ``theme_dirs`` may provide anything (stylesheets, fonts, pictures); ``resume_dir`` only
    pictures (the photo); ``font_files`` are the exact files the theme's fonts name. Paths
    are compared after resolving symbolic links and ``..``. ``memory`` holds what the
    backend made itself (the fonts cut to the page), under ``resumec-mem:`` URLs. Every
    other scheme — http, https, ftp — is refused at once, so nothing ever waits on the
    network.
    """

    resume_dir: Path
    theme_dirs: tuple[Path, ...]
    font_files: frozenset[Path]
    data_cap: int = DATA_URI_CAP
    memory: Mapping[str, Resource] = field(default_factory=dict, compare=False)

    @classmethod
    def for_job(cls, job: RenderJob) -> ResourcePolicy:
        """The policy for one render: the résumé's folder, the theme's folders and fonts."""
        return cls(job.base_dir.resolve(), tuple(d.resolve() for d in job.theme.dirs),
                   frozenset(f.path.resolve() for f in job.theme.fonts))

    def resolve(self, url: str) -> Resource:
        """Return what ``url`` names if the policy allows it; raise :class:`ResourceDenied`."""
        scheme = url.partition(":")[0].lower() if ":" in url else ""
        if scheme == "data":
            return self._data(url)
        if scheme == MEMORY_SCHEME:
            if url not in self.memory:
                raise ResourceDenied(f"{url[:100]}: not made by this render")
            return self.memory[url]
        if scheme != "file":
            raise ResourceDenied(f"{url[:100]}: only local files and data: URIs are allowed")
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost"):
            raise ResourceDenied(f"{url[:100]}: remote file URL")
        try:
            path = Path(url2pathname(parts.path)).resolve(strict=True)
        except (OSError, RuntimeError, ValueError):
            raise ResourceDenied(f"{url[:100]}: no such file") from None
        if not path.is_file():
            raise ResourceDenied(f"{path}: not a file")
        allowed = (
            path in self.font_files
            or any(path.is_relative_to(d) for d in self.theme_dirs)
            or (path.is_relative_to(self.resume_dir) and path.suffix.lower() in IMAGE_SUFFIXES)
        )
        if not allowed:
            raise ResourceDenied(f"{path}: outside the résumé's and the theme's folders")
        return Resource(mimetypes.guess_type(path.name)[0], path=path)

    def _data(self, url: str) -> Resource:
        if len(url) > self.data_cap:
            raise ResourceDenied(f"data: URI of {len(url)} characters (the limit is "
                                 f"{self.data_cap})")
        header, sep, payload = url[5:].partition(",")
        if not sep:
            raise ResourceDenied("malformed data: URI")
        params = header.split(";")
        raw = unquote_to_bytes(payload)
        if params[-1].lower() == "base64":
            params.pop()
            try:
                raw = base64.b64decode(raw, validate=False)
            except ValueError:
                raise ResourceDenied("malformed base64 in data: URI") from None
        return Resource(params[0] or "text/plain", data=raw)


# --- text helpers -----------------------------------------------------------------------------


def inline_html(text: str) -> Markup:
    """Render one paragraph of inline Markdown as escaped HTML runs."""
    out: list[str] = []
    for span in spans(text):
        piece = str(escape(span.text))
        if span.code:
            piece = f"<code>{piece}</code>"
        if span.italic:
            piece = f"<em>{piece}</em>"
        if span.bold:
            piece = f"<strong>{piece}</strong>"
        if span.href:
            piece = f'<a href="{escape(span.href)}">{piece}</a>'
        out.append(piece)
    return Markup("".join(out))


def safe_href(url: str | None) -> str:
    """``url`` if it is a web, mail or phone link, else ``""`` (never ``javascript:``)."""
    if url and url.strip().lower().startswith(("http://", "https://", "mailto:", "tel:")):
        return url.strip()
    return ""


def first_strong_direction(text: str) -> Literal["ltr", "rtl"] | None:
    """The direction of the first strongly directional character of ``text``, if any."""
    for ch in text:
        kind = unicodedata.bidirectional(ch)
        if kind in ("R", "AL"):
            return "rtl"
        if kind == "L":
            return "ltr"
    return None


def document_direction(lang: str) -> Literal["ltr", "rtl"]:
    """``rtl`` for languages written right to left (by their primary subtag)."""
    return "rtl" if lang.split("-")[0].lower() in _RTL_LANGS else "ltr"


def _cjk_family(lang: str, serif: bool) -> str:
    low = lang.lower()
    region = _CJK.get(low) or _CJK.get(low.split("-")[0]) or next(
        (v for k, v in _CJK.items() if low.startswith(k)), "SC")
    return f"Noto {'Serif' if serif else 'Sans'} CJK {region}"


def font_stack(family: str, fallback: Iterable[str], lang: str) -> str:
    """A CSS font-family list: the theme's family, system fallbacks, then a generic one."""
    serif = "serif" in family.lower() and "sans" not in family.lower()
    names = [family]
    for fb in fallback:
        if fb.startswith(("Noto Sans CJK", "Noto Serif CJK")):
            fb = _cjk_family(lang, fb.startswith("Noto Serif"))
        if fb not in names:
            names.append(fb)
    quoted = ", ".join('"' + n.replace("\\", "").replace('"', "") + '"' for n in names)
    return f"{quoted}, {'serif' if serif else 'sans-serif'}"


# --- fonts: the theme's files cut down to the page -------------------------------------------


@dataclass(frozen=True)
class PageFont:
    """One font face for one page: a static TrueType font holding the characters it shows.

    Variable fonts are pinned to one instance per weight (and the body size for an
    optical-size axis), which keeps the PDF engine from instancing them itself — slowly,
    once per size — and makes the web page and the PDF use the same outlines.
    """

    family: str
    weight: int
    style: str
    data: bytes


PAGE_WEIGHTS = (400, 600, 700)
"""The weights the themes' CSS uses; each is made or picked from the theme's files."""
_BASE_CHARS = frozenset(
    "".join(chr(c) for c in range(0x20, 0x7F)) + "\u00a0–—‘’“”•·…/|→"
)
"""ASCII and the punctuation themes add: kept in every cut of a font."""

LATIN_CHARS = _BASE_CHARS | frozenset(
    "".join(chr(c) for c in range(0xA0, 0x180)) + "‚„‰‹›€™←↑↓−≈≤≥×÷√∞✓✔★☆♦●○■□▪▫"
)
"""Also Latin-1, Latin Extended-A and common symbols: one set for nearly every résumé in a
Latin script, so the PDF's cut fonts are the same from one render to the next — across a
batch's profiles, across saves in ``resumec watch`` — and its font set-up is reused. (A PDF
embeds only the glyphs its text uses; a web page embeds the whole cut, so HTML keeps the
narrow set.)"""


def page_chars(*texts: str, base: frozenset[str] = _BASE_CHARS) -> frozenset[str]:
    """Characters a page may show: ``texts`` in every case, plus ``base``."""
    chars: set[str] = set(base)
    for text in texts:
        chars.update(text, text.upper(), text.lower())
    return frozenset(ch for ch in chars if ch.isprintable() or ch == "\u00a0")


def _weight_range(weight: str) -> tuple[int, int]:
    named = {"normal": 400, "bold": 700}
    parts = [named.get(p, p) for p in weight.split()]
    try:
        nums = [int(p) for p in parts]
    except ValueError:
        return (400, 400)
    return (min(nums), max(nums))


def page_fonts(theme: Theme, chars: frozenset[str]) -> list[PageFont] | None:
    """The theme's fonts as static faces cut to ``chars``; None without HarfBuzz."""
    if harfbuzz() is None:
        return None
    text = "".join(sorted(chars))
    opsz = theme.tokens.sizes.body
    out: list[PageFont] = []
    seen: set[tuple[str, int, str]] = set()
    by_style: dict[tuple[str, str], list[FontFace]] = {}
    for face in theme.fonts:
        by_style.setdefault((face.family, face.style), []).append(face)
    for (family, style), faces in by_style.items():
        for weight in PAGE_WEIGHTS:
            key = (family, weight, style)
            if key in seen:
                continue
            # The face covering this weight, else the nearest static one.
            covering = [f for f in faces if _weight_range(f.weight)[0] <= weight
                        <= _weight_range(f.weight)[1]]
            face = covering[0] if covering else min(
                faces, key=lambda f: abs(_weight_range(f.weight)[0] - weight))
            lo, hi = _weight_range(face.weight)
            pins = {"wght": float(weight), "opsz": float(opsz)} if lo != hi else {}
            data = cut_font(face.path, text, tuple(sorted(pins.items())))
            if data is None:  # a font HarfBuzz cannot cut: let WeasyPrint read the files
                return None
            seen.add(key)
            out.append(PageFont(family, weight if lo != hi or covering else lo, style, data))
    return out


FONT_CUT_FORMAT = "1"
"""Part of every cut font's cache key: bump it when :meth:`HarfBuzz.subset` changes what
it asks HarfBuzz for (features kept, how axes are pinned), so older cuts are never read."""

FileStamp = tuple[str, int, int, int]
"""A file's identity: its resolved path, size, modification and change times (ns)."""


def file_stamp(path: Path) -> FileStamp | None:
    """``path``'s :data:`FileStamp`, or None when it cannot be read.

    Any write, replacement, copy or restore changes the size, modification time or change
    time (a file's change time cannot be set back), so a stamp names the content without
    reading it — the way Python's own byte-code cache checks its sources. Hashing the
    theme's fonts instead would read 1–4 MB on every render (~5 ms for classic's two).
    """
    try:
        real = os.path.realpath(path)
        st = os.stat(real)
    except (OSError, ValueError):
        return None
    return (real, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


def cut_font(path: Path, text: str, pins: tuple[tuple[str, float], ...] = ()
             ) -> bytes | None:
    """The font file ``path`` cut to ``text``'s characters, with its axes pinned to ``pins``.

    Takes (axis tag, value) pairs sorted by tag; empty ``pins`` keep a variable font
    variable. Gives a TrueType font's bytes, or None when the file cannot be read or
    HarfBuzz cannot cut it. Cuts are kept in this process and in the per-user cache
    (:mod:`resumec.cache`), keyed by everything a cut depends on: the file's
    :func:`file_stamp`, HarfBuzz's version, the characters, the pins and
    :data:`FONT_CUT_FORMAT`.
    """
    stamp = file_stamp(path)
    if stamp is None:
        return None
    return _cut(stamp, text, pins)


@lru_cache(maxsize=64)  # bounded: `resumec watch` renders for hours
def _cut(stamp: FileStamp, text: str, pins: tuple[tuple[str, float], ...]) -> bytes | None:
    hb = harfbuzz()
    if hb is None:
        return None
    name = disk_cache.key(FONT_CUT_FORMAT, hb.version, *map(str, stamp), text, repr(pins))
    data = disk_cache.get("fonts", name)
    if data is not None:
        return data
    data = hb.subset(Path(stamp[0]), text, dict(pins))
    # Stored only if the file did not change while it was read: the entry's key must name
    # the bytes that were cut.
    if data and file_stamp(Path(stamp[0])) == stamp:
        disk_cache.put("fonts", name, data)
    return data


class _AxisInfo(ctypes.Structure):
    _fields_ = [("axis_index", ctypes.c_uint), ("tag", ctypes.c_uint32),
                ("name_id", ctypes.c_uint), ("flags", ctypes.c_int),
                ("min_value", ctypes.c_float), ("default_value", ctypes.c_float),
                ("max_value", ctypes.c_float), ("reserved", ctypes.c_uint)]


def _load_library(name: str, *sonames: str) -> ctypes.CDLL:
    for soname in sonames:  # the usual names first: find_library spawns subprocesses
        try:
            return ctypes.CDLL(soname)
        except OSError:
            pass
    return ctypes.CDLL(ctypes.util.find_library(name) or sonames[0])


class HarfBuzz:
    """HarfBuzz's subsetter through ctypes: cuts and instances a font in milliseconds."""

    def __init__(self) -> None:
        hb = _load_library("harfbuzz", "libharfbuzz.so.0", "libharfbuzz.0.dylib")
        vp, uint = ctypes.c_void_p, ctypes.c_uint
        hb.hb_version_string.restype = ctypes.c_char_p
        hb.hb_blob_create_from_file.restype = vp
        hb.hb_blob_create_from_file.argtypes = [ctypes.c_char_p]
        hb.hb_blob_get_length.restype = uint
        hb.hb_blob_get_length.argtypes = [vp]
        hb.hb_face_create.restype = vp
        hb.hb_face_create.argtypes = [vp, uint]
        hb.hb_face_reference_blob.restype = vp
        hb.hb_face_reference_blob.argtypes = [vp]
        hb.hb_blob_get_data.restype = ctypes.POINTER(ctypes.c_char)
        hb.hb_blob_get_data.argtypes = [vp, ctypes.POINTER(uint)]
        hb.hb_set_add.argtypes = [vp, ctypes.c_uint32]
        hb.hb_set_clear.argtypes = [vp]
        hb.hb_set_invert.argtypes = [vp]
        hb.hb_ot_var_get_axis_infos.restype = uint
        hb.hb_ot_var_get_axis_infos.argtypes = [vp, uint, ctypes.POINTER(uint),
                                                ctypes.POINTER(_AxisInfo)]
        for fn in (hb.hb_blob_destroy, hb.hb_face_destroy):
            fn.argtypes = [vp]
        hb.hb_font_create.restype = vp
        hb.hb_font_create.argtypes = [vp]
        hb.hb_font_destroy.argtypes = [vp]
        hb.hb_font_get_nominal_glyph.restype = ctypes.c_int
        hb.hb_font_get_nominal_glyph.argtypes = [vp, ctypes.c_uint32,
                                                 ctypes.POINTER(ctypes.c_uint32)]
        self.hb = hb
        self.version: str = (hb.hb_version_string() or b"").decode("ascii", "replace")
        """HarfBuzz's version, e.g. ``6.0.0``: a cut font depends on it."""

    @cached_property
    def sub(self) -> ctypes.CDLL | None:
        """The subset library, or None where it is missing or too old to pin axes.

        Loaded on the first cut, not with the core library: a render whose cuts all come
        from the cache needs only the core (for :meth:`covered` and :attr:`version`).
        """
        try:
            sub = _load_library("harfbuzz-subset", "libharfbuzz-subset.so.0",
                                "libharfbuzz-subset.0.dylib")
            vp = ctypes.c_void_p
            sub.hb_subset_input_create_or_fail.restype = vp
            sub.hb_subset_input_unicode_set.restype = vp
            sub.hb_subset_input_unicode_set.argtypes = [vp]
            sub.hb_subset_input_set.restype = vp
            sub.hb_subset_input_set.argtypes = [vp, ctypes.c_int]
            sub.hb_subset_input_destroy.argtypes = [vp]
            sub.hb_subset_input_pin_axis_location.restype = ctypes.c_int
            sub.hb_subset_input_pin_axis_location.argtypes = [vp, vp, ctypes.c_uint32,
                                                              ctypes.c_float]
            sub.hb_subset_or_fail.restype = vp
            sub.hb_subset_or_fail.argtypes = [vp, vp]
        except (OSError, AttributeError):
            return None
        return sub

    def covered(self, path: Path, chars: Iterable[str]) -> set[str]:
        """Which of ``chars`` the font at ``path`` has a glyph for."""
        hb = self.hb
        blob = hb.hb_blob_create_from_file(str(path).encode())
        face = hb.hb_face_create(blob, 0)
        font = hb.hb_font_create(face)
        glyph = ctypes.c_uint32()
        try:
            return {ch for ch in chars
                    if hb.hb_font_get_nominal_glyph(font, ord(ch), ctypes.byref(glyph))}
        finally:
            hb.hb_font_destroy(font)
            hb.hb_face_destroy(face)
            hb.hb_blob_destroy(blob)

    def subset(self, path: Path, text: str, pins: dict[str, float] | None = None
               ) -> bytes | None:
        """``path`` cut to ``text``'s characters, every variation axis pinned if ``pins``.

        Axes not named in ``pins`` are pinned to their defaults; ``pins=None`` keeps the
        font variable. None when HarfBuzz cannot cut the file (or has no subsetter).
        """
        hb, sub = self.hb, self.sub
        if sub is None:
            return None
        blob = hb.hb_blob_create_from_file(str(path).encode())
        face = hb.hb_face_create(blob, 0)
        request = sub.hb_subset_input_create_or_fail()
        result = out_blob = None
        try:
            if not request or not hb.hb_blob_get_length(blob):
                return None
            unicodes = sub.hb_subset_input_unicode_set(request)
            for ch in text:
                hb.hb_set_add(unicodes, ord(ch))
            features = sub.hb_subset_input_set(request, 6)  # LAYOUT_FEATURE_TAG
            hb.hb_set_clear(features)
            hb.hb_set_invert(features)  # keep every OpenType feature
            if pins:
                count = ctypes.c_uint(32)
                axes = (_AxisInfo * 32)()
                hb.hb_ot_var_get_axis_infos(face, 0, ctypes.byref(count), axes)
                for axis in axes[: count.value]:
                    tag = axis.tag.to_bytes(4, "big").decode("latin-1")
                    value = min(max(pins.get(tag, axis.default_value), axis.min_value),
                                axis.max_value)
                    if not sub.hb_subset_input_pin_axis_location(request, face, axis.tag,
                                                                 value):
                        return None
            result = sub.hb_subset_or_fail(face, request)
            if not result:
                return None
            out_blob = hb.hb_face_reference_blob(result)
            size = ctypes.c_uint()
            data = hb.hb_blob_get_data(out_blob, ctypes.byref(size))
            return ctypes.string_at(data, size.value) if size.value else None
        finally:
            if out_blob:
                hb.hb_blob_destroy(out_blob)
            if result:
                hb.hb_face_destroy(result)
            if request:
                sub.hb_subset_input_destroy(request)
            hb.hb_face_destroy(face)
            hb.hb_blob_destroy(blob)


@cache
def harfbuzz() -> HarfBuzz | None:
    """HarfBuzz through ctypes, or None where the library is missing or too old."""
    try:
        return HarfBuzz()
    except (OSError, AttributeError):
        return None


# --- CSS --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Stylesheet:
    """CSS text and the folder its relative URLs resolve against."""

    text: str
    base: Path


def usable_faces(theme: Theme) -> list[FontFace]:
    """The theme's font files worth declaring: variable ones, and static ones of used weights."""
    out = []
    for face in theme.fonts:
        lo, hi = _weight_range(face.weight)
        if lo != hi or lo in PAGE_WEIGHTS:
            out.append(face)
    return out or list(theme.fonts)


@dataclass(frozen=True)
class FaceRule:
    """One ``@font-face`` rule: family, weight (None: let the font say), style, source URL."""

    family: str
    weight: str | None
    style: str
    src: str


def font_face_css(rules: Iterable[FaceRule]) -> str:
    """``@font-face`` rules, one line each."""
    out = []
    for r in rules:
        family = r.family.replace("\\", "").replace('"', "")
        lines = [f'font-family: "{family}"', f'src: url("{r.src}")', f"font-style: {r.style}"]
        if r.weight:
            lines.append(f"font-weight: {r.weight}")
        out.append("@font-face { " + "; ".join(lines) + " }")
    return "\n".join(out)


def _pt(v: float) -> str:
    return f"{round(v, 3):g}pt"


def _mm(v: float) -> str:
    return f"{round(v, 3):g}mm"


def token_css(theme: Theme, paper: str, lang: str) -> str:
    """CSS custom properties and the ``@page`` rules, generated from the design tokens."""
    t = theme.tokens
    s, c, sp, p, h = t.sizes, t.colors, t.spacing, t.page, t.headings
    case = {"upper": "uppercase", "title": "capitalize", "none": "none"}[h.case]
    size = {"a4": "A4", "letter": "letter"}.get(paper.lower(), "A4")
    props = {
        "font-body": font_stack(t.fonts.body, t.fonts.fallback, lang),
        "font-heading": font_stack(t.fonts.heading, t.fonts.fallback, lang),
        "size-body": _pt(s.body), "size-small": _pt(s.small), "size-name": _pt(s.name),
        "size-headline": _pt(s.headline), "size-heading": _pt(s.heading),
        "size-entry": _pt(s.entry),
        "color-text": c.text, "color-muted": c.muted, "color-accent": c.accent,
        "color-rule": c.rule, "color-background": c.background,
        "line-height": f"{round(sp.line_height, 3):g}", "space-section": _pt(sp.section),
        "space-entry": _pt(sp.entry), "space-paragraph": _pt(sp.paragraph),
        # Text extractors (pdftotext, tracking systems) split a word where the gap between
        # letters passes 0.1 em: tracking is capped below that.
        "heading-case": case, "heading-tracking": f"{min(h.letter_spacing, 0.075):g}em",
        "heading-rule-width": "0.6pt" if h.rule else "0",
        "margin-top": _mm(p.margin_top), "margin-right": _mm(p.margin_right),
        "margin-bottom": _mm(p.margin_bottom), "margin-left": _mm(p.margin_left),
        "page-width": "210mm" if size == "A4" else "8.5in",
        "page-height": "297mm" if size == "A4" else "11in",
    }  # fmt: skip
    root = "\n".join(f"  --{k}: {v};" for k, v in props.items())
    folio = ""
    if p.page_numbers:
        folio = (
            "  @bottom-right { content: counter(page) \" / \" counter(pages);"
            f" font-family: {props['font-body']}; font-size: {_pt(s.small * 0.92)};"
            f" color: {c.muted}; vertical-align: middle; }}\n"
        )
    return (
        f":root {{\n{root}\n}}\n"
        "@page {\n"
        f"  size: {size};\n"
        f"  margin: {props['margin-top']} {props['margin-right']} {props['margin-bottom']} "
        f"{props['margin-left']};\n{folio}}}\n"
        "@page :first { @bottom-right { content: none; } }\n"
    )


def shared_dir() -> Path:
    """The folder of the shared templates and CSS every built-in theme starts from."""
    return builtin_dir() / SHARED


def stylesheets(theme: Theme, paper: str, lang: str, fonts_css: str,
                target: Target = "pdf") -> list[Stylesheet]:
    """Every stylesheet in cascade order: fonts and tokens, shared CSS, then each theme's.

    A theme's ``theme.css`` comes after its parent's, so a theme that ``extends`` another
    overrides only the rules it writes. For the web page, each folder's ``web.css``
    (screen sizes, print colours: what WeasyPrint does not read) follows its
    ``theme.css``.
    """
    out = [Stylesheet(fonts_css + "\n" + token_css(theme, paper, lang), theme.dirs[0])]
    names = (THEME_CSS, WEB_CSS) if target == "web" else (THEME_CSS,)
    for folder in (shared_dir(), *reversed(theme.dirs)):
        for name in names:
            css = folder / (BASE_CSS if folder == shared_dir() and name == THEME_CSS
                            else name)
            if css.is_file():
                out.append(Stylesheet(_read_css(css, folder), folder))
    return out


def _read_css(path: Path, folder: Path) -> str:
    """A theme's stylesheet as text; a user error if it cannot be read as UTF-8, or is a
    link to a file outside its theme's folder (which rendering never reads)."""
    real = resolved(path)
    if real is None or not real.is_relative_to(folder.resolve()):
        raise ResumecError(f"{path}: a link to a file outside the theme's folder")
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ResumecError(f"{path}: invalid UTF-8 byte 0x{exc.object[exc.start]:02X} at "
                           f"byte {exc.start}; save the file as UTF-8") from None
    except OSError as exc:
        raise ResumecError(f"{path}: cannot read: {exc.strerror or exc}") from None


# --- templates --------------------------------------------------------------------------------


def template_dirs(theme: Theme) -> tuple[Path, ...]:
    """Template folders, child theme first, then the shared templates."""
    dirs = [d / "templates" for d in theme.dirs]
    dirs.append(shared_dir() / "templates")
    return tuple(d for d in dirs if d.is_dir())


def _textdir(context: Context, text: str, prose: bool = False) -> str:
    """``dir`` for a text block: ``auto`` for browsers, resolved here for WeasyPrint.

    WeasyPrint has no ``dir=auto``: a name or a title takes the direction of its first
    strong character. Prose and bullets keep the document's direction — a list item
    turned right-to-left would move its bullet to the far side — and the bidi algorithm
    still lays each right-to-left run out right to left.
    """
    if context.get("target") == "web":
        return "auto"
    if prose:
        return str(context.get("dir", "ltr"))
    # No strong character (a phone number, a date): left to right, even in Hebrew.
    return first_strong_direction(text) or "ltr"


@cache
def environment(dirs: tuple[Path, ...]) -> Environment:
    """A sandboxed Jinja2 environment over ``dirs``: autoescape on, undefined is an error.

    A template may name a parent theme's template by its folder: ``classic/resume.html.j2``.
    """
    from jinja2 import (
        ChoiceLoader,
        FileSystemLoader,
        PrefixLoader,
        StrictUndefined,
        TemplateNotFound,
        pass_context,
    )
    from jinja2.loaders import split_template_path

    class ThemeLoader(FileSystemLoader):
        """Templates from folders, never through a link to a file outside the theme's folder
        (a templates folder's parent): rendering reads nothing outside the theme's folders."""

        def get_source(self, environment: Environment, template: str
                       ) -> tuple[str, str, Callable[[], bool]]:
            pieces = split_template_path(template)
            for search in self.searchpath:
                candidate = Path(search, *pieces)
                if is_file(candidate):
                    real = resolved(candidate)
                    if real is None or not real.is_relative_to(Path(search).parent.resolve()):
                        raise TemplateNotFound(template)
                    break
            return super().get_source(environment, template)

    loader = ChoiceLoader([
        ThemeLoader([str(d) for d in dirs]),
        PrefixLoader({d.parent.name: ThemeLoader(str(d)) for d in reversed(dirs)}),
    ])
    env = _sandbox_class()(loader=loader, autoescape=True, undefined=StrictUndefined,
                           trim_blocks=True, lstrip_blocks=True, auto_reload=True)
    env.filters["md"] = inline_html
    env.filters["href"] = safe_href
    env.filters["textdir"] = pass_context(_textdir)
    salt = compile_salt(env)
    if salt is not None:
        env.bytecode_cache = _template_cache_class()(salt)
    return env


MAX_REPEAT = 1_000_000
"""Longest text or list a template may make with ``*``, and most bits of a ``**`` result:
Jinja's sandbox bounds ``range`` but not these, and ``"a" * 10**10`` asks for 10 GB."""


@cache
def _sandbox_class() -> type[Environment]:
    """Jinja's sandbox, with ``*`` and ``**`` bounded (a theme's template is not ours).

    Built on first use, because it subclasses a Jinja class.
    """
    from jinja2.exceptions import SecurityError
    from jinja2.sandbox import SandboxedEnvironment

    class ThemeSandbox(SandboxedEnvironment):
        intercepted_binops = frozenset({"*", "**"})

        def call_binop(self, context: Context, operator: str, left: object,
                       right: object) -> object:
            if operator == "*":
                for seq, n in ((left, right), (right, left)):
                    if isinstance(seq, str | list | tuple) and isinstance(n, int) \
                            and len(seq) * n > MAX_REPEAT:
                        raise SecurityError(f"'*' would make {len(seq) * n:,} items; the "
                                            f"limit is {MAX_REPEAT:,}")
            elif isinstance(left, int) and isinstance(right, int) and right > 0 \
                    and max(left.bit_length(), 1) * right > MAX_REPEAT:
                raise SecurityError("'**' would make a number too large to write")
            return super().call_binop(context, operator, left, right)

    return ThemeSandbox


TEMPLATE_CACHE_FORMAT = "1"
"""Part of every compiled template's cache key: bump it to drop every stored one."""


def compile_salt(env: Environment) -> str | None:
    """What Jinja's code for a template depends on besides its name, file and source.

    Takes the configured environment; gives a string naming Jinja's and Python's versions,
    the environment's class (a sandbox compiles operators differently), its syntax and
    output settings, each filter and test with what it is passed, and the files of the
    modules whose code filters run — Jinja runs a filter at compile time when its input is
    a constant and stores the result in the code. None when one of those files cannot be
    read: no compiled template is then kept.
    """
    import jinja2
    import markupsafe

    from resumec import markup

    parts: list[object] = [
        TEMPLATE_CACHE_FORMAT, jinja2.__version__, sys.version, sys.implementation.cache_tag,
        type(env).__module__, type(env).__qualname__,
        env.block_start_string, env.block_end_string, env.variable_start_string,
        env.variable_end_string, env.comment_start_string, env.comment_end_string,
        env.line_statement_prefix, env.line_comment_prefix, env.trim_blocks,
        env.lstrip_blocks, env.newline_sequence, env.keep_trailing_newline,
        env.optimized, env.is_async, env.undefined.__qualname__,
        _callable_name(env.autoescape), _callable_name(env.finalize),
        sorted(env.extensions),
        sorted((n, str(getattr(f, "jinja_pass_arg", ""))) for n, f in env.filters.items()),
        sorted((n, str(getattr(f, "jinja_pass_arg", ""))) for n, f in env.tests.items()),
    ]
    # The filters' own code (this module), what it calls to read Markdown, and escaping.
    for module in (sys.modules[__name__], markup, markupsafe):
        stamp = file_stamp(Path(module.__file__ or ""))
        if stamp is None:
            return None
        parts.append(stamp)
    return repr(parts)


def _callable_name(value: object) -> str:
    """A stable name for an option that may be a function (its repr holds an address)."""
    if callable(value):
        return f"{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', '')}"
    return repr(value)


@cache
def _template_cache_class() -> Callable[[str], BytecodeCache]:
    """Jinja's bytecode cache over :mod:`resumec.cache` (kind ``templates``).

    Jinja checks each entry against its template's source (a SHA-1 of it, stored with the
    code) and Python's version, and compiles afresh on a mismatch: an edited template — a
    user's theme, a theme upgrade — is never served old code. The key adds the template's
    name and file and :func:`compile_salt`, so environments configured differently never
    share an entry. The cache reads nothing damaged nor from a folder others could
    write to (:mod:`resumec.cache`), and an entry Jinja cannot read is compiled again.
    Built on first use, because it subclasses a Jinja class.
    """
    from jinja2 import BytecodeCache
    from jinja2.bccache import Bucket

    class TemplateCache(BytecodeCache):
        def __init__(self, salt: str) -> None:
            self.salt = salt

        def get_cache_key(self, name: str, filename: str | None = None) -> str:
            return disk_cache.key(self.salt, name, filename or "")

        def load_bytecode(self, bucket: Bucket) -> None:
            data = disk_cache.get("templates", bucket.key)
            if data is None:
                return
            try:
                bucket.bytecode_from_string(data)
            except Exception:  # an entry Jinja cannot read: compile the template again
                bucket.reset()

        def dump_bytecode(self, bucket: Bucket) -> None:
            disk_cache.put("templates", bucket.key, bucket.bytecode_to_string())

    return TemplateCache


def render_html(job: RenderJob, target: Target, *, css: str | None = None,
                photo: str | None = None) -> str:
    """Render the theme's template for ``job``: for a browser (``web``) or WeasyPrint.

    ``css`` is inlined in a ``<style>`` element (the web page); ``photo`` is the URL of
    the photo, for themes that show one.
    """
    from jinja2 import TemplateError, TemplateNotFound

    doc = job.document
    dirs = template_dirs(job.theme)
    direction = document_direction(doc.lang)
    try:
        template = environment(dirs).get_template(TEMPLATE)
        return template.render(
            doc=doc, target=target, lang=doc.lang, dir=direction, title=document_title(doc),
            css=Markup(css) if css is not None else None, photo=photo,
            tokens=job.theme.tokens, theme=job.theme.name,
            generator=f"resumec {__version__}", keywords=", ".join(doc.keywords),
        )
    except TemplateNotFound as exc:
        raise ResumecError(f"theme '{job.theme.name}': template '{exc.name}' not found in "
                           + ", ".join(str(d) for d in dirs)) from None
    except TemplateError as exc:
        line = getattr(exc, "lineno", None)
        name = getattr(exc, "filename", None) or getattr(exc, "name", None) or TEMPLATE
        frame = None if line else _theme_frame(exc, dirs)  # raised while rendering
        if frame is not None:
            name, line = frame
        where = f" (line {line})" if line else ""
        raise ResumecError(f"theme '{job.theme.name}': {name}{where}: {exc.message}") from None
    except UnicodeDecodeError as exc:  # reading a template file
        raise ResumecError(f"theme '{job.theme.name}': a template is not UTF-8 text "
                           f"(byte 0x{exc.object[exc.start]:02X})") from None
    except Exception as exc:
        spot = _theme_frame(exc, dirs)
        if spot is None and not isinstance(exc, RecursionError):
            raise  # not in a theme's own template: a bug of ours, which keeps its traceback
        what = "nested or recursing too deeply" if isinstance(exc, RecursionError) else (
            f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__)
        place = f"{spot[0]} (line {spot[1]})" if spot else TEMPLATE
        raise ResumecError(f"theme '{job.theme.name}': {place}: "
                           f"{' '.join(what.split())[:300]}"
                           ) from None


def _theme_frame(exc: BaseException, dirs: tuple[Path, ...]) -> tuple[str, int] | None:
    """The innermost place in a template of a theme that is not built in (a user's) where
    ``exc`` was raised, as Jinja writes template lines into tracebacks; None if none."""
    import traceback

    builtin = builtin_dir().resolve()
    found = None
    for frame in traceback.extract_tb(exc.__traceback__):
        path = Path(frame.filename)
        if frame.lineno and any(path.is_relative_to(d) for d in dirs) \
                and not path.resolve().is_relative_to(builtin):
            found = (frame.filename, frame.lineno)
    return found


def photo_path(job: RenderJob) -> Path | None:
    """The photo file, if the résumé names one, checked to be inside the résumé's folder."""
    if not job.document.photo:
        return None
    base = job.base_dir.resolve()
    path = resolved(base / job.document.photo)
    if path is None:  # a loop of links: it changed since the résumé was checked
        raise ResumecError(f"photo: no such file: {job.document.photo}")
    if not path.is_relative_to(base) or path.suffix.lower() not in IMAGE_SUFFIXES:
        raise ResumecError(f"photo: {job.document.photo} must be a picture ("
                           + ", ".join(sorted(IMAGE_SUFFIXES)) + ") inside the résumé's folder")
    if not path.is_file():
        raise ResumecError(f"photo: no such file: {job.document.photo}")
    return path


def data_uri(data: bytes, mime: str) -> str:
    """A base64 ``data:`` URI."""
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"

