"""Checks for résumé text: prose, single lines, URLs, e-mail, tags.

Takes raw strings from the loader; gives them back unchanged when valid, or raises
a ``PydanticCustomError`` whose message names what is wrong and where in the string.
Only pydantic-core is imported here: ``resumec validate`` runs these checks from the
compiled schema without loading pydantic's model machinery (see ``compiled.py``).
The annotated types built from them (``Text``, ``Line``…) are in ``types.py``.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from resumec.schema.corelib import PydanticCustomError

TYPE_CHECKING = False  # `resumec validate` runs without importing typing
if TYPE_CHECKING:
    from typing import Any

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufffe\uffff]")
_EMAIL = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@([A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$")  # noqa: E501
_MD_LINK = re.compile(r"\]\(|<[a-zA-Z][a-zA-Z0-9+.-]*:")
URL_SCHEMES = ("http", "https", "mailto")
MAX_TEXT = 20_000


def not_empty(value: str) -> str:
    """Return ``value`` unless it is empty (after stripping)."""
    if not value:
        raise PydanticCustomError("too_short", "must not be empty")
    return value


def no_control(value: str) -> str:
    """Return ``value`` unless it holds a control character or is too long."""
    m = _CONTROL.search(value)
    if m:
        line = value.count("\n", 0, m.start()) + 1
        col = m.start() - (value.rfind("\n", 0, m.start()) + 1) + 1
        raise PydanticCustomError(
            "control_char",
            "control character U+{code} at line {line}, column {col} of the text",
            {"code": f"{ord(m[0]):04X}", "line": line, "col": col},
        )
    if len(value) > MAX_TEXT:
        raise PydanticCustomError(
            "too_long", "text is {n} characters long; the limit is {limit}",
            {"n": len(value), "limit": MAX_TEXT},
        )
    return value


def one_line(value: str) -> str:
    """Return ``value`` if it is one line."""
    if "\n" in value:
        raise PydanticCustomError("one_line", "must be one line; use a text field such as "
                                  "'summary' for paragraphs")
    return value


def check_url(value: str, *, allow: tuple[str, ...] = URL_SCHEMES) -> str:
    """Return ``value`` if it is an absolute http(s) or mailto URL; raise otherwise."""
    url = value.strip()
    if not url or any(c.isspace() for c in url) or _CONTROL.search(url):
        raise PydanticCustomError("url", "a URL may not be empty or contain spaces: \"{url}\"",
                                  {"url": value})
    try:
        parts = urlsplit(url)
    except ValueError as exc:
        raise PydanticCustomError("url", "not a valid URL: {err}", {"err": str(exc)}) from None
    scheme = parts.scheme.lower()
    if scheme not in allow:
        got = f'"{scheme}:"' if scheme else "none"
        raise PydanticCustomError(
            "url_scheme",
            "only http, https and mailto URLs are allowed, got scheme {got} in \"{url}\"",
            {"got": got, "url": url},
        )
    if scheme == "mailto":
        check_email(url[len("mailto:"):].split("?", 1)[0])
    elif not parts.hostname:
        raise PydanticCustomError("url", "URL \"{url}\" has no host", {"url": url})
    return url


def check_email(value: str) -> str:
    """Return ``value`` if it looks like a deliverable address; raise otherwise."""
    if not _EMAIL.match(value) or len(value) > 254 or ".." in value:
        raise PydanticCustomError("email", "not a valid e-mail address: \"{v}\"", {"v": value})
    return value


def markdown_links(value: str) -> str:
    """Return ``value`` if every Markdown link in it has an allowed URL."""
    if not _MD_LINK.search(value) or links_clearly_allowed(value):
        return value  # no doubt possible: skip importing the Markdown parser
    from resumec.markup import link_targets

    for href in link_targets(value):
        try:
            check_url(href)
        except PydanticCustomError as exc:
            raise PydanticCustomError(
                "markdown_link", "in a Markdown link: {msg}", {"msg": exc.message()}
            ) from None
    return value


_LINK_OPEN = re.compile(r"\]\(\s*")
_PLAIN_URL = re.compile(r"[A-Za-z0-9;/?:@=+$,\-_.!~*'#]+")
"""Characters that markdown-it's link normaliser leaves exactly as they are."""


def links_clearly_allowed(value: str) -> bool:
    """Whether every link markdown-it could find in ``value`` is certainly allowed.

    A quick over-approximation for the common case, so that validation need not load
    the Markdown parser. An inline link always has a literal ``](`` before its
    destination, so every ``](`` is taken to open one, and what follows must be a plain
    URL — only characters that the parser's normaliser keeps as they are, ended by
    ``)``, a space or the end — that ``check_url`` allows. Anything else (a ``<`` that
    may start an autolink, escapes, entities or parentheses in a URL, a URL that fails)
    answers False and the caller asks the real parser: True is only ever given when
    the parser's links, a subset of these written the same, all pass ``check_url``.
    """
    if "<" in value:
        return False
    for opening in _LINK_OPEN.finditer(value):
        url = _PLAIN_URL.match(value, opening.end())
        if url is None:
            return False
        after = value[url.end():url.end() + 1]
        if after not in ("", ")") and not after.isspace():
            return False
        try:
            check_url(url[0])
        except PydanticCustomError:
            return False
    return True


def strip(value: Any) -> Any:
    """Strip text; numbers become text as written (``version: 3.10`` stays ``3.10``)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return getattr(value, "source", str(value))  # `version: 3.10` is text, as written
    return value.strip() if isinstance(value, str) else value


def tag(value: str) -> str:
    """Return ``value`` if it is one tag word."""
    if not re.fullmatch(r"[\w][\w.+-]*", value):
        raise PydanticCustomError(
            "tag", "a tag is one word of letters, digits, '-', '_', '.' or '+', got \"{v}\"",
            {"v": value},
        )
    return value
