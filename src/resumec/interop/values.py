"""Single values from other résumé formats, cleaned into what resumec's schema accepts.

Takes one raw value (a date, a URL, a line, a paragraph) with the path it came from;
gives the cleaned value or ``None``, and appends a note for the person importing when
the value had to be changed or could not be kept. Importers build plain data from
these, so that the result validates and nothing is changed without a word.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

from resumec import pictures
from resumec.schema.checks import is_file
from resumec.schema.corelib import PydanticCustomError
from resumec.schema.dates import MONTHS, PartialDate
from resumec.schema.text import check_email, check_url

Notes = list[str]
"""Messages for the person importing: what was renamed, changed or left out, each
``"path: message"`` with the path written as in the source file (``work[0].name``). A
plain ``str`` says the value was changed to fit resumec (or has no place in it); a
:class:`Problem` or a :class:`Filled` says more, for those who render the file as it is."""


class Problem(str):
    """A note on a value that looks wrong in its own file (an address that is no address,
    text where a list belongs, a key nobody knows): left out, or kept as written.
    ``validate`` and ``render`` warn about each one, located in the file."""

    __slots__ = ()


class Filled(str):
    """A note on a value the file lacks and resumec requires: ``import`` fills in a
    placeholder for the person to edit, but ``validate`` and ``render`` refuse, since a
    résumé must say nothing its author did not write. ``missing`` is the error they give
    (``"basics.name: missing name; add it …"``)."""

    missing: str

    def __new__(cls, text: str, missing: str) -> Filled:
        note = super().__new__(cls, text)
        note.missing = missing
        return note

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufffe\uffff]")
_ISO = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?(?:[T ][0-9:.+\-Z]*)?$")
_SLASH = re.compile(r"^(\d{1,2})/(\d{4})$")
_MONTH_YEAR = re.compile(r"^([A-Za-z]{3,9})\.?\s+(\d{4})$")
_PRESENT = {"present", "current", "now", "today", "ongoing", "current position"}
_DOMAIN = re.compile(r"^(www\.)?[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+(/\S*)?$")
_MONTH_NUMBERS = {name.lower(): i + 1 for i, name in enumerate(MONTHS)} | {
    name[:3].lower(): i + 1 for i, name in enumerate(MONTHS)} | {"sept": 9}

SOCIAL_URLS: dict[str, str] = {
    "github": "https://github.com/{}",
    "gitlab": "https://gitlab.com/{}",
    "linkedin": "https://www.linkedin.com/in/{}",
    "twitter": "https://twitter.com/{}",
    "x": "https://x.com/{}",
    "instagram": "https://www.instagram.com/{}",
    "facebook": "https://www.facebook.com/{}",
    "youtube": "https://www.youtube.com/@{}",
    "orcid": "https://orcid.org/{}",
    "researchgate": "https://www.researchgate.net/profile/{}",
    "google scholar": "https://scholar.google.com/citations?user={}",
    "googlescholar": "https://scholar.google.com/citations?user={}",
    "stackoverflow": "https://stackoverflow.com/users/{}",
    "stack overflow": "https://stackoverflow.com/users/{}",
    "telegram": "https://t.me/{}",
    "leetcode": "https://leetcode.com/u/{}",
    "bluesky": "https://bsky.app/profile/{}",
    "imdb": "https://www.imdb.com/name/{}",
    "medium": "https://medium.com/@{}",
    "dev.to": "https://dev.to/{}",
    "hackernews": "https://news.ycombinator.com/user?id={}",
    "hacker news": "https://news.ycombinator.com/user?id={}",
}
"""Profile URL patterns by network name (lower case), for formats that store only a
username (RenderCV, some JSON Resume files)."""

NETWORK_NAMES: dict[str, str] = {
    "github.com": "GitHub", "gitlab.com": "GitLab", "linkedin.com": "LinkedIn",
    "twitter.com": "Twitter", "x.com": "X", "instagram.com": "Instagram",
    "facebook.com": "Facebook", "youtube.com": "YouTube", "orcid.org": "ORCID",
    "researchgate.net": "ResearchGate", "scholar.google.com": "Google Scholar",
    "stackoverflow.com": "StackOverflow", "t.me": "Telegram", "leetcode.com": "LeetCode",
    "bsky.app": "Bluesky", "medium.com": "Medium", "dev.to": "DEV", "imdb.com": "IMDb",
}  # fmt: skip
"""Network names by host, for exporting links as JSON Resume profiles."""


def is_empty(value: Any) -> bool:
    """Whether ``value`` holds nothing worth importing (``None``, blank text, ``[]``, ``{}``)."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, list | tuple | dict):
        return all(is_empty(v) for v in (value.values() if isinstance(value, dict) else value))
    return False


def _scalar_text(value: Any, path: str, notes: Notes) -> str | None:
    if value is None or isinstance(value, bool):
        if isinstance(value, bool):
            notes.append(Problem(f"{path}: expected text, got {str(value).lower()}; "
                                  "not imported"))
        return None
    if isinstance(value, int | float):
        return str(getattr(value, "source", value))
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        return value
    kind = "a list" if isinstance(value, list) else "a mapping"
    notes.append(Problem(f"{path}: expected text, got {kind}; not imported"))
    return None


def _strip_control(text: str, path: str, notes: Notes) -> str:
    if _CONTROL.search(text):
        notes.append(f"{path}: removed control characters")
        text = _CONTROL.sub(" ", text)
    return text


def line(value: Any, path: str, notes: Notes, *, markdown: bool = False) -> str | None:
    """A one-line plain-text field; ``markdown`` source loses its syntax (with a note)."""
    text = _scalar_text(value, path, notes)
    if text is None:
        return None
    text = _strip_control(text, path, notes)
    if markdown and re.search(r"[*_`\[<\\&]", text):
        from resumec.markup import plain

        shown = plain(text)
        if shown.split() != text.split():
            notes.append(f"{path}: Markdown removed from {text.strip()!r} (this field is "
                         "plain text in resumec)")
        text = shown
    if "\n" in text.strip():
        notes.append(f"{path}: joined several lines into one")
    return " ".join(text.split()) or None


def text(value: Any, path: str, notes: Notes) -> str | None:
    """A prose field (inline Markdown); unsafe or relative link targets are made literal."""
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        value = "\n\n".join(v.strip() for v in value if v.strip())
    raw = _scalar_text(value, path, notes)
    if raw is None:
        return None
    raw = _strip_control(raw, path, notes).replace("\r\n", "\n")
    out = "\n".join(part.rstrip() for part in raw.strip().split("\n"))
    if not out:
        return None
    if re.search(r"\]\(|<[a-zA-Z][a-zA-Z0-9+.-]*:", out):
        from resumec.markup import link_targets

        bad = []
        for href in link_targets(out):
            try:
                check_url(href)
            except PydanticCustomError:
                bad.append(href)
        if bad:
            notes.append(f"{path}: link target(s) {', '.join(map(repr, bad))} are not http(s) "
                         "or mailto URLs; their links are shown as plain text")
            out = re.sub(r"(?<!\\)([\[<])", r"\\\1", out)
    return out


def url(value: Any, path: str, notes: Notes) -> str | None:
    """An absolute http(s) or mailto URL; a bare domain gets ``https://`` (with a note)."""
    raw = _scalar_text(value, path, notes)
    if raw is None or not raw.strip():
        return None
    candidate = raw.strip()
    if "://" not in candidate and not candidate.lower().startswith("mailto:"):
        if _DOMAIN.match(candidate):
            notes.append(f"{path}: {candidate!r} has no scheme; imported as "
                         f"'https://{candidate}'")
            candidate = f"https://{candidate}"
        elif "@" in candidate and check_ok(check_email, candidate):
            return f"mailto:{candidate}"
    if " " in candidate:
        candidate = candidate.replace(" ", "%20")
    try:
        return check_url(candidate)
    except PydanticCustomError as exc:
        notes.append(Problem(f"{path}: {raw.strip()!r} is not a usable link "
                             f"({exc.message()}); not imported"))
        return None


def email(value: Any, path: str, notes: Notes) -> str | None:
    """An e-mail address (a ``mailto:`` prefix is dropped)."""
    raw = _scalar_text(value, path, notes)
    if raw is None or not raw.strip():
        return None
    candidate = raw.strip().removeprefix("mailto:")
    if check_ok(check_email, candidate):
        return candidate
    notes.append(Problem(f"{path}: {raw.strip()!r} is not a valid e-mail address; "
                         "not imported"))
    return None


def check_ok(check: Any, value: str) -> bool:
    """Whether ``check(value)`` accepts the value."""
    try:
        check(value)
    except PydanticCustomError:
        return False
    return True


def lines(value: Any, path: str, notes: Notes, *, markdown: bool = False) -> list[str]:
    """A list of one-line texts (keywords, courses); a single string counts as one item."""
    single = isinstance(value, str | int | float) and not isinstance(value, bool)
    items = _as_list(value, path, notes, single)
    return [c for i, item in enumerate(items)
            if (c := line(item, f"{path}[{i}]", notes, markdown=markdown))]


def texts(value: Any, path: str, notes: Notes) -> list[str]:
    """A list of prose items (highlights, bullets)."""
    items = _as_list(value, path, notes, isinstance(value, str))
    return [c for i, item in enumerate(items) if (c := text(item, f"{path}[{i}]", notes))]


def _as_list(value: Any, path: str, notes: Notes, single: bool) -> list[Any]:
    """``value`` as a list: empty for nothing, one item for a ``single`` scalar."""
    if is_empty(value):
        return []
    if single:
        return [value]
    if not isinstance(value, list):
        notes.append(Problem(f"{path}: expected a list; not imported"))
        return []
    return value


# --- dates ------------------------------------------------------------------------------------


def parse_date(value: Any) -> str | None:
    """A date in resumec's form (``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``), ``"present"``, or
    ``None`` if ``value`` is not a date this function understands."""
    if isinstance(value, dt.date):  # a YAML date (RenderCV): checked as its ISO text
        value = value.isoformat()[:10]
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        value = str(value)
    if not isinstance(value, str):
        return None
    raw = value.strip()
    if raw.lower() in _PRESENT:
        return "present"
    year: str | int
    month: str | int | None
    day: str | int | None = None
    if m := _ISO.match(raw):
        year, month, day = m[1], m[2], m[3]
    elif m := _SLASH.match(raw):
        year, month = m[2], m[1]
    elif (m := _MONTH_YEAR.match(raw)) and m[1].lower() in _MONTH_NUMBERS:
        year, month = m[2], _MONTH_NUMBERS[m[1].lower()]
    else:
        return None
    text = f"{int(year):04d}" + (f"-{int(month):02d}" if month else "") + (
        f"-{int(day):02d}" if month and day else "")
    try:
        parsed = PartialDate.parse(text)
    except ValueError:
        return None
    # "2020-01-01" is how many tools write "2020": keep what was written.
    return parsed.iso


def dates(start: Any, end: Any, path: str, names: tuple[str, str], notes: Notes, *,
          open_end: bool = True, single: Any = None, single_name: str = "date"
          ) -> dict[str, str]:
    """Map a start/end pair (and/or a single date) to resumec's ``date``/``start``/``end``.

    A start without an end is an ongoing range (``end: present``) when ``open_end``; equal
    start and end become one ``date``. Text that is no date (``"Summer 2019"``) is kept as
    ``when``, shown as written.
    """
    written: list[str] = []
    unparsed = False
    s = e = d = None
    for raw, name, kind in ((single, single_name, "date"), (start, names[0], "start"),
                            (end, names[1], "end")):
        if is_empty(raw):
            continue
        shown = (_scalar_text(raw, f"{path}.{name}", notes) or "").strip()
        written.append(shown)
        parsed = parse_date(raw)
        if parsed is None or (parsed == "present" and kind != "end"):
            unparsed = True
            notes.append(f"{path}.{name}: {shown!r} is not a date (YYYY, YYYY-MM or "
                         "YYYY-MM-DD); kept as free text in 'when'")
        elif kind == "start":
            s = parsed
        elif kind == "end":
            e = parsed
        else:
            d = parsed
    if unparsed:
        return {"when": " – ".join(w for w in written if w)}
    if d and (s or e):
        notes.append(Problem(f"{path}.{single_name}: both a date and a start/end; kept "
                             "the start/end"))
        d = None
    if d:
        return {"date": d}
    if s is None and e is not None:
        if e == "present":
            return {}
        notes.append(f"{path}.{names[1]}: an end without a start; imported as the date")
        return {"date": e}
    if s is None:
        return {}
    if e is None and open_end:
        e = "present"
    if e is not None and e != "present":
        ps, pe = PartialDate.parse(s), PartialDate.parse(e)
        if pe.covers_before(ps):
            notes.append(Problem(f"{path}: ends ({e}) before it starts ({s}); kept as "
                                 "free text in 'when'"))
            return {"when": f"{s} – {e}"}
        if s == e:
            return {"date": s}
    return {"start": s, "end": e} if e is not None else {"start": s}


def years_in(text: str) -> list[int]:
    """Four-digit years mentioned in free text, in order."""
    return [int(y) for y in re.findall(r"(?<!\d)(1[89]\d\d|2\d\d\d)(?!\d)", text)]


# --- links and places -------------------------------------------------------------------------


def profile_url(network: str, username: str) -> str | None:
    """The profile URL for a username on a known network, or ``None``."""
    key = network.strip().lower()
    user = username.strip().lstrip("@")
    if key == "mastodon" and user.count("@") == 1:
        name, host = user.split("@")
        return f"https://{host}/@{quote(name)}"
    pattern = SOCIAL_URLS.get(key)
    return pattern.format(quote(user, safe="")) if pattern and user else None


def network_for(link_url: str) -> str | None:
    """A network name for a profile URL (``https://github.com/x`` → ``GitHub``)."""
    from urllib.parse import urlsplit

    host = (urlsplit(link_url).hostname or "").lower().removeprefix("www.")
    return NETWORK_NAMES.get(host)


def username_for(link_url: str) -> str | None:
    """The last path segment of a known network's profile URL, as its username."""
    from urllib.parse import unquote, urlsplit

    if not network_for(link_url):
        return None
    segments = [p for p in urlsplit(link_url).path.split("/") if p]
    return unquote(segments[-1]).lstrip("@") if segments else None


def photo(value: Any, path: str, notes: Notes, base_dir: Path | None) -> str | None:
    """A photo file next to the résumé; web addresses and missing files are noted."""
    image = (_scalar_text(value, path, notes) or "").strip()
    if not image:
        return None
    if "://" in image or image.startswith("data:"):
        notes.append(Problem(f"{path}: {image[:80]!r} is a web address; resumec shows a "
                             "photo file next to the résumé: download it and set 'photo'. "
                             "Not imported"))
        return None
    if base_dir is not None and is_file(base_dir / image):
        if wrong := pictures.problem(base_dir / image):
            notes.append(Problem(f"{path}: {image!r}: {wrong}; not imported"))
            return None
        return image
    notes.append(Problem(f"{path}: no photo file {image!r} next to the résumé; not imported "
                         "(set 'photo' once the file is there)"))
    return None


def join_place(parts: Iterator[str | None] | list[str | None]) -> str | None:
    """Join the non-empty parts of a place with ``", "``."""
    kept = [" ".join(p.split()) for p in parts if p and p.strip()]
    return ", ".join(dict.fromkeys(kept)) or None


def slug(title: str, taken: set[str]) -> str:
    """An id for a custom section from its title, unique among ``taken``."""
    base = re.sub(r"[^0-9a-z]+", "-", title.lower()).strip("-") or "section"
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate
