"""Tailoring: a profile turns the full résumé into the variant one application needs.

Takes a :class:`~resumec.schema.Resume` and a profile name; gives a filtered,
reordered copy (:func:`apply_profile`) and the reasons for every decision
(:func:`explain`). Pure: nothing here reads files or prints.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from resumec.errors import ResumecError, did_you_mean
from resumec.loader import format_loc
from resumec.schema.model import (
    SECTION_KEYS,
    CustomSection,
    Experience,
    Highlight,
    Profile,
    Resume,
    SkillGroup,
    Tagged,
)

_OVERRIDES = ("headline", "summary")


@dataclass(frozen=True)
class Decision:
    """Why one item was kept or dropped."""

    path: str
    kept: bool
    reason: str


@dataclass
class _Walk:
    include: frozenset[str]
    exclude: frozenset[str]
    include_private: bool
    max_highlights: int | None
    decisions: list[Decision] = field(default_factory=list)

    def verdict(self, item: Tagged) -> tuple[bool, str]:
        if item.private and not self.include_private:
            return False, "private"
        bad = sorted(set(item.tags) & self.exclude)
        if bad:
            return False, f"tagged {', '.join(bad)} (excluded)"
        if self.include and item.tags:
            good = sorted(set(item.tags) & self.include)
            if not good:
                return False, f"tagged {', '.join(item.tags)}, none of them included"
            return True, f"tagged {', '.join(good)} (included)"
        return True, "untagged" if not item.tags else "tagged"

    def model(self, item: BaseModel, loc: tuple[str | int, ...]) -> BaseModel | None:
        if isinstance(item, Tagged):
            kept, reason = self.verdict(item)
            if not kept:
                self.decisions.append(Decision(format_loc(loc), False, reason))
                return None
        update: dict[str, Any] = {}
        for name in type(item).model_fields:
            value = getattr(item, name)
            if isinstance(value, tuple) and value and isinstance(value[0], BaseModel):
                kept_items = self.items(value, (*loc, name))
                if name == "highlights":
                    kept_items = self.cap(kept_items, (*loc, name))
                if _changed(kept_items, value):
                    update[name] = kept_items
        if isinstance(item, Experience) and item.roles and "roles" in update and not (
            update["roles"]
        ):
            self.decisions.append(Decision(format_loc(loc), False, "every role was dropped"))
            return None
        if isinstance(item, SkillGroup) and "items" in update and not update["items"]:
            self.decisions.append(Decision(format_loc(loc), False, "every skill was dropped"))
            return None
        if isinstance(item, CustomSection) and not (
            item.text or update.get("entries", item.entries) or update.get("bullets",
                                                                           item.bullets)
        ):
            self.decisions.append(Decision(format_loc(loc), False, "all its content was dropped"))
            return None
        return item.model_copy(update=update) if update else item

    def items(self, values: tuple[Any, ...], loc: tuple[str | int, ...]) -> tuple[Any, ...]:
        out = []
        for i, v in enumerate(values):
            kept = self.model(v, (*loc, i)) if isinstance(v, BaseModel) else v
            if kept is not None:
                out.append(kept)
        return tuple(out)

    def cap(self, highlights: tuple[Highlight, ...], loc: tuple[str | int, ...]
            ) -> tuple[Highlight, ...]:
        """Keep at most ``max_highlights``: those matching ``include`` first, in order."""
        limit = self.max_highlights
        if limit is None or len(highlights) <= limit:
            return highlights
        ranked = sorted(range(len(highlights)),
                        key=lambda i: (not (set(highlights[i].tags) & self.include), i))
        chosen = set(ranked[:limit])
        for i, h in enumerate(highlights):
            if i not in chosen:
                self.decisions.append(Decision(f"{format_loc(loc)}: {h.text[:40]!r}", False,
                                               f"over max_highlights={limit}"))
        return tuple(h for i, h in enumerate(highlights) if i in chosen)


def _changed(new: tuple[Any, ...], old: tuple[Any, ...]) -> bool:
    return len(new) != len(old) or any(a is not b for a, b in zip(new, old, strict=True))


def resolve_profile(resume: Resume, name: str) -> Profile:
    """The profile ``name`` with its ``extends`` chain merged (the child's settings win)."""
    if name not in resume.profiles:
        names = sorted(resume.profiles)
        listing = f"profiles: {', '.join(names)}" if names else "this résumé has no profiles"
        raise ResumecError(f"no profile '{name}'{did_you_mean(name, names)} ({listing})")
    chain: list[Profile] = []
    step: str | None = name
    while step is not None and step in resume.profiles and resume.profiles[step] not in chain:
        chain.append(resume.profiles[step])
        step = resume.profiles[step].extends
    merged: dict[str, Any] = {}
    for p in reversed(chain):
        merged.update({k: getattr(p, k) for k in p.model_fields_set})
    merged.pop("extends", None)
    # Assembled, not validated: every value was validated with the résumé, and a profile
    # has no check across its fields (validating would build Profile's validator, ~16 ms).
    return Profile.model_construct(_fields_set=set(merged), **merged)


def _apply(resume: Resume, profile: Profile | None, include_private: bool
           ) -> tuple[Resume, list[Decision]]:
    p = profile or Profile.model_construct()
    walk = _Walk(frozenset(p.include), frozenset(p.exclude), include_private, p.max_highlights)
    update: dict[str, Any] = {}
    for key in SECTION_KEYS:
        value = getattr(resume, key)
        if isinstance(value, tuple) and value:
            kept = walk.items(value, (key,))
            if _changed(kept, value):
                update[key] = kept
    custom = {}
    for key, section in resume.custom.items():
        kept_section = walk.model(section, ("custom", key))
        if kept_section is not None:
            custom[key] = kept_section
    if len(custom) != len(resume.custom) or any(custom[k] is not resume.custom[k]
                                                for k in custom):
        update["custom"] = custom
    for key in _OVERRIDES:
        if getattr(p, key) is not None:
            update[key] = getattr(p, key)
    if p.titles:
        update["titles"] = {**resume.titles, **p.titles}
    order = resume.section_order
    if p.sections is not None:
        for key in order:
            if key not in p.sections:
                walk.decisions.append(Decision(key, False, "section not in the profile's "
                                               "sections"))
        order = tuple(p.sections)
        update.update({k: () for k in SECTION_KEYS if k not in order and k != "summary"})
        if "summary" not in order:
            update["summary"] = None
        update["custom"] = {k: v for k, v in update.get("custom", resume.custom).items()
                            if k in order}
    tailored = resume.with_order(order, **update)
    # A title names a section: one the profile left out, or emptied by tags or privacy,
    # has nothing to title. A stale custom id would even make the résumé invalid again
    # (exported to JSON Resume and imported: "titles.extra: no section 'extra'").
    shown = set(tailored.section_order)
    if any(key not in shown for key in tailored.titles):
        update["titles"] = {k: v for k, v in tailored.titles.items() if k in shown}
        tailored = resume.with_order(order, **update)
    return tailored, walk.decisions


def apply_profile(resume: Resume, name: str | None = None, *,
                  include_private: bool = False) -> Resume:
    """Return the résumé as profile ``name`` shows it (private items out by default)."""
    profile = resolve_profile(resume, name) if name else None
    return _apply(resume, profile, include_private)[0]


def explain(resume: Resume, name: str | None = None, *,
            include_private: bool = False) -> list[Decision]:
    """Return what profile ``name`` drops, and why."""
    profile = resolve_profile(resume, name) if name else None
    return _apply(resume, profile, include_private)[1]
