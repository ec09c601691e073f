"""A per-user cache of what resumec derives from installed files, to start faster.

Takes a kind (a subfolder: ``fonts``, ``templates`` …) and a key; gives back bytes
stored earlier, or None. What goes in is derived only from installed or theme files —
fonts cut to a character set, compiled templates, parsed library declarations — never
the résumé's text, and every key names everything its value depends on, so an entry is
never stale: a changed input is a different key.

Where: ``$RESUMEC_CACHE_DIR`` if set (set it empty to turn the cache off), else
``$XDG_CACHE_HOME/resumec`` or ``~/.cache/resumec`` (``%LOCALAPPDATA%\\resumec`` on
Windows, ``~/Library/Caches/resumec`` on macOS). A cache that cannot be read or written
— a read-only home, a full disk — is simply not used: resumec works the same without it,
only slower to start. Writes go through a temporary file and a rename, so concurrent
renders never see half an entry; each kind keeps its newest :data:`KEEP` entries.
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from functools import cache
from pathlib import Path

KEEP = 256
"""Entries kept per kind; the oldest beyond this are removed when one is added."""


@cache
def folder() -> Path | None:
    """The cache's root folder, or None when the cache is turned off."""
    configured = os.environ.get("RESUMEC_CACHE_DIR")
    if configured is not None:
        return Path(configured).expanduser() if configured.strip() else None
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA")
        return Path(base) / "resumec" if base else None
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "resumec"
    xdg = os.environ.get("XDG_CACHE_HOME")
    root = Path(xdg) if xdg and Path(xdg).is_absolute() else Path.home() / ".cache"
    return root / "resumec"


def kind_folder(kind: str) -> Path | None:
    """The folder for ``kind``, created (private to the user) if need be; None if unusable."""
    root = folder()
    if root is None:
        return None
    path = root / kind
    try:
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError:
        return None
    return path


def key(*parts: str | bytes) -> str:
    """A file-name-safe digest of ``parts`` (each part's length is part of the digest)."""
    import hashlib

    digest = hashlib.blake2b(digest_size=20)
    for part in parts:
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "little"))
        digest.update(data)
    return digest.hexdigest()


def get(kind: str, name: str) -> bytes | None:
    """The bytes stored under ``kind``/``name``, or None."""
    root = folder()
    if root is None:
        return None
    try:
        return (root / kind / name).read_bytes()
    except OSError:
        return None


def put(kind: str, name: str, data: bytes) -> None:
    """Store ``data`` under ``kind``/``name``, atomically; never fails the caller."""
    path = kind_folder(kind)
    if path is None:
        return
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=path)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path / name)
        tmp = None
        _trim(path)
    except OSError:
        pass
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def _trim(path: Path) -> None:
    """Keep the newest :data:`KEEP` entries of one kind."""
    entries = [e for e in os.scandir(path) if e.is_file() and not e.name.startswith(".")]
    if len(entries) <= KEEP:
        return
    entries.sort(key=lambda e: e.stat().st_mtime_ns, reverse=True)
    for entry in entries[KEEP:]:
        with contextlib.suppress(OSError):
            os.unlink(entry.path)
