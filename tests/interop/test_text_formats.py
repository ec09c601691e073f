"""Markdown and plain text: all the document's text in order, the theme's and profile's
section order, hostile strings literal (txt) or inert (md), and golden files.

Regenerate the golden files with ``RESUMEC_REGEN_GOLDEN=1 pytest tests/interop``.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import pytest
from interop_helpers import CORPUS, DEMO, FRESH, JSON_RESUME, SOURCES, load_json, make_job, tailored
from markdown_it import MarkdownIt

from resumec.backends import get
from resumec.backends.text import WIDTH, width
from resumec.document import Document, Item
from resumec.interop import convert
from resumec.markup import plain
from resumec.render import document_for
from resumec.schema.model import Resume
from resumec.tailor import resolve_profile
from resumec.themes import load_theme

GOLDEN = Path(__file__).parent / "golden"
REGEN = os.environ.get("RESUMEC_REGEN_GOLDEN") == "1"

HOSTILE: dict[str, Any] = {
    "name": "Eve <script>alert(1)</script> **Bold**",
    "headline": "{{ 7*7 }} · [md](links) · *nix · C# · $5M · <p>",
    "contact": {"email": "eve@example.com", "location": "1. First Street",
                "website": "https://example.com/wiki/Foo_(bar)?q=1&r=2#x",
                "links": [{"url": "https://example.com/a", "label": "[x](javascript:alert(1))"}]},
    "summary": "Raw <b>html</b> & <script>x</script>, `<code>`, {{ 7*7 }}, **real bold**, "
               "[ok](https://ok.example) and ![img](https://example.com/x.png).\n\n"
               "# not a heading\n\n- not a list\n\n> not a quote\n\n| a | b |\n|---|---|\n\n"
               "~~strike~~ $x^2$ <!-- comment --> &amp; &copy; \\*escaped\\* <https://auto.example>",
    "experience": [{
        "employer": "AB&C's Awesome <Tagged> **Company**",
        "title": "Director, *Security Service's* _x_", "location": "> quoted",
        "start": "2020", "end": "present",
        "highlights": ["# not a heading", "- not a list", "1. not a list", "<div>block</div>",
                       "Increased profits by > 20% & **did something important**.",
                       "[md](https://links.example) stays a link", "`code | pipe`", "+ plus",
                       "=== setext", "***", "```", "trailing backslash \\"],
    }],
    "skills": [{"name": "Skill #1 <1> & 1 it's good", "items": [
        "*nix", "C#", "<p>", "[md](links)", "{{ 7*7 }}", "**", "a_b_c", "_under_", "$HOME",
        "~~x~~", "| pipe", "&amp;", "![i](x)"]}],
    "custom": {"odd": {"title": "<h1>Odd</h1> ## section",
                       "text": "<!-- hidden -->\n\n---\n\n===\n\n1) first\n\n    indented",
                       "bullets": ["* star", "\\", "A <course> with brackets."]}},
    "languages": [{"language": "<i>Klingon</i>", "fluency": "**fluent**"}],
    "interests": [{"name": "#hashtags", "summary": "this & that <x>"}],
}


CJK: dict[str, Any] = {
    "name": "山田 太郎",
    "headline": "ソフトウェアエンジニア（分散システム・データ基盤）",
    "summary": "東京でソフトウェアエンジニアとして十年以上働いています。分散システム、データ基盤、"
               "そして機械学習の運用を専門としています。「品質」と「速度」を両立させることが"
               "得意です。Python と Rust で大規模なサービスを開発しました。",
    "experience": [{
        "employer": "株式会社サンプル",
        "title": "シニアソフトウェアエンジニア兼テックリード（プラットフォーム部門）",
        "start": "2019-04", "end": "present",
        "highlights": ["负责设计和实现公司的核心数据平台，每天处理超过十亿条事件，"
                       "并将查询延迟降低了百分之六十。",
                       "Led 12 engineers building 결제 시스템 (payments) across three regions."],
    }],
}


def _corpus_resumes() -> list[tuple[str, Resume, Path]]:
    out = [(p.name, tailored(p), p.parent) for p in SOURCES]
    for path in (*JSON_RESUME, *FRESH):
        out.append((path.name, Resume.model_validate(convert(load_json(path))[1]), CORPUS))
    out.append(("hostile", Resume.model_validate(HOSTILE), CORPUS))
    out.append(("cjk", Resume.model_validate(CJK), CORPUS))
    return out


CASES = _corpus_resumes()
IDS = [name for name, _, _ in CASES]


def squash(text: str) -> str:
    return " ".join(text.split())


def pieces(doc: Document) -> list[str]:
    """Every text of the document, in reading order, as a reader sees it."""
    out = [doc.name, *([doc.headline] if doc.headline else []), *(c.text for c in doc.contact)]
    for s in doc.sections:
        out.append(s.title)
        out.extend(plain(p) for p in s.paragraphs)
        for e in s.entries:
            out.extend(_item(e))
        for r in s.rows:
            out.extend((r.label, *r.items))
        out.extend(s.inline)
        out.extend(plain(b) for b in s.bullets)
    return [squash(p) for p in out if squash(p)]


def _item(e: Item) -> list[str]:
    out = [x for x in (e.title, e.subtitle, e.dates, e.location) if x]
    out.extend(plain(x) for x in (e.note, *e.summary, *e.bullets) if x)
    for label, value in e.details:
        out.extend((label, value))
    for r in e.roles:
        out.extend(_item(r))
    return out


_URL_AFTER_TEXT = re.compile(r" \((?:https?://|mailto:)\S+\)")


def assert_in_order(expected: list[str], shown: str) -> None:
    """Each piece appears in ``shown`` after the one before (links' "(url)" aside)."""
    text = squash(_URL_AFTER_TEXT.sub("", squash(shown))).casefold()
    at = 0
    for piece in expected:
        found = text.find(piece.casefold(), at)
        assert found >= 0, f"missing or out of order: {piece!r} (after {text[at - 60:at]!r})"
        at = found + len(piece.casefold())


def render(fmt: str, resume: Resume, base: Path, theme: str = "classic") -> tuple[str, Document]:
    job = make_job(resume, base, theme)
    return get(fmt).render(job).decode("utf-8"), job.document


def md_tokens(text: str) -> list[Any]:
    """Parse like GitHub would: raw HTML on, tables and strikethrough on."""
    md = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
    tokens = md.parse(text)
    return [t for tok in tokens for t in (tok, *(tok.children or []))]


def md_text(text: str) -> str:
    """The text a reader sees in rendered Markdown."""
    out = []
    for tok in md_tokens(text):
        if tok.type in ("text", "code_inline", "html_inline", "html_block"):
            out.append(tok.content)
        elif tok.type in ("softbreak", "hardbreak", "paragraph_close", "heading_close",
                          "list_item_close"):
            out.append(" ")
    return "".join(out)


# --- Markdown ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "resume", "base"), CASES, ids=IDS)
def test_markdown_shows_all_text_in_order(name: str, resume: Resume, base: Path) -> None:
    text, doc = render("md", resume, base)
    assert_in_order(pieces(doc), md_text(text))


@pytest.mark.parametrize(("name", "resume", "base"), CASES, ids=IDS)
def test_markdown_structure_is_only_ours(name: str, resume: Resume, base: Path) -> None:
    text, doc = render("md", resume, base)
    tokens = md_tokens(text)
    kinds = [t.type for t in tokens]
    for bad in ("html_inline", "html_block", "image", "s_open", "table_open", "blockquote_open",
                "ordered_list_open", "hr", "code_block", "fence"):
        assert bad not in kinds, bad
    headings = 1 + len(doc.sections) + sum(1 + len(e.roles) for s in doc.sections
                                             for e in s.entries)
    assert kinds.count("heading_open") == headings
    bullets = sum(len(s.bullets) + len(s.rows) + sum(len(e.bullets) + sum(
        len(r.bullets) for r in e.roles) for e in s.entries) for s in doc.sections)
    assert kinds.count("list_item_open") == bullets
    hrefs = {t.attrs["href"] for t in tokens if t.type == "link_open"}
    assert all(h.startswith(("http://", "https://", "mailto:")) for h in hrefs), hrefs


def test_markdown_headings_follow_the_document() -> None:
    resume = Resume.model_validate(HOSTILE)
    text, doc = render("md", resume, CORPUS)
    h2 = [t for t in text.splitlines() if t.startswith("## ")]
    assert len(h2) == len(doc.sections)
    assert text.startswith("# Eve &lt;script>alert(1)&lt;/script> \\*\\*Bold\\*\\*\n")


def test_markdown_hostile_strings_are_inert() -> None:
    text, _ = render("md", Resume.model_validate(HOSTILE), CORPUS)
    shown = squash(md_text(text))
    for literal in ("Eve <script>alert(1)</script> **Bold**", "{{ 7*7 }} · [md](links)",
                    "AB&C's Awesome <Tagged> **Company**", "Director, *Security Service's* _x_",
                    "*nix, C#, <p>, [md](links)", "Raw <b>html</b> & <script>x</script>",
                    "# not a heading", "- not a list", "> not a quote", "~~strike~~ $x^2$",
                    "<!-- comment --> & © *escaped*", "1. not a list", "<div>block</div>",
                    "<h1>Odd</h1> ## section", "A <course> with brackets.",
                    "[x](javascript:alert(1))"):
        assert literal in shown, literal
    tokens = md_tokens(text)
    assert any(t.type == "strong_open" for t in tokens)  # **real bold** stays bold
    hrefs = [t.attrs["href"] for t in tokens if t.type == "link_open"]
    assert "https://ok.example" in hrefs and "https://links.example" in hrefs
    assert "https://auto.example" in hrefs
    assert not any("javascript" in h for h in hrefs)
    assert "<" not in re.sub(r"`[^`]*`", "", text)  # raw "<" only inside code spans


# --- plain text -------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "resume", "base"), CASES, ids=IDS)
def test_text_shows_all_text_in_order(name: str, resume: Resume, base: Path) -> None:
    text, doc = render("txt", resume, base)
    assert_in_order(pieces(doc), join_wide_breaks(text))


def join_wide_breaks(text: str) -> str:
    """Undo line breaks between two wide characters: CJK text wraps without a space."""
    lines = text.split("\n")
    out = lines[:1]
    for line in lines[1:]:
        stripped = line.lstrip(" •")
        if out[-1] and stripped and width(out[-1][-1]) == 2 and width(stripped[0]) == 2:
            out[-1] += stripped
        else:
            out.append(line)
    return "\n".join(out)


@pytest.mark.parametrize(("name", "resume", "base"), CASES, ids=IDS)
def test_text_is_wrapped_and_dates_aligned(name: str, resume: Resume, base: Path) -> None:
    text, doc = render("txt", resume, base)
    lines = text.splitlines()
    for line in lines:
        # Only a single word (a URL) longer than a line may stick out; wide (CJK)
        # characters count two columns and a line may break between any two of them.
        assert width(line) <= WIDTH or (" " not in line.strip() and width(line) == len(line)), line
        assert line == line.rstrip()
    for s in doc.sections:
        heading = s.title.upper()
        i = lines.index(" ".join(heading.split()))
        assert set(lines[i + 1]) == {"-"} and len(lines[i + 1]) == width(lines[i])
        for item in (*s.entries, *(r for e in s.entries for r in e.roles)):
            if item.dates:
                ends = [ln for ln in lines if ln.endswith("  " + squash(item.dates))]
                assert any(width(ln) == WIDTH for ln in ends), item.dates


@pytest.mark.parametrize(("name", "resume", "base"),
                         [c for c in CASES if c[0] not in ("hostile",) and "trouble" not in c[0]],
                         ids=[i for i in IDS if i != "hostile" and "trouble" not in i])
def test_text_has_no_markdown(name: str, resume: Resume, base: Path) -> None:
    text, _ = render("txt", resume, base)
    for syntax in ("**", "](", "`", "\\*", "&amp;", "<http"):
        assert syntax not in text, syntax
    assert not any(ln.startswith(("#", "- ", "* ")) for ln in text.splitlines())


def test_text_hostile_strings_stay_literal() -> None:
    text, _ = render("txt", Resume.model_validate(HOSTILE), CORPUS)
    shown = squash(text)
    for literal in ("Eve <script>alert(1)</script> **Bold**", "{{ 7*7 }} · [md](links)",
                    "AB&C's Awesome <Tagged> **Company**", "*nix, C#, <p>, [md](links)",
                    "Raw <b>html</b> & <script>x</script>, <code>, {{ 7*7 }}, real bold, "
                    "ok (https://ok.example) and !img (https://example.com/x.png).",
                    "<!-- comment --> & © *escaped* https://auto.example",
                    "A <course> with brackets.", "[x](javascript:alert(1)) (https://example.com/a)"):
        assert literal in shown, literal


def test_johnny_trouble_literal_in_both_formats() -> None:
    data = load_json(CORPUS / "fresh-test-resumes.fresh.johnny-trouble.json")
    resume = Resume.model_validate(convert(data)[1])
    txt, _ = render("txt", resume, CORPUS)
    md, _ = render("md", resume, CORPUS)
    for literal in ("AB&C's Awesome <Tagged> **Company**", "Director, *Security Service's*",
                    "A <course> with brackets.", "<keyword1>", "#hashtags",
                    "A <em>Troublesome</em> Sample with **Markdown**"):
        assert literal in squash(txt), literal
        assert literal in squash(md_text(md)), literal
    assert "html_inline" not in [t.type for t in md_tokens(md)]


# --- order, profiles, themes ------------------------------------------------------------------


@pytest.mark.skipif(not DEMO.is_file(), reason="no demo résumé yet")
@pytest.mark.parametrize("profile", [None, "backend", "leadership"])
@pytest.mark.parametrize("theme", ["classic", "modern", "sidebar", "compact"])
def test_sections_follow_theme_and_profile(profile: str | None, theme: str) -> None:
    base = tailored(DEMO)
    if profile and profile not in base.profiles:
        pytest.skip(f"no profile {profile}")
    resume = tailored(DEMO, profile)
    t = load_theme(theme)
    doc = document_for(resume, t)
    if profile and resolve_profile(base, profile).sections:
        wanted = resolve_profile(base, profile).sections or ()
        assert [s.id for s in doc.sections] == [k for k in wanted
                                                if k in {s.id for s in doc.sections}]
    md, _ = render("md", resume, DEMO.parent, theme)
    txt, _ = render("txt", resume, DEMO.parent, theme)
    assert [ln[3:] for ln in md.splitlines() if ln.startswith("## ")] == [
        s.title for s in doc.sections]
    heads = [ln for ln in txt.splitlines() if ln and ln == ln.upper() and ln.strip("-")
             and any(c.isalpha() for c in ln)]
    assert [h for h in heads if h in {s.title.upper() for s in doc.sections}] == [
        s.title.upper() for s in doc.sections]


def test_backend_attributes() -> None:
    for fmt, suffix in (("md", "md"), ("txt", "txt"), ("json", "json")):
        backend = get(fmt)
        assert (backend.name, backend.suffix) == (fmt, suffix)
        assert backend.description


# --- golden files -----------------------------------------------------------------------------


def _golden_cases() -> list[tuple[str, Resume, Path]]:
    out = [("hostile", Resume.model_validate(HOSTILE), CORPUS)]
    if DEMO.is_file():
        out.insert(0, ("resume", tailored(DEMO), DEMO.parent))
    return out


@pytest.mark.parametrize("fmt", ["md", "txt"])
@pytest.mark.parametrize(("stem", "resume", "base"), _golden_cases(),
                         ids=[c[0] for c in _golden_cases()])
def test_golden(stem: str, resume: Resume, base: Path, fmt: str) -> None:
    text, _ = render(fmt, resume, base)
    path = GOLDEN / f"{stem}.{fmt}"
    if REGEN or not path.exists():
        path.write_text(text, encoding="utf-8")
        if not REGEN:
            pytest.skip(f"wrote {path.name}; review it and commit")
    assert text == path.read_text(encoding="utf-8"), (
        f"{path.name} changed: review the diff, then RESUMEC_REGEN_GOLDEN=1 to accept")


def test_hostile_fixture_is_a_valid_resume() -> None:
    Resume.model_validate(json.loads(json.dumps(HOSTILE)))
