"""Validated text: URLs, e-mail, control characters, Markdown links; and inline markup."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter, ValidationError
from pydantic_core import PydanticCustomError

from resumec import markup
from resumec.markup import Span, link_targets
from resumec.schema import Resume
from resumec.schema.text import MAX_TEXT, check_email, check_url, links_clearly_allowed
from resumec.schema.types import Email, Line, Tag, Text, Url

TEXT: TypeAdapter[str] = TypeAdapter(Text)
LINE: TypeAdapter[str] = TypeAdapter(Line)
URL: TypeAdapter[str] = TypeAdapter(Url)
EMAIL: TypeAdapter[str] = TypeAdapter(Email)
TAG: TypeAdapter[str] = TypeAdapter(Tag)


def _message(adapter: TypeAdapter[str], value: object) -> str:
    with pytest.raises(ValidationError) as info:
        adapter.validate_python(value)
    [error] = info.value.errors()
    return str(error["msg"])


# --- URLs -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    ["https://example.org", "http://example.org/path?q=1#frag", "HTTPS://EXAMPLE.ORG",
     "https://exämple.org/ü", "https://example.org:8443/", "mailto:ada@example.org",
     "mailto:ada@example.org?subject=Hello"],
)
def test_safe_urls_are_accepted(url: str) -> None:
    assert check_url(url) == url
    assert URL.validate_python(f"  {url} ") == url


@pytest.mark.parametrize(
    ("url", "scheme"),
    [
        ("javascript:alert(1)", '"javascript:"'),
        ("JavaScript:alert(1)", '"javascript:"'),
        ("file:///etc/passwd", '"file:"'),
        ("data:text/html;base64,PHNjcmlwdD4=", '"data:"'),
        ("ftp://example.org/cv.pdf", '"ftp:"'),
        ("vbscript:msgbox", '"vbscript:"'),
        ("example.org", "none"),
        ("/relative/path", "none"),
        ("//example.org/protocol-relative", "none"),
    ],
)
def test_unsafe_or_relative_urls_are_rejected_naming_the_scheme(url: str, scheme: str) -> None:
    message = _message(URL, url)
    assert message == (f"only http, https and mailto URLs are allowed, got scheme {scheme} "
                       f'in "{url}"')


@pytest.mark.parametrize("url", ["https://exa mple.org", "https://example.org/a b", " ", "",
                                 "https://example.org/\tx"])
def test_urls_with_spaces_or_empty_are_rejected(url: str) -> None:
    assert _message(URL, url).startswith("a URL may not be empty or contain spaces")


@pytest.mark.parametrize("url", ["http://", "https:///path", "https:example.org"])
def test_urls_without_a_host_are_rejected(url: str) -> None:
    assert _message(URL, url) == f'URL "{url}" has no host'


def test_mailto_address_is_checked() -> None:
    assert _message(URL, "mailto:not-an-address") == (
        "not a valid e-mail address: \"not-an-address\"")


def test_url_error_is_located_in_the_file(issues_of) -> None:
    [issue] = issues_of("name: Ada\ncontact:\n  website: javascript:alert(1)\n")
    assert (issue.line, issue.col, issue.path) == (3, 12, "contact.website")
    assert '"javascript:"' in issue.message


@given(st.text(max_size=40))
def test_check_url_only_ever_raises_a_user_error(text: str) -> None:
    with contextlib.suppress(PydanticCustomError):
        assert check_url(text) == text.strip()


# --- e-mail -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "email",
    ["ada@example.org", "ada.lovelace+cv@mail.example.co.uk", "a_b-c@sub-domain.example.io",
     "o'brien@example.ie", "1@2.example"],
)
def test_valid_email(email: str) -> None:
    assert check_email(email) == email
    assert EMAIL.validate_python(f" {email} ") == email


@pytest.mark.parametrize(
    "email",
    ["ada", "ada@", "@example.org", "ada@example", "ada@@example.org", "ada lovelace@example.org",
     "ada@exa mple.org", "ada..l@example.org", "ada@example..org", "ada@-example.org",
     "ada@example.org.", "", "<ada@example.org>", "mailto:ada@example.org",
     "a" * 250 + "@example.org"],
)
def test_invalid_email(email: str) -> None:
    assert _message(EMAIL, email) == f'not a valid e-mail address: "{email.strip()}"'


def test_email_error_is_located(issues_of) -> None:
    [issue] = issues_of("name: Ada\ncontact:\n  email: ada@\n")
    assert (issue.line, issue.col, issue.path) == (3, 10, "contact.email")
    assert issue.message == 'not a valid e-mail address: "ada@"'


# --- control characters -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "code", "line", "col"),
    [
        ("ab\x00cd", "0000", 1, 3),
        ("\x1b[31mred", "001B", 1, 1),
        ("abc\x7f", "007F", 1, 4),
        ("first line\nsecond\x1bline", "001B", 2, 7),
        ("one\n\ntwo\n\t\x00x", "0000", 4, 2),
        ("bell\x07", "0007", 1, 5),
        ("next\x85line", "0085", 1, 5),
        ("line\u2028separator", "2028", 1, 5),
    ],
)
def test_control_characters_are_rejected_with_their_position(
    text: str, code: str, line: int, col: int
) -> None:
    expected = f"control character U+{code} at line {line}, column {col} of the text"
    assert _message(TEXT, text) == expected
    if "\n" not in text:
        assert _message(LINE, text) == expected


@pytest.mark.parametrize("text", ["two\nlines", "tab\tseparated", "para one\n\npara two",
                                  "emoji 🎉 and accents é ñ 漢字 عربي"])
def test_newline_tab_and_any_script_are_accepted(text: str) -> None:
    assert TEXT.validate_python(text) == text


def test_tab_is_accepted_in_a_line() -> None:
    assert LINE.validate_python("Lisbon\tPortugal") == "Lisbon\tPortugal"


def test_control_character_is_located_in_the_file_and_the_text(issues_of) -> None:
    [issue] = issues_of('name: Ada\nsummary: "first\\nsec\\u001Bond"\n')
    assert (issue.line, issue.col, issue.path) == (2, 10, "summary")
    assert issue.message == "control character U+001B at line 2, column 4 of the text"


def test_text_is_stripped_and_must_not_be_empty(issues_of) -> None:
    assert TEXT.validate_python("  hello  ") == "hello"
    [issue] = issues_of('name: Ada\nsummary: "   "\n')
    assert (issue.line, issue.col, issue.path, issue.message) == (2, 10, "summary",
                                                                  "must not be empty")


def test_text_has_a_length_limit() -> None:
    assert TEXT.validate_python("x" * MAX_TEXT) == "x" * MAX_TEXT
    assert _message(TEXT, "x" * (MAX_TEXT + 1)) == (
        f"text is {MAX_TEXT + 1} characters long; the limit is {MAX_TEXT}")


@pytest.mark.parametrize("text", ["Ada\nLovelace", "Ada\n\nLovelace"])
def test_a_line_is_one_line(text: str) -> None:
    assert _message(LINE, text) == ("must be one line; use a text field such as 'summary' for "
                                    "paragraphs")


def test_a_multi_line_name_is_located(issues_of) -> None:
    [issue] = issues_of("name: |\n  Ada\n  Lovelace\n")
    assert (issue.line, issue.col, issue.path) == (1, 7, "name")
    assert issue.message.startswith("must be one line")


@pytest.mark.parametrize("tag", ["backend", "ml", "c++", "data.eng", "front-end", "ç_ã", "2024"])
def test_valid_tags(tag: str) -> None:
    assert TAG.validate_python(tag) == tag


@pytest.mark.parametrize("tag", ["two words", "-leading", "", "a/b", "#tag"])
def test_invalid_tags(tag: str) -> None:
    assert _message(TAG, tag) == ("a tag is one word of letters, digits, '-', '_', '.' or '+', "
                                  f'got "{tag}"')


# --- Markdown links inside text fields ---------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "scheme"),
    [
        ("click [here](javascript:alert(1))", '"javascript:"'),
        ("[x]( JAVASCRIPT:alert(1) )", '"javascript:"'),
        ('[x](javascript:alert(1) "title")', '"javascript:"'),
        ("[x](<javascript:alert(1)>)", '"javascript:"'),
        ("[x](&#106;avascript:alert(1))", '"javascript:"'),
        ("see <javascript:alert(1)>", '"javascript:"'),
        ("[cv](file:///home/ada/cv.pdf)", '"file:"'),
        ("[x](data:text/html,hi)", '"data:"'),
        ("[relative](docs/cv.pdf)", "none"),
    ],
)
def test_unsafe_markdown_links_in_text_are_errors(text: str, scheme: str) -> None:
    message = _message(TEXT, text)
    assert message.startswith("in a Markdown link: only http, https and mailto URLs are "
                              f"allowed, got scheme {scheme}")


@pytest.mark.parametrize(
    "text",
    ["[site](https://example.org)", "mail [me](mailto:ada@example.org)", "<https://example.org>",
     "brackets [not a link] (really)", "a ](b) without an opening bracket",
     "`[code](javascript:x)` stays code"],
)
def test_safe_or_absent_links_are_accepted(text: str) -> None:
    assert TEXT.validate_python(text) == text


def test_markdown_link_error_is_located(issues_of) -> None:
    text = ("name: Ada\nexperience:\n  - employer: Acme\n    title: Dev\n    highlights:\n"
            "      - Built [the thing](javascript:alert(1))\n")
    [issue] = issues_of(text)
    assert (issue.line, issue.col) == (6, 9)
    assert issue.path == "experience[0].highlights[0].text"
    assert issue.message.startswith("in a Markdown link: only http, https and mailto")


def test_markdown_links_checked_in_every_text_field() -> None:
    bad = "[x](javascript:alert(1))"
    with pytest.raises(ValidationError) as info:
        Resume.model_validate({
            "name": "Ada", "summary": bad,
            "custom": {"story": {"title": "S", "text": bad}},
            "references": [{"name": "Bob", "text": bad}],
        })
    locs = sorted(str(e["loc"]) for e in info.value.errors())
    assert locs == sorted(str(loc) for loc in [("summary",), ("custom", "story", "text"),
                                                ("references", 0, "text")])


# --- markup: spans, plain ----------------------------------------------------------------------


def _visible(spans: tuple[Span, ...]) -> list[Span]:
    return [s for s in spans if s.text]


def test_spans_bold_italic_code_and_links() -> None:
    spans = _visible(markup.spans("**Led** a *small* team; see [site](https://x.org) and `code`"))
    assert spans == [
        Span("Led", bold=True),
        Span(" a "),
        Span("small", italic=True),
        Span(" team; see "),
        Span("site", href="https://x.org"),
        Span(" and "),
        Span("code", code=True),
    ]


def test_spans_nesting_and_underscores() -> None:
    spans = _visible(markup.spans("***both*** and __strong__ and _em_ and snake_case_name"))
    assert spans == [
        Span("both", bold=True, italic=True),
        Span(" and "),
        Span("strong", bold=True),
        Span(" and "),
        Span("em", italic=True),
        Span(" and snake_case_name"),
    ]


def test_formatting_inside_a_link_keeps_the_link() -> None:
    spans = _visible(markup.spans("[**bold** link](https://x.org)"))
    assert spans == [Span("bold", bold=True, href="https://x.org"),
                     Span(" link", href="https://x.org")]


def test_spans_drop_unsafe_hrefs_but_keep_the_text() -> None:
    assert _visible(markup.spans("[click](javascript:alert(1))")) == [Span("click")]


def test_mailto_and_autolinks_become_links() -> None:
    assert _visible(markup.spans("<https://x.org>")) == [Span("https://x.org",
                                                               href="https://x.org")]
    assert _visible(markup.spans("[me](mailto:a@b.co)")) == [Span("me", href="mailto:a@b.co")]


@pytest.mark.parametrize("text", ["<p>hello</p>", "<script>alert(1)</script>",
                                  "a <b>bold</b> claim", "<img src=x onerror=alert(1)>"])
def test_raw_html_stays_literal_text(text: str) -> None:
    spans = _visible(markup.spans(text))
    assert "".join(s.text for s in spans) == text
    assert all(s.href is None and not s.bold for s in spans)
    assert markup.plain(text) == text


def test_escapes_and_entities() -> None:
    assert markup.plain(r"\*not italic\*") == "*not italic*"
    assert markup.plain("AT&amp;T & friends") == "AT&T & friends"


def test_line_break_becomes_a_space() -> None:
    assert markup.spans("one\ntwo") == (Span("one two"),)
    assert markup.plain("**one**\ntwo") == "one two"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("**Bold** and *italic*", "Bold and italic"),
        ("See [my site](https://x.org).", "See my site."),
        ("`pip install resumec`", "pip install resumec"),
        ("Para **one**.\n\nPara *two*.", "Para one.\n\nPara two."),
        ("  spaced  \n\n\n\n  out  ", "spaced\n\nout"),
        ("plain text", "plain text"),
    ],
)
def test_plain_strips_syntax(text: str, expected: str) -> None:
    assert markup.plain(text) == expected


def test_paragraphs_split_on_blank_lines() -> None:
    assert markup.paragraphs("one\nstill one\n\n  \ntwo\n\n\nthree") == [
        "one\nstill one", "two", "three"]
    assert markup.paragraphs("   ") == []


def test_link_targets_as_written() -> None:
    assert markup.link_targets("[a](https://a.org) and [b](mailto:b@c.de) <https://d.org>") == [
        "https://a.org", "mailto:b@c.de", "https://d.org"]
    assert markup.link_targets("no links") == []


@given(st.text(alphabet=st.sampled_from("ab *_`[]()<>\\&#!:/."), max_size=30))
def test_spans_never_crash_and_agree_with_plain(text: str) -> None:
    spans = markup.spans(text)
    assert all(isinstance(s, Span) for s in spans)
    # plain() works paragraph by paragraph on stripped text; one stripped paragraph agrees.
    assert "".join(s.text for s in markup.spans(text.strip())) == markup.plain(text)


def test_spans_have_no_empty_runs() -> None:
    assert all(s.text for s in markup.spans("**Led** a *small* team"))


def test_whitespace_is_collapsed_with_or_without_markup() -> None:
    assert markup.plain("a  *b*") == markup.plain("a  b") == "a b"


_FRAGMENTS = st.sampled_from([
    "[", "]", "(", ")", "](", "<", ">", "\\", "&", "&#58;", "%3A", " ", "\n", "`", "*", "!",
    "https://", "http://", "mailto:", "javascript:", "file:", "a@b.co", "x.org", "/path",
    "?q=1", "#frag", "'t'", '"t"', "ä", "..", "@", "exa mple", "HTTPS://", "data:",
])


@settings(max_examples=600, deadline=None, derandomize=True)
@given(st.lists(_FRAGMENTS, max_size=14).map("".join))
def test_the_quick_link_check_never_passes_what_the_parser_would_refuse(text: str) -> None:
    """Validation skips the Markdown parser only when it is sure: the quick check may
    send doubtful text to the parser, but must never pass a link the parser would find
    and ``check_url`` refuse."""
    if links_clearly_allowed(text):
        for href in link_targets(text):
            check_url(href)  # raises if the quick check was wrong


def test_the_quick_link_check_passes_ordinary_links() -> None:
    assert links_clearly_allowed("Built [resumec](https://example.com/r) with "
                                 "[Ana](mailto:ana@example.com \"mail\")")
    assert not links_clearly_allowed("[x](javascript:alert(1))")
    assert not links_clearly_allowed("[x](<https://example.com>)")
