"""Validated scalar types for résumé text: prose, single lines, URLs, e-mail, tags.

Takes raw strings from the loader; gives them back unchanged when valid, or raises
a ``PydanticCustomError`` whose message names what is wrong and where in the string.
"""

from __future__ import annotations

import re
from typing import Annotated, Any
from urllib.parse import urlsplit

from pydantic import AfterValidator, BeforeValidator, Field
from pydantic_core import PydanticCustomError

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufffe\uffff]")
_EMAIL = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@([A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$")  # noqa: E501
_MD_LINK = re.compile(r"\]\(|<[a-zA-Z][a-zA-Z0-9+.-]*:")
URL_SCHEMES = ("http", "https", "mailto")
MAX_TEXT = 20_000


def _no_control(value: str) -> str:
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


def _one_line(value: str) -> str:
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


def _markdown_links(value: str) -> str:
    if not _MD_LINK.search(value):
        return value  # no link syntax: skip importing the Markdown parser
    from resumec.markup import link_targets

    for href in link_targets(value):
        try:
            check_url(href)
        except PydanticCustomError as exc:
            raise PydanticCustomError(
                "markdown_link", "in a Markdown link: {msg}", {"msg": exc.message()}
            ) from None
    return value


def _strip(value: Any) -> Any:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return getattr(value, "source", str(value))  # `version: 3.10` is text, as written
    return value.strip() if isinstance(value, str) else value


def _tag(value: str) -> str:
    if not re.fullmatch(r"[\w][\w.+-]*", value):
        raise PydanticCustomError(
            "tag", "a tag is one word of letters, digits, '-', '_', '.' or '+', got \"{v}\"",
            {"v": value},
        )
    return value


Text = Annotated[str, BeforeValidator(_strip), Field(min_length=1), AfterValidator(_no_control),
                 AfterValidator(_markdown_links)]
"""Prose with inline Markdown: **bold**, *italic*, [links](https://…)."""

Line = Annotated[str, BeforeValidator(_strip), Field(min_length=1), AfterValidator(_no_control),
                 AfterValidator(_one_line)]
"""Plain text on one line (names, places, phone numbers)."""

Url = Annotated[str, BeforeValidator(_strip), AfterValidator(check_url),
                Field(json_schema_extra={"format": "uri"})]
"""An absolute http(s) or mailto URL."""

Email = Annotated[str, BeforeValidator(_strip), AfterValidator(check_email),
                  Field(json_schema_extra={"format": "email"})]
"""An e-mail address."""

Tag = Annotated[str, BeforeValidator(_strip), AfterValidator(_tag)]
"""A tailoring tag: one word such as ``backend`` or ``ml``."""
