"""Fuzzing the renderers: every valid résumé renders in every format and theme, or fails
with located errors — never a crash — and what it renders says what the résumé says.

Two sources of valid input: résumés generated field by field from the model (nasty
strings — inline markup, raw HTML, template syntax, right-to-left and CJK scripts,
emoji, combining and zero-width characters, 300-character words and URLs — partial
dates, multi-role employers, custom sections, profiles, private items), and the real
examples mutated at the data level (keys dropped, lists emptied, strings replaced by nasty
ones). Inputs that do not validate are discarded. Cases found are kept below as
regressions.

Every private item carries a secret word of its own (``zpvt0001z``): rendered without
``include_private`` no format shows any of them, and with it, Markdown, text and HTML
show exactly those of the items the profile keeps (JSON Resume, with no place for some
fields, none of the others). A few PDF cases give a profile a page budget
(``max_pages``): the PDF fits it, sections all there, or the render fails with a user
error.

Set ``RESUMEC_FUZZ_SCALE`` (e.g. 20) to run many more examples than CI does.
"""

from __future__ import annotations

import copy
import html as html_lib
import io
import json
import os
import re
import unicodedata
import zipfile
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from resumec.backends import RenderJob
from resumec.backends import budget as budgets
from resumec.backends.htmlkit import render_html
from resumec.document import Document, Item
from resumec.errors import Issue, ResumecError
from resumec.loader import load_resume
from resumec.markup import plain
from resumec.render import Options, Task, fit_name, run, tasks
from resumec.schema import Resume
from resumec.tailor import apply_profile
from tests.conftest import CORPUS, DEMO, EXAMPLES, ROOT
from tests.fuzz.fuzzkit import value_paths
from tests.pdf.layouts import APPLIED, NOT_APPLIED, assert_job_lays_out_as_weasyprint_does
from tests.pdf.pdf_helpers import outline_titles

THEMES = ("classic", "modern", "compact", "sidebar")
CHEAP = ("md", "txt", "json")
SCALE = int(os.environ.get("RESUMEC_FUZZ_SCALE", "1"))


def fuzz(examples: int) -> settings:
    """``examples`` valid résumés per run. Hypothesis's filter_too_much health check stays
    on: it fails the test if the strategies stop making mostly valid résumés."""
    return settings(max_examples=examples * SCALE, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


# --- strings ------------------------------------------------------------------------------

LONG_WORD = "Supercalifragilistic" * 15  # 300 characters, no break opportunity
LONG_URL = "https://example.com/" + "a" * 280
NASTY: tuple[str, ...] = (
    "**bold**", "*it*", "_it_", "__b__", "[link](https://x.io)", "[mail](mailto:a@b.co)",
    "`code`", "``double ` tick``", "**unbalanced", "*", "**", "_", "`", "[", "]", "](",
    "<script>alert(1)</script>", "</style>", "<b>", "&amp;", "&copy;", "&#0;", "&", "<",
    "{{ 7*7 }}", "{% if x %}y{% endif %}", "{#", "#", "# h", "- item", "1. one", "> q",
    "| a |", "~~s~~", "$5M", "C#", "*nix", "a\\", "\\", "![i](https://x.io/i.png)",
    "<https://auto.io>", "https://bare.io/x_y", "Foo_(bar)",
    "שלום עולם", "مرحبا بالعالم", "עברית 123 English", "履歴書の山田", "工程师", "한국어",
    "👩‍💻🚀", "🇵🇹", "e\u0301\u0301", "\u0301start", "a\u200bb", "\u200d", "\u200e\u200f",
    "\u202eevil\u202c", "\ufeff", "\u00a0nbsp\u00a0", "\u2003", "x\ty", "ﬁ ligature",
    "İstanbul ß ǅ", "\U0001d54f\U0001d552", LONG_WORD, LONG_URL,
    "Ünïcödé", "'quotes' \"double\"", "--", "—", "…", "=", "+", "-", ">", ":",
    # Code points that are rarely text: noncharacters, private use, bidi controls and
    # isolates, tags, variation selectors, invisible operators, the replacement character.
    "\ufdd0", "x\ufdef", "\U0001fffe", "\U0010ffff", "\U0010fffd", "\ue000", "\uf8ff",
    "\U000f0000", "\u2066isolate\u2069", "\u2067\u05d0\u2069", "\u2068x", "\u202a",
    "\u202b", "\u202d", "\u061c", "\ufffd", "\U000e0001\U000e0065\U000e007f", "\ufe0f",
    "a\U000e0100", "\u00ad", "\u034f", "\u2060", "\u180e", "\u2062", "\u115f", "\u3164",
    "\U0001d173", "\u0600\u0661", "\ufff9a\ufffab\ufffb",
)
_ALPHABET = st.characters(codec="utf-8", exclude_categories=("Cs", "Cc"),
                          exclude_characters="\u2028\u2029\ufffe\uffff")
word = st.one_of(st.sampled_from(NASTY), st.text(_ALPHABET, min_size=1, max_size=12),
                 st.sampled_from(["Engineer", "Acme", "Lisbon", "Python", "2021"]))


@st.composite
def line(draw: st.DrawFn) -> str:
    """A one-line text field (never empty once stripped)."""
    parts = draw(st.lists(word, min_size=1, max_size=4))
    text = draw(st.sampled_from([" ", "", " · "])).join(parts)
    text = text.replace("\n", " ")
    assume(text.strip())
    return text


@st.composite
def prose(draw: st.DrawFn) -> str:
    """A text field: a few lines, maybe paragraphs."""
    parts = draw(st.lists(line(), min_size=1, max_size=4))
    text = "".join(p + draw(st.sampled_from([" ", "\n", "\n\n", " \n \n"])) for p in parts)
    assume(text.strip())
    return text


url = st.sampled_from(["https://example.com", "http://x.io/a?b=c&d=e#f", LONG_URL,
                       "https://例え.jp/パス", "mailto:a@b.co", "https://x.io/(paren)",
                       "https://x.io/a_b*c", "HTTPS://UPPER.IO", "https://x.io/%3Cscript%3E",
                       "https://user:pw@x.io:8080/", "https://x.io/<b>"])
TAGS = ("backend", "ml", "lead", "data")
tags = st.lists(st.sampled_from(TAGS), max_size=2, unique=True)
year = st.one_of(st.integers(1990, 2024), st.sampled_from([0, 1000, 1900, 9997]))


@st.composite
def dated(draw: st.DrawFn, *, allow: bool = True) -> dict[str, Any]:
    """Date fields: a date, a range (maybe open, maybe start == end), free text, or none."""
    kind = draw(st.sampled_from(["none", "date", "range", "open", "same", "when"]
                                if allow else ["none"]))
    y = draw(year)
    month = draw(st.sampled_from([None, 1, 2, 12]))
    day = draw(st.sampled_from([None, 1, 28])) if month else None
    start: Any = y if month is None else (f"{y}-{month:02d}" if day is None
                                          else f"{y}-{month:02d}-{day:02d}")
    if kind == "date":
        return {"date": start}
    if kind == "range":
        return {"start": start, "end": draw(st.sampled_from([y + 1, f"{y + 2}-03", start]))}
    if kind == "open":
        return {"start": start, "end": draw(st.sampled_from(["present", "Present"]))}
    if kind == "same":
        return {"start": start, "end": start}
    if kind == "when":
        return {"when": draw(line())}
    return {}


def _opt(draw: st.DrawFn, out: dict[str, Any], key: str, strategy: Any) -> None:
    if draw(st.booleans()):
        out[key] = draw(strategy)


@st.composite
def tagged(draw: st.DrawFn) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if draw(st.integers(0, 3)) == 0:
        out["tags"] = draw(tags)
    if draw(st.integers(0, 9)) == 0:
        out["private"] = True
    return out


@st.composite
def highlights(draw: st.DrawFn) -> list[Any]:
    items = draw(st.lists(st.one_of(prose(), st.builds(
        lambda text, t: {"text": text, **t}, prose(), tagged())), max_size=3))
    return items


@st.composite
def role(draw: st.DrawFn) -> dict[str, Any]:
    out = {"title": draw(line()), **draw(dated()), **draw(tagged())}
    _opt(draw, out, "location", line())
    _opt(draw, out, "summary", prose())
    _opt(draw, out, "highlights", highlights())
    return out


@st.composite
def experience(draw: st.DrawFn) -> dict[str, Any]:
    out = {"employer": draw(line()), **draw(tagged())}
    _opt(draw, out, "url", url)
    _opt(draw, out, "description", prose())
    _opt(draw, out, "location", line())
    if draw(st.booleans()):
        out["roles"] = draw(st.lists(role(), min_size=1, max_size=3))
    else:
        out.update(draw(role()))
    return out


def entry_of(required: str, **optional: Any) -> Any:
    """A generic dated entry with one required line field and optional others."""
    @st.composite
    def build(draw: st.DrawFn) -> dict[str, Any]:
        out = {required: draw(line()), **draw(dated()), **draw(tagged())}
        for key, strategy in optional.items():
            _opt(draw, out, key, strategy)
        return out
    return build()


lines = st.lists(line(), max_size=3)
education = entry_of("institution", url=url, degree=line(), area=line(), grade=line(),
                     location=line(), summary=prose(), courses=lines, highlights=highlights())
project = entry_of("name", url=url, role=line(), summary=prose(), highlights=highlights(),
                   keywords=lines)
publication = entry_of("title", publisher=line(), kind=line(), authors=lines, url=url,
                       summary=prose())
talk = entry_of("title", event=line(), role=line(), location=line(), url=url, summary=prose())
award = entry_of("title", awarder=line(), url=url, summary=prose())
certification = entry_of("name", issuer=line(), url=url, summary=prose())
volunteering = entry_of("organization", role=line(), url=url, location=line(),
                        summary=prose(), highlights=highlights())
custom_entry = entry_of("title", subtitle=line(), location=line(), url=url, summary=prose(),
                        highlights=highlights())


@st.composite
def skill_group(draw: st.DrawFn) -> dict[str, Any]:
    skill = st.one_of(line(), st.builds(
        lambda n, lv, y, t: {"name": n, **({"level": lv} if lv else {}),
                             **({"years": y} if y is not None else {}), **t},
        line(), st.one_of(st.none(), line()),
        st.one_of(st.none(), st.sampled_from([0, 1, 1.5, 2, 10, 80, 0.25])), tagged()))
    out = {"name": draw(line()), "items": draw(st.lists(skill, min_size=1, max_size=4)),
           **draw(tagged())}
    _opt(draw, out, "level", line())
    return out


language = st.one_of(line(), st.builds(lambda lang, f, t: {"language": lang, "fluency": f, **t},
                                       line(), line(), tagged()))
interest = st.one_of(line(), st.builds(
    lambda n, s, k, t: {"name": n, "summary": s, "keywords": k, **t},
    line(), prose(), lines, tagged()))
reference = entry_of("name", relation=line(), contact=line(), text=prose())


@st.composite
def reference_entry(draw: st.DrawFn) -> dict[str, Any]:
    out = draw(reference)
    for key in ("date", "start", "end", "when"):  # references have no dates
        out.pop(key, None)
    return out


@st.composite
def custom_section(draw: st.DrawFn) -> dict[str, Any]:
    out = {"title": draw(line()), **draw(tagged())}
    _opt(draw, out, "text", prose())
    _opt(draw, out, "entries", st.lists(custom_entry, max_size=3))
    _opt(draw, out, "bullets", highlights())
    if not (out.get("text") or out.get("entries") or out.get("bullets")):
        out["text"] = draw(prose())
    return out


SECTIONS: dict[str, Any] = {
    "experience": experience(), "education": education, "skills": skill_group(),
    "projects": project, "publications": publication, "talks": talk, "awards": award,
    "certifications": certification, "volunteering": volunteering, "languages": language,
    "interests": interest, "references": reference_entry(),
}
LANGS = ("en", "he", "ar", "fa", "ja", "zh-TW", "zh-Hant-HK", "ko", "de", "pt-BR", "fr",
         "x-klingon", "EN", "ur-PK")
lang_tag = st.one_of(
    st.sampled_from(LANGS),
    st.sampled_from(["", " ", "-", "--", "en-", "-en", "en_US", "und", "mul", "zxx",
                     "i-klingon", "zh-Hant-TW-u-nu-hanidec", "ar-EG-u-nu-arab", "dv", "yi",
                     "ku-Arab", "sr-Latn", "he-IL-x-private", "x" * 300, "en-" + "a" * 5000,
                     "AR", "Iw", "fa_IR", "ja-JP-u-ca-japanese", "en-GB-oxendict", "en	GB",
                     "en GB", "<en>", "\"en\"", "en;", "ar\u200f", "\u202ehe",
                     "\U0001f600", "123", "e", "ab-cd-ef-gh-ij-kl-mn-op-qr-st-uv"]),
    st.from_regex(r"[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8}){0,4}", fullmatch=True),
    st.text(_ALPHABET, max_size=20),
)
"""``lang``: real tags, tags the way BCP 47 builds them, and anything else."""


def used_tags(data: Any) -> set[str]:
    """Every tag written anywhere in ``data`` (profiles may only name these)."""
    if isinstance(data, dict):
        found = set(data.get("tags", ())) if isinstance(data.get("tags"), list) else set()
        for k, v in data.items():
            if k != "profiles":
                found |= used_tags(v)
        return found
    if isinstance(data, list):
        return set().union(*(used_tags(v) for v in data)) if data else set()
    return set()


@st.composite
def resumes(draw: st.DrawFn) -> dict[str, Any]:
    """A résumé document, valid by construction in most cases."""
    doc: dict[str, Any] = {"name": draw(line())}
    _opt(draw, doc, "headline", line())
    if draw(st.booleans()):
        doc["lang"] = draw(lang_tag)
    if draw(st.integers(0, 4)) == 0:
        doc["photo"] = draw(st.sampled_from([PHOTO, f"./{PHOTO}", f"sub/../{PHOTO}"]))
    contact: dict[str, Any] = {}
    _opt(draw, contact, "email", st.sampled_from(["a@b.co", "very.long.name+tag@example.com"]))
    _opt(draw, contact, "phone", st.sampled_from(["+351 912 345 678", "555", "☎ none",
                                                  "+1 (555) 010-9999 ext. 12", "+"]))
    _opt(draw, contact, "location", line())
    _opt(draw, contact, "website", url)
    _opt(draw, contact, "links", st.lists(st.one_of(url, st.builds(
        lambda u, lb: {"url": u, "label": lb}, url, line())), max_size=3))
    if contact or draw(st.booleans()):
        doc["contact"] = contact
    _opt(draw, doc, "summary", prose())
    for key in draw(st.lists(st.sampled_from(list(SECTIONS)), unique=True, max_size=12)):
        doc[key] = draw(st.lists(SECTIONS[key], max_size=draw(st.sampled_from([0, 2, 4]))))
    if draw(st.booleans()):
        ids = draw(st.lists(st.sampled_from(["extra", "back_story", "x1", "Ünï"]), unique=True,
                            min_size=1, max_size=2))
        doc["custom"] = {i: draw(custom_section()) for i in ids}
    present = [k for k in (*SECTIONS, "summary") if doc.get(k)] + list(doc.get("custom", {}))
    if present and draw(st.booleans()):
        doc["order"] = draw(st.permutations(present))[:draw(st.integers(0, len(present)))]
    if present and draw(st.booleans()):
        doc["titles"] = {k: draw(line()) for k in draw(st.lists(st.sampled_from(present),
                                                                unique=True, max_size=2))}
    if draw(st.booleans()):
        doc["keywords"] = draw(lines)
    if draw(st.booleans()):
        tagset = sorted(used_tags(doc))
        profile: dict[str, Any] = {}
        if tagset:
            _opt(draw, profile, "include", st.lists(st.sampled_from(tagset), unique=True))
            _opt(draw, profile, "exclude", st.lists(st.sampled_from(tagset), unique=True))
        if present:
            _opt(draw, profile, "sections", st.lists(st.sampled_from(present), unique=True))
        _opt(draw, profile, "max_highlights", st.integers(0, 2))
        _opt(draw, profile, "headline", line())
        _opt(draw, profile, "summary", prose())
        _opt(draw, profile, "theme", st.sampled_from(THEMES))
        _opt(draw, profile, "paper", st.sampled_from(["a4", "letter"]))
        if present:
            _opt(draw, profile, "titles", st.dictionaries(st.sampled_from(present), line(),
                                                          max_size=2))
        doc["profiles"] = {"p": profile, "q": {"extends": "p"}}
    return with_secrets(doc)


SECRET = re.compile(r"zpvt\d{4}z", re.IGNORECASE)
"""A private item's secret word: letters and digits only, so that every format shows it as
written (in capitals, in a heading that is)."""
_SECRET_HOLDERS = ("text", "title", "name", "employer", "institution", "organization",
                   "language", "event")
"""The fields a private item is shown by, the first one it has taking the secret."""


def with_secrets(doc: dict[str, Any]) -> dict[str, Any]:
    """``doc`` with a secret word of its own in front of every private item's main text.

    A custom section's goes into its text (added if it has none): its own title is not
    shown when ``titles`` gives it another."""
    count = 0

    def walk(data: Any, section: bool = False) -> None:
        nonlocal count
        if isinstance(data, dict):
            if data.get("private") is True:
                key = "text" if section else next(
                    (k for k in _SECRET_HOLDERS if isinstance(data.get(k), str)), None)
                if key is not None:
                    count += 1
                    data[key] = f"zpvt{count:04d}z {data.get(key) or ''}".rstrip()
            for k, v in data.items():
                if k == "custom" and isinstance(v, dict) and data is doc:
                    for custom in v.values():
                        walk(custom, section=True)
                elif k != "profiles":
                    walk(v)
        elif isinstance(data, list):
            for v in data:
                walk(v)

    walk(doc)
    return doc


def secrets_in(text: str) -> set[str]:
    """The secret words in ``text``, in lower case."""
    return {m.lower() for m in SECRET.findall(text)}


# --- mutated examples ---------------------------------------------------------------------

EXAMPLE_DATA = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in (DEMO, *EXAMPLES)]



def _get(data: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        data = data[part]
    return data


REQUIRED = {"name", "employer", "title", "institution", "items", "language", "url", "text",
            "organization", "start"}
"""Keys whose loss makes most documents invalid: kept, so that most mutants validate."""
PROSE_KEYS = {"summary", "text", "description"}
NOT_TEXT = {"start", "end", "date", "url", "website", "email", "tags", "extends", "include",
            "exclude", "sections", "theme", "formats", "paper", "photo", "lang", "order"}


@st.composite
def mutated_examples(draw: st.DrawFn) -> dict[str, Any]:
    """A real example with keys dropped, lists emptied, strings made nasty."""
    doc = copy.deepcopy(draw(st.sampled_from(EXAMPLE_DATA)))
    for _ in range(draw(st.integers(1, 8))):
        paths = value_paths(doc)
        path = draw(st.sampled_from(paths))
        parent, key = _get(doc, path[:-1]), path[-1]
        value = parent[key]
        field = next((p for p in reversed(path) if isinstance(p, str)), "")
        kind = draw(st.sampled_from(["drop", "empty", "nasty", "nasty", "nasty", "dup",
                                     "hide"]))
        if kind == "drop" and key not in REQUIRED:
            del parent[key]
        elif kind == "empty" and isinstance(value, list | dict) and key not in REQUIRED:
            parent[key] = type(value)()
        elif kind == "nasty" and isinstance(value, str) and field not in NOT_TEXT:
            text = prose() if field in PROSE_KEYS else line()
            parent[key] = draw(text) if draw(st.booleans()) else (
                value + " " + draw(st.sampled_from(NASTY)))
        elif kind == "dup" and isinstance(value, list) and value:
            value.extend(copy.deepcopy(value))
        elif kind == "hide" and isinstance(value, dict) and (
            (isinstance(key, int) and "links" not in path) or path[-2:-1] == ("custom",)
        ):
            value["private"] = True  # an item of a section, or a custom section
    if draw(st.integers(0, 3)) == 0:
        doc["lang"] = draw(lang_tag)
    return with_secrets(doc)


# --- validating and rendering -------------------------------------------------------------


PHOTO = "me.png"
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c63f8cfc0f01f0005000201e2b1a5d6"
                    "0000000049454e44ae426082")
"""A 1×1 picture, for the résumés that name a photo."""


def validated(data: dict[str, Any], folder: Path) -> Resume:
    """Load ``data`` through the loader as a user's file; discard it if invalid."""
    (folder / PHOTO).write_bytes(PNG)
    path = folder / "resume.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    try:
        resume: Resume = load_resume(path)
    except ResumecError as exc:
        _check_error(exc)
        assume(False)  # raises: the input is discarded
        raise
    return resume


def _check_error(exc: ResumecError) -> None:
    """A user error: readable messages, located when they come from the file."""
    assert exc.issues
    for issue in exc.issues:
        assert str(issue).strip()
        if isinstance(issue, Issue):
            assert issue.line >= 1 and issue.col >= 1 and issue.message


def squash(text: str) -> str:
    return " ".join(text.split())


def rendered(resume: Resume, folder: Path, formats: tuple[str, ...], theme: str,
             profile: str | None, *, include_private: bool = False
             ) -> dict[str, tuple[bytes, RenderJob]]:
    """Render through the pipeline (tasks + run, as ``resumec render`` does)."""
    try:
        todo = tasks(resume, folder / "resume.json",
                     Options(formats=formats, theme=theme, profiles=(profile,),
                             include_private=include_private))
        outputs = run(todo, workers=1)
    except ResumecError as exc:
        _check_error(exc)
        return {}
    return {o.format: (o.data, t.job) for o, t in zip(outputs, todo, strict=True)}


# Oracles: what each format must show.

def pieces(doc: Document) -> list[str]:
    """Every plain text of the document a reader must find, squashed."""
    out = [doc.name, *([doc.headline] if doc.headline else [])]
    for s in doc.sections:
        out.append(s.title)
        out.extend(plain(p) for p in s.paragraphs)
        for e in s.entries:
            out.extend(_item_pieces(e))
        for r in s.rows:
            out.extend((r.label, *r.items))
        out.extend(s.inline)
        out.extend(plain(b) for b in s.bullets)
    return [p for x in out if (p := squash(x))]


def _item_pieces(e: Item) -> list[str]:
    out = [x for x in (e.title, e.subtitle, e.dates, e.location) if x]
    out.extend(plain(x) for x in (e.note, *e.summary, *e.bullets) if x)
    for r in e.roles:
        out.extend(_item_pieces(r))
    return out


_URL_AFTER_TEXT = re.compile(r" \((?:https?://|mailto:)(?:[^\s()]|\([^\s()]*\))*\)")
"""A link's address after its text, as plain text shows it: `` (URL)``, up to the
parenthesis that closes it (one the URL opens is its own; text may follow with no space)."""


def fold(text: str) -> str:
    """``text`` squashed and case-folded as a heading in capitals is (``ı`` is ``I``)."""
    return squash(text).upper().casefold()


def assert_in_order(expected: list[str], shown: str, fmt: str) -> None:
    """Each piece appears in ``shown`` after the one before (headings may be in capitals)."""
    text = fold(_URL_AFTER_TEXT.sub("", squash(shown)))
    at = 0
    for piece in expected:
        piece = fold(_URL_AFTER_TEXT.sub("", piece))
        found = text.find(piece, at)
        assert found >= 0, f"{fmt}: missing or out of order: {piece!r} (after " \
                           f"{text[max(0, at - 60):at]!r})"
        at = found + len(piece)


@cache
def _md_parser() -> Any:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])


def md_tokens(text: str) -> list[Any]:
    """Tokens as GitHub would read the Markdown: raw HTML on, tables, strikethrough."""
    return [t for tok in _md_parser().parse(text) for t in (tok, *(tok.children or []))]


def md_text(tokens: list[Any]) -> str:
    """The text a reader sees in rendered Markdown."""
    out = []
    for tok in tokens:
        if tok.type in ("text", "code_inline"):
            out.append(tok.content)
        elif tok.type in ("softbreak", "hardbreak", "paragraph_close", "heading_close",
                          "list_item_close"):
            out.append(" ")
    return "".join(out)


def check_md(data: bytes, doc: Document, folder: Path) -> None:
    tokens = md_tokens(data.decode("utf-8"))
    kinds = {t.type for t in tokens}
    for bad in ("html_inline", "html_block", "image", "s_open", "table_open", "blockquote_open",
                "ordered_list_open", "hr", "code_block", "fence"):
        assert bad not in kinds, f"md: {bad} from résumé text"
    hrefs = [t.attrs["href"] for t in tokens if t.type == "link_open"]
    assert all(h.lower().startswith(("http://", "https://", "mailto:")) for h in hrefs), hrefs
    assert_in_order(pieces(doc), md_text(tokens), "md")


def join_wide_breaks(text: str) -> str:
    """Undo the line breaks between two wide characters: CJK text wraps without a space
    (and a line break anywhere else stands for one)."""
    def wide(ch: str) -> bool:
        return unicodedata.east_asian_width(ch) in ("W", "F")

    lines = text.split("\n")
    out = lines[:1]
    for line in lines[1:]:
        rest = line.lstrip(" •")
        if out[-1] and rest and wide(out[-1][-1]) and wide(rest[0]):
            out[-1] += rest
        else:
            out.append(line)
    return "\n".join(out)


def drop_wide_spaces(text: str) -> str:
    """``text`` without the spaces between two wide characters: plain text may wrap at one
    as between two wide characters with none, and the line break shows neither."""
    def wide(ch: str) -> bool:
        return unicodedata.east_asian_width(ch) in ("W", "F")

    parts = re.split(r"(\s+)", text)  # words at even places, spaces at odd ones
    return "".join(p for i, p in enumerate(parts)
                   if not (i % 2 and parts[i - 1] and i + 1 < len(parts) and parts[i + 1]
                           and wide(parts[i - 1][-1]) and wide(parts[i + 1][0])))


def check_txt(data: bytes, doc: Document, folder: Path) -> None:
    shown = drop_wide_spaces(join_wide_breaks(data.decode("utf-8")))
    assert_in_order([drop_wide_spaces(p) for p in pieces(doc)], shown, "txt")


@cache
def _jsonresume_validator() -> Any:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((CORPUS / "jsonresume-schema.json").read_text(encoding="utf-8"))
    return jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker())


def check_json(data: bytes, doc: Document, folder: Path) -> None:
    out = json.loads(data)
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
              for e in _jsonresume_validator().iter_errors(out)]
    assert not errors, errors
    assert out["basics"]["name"] == doc.name
    # What we export, we import again.
    path = folder / "exported.json"
    path.write_bytes(data)
    load_resume(path)


TEMPLATE_TAGS = frozenset(
    tag for path in (ROOT / "themes").glob("*/templates/*.j2")
    for tag in re.findall(r"<([a-zA-Z][a-zA-Z0-9]*)", path.read_text(encoding="utf-8"))
) - {"html", "head", "meta", "title", "style", "body"} | {
    f"h{n}" for n in range(1, 7)} | {"strong", "em", "code", "a"}  # <h{{ level }}>, |md
"""Elements the templates (and inline Markdown) write in the body; résumé text adds none."""


def check_html(page: str, doc: Document, theme: str) -> None:
    """No markup from résumé text: every element in the page is the template's own."""
    body = page.split("<body", 1)[1]
    assert "<script" not in body.lower(), f"html {theme}: <script in the page"
    unexpected = set(re.findall(r"<([a-zA-Z][a-zA-Z0-9]*)", body)) - TEMPLATE_TAGS
    assert not unexpected, f"html {theme}: elements from résumé text: {unexpected}"
    shown = html_lib.unescape(re.sub(r"<[^>]*>", " ", body))
    assert squash(doc.name) in squash(shown), f"html {theme}: the name is missing"


CHECKS = {"md": check_md, "txt": check_txt, "json": check_json}


def check_secrets(output: str, kept: set[str], where: str, *, lossy: bool = False) -> None:
    """``output`` shows the secret words of the private items tailoring kept, no others
    (a ``lossy`` format, one with no place for some fields, may show fewer)."""
    shown = secrets_in(output)
    assert shown <= kept, f"{where}: private text shown: {sorted(shown - kept)}"
    if not lossy:
        assert kept <= shown, f"{where}: private items kept but not shown: " \
                              f"{sorted(kept - shown)}"


def kept_secrets(resume: Resume, profile: str | None, include_private: bool) -> set[str]:
    """The secret words of the private items the profile keeps; checked against the
    rule: none without ``include_private``, all of them with it and no profile."""
    kept = secrets_in(apply_profile(resume, profile, include_private=include_private)
                      .model_dump_json())
    everything = secrets_in(resume.model_dump_json())
    if not include_private:
        assert not kept, f"profile {profile}: tailoring kept private items {sorted(kept)}"
    elif profile is None:
        assert kept == everything, f"include_private lost {sorted(everything - kept)}"
    return kept


def render_cheap(resume: Resume, folder: Path, *, html_theme: str | None) -> None:
    """Markdown, text and JSON for every profile; HTML for every theme (the template's
    output; the full page with cut fonts for ``html_theme``). A résumé with private items
    is rendered again with them (Markdown, text, JSON and ``html_theme``'s HTML)."""
    has_private = bool(secrets_in(resume.model_dump_json()))
    for include_private in (False, True) if has_private else (False,):
        for profile in (None, *resume.profiles):
            kept = kept_secrets(resume, profile, include_private)
            where = f"profile {profile}, include_private={include_private}"
            out = rendered(resume, folder, CHEAP, "classic", profile,
                           include_private=include_private)
            for fmt, (data, job) in out.items():
                CHECKS[fmt](data, job.document, folder)
                # JSON Resume has no place for some fields (education's highlights, …).
                check_secrets(data.decode("utf-8"), kept, f"{fmt} ({where})",
                              lossy=fmt == "json")
            for theme in THEMES:
                if theme == html_theme:
                    for data, job in rendered(resume, folder, ("html",), theme, profile,
                                              include_private=include_private).values():
                        page = data.decode("utf-8")
                        check_html(page, job.document, theme)
                        check_secrets(page, kept, f"html {theme} ({where})")
                elif not include_private:
                    jobs = tasks(resume, folder / "resume.json",
                                 Options(formats=("html",), theme=theme, profiles=(profile,)))
                    for t in jobs:
                        try:
                            page = render_html(t.job, "web", css="")
                        except ResumecError as exc:
                            _check_error(exc)
                            continue
                        check_html(page, t.job.document, theme)
                        check_secrets(page, kept, f"html {theme} ({where})")


def check_docx(data: bytes, doc: Document) -> None:
    """The DOCX opens with python-docx and shows the name and every entry's title; no part
    of it (text, properties) holds private text."""
    from docx.api import Document as open_docx

    text = fold(" ".join(p.text for p in open_docx(io.BytesIO(data)).paragraphs))
    for piece in (doc.name, *(e.title for s in doc.sections for e in s.entries)):
        assert fold(piece) in text, f"docx: {piece!r} missing"
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        parts = " ".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())
    check_secrets(parts, set(), "docx")


def pdf_text(reader: Any) -> str:
    """The PDF's text as pypdf extracts it, and its metadata."""
    meta = " ".join(str(v) for v in (reader.metadata or {}).values())
    return " ".join([meta, *(page.extract_text() for page in reader.pages)])


# --- tests --------------------------------------------------------------------------------

html_themes = st.sampled_from(THEMES)


@fuzz(100)
@given(doc=resumes(), html_theme=html_themes)
def test_generated_resumes_render_cheap_formats(tmp_path_factory: pytest.TempPathFactory,
                                                doc: dict[str, Any], html_theme: str) -> None:
    folder = tmp_path_factory.mktemp("g")
    resume = validated(doc, folder)
    event(f"private items: {bool(secrets_in(resume.model_dump_json()))}")
    render_cheap(resume, folder, html_theme=html_theme)


@fuzz(30)
@given(doc=mutated_examples(), html_theme=html_themes)
def test_mutated_examples_render_cheap_formats(tmp_path_factory: pytest.TempPathFactory,
                                               doc: dict[str, Any], html_theme: str) -> None:
    folder = tmp_path_factory.mktemp("m")
    resume = validated(doc, folder)
    event(f"private items: {bool(secrets_in(resume.model_dump_json()))}")
    render_cheap(resume, folder, html_theme=html_theme)


@fuzz(20)
@given(doc=st.one_of(resumes(), mutated_examples()))
def test_docx_every_theme(tmp_path_factory: pytest.TempPathFactory, doc: dict[str, Any]) -> None:
    folder = tmp_path_factory.mktemp("d")
    resume = validated(doc, folder)
    for theme in THEMES:
        for data, job in rendered(resume, folder, ("docx",), theme, None).values():
            check_docx(data, job.document)


@fuzz(5)
@given(doc=st.one_of(resumes(), mutated_examples()), theme=st.sampled_from(THEMES))
@pytest.mark.slow
def test_pdf(tmp_path_factory: pytest.TempPathFactory, doc: dict[str, Any], theme: str) -> None:
    folder = tmp_path_factory.mktemp("p")
    resume = validated(doc, folder)
    for data, _job in rendered(resume, folder, ("pdf",), theme, None).values():
        assert data.startswith(b"%PDF")
        check_secrets(pdf_text(PdfReader(io.BytesIO(data))), set(), "pdf")


@fuzz(5)
@given(doc=st.one_of(resumes(), mutated_examples()), theme=st.sampled_from(THEMES))
@pytest.mark.slow
@pytest.mark.skipif(not APPLIED, reason=NOT_APPLIED)
def test_pdf_layout_with_the_fast_paths_is_weasyprints_own(
        tmp_path_factory: pytest.TempPathFactory, doc: dict[str, Any], theme: str) -> None:
    """resumec.backends.speedups changes no box or style of any résumé's layout."""
    folder = tmp_path_factory.mktemp("f")
    resume = validated(doc, folder)
    try:
        todo = tasks(resume, folder / "resume.json", Options(formats=("pdf",), theme=theme))
    except ResumecError as exc:
        _check_error(exc)
        return
    for task in todo:
        assert_job_lays_out_as_weasyprint_does(task.job)


_DOES_NOT_FIT = re.compile(r"does not fit on (\d+) pages?: (\d+) pages even at the theme's "
                           r"tightest density")


@fuzz(5)
@given(doc=st.one_of(mutated_examples(), resumes()), budget=st.sampled_from([1, 2]),
       data=st.data())
@pytest.mark.slow
def test_pdf_page_budget(tmp_path_factory: pytest.TempPathFactory, doc: dict[str, Any],
                         budget: int, data: st.DataObject) -> None:
    """A profile's page budget: the PDF fits it with every section there, the DOCX
    follows, or the render fails with a user error that says why. The profile may
    extend another, or be extended (the budget inherited)."""
    profiles = doc.get("profiles")
    if not isinstance(profiles, dict):
        profiles = doc["profiles"] = {}
    base = data.draw(st.sampled_from([None, *profiles]), label="extends")
    profiles["fit"] = {"max_pages": budget, **({"extends": base} if base else {})}
    profiles["fit2"] = {"extends": "fit"}
    name = data.draw(st.sampled_from(["fit", "fit2"]), label="profile")
    folder = tmp_path_factory.mktemp("b")
    resume = validated(doc, folder)
    todo: list[Task] = []
    failed: ResumecError | None = None
    try:
        todo = tasks(resume, folder / "resume.json",
                     Options(formats=("pdf", "docx"), profiles=(name,)))
        assert {t.budget for t in todo} == {budget}
        outputs = {o.format: o.data for o in run(todo, workers=1)}
    except ResumecError as exc:
        failed = exc
    if failed is not None:
        _check_error(failed)
        event("budget: does not fit")
        said = _DOES_NOT_FIT.search(str(failed))
        if said:  # it says what it tried: more pages than the budget
            assert int(said[1]) == budget and int(said[2]) > budget, str(failed)
        return
    step = budgets.last_step(*fit_name(todo[0].job, budget, todo[0].path.stem))
    event(f"budget: fits at density step {step}")
    reader = PdfReader(io.BytesIO(outputs["pdf"]))
    assert 1 <= len(reader.pages) <= budget
    document = todo[0].job.document
    shown = Counter(squash(t) for t in outline_titles(reader))
    assert shown == Counter(squash(s.title) for s in document.sections), "pdf: a section lost"
    check_secrets(pdf_text(reader), set(), "pdf")
    check_docx(outputs["docx"], document)


# Regression cases found by fuzzing, kept forever: (id, résumé data).
REGRESSIONS: list[tuple[str, dict[str, Any]]] = [
    # The JSON export kept the title of a custom section tailoring had dropped; importing
    # the export failed ("titles.extra: no section 'extra'").
    ("json-title-of-dropped-section",
     {"name": "A", "custom": {"extra": {"title": "X", "private": True, "text": "Y"}},
      "titles": {"extra": "Z"}}),
    # A private custom section whose title ``titles`` replaces: its secret word goes into
    # its text, for its own title is not shown (a mistake of the fuzzer's oracle).
    ("private-custom-section-retitled",
     {"name": "A", "custom": {"extra": {"title": "X", "private": True,
                                        "entries": [{"title": "E", "private": True}]}},
      "titles": {"extra": "Z"}}),
    # Years JSON Resume's date pattern refuses (it takes 1000-2999) made the export invalid.
    # (Years before 1000 are now refused by resumec itself.)
    ("json-year-outside-schema",
     {"name": "A", "projects": [{"name": "P", "date": 9997}],
      "awards": [{"title": "T", "start": "3001-01", "end": "present"}]}),
    # Markdown read a bullet's paragraphs as one: the backtick ending the first paired
    # with the second's code span ("- ` `code`" showed a code span " " then "code`").
    ("md-bullet-paragraphs-markup",
     {"name": "A", "custom": {"extra": {"title": "T", "bullets": ["`\n\n`code` "]}},
      "experience": [{"employer": "E", "title": "T", "start": "2020",
                      "highlights": ["a *b\n\nc* d"]}]}),
    # Plain text wrapped at the space between two wide characters; the oracle read the
    # line break as no space at all (wrapping between two wide characters needs none).
    ("txt-wrap-at-space-between-wide", {"name": "A", "summary": "a" * 73 + " 山 田"}),
    # Text right after a link: plain text shows "link (https://x.io)Foo_(bar)", and the
    # oracle took the address to run on to the last ")", eating "Foo_(bar)".
    ("txt-text-after-a-link-address",
     {"name": "A", "summary": "[link](https://x.io)Foo_(bar) [p](https://x.io/(paren))x_(y)"}),
    # The DOCX's language property takes 255 characters at most (python-docx raised).
    ("docx-lang-longer-than-a-property", {"name": "A", "lang": "x" * 300}),
]


@pytest.mark.parametrize(("case", "doc"), REGRESSIONS, ids=[c for c, _ in REGRESSIONS])
def test_regressions(tmp_path: Path, case: str, doc: dict[str, Any]) -> None:
    resume = validated(with_secrets(copy.deepcopy(doc)), tmp_path)
    render_cheap(resume, tmp_path, html_theme="classic")
    for theme in THEMES:
        for data, job in rendered(resume, tmp_path, ("docx",), theme, None).values():
            check_docx(data, job.document)

