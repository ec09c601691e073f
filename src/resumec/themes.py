"""Themes: data folders with a validated manifest, design tokens, templates and CSS.

Takes a theme name (built-in) or a folder path; gives a :class:`Theme` whose tokens are
merged down its ``extends`` chain (the child overrides only what it names) and whose
files are looked up child first. Nothing in a theme folder is ever executed: the
manifest is YAML validated here, templates are Jinja2 rendered in a sandbox by the
HTML backend, and fonts come from files the manifest names.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError

from resumec.document import DEFAULT_TITLES, Wording
from resumec.errors import ResumecError, did_you_mean
from resumec.loader import THEME_MANIFEST, load_source, pydantic_issues
from resumec.schema.checks import is_file, resolved

MANIFEST = "theme.yaml"
Color = Annotated[str, Field(pattern=r"^#[0-9a-fA-F]{6}$")]
Pt = Annotated[float, Field(gt=0, le=96)]
Mm = Annotated[float, Field(ge=0, le=60)]


def _font_name(name: str) -> str:
    if _NOT_A_NAME.search(name):
        raise ValueError("a font's name cannot hold control characters")
    return name


_NOT_A_NAME = re.compile("[\x00-\x1f\x7f\ufffe\uffff]")
FontName = Annotated[str, AfterValidator(_font_name)]
"""A font family's name: Word's XML cannot hold control characters (nor CSS a line break)."""


class _Tokens(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Fonts(_Tokens):
    """Font families for the HTML/PDF output (names declared under ``fonts:``)."""

    body: FontName = Field("Source Serif 4", description="Body text family.")
    heading: FontName = Field("Source Serif 4", description="Name and headings family.")
    fallback: tuple[FontName, ...] = Field(
        ("Noto Serif", "Noto Sans", "Noto Sans CJK SC", "Noto Sans Arabic", "Noto Sans Hebrew",
         "DejaVu Sans"),
        description="System families tried for characters the theme fonts lack.",
    )


class DocxFonts(_Tokens):
    """Fonts for Word, which cannot embed fonts: one Word users have, and a fallback."""

    body: FontName = Field("Cambria", description="Body font in Word.")
    heading: FontName = Field("Cambria", description="Heading font in Word.")
    fallback: FontName = Field("Caladea", description="Metric-compatible free font, for "
                          "LibreOffice and machines without the Word font.")


class Sizes(_Tokens):
    """Type sizes in points."""

    body: Pt = Field(10.0, description="Body text.")
    small: Pt = Field(9.0, description="Dates, locations, details.")
    name: Pt = Field(24.0, description="The person's name.")
    headline: Pt = Field(11.5, description="The headline under the name.")
    heading: Pt = Field(11.0, description="Section headings.")
    entry: Pt = Field(10.5, description="Entry titles.")


class Colors(_Tokens):
    """Colours as ``#rrggbb``."""

    text: Color = Field("#1f2328", description="Body text.")
    muted: Color = Field("#57606a", description="Dates, locations, secondary text.")
    accent: Color = Field("#1f4e79", description="Name, headings, links.")
    rule: Color = Field("#c8ccd0", description="Lines under headings.")
    background: Color = Field("#ffffff", description="Page (or sidebar) background.")


class Spacing(_Tokens):
    """Vertical rhythm, in points (line height as a ratio)."""

    line_height: Annotated[float, Field(ge=1.0, le=2.0)] = Field(1.3, description="Line "
                                                                 "height ratio.")
    section: Annotated[float, Field(ge=0, le=48)] = Field(12.0, description="Space before a "
                                                          "section heading.")
    entry: Annotated[float, Field(ge=0, le=36)] = Field(7.0, description="Space between "
                                                        "entries.")
    paragraph: Annotated[float, Field(ge=0, le=24)] = Field(3.0, description="Space between "
                                                            "paragraphs and bullets.")


class Page(_Tokens):
    """Paper and margins (millimetres)."""

    size: Literal["a4", "letter"] = Field("a4", description="Default paper size.")
    margin_top: Mm = Field(16, description="Top margin.")
    margin_bottom: Mm = Field(16, description="Bottom margin.")
    margin_left: Mm = Field(18, description="Left margin.")
    margin_right: Mm = Field(18, description="Right margin.")
    page_numbers: bool = Field(True, description="Number pages after the first.")


class Dates(_Tokens):
    """How dates are written."""

    style: Literal["short", "long", "iso", "numeric"] = Field("short", description="Mar 2021, "
                                                              "March 2021, 2021-03, 03/2021.")
    present: str = Field("Present", description="Word for an open range's end.")
    separator: str = Field(" – ", description="Between start and end.")


class Headings(_Tokens):
    """How section headings look."""

    case: Literal["upper", "title", "none"] = Field("upper", description="Letter case.")
    rule: bool = Field(True, description="A line under each heading.")
    letter_spacing: Annotated[float, Field(ge=0, le=0.3)] = Field(0.06, description="Tracking "
                                                                  "in em.")


class Layout(_Tokens):
    """Arrangements the HTML templates and the DOCX backend share."""

    masthead: Literal["left", "center"] = Field("left", description="Name, headline and "
                                                "contact alignment.")
    entry_head: Literal["stacked", "run-in"] = Field("stacked", description="stacked: title "
                                                     "and dates, then subtitle and place; "
                                                     "run-in: all on the dates' line.")


class Density(_Tokens):
    """One step of tightening for a page budget: multiplies sizes and spacing."""

    type_scale: Annotated[float, Field(ge=0.75, le=1.0)] = Field(description="Type size "
                                                                 "factor.")
    space_scale: Annotated[float, Field(ge=0.3, le=1.0)] = Field(description="Spacing factor.")
    margin_scale: Annotated[float, Field(ge=0.5, le=1.0)] = Field(1.0, description="Margin "
                                                                  "factor.")


class Tokens(_Tokens):
    """Design tokens shared by the HTML/PDF and DOCX backends.

    Default objects are assembled (``model_construct``), not validated: validating one
    would build that model's own validator, which nothing else needs.
    """

    fonts: Fonts = Field(Fonts.model_construct(), description="HTML/PDF fonts.")
    docx_fonts: DocxFonts = Field(DocxFonts.model_construct(), description="Word fonts.")
    sizes: Sizes = Field(Sizes.model_construct(), description="Type sizes.")
    colors: Colors = Field(Colors.model_construct(), description="Colours.")
    spacing: Spacing = Field(Spacing.model_construct(), description="Vertical rhythm.")
    page: Page = Field(Page.model_construct(), description="Paper and margins.")
    dates: Dates = Field(Dates.model_construct(), description="Date wording.")
    headings: Headings = Field(Headings.model_construct(), description="Section headings.")
    layout: Layout = Field(Layout.model_construct(),
                           description="Masthead and entry-heading arrangement.")
    section_order: tuple[str, ...] | None = Field(None, description="Default section order; "
                                                  "unlisted sections follow in the author's "
                                                  "order.")
    titles: dict[str, str] = Field({}, description="Section titles.")
    density: tuple[Density, ...] = Field(
        (Density.model_construct(type_scale=0.96, space_scale=0.8),
         Density.model_construct(type_scale=0.93, space_scale=0.6, margin_scale=0.85),
         Density.model_construct(type_scale=0.9, space_scale=0.45, margin_scale=0.7)),
        description="Steps tried, in order, to fit a page budget.",
    )


class FontFile(BaseModel):
    """A font file shipped inside the theme folder."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    path: str = Field(description="Path relative to the theme folder.")
    weight: str = Field("400", description='A weight ("400") or a range ("100 900").')
    style: Literal["normal", "italic"] = Field("normal", description="normal or italic.")


class FontSpec(BaseModel):
    """A font family: from an installed ``fontpkg-*`` package, or files in the theme."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    family: FontName = Field(description="The CSS family name the tokens use.")
    package: str | None = Field(None, description='A fontpkg family slug, e.g. "lato".')
    files: tuple[FontFile, ...] = Field((), description="Files in the theme folder.")


class Manifest(BaseModel):
    """``theme.yaml``: what the theme is and the tokens it sets."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    name: str = Field(description="The theme's name.")
    description: str = Field(description="One line shown by `resumec themes`.")
    extends: str | None = Field(None, description="A built-in theme's name or a folder "
                                "(relative to this one) whose settings this theme starts from.")
    formats: tuple[str, ...] | None = Field(None, description="Formats this theme supports "
                                            "(default: its parent's, or all).")
    fonts: tuple[FontSpec, ...] = Field((), description="Font families the CSS may use.")
    tokens: dict[str, Any] = Field({}, description="Design tokens (see Tokens); merged over "
                                   "the parent's.")


@dataclass(frozen=True)
class FontFace:
    """One ``@font-face``: a family name and a file on disk."""

    family: str
    path: Path
    weight: str
    style: str


@dataclass(frozen=True)
class Theme:
    """A resolved theme: its folders (child first), merged tokens and font files."""

    name: str
    description: str
    dirs: tuple[Path, ...]
    tokens: Tokens
    fonts: tuple[FontFace, ...]
    formats: tuple[str, ...] | None

    def find(self, filename: str) -> Path | None:
        """The first file called ``filename`` along the extends chain."""
        for d in self.dirs:
            candidate = d / filename
            if candidate.is_file():
                return candidate
        return None

    def wording(self) -> Wording:
        """Date style and section titles for :func:`resumec.document.build`."""
        d = self.tokens.dates
        return Wording(d.style, d.present, d.separator, {**DEFAULT_TITLES, **self.tokens.titles})

    def order(self, author_order: tuple[str, ...]) -> tuple[str, ...]:
        """The theme's section order applied to the sections present."""
        if not self.tokens.section_order:
            return author_order
        first = [k for k in self.tokens.section_order if k in author_order]
        return tuple(first + [k for k in author_order if k not in first])

    def with_density(self, step: int) -> Theme:
        """This theme tightened by density step ``step`` (0 = as designed)."""
        if step <= 0:
            return self
        d = self.tokens.density[min(step, len(self.tokens.density)) - 1]
        t = self.tokens
        sizes = t.sizes.model_copy(update={k: round(v * d.type_scale, 2)
                                           for k, v in t.sizes.model_dump().items()})
        spacing = t.spacing.model_copy(update={
            "section": t.spacing.section * d.space_scale,
            "entry": t.spacing.entry * d.space_scale,
            "paragraph": t.spacing.paragraph * d.space_scale,
            "line_height": max(1.1, 1 + (t.spacing.line_height - 1) * (0.5 + d.space_scale / 2)),
        })
        page = t.page.model_copy(update={k: getattr(t.page, k) * d.margin_scale for k in
                                         ("margin_top", "margin_bottom", "margin_left",
                                          "margin_right")})
        tokens = t.model_copy(update={"sizes": sizes, "spacing": spacing, "page": page})
        return Theme(self.name, self.description, self.dirs, tokens, self.fonts, self.formats)


def builtin_dir() -> Path:
    """The folder of built-in themes: inside the wheel, or ``themes/`` of a checkout."""
    here = Path(__file__).resolve().parent
    packaged = here / "themes"
    return packaged if packaged.is_dir() else here.parent.parent / "themes"


def builtin_names() -> list[str]:
    """Names of the built-in themes, sorted."""
    root = builtin_dir()
    return sorted(p.name for p in root.iterdir() if (p / MANIFEST).is_file()) if root.is_dir() \
        else []


def _read_manifest(folder: Path) -> Manifest:
    path = folder / MANIFEST
    if not path.is_file():
        raise ResumecError(f"{folder}: not a theme folder (no {MANIFEST})")
    real = resolved(path)
    if real is None or not real.is_relative_to(folder.resolve()):
        raise ResumecError(f"{path}: a link to a file outside the theme's folder")
    source = load_source(path, kind=THEME_MANIFEST)
    try:
        manifest = Manifest.model_validate(source.data)
    except ValidationError as exc:
        raise ResumecError(sorted(pydantic_issues(source, exc, Manifest.__pydantic_core_schema__))
                           ) from None
    if manifest.formats:
        from resumec.backends import names as format_names

        known = format_names()
        unknown = [source.issue(("formats", i), f"no format '{fmt}'{did_you_mean(fmt, known)} "
                                f"(formats: {', '.join(known)})")
                   for i, fmt in enumerate(manifest.formats) if fmt not in known]
        if unknown:
            raise ResumecError(unknown)
    return manifest


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for k, v in over.items():
        out[k] = _merge(out[k], v) if isinstance(v, dict) and isinstance(out.get(k),
                                                                         dict) else v
    return out


def _font_faces(spec: FontSpec, folder: Path) -> list[FontFace]:
    faces = []
    if spec.package:
        faces += _package_faces(spec.family, spec.package) or _fontpkg_faces(
            spec.family, spec.package, folder)
    for file in spec.files:
        path = (folder / file.path).resolve()
        if not path.is_relative_to(folder.resolve()) or not is_file(path):
            raise ResumecError(f"{folder / MANIFEST}: font file '{file.path}' is not a file "
                               "inside the theme folder")
        faces.append(FontFace(spec.family, path, file.weight, file.style))
    return faces


def _fontpkg_faces(family: str, package: str, folder: Path) -> list[FontFace]:
    """The faces of an installed fontpkg family, as fontpkg's registry finds them."""
    import fontpkg

    try:
        fam = fontpkg.family(package)
    except fontpkg.FontpkgError:
        raise ResumecError(f"{folder / MANIFEST}: font package '{package}' is not "
                           f"installed (pip install fontpkg-{package})") from None
    return [FontFace(family, Path(f.path),
                     f"{f.wght_min} {f.wght_max}" if f.variable and f.wght_min else str(
                         f.weight or 400), f.style)
            for f in fam.files]


def _package_faces(family: str, package: str) -> list[FontFace] | None:
    """The faces of fontpkg family ``package`` read straight from its package's metadata.

    fontpkg's registry imports importlib.metadata and loads every installed family through
    its entry points, ~30 ms of each render. A family package is the module
    ``fontpkg_<slug>`` with a ``metadata.json``: read that, the way fontpkg reads it. None
    if it is not there or not as expected; then fontpkg's registry decides (and says
    what is missing).
    """
    slug = re.sub(r"[\s_]+", "-", package.strip().lower())  # fontpkg's slugify
    try:
        spec = importlib.util.find_spec("fontpkg_" + slug.replace("-", "_"))
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    root = Path(next(iter(spec.submodule_search_locations)))
    try:
        meta = json.loads((root / "metadata.json").read_text(encoding="utf-8"))
        if meta["schema"] != 1 or meta["slug"] != slug:
            return None
        wght = next(((int(a["min"]), int(a["max"])) for a in meta.get("axes", ())
                     if a["tag"] == "wght"), None)
        faces = []
        for f in meta["files"]:
            path = root.joinpath(*f["path"].split("/"))
            variable = bool(f.get("variable"))
            weight = f"{wght[0]} {wght[1]}" if variable and wght and wght[0] else str(
                int(f["weight"]) if f.get("weight") is not None else 400)
            faces.append(FontFace(family, path, weight, f.get("style", "normal")))
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return faces


@cache
def _load(folder: Path, chain: tuple[Path, ...] = ()) -> Theme:
    if folder in chain:
        raise ResumecError(f"{folder / MANIFEST}: themes extend each other in a loop: "
                           + " → ".join(str(p.name) for p in (*chain, folder)))
    m = _read_manifest(folder)
    parent: Theme | None = None
    if m.extends:
        target = folder / m.extends
        parent_dir = target if is_file(target / MANIFEST) else builtin_dir() / m.extends
        if not is_file(parent_dir / MANIFEST):
            raise ResumecError(f"{folder / MANIFEST}: extends: no theme '{m.extends}'"
                               + did_you_mean(m.extends, builtin_names()))
        parent = _load(parent_dir.resolve(), (*chain, folder))
    base = parent.tokens.model_dump() if parent else {}
    try:
        tokens = Tokens.model_validate(_merge(base, m.tokens))
    except ValidationError as exc:
        source = load_source(folder / MANIFEST)
        raise ResumecError(sorted(pydantic_issues(source, exc, Tokens.__pydantic_core_schema__,
                                                  ("tokens",)))) from None
    fonts = [face for spec in m.fonts for face in _font_faces(spec, folder)]
    return Theme(
        name=m.name,
        description=m.description,
        dirs=(folder, *(parent.dirs if parent else ())),
        tokens=tokens,
        fonts=tuple(fonts) + (parent.fonts if parent else ()),
        formats=m.formats or (parent.formats if parent else None),
    )


DEFAULT = "classic"


def load_theme(ref: str | Path | None = None, base: Path | None = None) -> Theme:
    """Resolve a theme by built-in name or folder path, the folder first; a path is from
    ``base`` (default: the working folder). No theme named is the built-in ``classic``:
    not a folder of that name that happens to be in the working folder."""
    if not ref:
        return _load((builtin_dir() / DEFAULT).resolve())
    path = Path(ref) if base is None else base / ref  # maybe a name too long to look up
    if is_file(path / MANIFEST):
        return _load(path.resolve())
    if isinstance(ref, str) and "/" not in ref and is_file(builtin_dir() / ref / MANIFEST):
        return _load((builtin_dir() / ref).resolve())
    if os.path.exists(path):  # False for such a name, where Path.exists raises
        raise ResumecError(f"{ref}: not a theme folder (no {MANIFEST})")
    names = builtin_names()
    raise ResumecError(f"no theme '{ref}'{did_you_mean(str(ref), names)} (built-in themes: "
                       f"{', '.join(names)}; or give a folder path)")
