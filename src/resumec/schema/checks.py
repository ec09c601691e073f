"""Whole-document checks that a single field cannot make on its own.

Takes a validated résumé — a :class:`~resumec.schema.model.Resume`, or the compiled
validator's stand-in with the same attributes — and the folder it came from; gives
``(loc, message, at_key)`` triples that the loader turns into located issues:
custom sections shadowing built-in ones, unknown section titles, profiles naming
tags or sections that do not exist, ``extends`` cycles, a missing photo.
"""

from __future__ import annotations

import re
from pathlib import Path

from resumec import pictures
from resumec.errors import Hints
from resumec.schema.rules import SECTION_KEYS, sections_in_order

TYPE_CHECKING = False  # `resumec validate` runs without importing typing
if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence
    from typing import Any

Problem = tuple[tuple[str | int, ...], str, bool]
SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
"""Profile names become parts of file names: nothing that can leave the output folder."""
MAX_EXTENDS = 64
"""Longest ``extends`` chain accepted; real ones are two or three profiles long. Each
profile's chain is walked: thousands of profiles each extending the one before took
minutes to check."""


def _is_object(value: Any) -> bool:
    # Models and the compiled validator's records alike: pydantic-core set this on them.
    return hasattr(value, "__pydantic_fields_set__")


def iter_models(model: Any) -> Iterator[Any]:
    """Yield ``model`` and every object nested in it, depth first, in source order."""
    yield model
    for name, value in vars(model).items():
        if name.startswith("_"):
            continue
        values = value.values() if isinstance(value, dict) else (
            value if isinstance(value, tuple) else (value,))
        for v in values:
            if _is_object(v):
                yield from iter_models(v)


def all_tags(resume: Any) -> set[str]:
    """Every tag used on any item of the résumé (profiles excluded)."""
    tags: set[str] = set()
    for name in (*SECTION_KEYS, "custom"):
        value = getattr(resume, name)
        items = value.values() if isinstance(value, dict) else value
        for item in items if isinstance(items, tuple | type({}.values())) else ():
            for m in iter_models(item):
                tags.update(vars(m).get("tags", ()))
    return tags


def is_file(path: Path) -> bool:
    """Whether ``path`` is a file. A name the system refuses to look up (longer than a
    file name may be) names no file, as a missing one does: ``Path.is_file`` raises for
    it, and the name comes from the résumé."""
    try:
        return path.is_file()
    except OSError:
        return False


def resolved(path: Path) -> Path | None:
    """``path`` with ``..`` and symbolic links resolved, or None where nothing can be
    there: ``Path.resolve`` raises for a loop of links (RuntimeError), and the name comes
    from the résumé."""
    try:
        return path.resolve()
    except (OSError, RuntimeError, ValueError):
        return None


def check(resume: Any, base_dir: Path | None) -> list[Problem]:
    """Return every whole-document problem in ``resume``."""
    problems: list[Problem] = []
    hint = Hints()
    for key in resume.custom:
        if key in SECTION_KEYS:
            problems.append((("custom", key), f"'{key}' is a built-in section: write it at the "
                             "top level, or give this section another id", True))
    sections = set(sections_in_order(resume)) | set(SECTION_KEYS)
    known = sorted(sections)
    first: dict[str, int] = {}
    for i, key in enumerate(resume.order or ()):
        if key not in sections:
            problems.append((("order", i), f"no section '{key}'"
                             + hint(key, known), False))
        elif key in first:
            problems.append((("order", i), f"'{key}' is already at order[{first[key]}]",
                             False))
        first.setdefault(key, i)
    for key in resume.titles:
        if key not in sections:
            problems.append((("titles", key), f"no section '{key}'"
                             + hint(key, known), True))
    problems.extend(_check_profiles(resume, hint))
    problems.extend(_check_profile_outputs(resume, base_dir, hint))
    if resume.photo and base_dir is not None:
        photo = resolved(base_dir / resume.photo)
        if photo is not None and not photo.is_relative_to(base_dir.resolve()):
            problems.append((("photo",), "the photo must be inside the résumé's folder",
                             False))
        elif photo is None or not is_file(photo):
            problems.append((("photo",), f"no such file: {resume.photo} (relative to "
                             f"{base_dir})", False))
        elif wrong := pictures.problem(photo):
            problems.append((("photo",), f"{resume.photo}: {wrong}", False))
    return problems


def _check_profile_outputs(resume: Any, base_dir: Path | None, hint: Hints
                           ) -> Iterator[Problem]:
    """Profiles' themes and formats must exist (looked up only when a profile names one)."""
    for name, profile in resume.profiles.items():
        if profile.theme is not None:
            from resumec.themes import MANIFEST, builtin_names

            folder = (base_dir or Path(".")) / profile.theme
            names = builtin_names()
            if profile.theme not in names and not is_file(folder / MANIFEST):
                yield (("profiles", name, "theme"), f"no theme '{profile.theme}'"
                       + hint(profile.theme, names)
                       + f" (built-in themes: {', '.join(names)}; or a folder with "
                       f"{MANIFEST})", False)
        for i, fmt in enumerate(profile.formats or ()):
            from resumec.backends import names as format_names

            known = format_names()
            if fmt not in known:
                yield (("profiles", name, "formats", i), f"no format '{fmt}'"
                       + hint(fmt, known) + f" (formats: {', '.join(known)})", False)


def _check_profiles(resume: Any, hint: Hints) -> Iterator[Problem]:
    tags = sorted(all_tags(resume))
    present = sections_in_order(resume)
    names = list(resume.profiles)
    for name, profile in resume.profiles.items():
        here: tuple[str | int, ...] = ("profiles", name)
        if not SAFE_NAME.match(name):
            yield (here, f"profile name '{name}' names output files: use letters, digits, "
                   "'-', '_' and '.', starting with a letter or digit", True)
        if profile.extends is not None:
            if profile.extends not in resume.profiles:
                others = [n for n in names if n != name]
                yield ((*here, "extends"), f"no profile '{profile.extends}'"
                       + hint(profile.extends, others), False)
            else:
                seen = [name]
                step: str | None = profile.extends
                while (step is not None and step in resume.profiles and step not in seen
                       and len(seen) <= MAX_EXTENDS):
                    seen.append(step)
                    step = resume.profiles[step].extends
                if step in seen:
                    yield ((*here, "extends"), "profiles extend each other in a loop: "
                           + " → ".join([*seen, str(step)]), False)
                elif step in resume.profiles:  # the walk stopped at MAX_EXTENDS
                    yield ((*here, "extends"), f"extends a chain of more than {MAX_EXTENDS} "
                           "profiles", False)
        for field in ("include", "exclude"):
            for i, tag in enumerate(getattr(profile, field)):
                if tag not in tags:
                    close = hint(tag, tags) or _in_use(tags)
                    yield ((*here, field, i), f"no item is tagged '{tag}'{close}", False)
        first: dict[str, int] = {}
        for i, section in enumerate(profile.sections or ()):
            if section not in present:
                yield ((*here, "sections", i), f"no section '{section}' in this résumé"
                       + hint(section, present), False)
            elif section in first:
                yield ((*here, "sections", i), f"'{section}' is already at "
                       f"sections[{first[section]}]", False)
            first.setdefault(section, i)
        for key in profile.titles or {}:
            if key not in present:
                yield ((*here, "titles", key), f"no section '{key}' in this résumé"
                       + hint(key, present), True)


TAGS_SHOWN = 12
"""The most tags an "unknown tag" message lists; a résumé tagged with hundreds would
make each such message a screenful."""


def _in_use(tags: Sequence[str]) -> str:
    """``" (tags in use: a, b, …)"``: what a profile could have meant, briefly."""
    if not tags:
        return " (no item has tags)"
    shown = ", ".join(tags[:TAGS_SHOWN])
    more = f", … ({len(tags)} in all)" if len(tags) > TAGS_SHOWN else ""
    return f" (tags in use: {shown}{more})"
