"""A per-user cache of what resumec derives from installed files, to start faster.

Takes a kind (a subfolder: ``fonts``, ``templates`` …) and a key; gives back bytes
stored earlier, or None. What goes in is derived from installed or theme files — fonts
cut to a character set, compiled templates, parsed library declarations — or, for page
budgets (``fits``), is a bare number: the pages a trial layout reached, the density step
a profile needed. Never the résumé's text; and every key names everything its value
depends on, so an entry is never stale: a changed input is a different key.

Where: ``$RESUMEC_CACHE_DIR`` if set (set it empty to turn the cache off), else
``$XDG_CACHE_HOME/resumec`` or ``~/.cache/resumec`` (``%LOCALAPPDATA%\\resumec`` on
Windows, ``~/Library/Caches/resumec`` on macOS). A cache that cannot be read or written
— a read-only home, a full disk — is simply not used: resumec works the same without it,
only slower to start. Writes go through a temporary file and a rename, so concurrent
renders never see half an entry; each kind keeps its newest entries, at most :data:`KEEP`
of them and :data:`KEEP_BYTES` in all.

What comes out of the cache is run (compiled templates, selector code) or parsed by C
code (fonts), so it is trusted only as far as the folder is: a kind's folder is used only
if it belongs to this user and no one else can write to it — ``RESUMEC_CACHE_DIR``
pointed at a shared place is ignored, as Jinja's own cache does — and every entry
carries a checksum (:func:`seal`), so a damaged one reads as missing and is made again.
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
import zlib
from functools import cache
from pathlib import Path

KEEP = 256
"""Entries kept per kind; the oldest beyond this are removed when one is added."""
KEEP_BYTES = 16 * 1024 * 1024
"""Bytes kept per kind (a page's cut fonts are ~0.5 MB; a résumé in a script outside
Latin gets new cuts as its characters change, in ``resumec watch``)."""


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
    """The folder for ``kind``, created (private to the user) if need be; None if unusable:
    turned off, not creatable, or not private to this user."""
    root = folder()
    if root is None:
        return None
    path = root / kind
    try:
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError:
        return None
    return path if private(path) else None


def private(path: Path) -> bool:
    """Whether the folder ``path`` exists, is this user's, and only they can write to it.

    Asked afresh each time (a ``stat``, microseconds): the answer changes when the folder
    is made, or its mode.
    """
    if not hasattr(os, "geteuid"):  # Windows: the folder is under the user's own profile
        return os.path.isdir(path)
    try:
        st = os.stat(path)  # a symbolic link is judged by what it points to
    except OSError:
        return False
    return st.st_uid == os.geteuid() and not st.st_mode & 0o022


_SEAL = b"rcC1"
"""The first bytes of every entry :func:`seal` makes."""


def seal(data: bytes) -> bytes:
    """``data`` behind a checksum, for :func:`unseal` to tell a damaged entry from it.

    The atomic writes rule out half-written entries, but not a disk, a crash or a copy
    that damages one, nor a stray file. CRC-32 misses one such accident in four billion
    and costs a quarter of a millisecond for a page's fonts; it is no defence against a
    forger — that is :func:`private`'s job.
    """
    return _SEAL + zlib.crc32(data).to_bytes(4, "big") + data


def unseal(entry: bytes | None) -> bytes | None:
    """The data :func:`seal` put in ``entry``; None if ``entry`` is None, foreign or damaged."""
    if entry is None or len(entry) < 8 or not entry.startswith(_SEAL):
        return None
    data = entry[8:]
    return data if zlib.crc32(data).to_bytes(4, "big") == entry[4:8] else None


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
    """The bytes stored under ``kind``/``name``, or None (also for a damaged entry, or a
    folder others could have written to)."""
    root = folder()
    if root is None or not private(root / kind):
        return None
    try:
        return unseal((root / kind / name).read_bytes())
    except OSError:
        return None


def put(kind: str, name: str, data: bytes) -> None:
    """Store ``data`` under ``kind``/``name``, sealed and atomically; never fails the caller."""
    path = kind_folder(kind)
    if path is None:
        return
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=path)
        with os.fdopen(fd, "wb") as f:
            f.write(seal(data))
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
    """Keep the newest entries of one kind within :data:`KEEP` and :data:`KEEP_BYTES`."""
    entries = [(e, e.stat()) for e in os.scandir(path)
               if e.is_file() and not e.name.startswith(".")]
    if len(entries) <= KEEP and sum(st.st_size for _, st in entries) <= KEEP_BYTES:
        return
    entries.sort(key=lambda pair: pair[1].st_mtime_ns, reverse=True)
    total = 0
    for count, (entry, st) in enumerate(entries):
        total += st.st_size
        if count >= KEEP or (total > KEEP_BYTES and count > 0):  # the newest always stays
            with contextlib.suppress(OSError):
                os.unlink(entry.path)
