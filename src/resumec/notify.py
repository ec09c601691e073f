"""Word from the kernel that a file may have changed: Linux's inotify, through ctypes.

Takes the path of a file; :meth:`Notifier.wait` blocks until the kernel reports an event
for that name in its folder (or in the folder of the file it links to), or a timeout
passes. No dependency and no thread: the notifier is a file descriptor read with
``select``. Where inotify is missing (another system, a C library without it, the
per-user limit of watches reached), :func:`notifier` gives None and the caller polls.

inotify sees what this machine's kernel writes; a file changed through a network mount
from another machine, or from a container's host, may come with no event, so callers
keep a slow poll as well.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import select
import struct
import sys
from pathlib import Path

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Self

MODIFY = 0x002
ATTRIB = 0x004
CLOSE_WRITE = 0x008
MOVED_FROM = 0x040
MOVED_TO = 0x080
CREATE = 0x100
DELETE = 0x200
OVERFLOW = 0x4000
"""The kernel's queue overflowed: events were lost (any file may have changed)."""

WRITTEN = CLOSE_WRITE | MOVED_TO
"""The events after which a file's new content is whole: a writer closed it, or a file
written elsewhere was renamed onto it (how most editors save)."""
_WATCHED = MODIFY | ATTRIB | CLOSE_WRITE | MOVED_FROM | MOVED_TO | CREATE | DELETE
_HEADER = struct.Struct("iIII")  # wd, mask, cookie, len (then len bytes of name)


class Notifier:
    """The events of a few names in their folders, as an inotify descriptor gives them."""

    def __init__(self, fd: int, names: frozenset[bytes]) -> None:
        self.fd = fd
        self.names = names

    def wait(self, timeout: float) -> int:
        """Wait up to ``timeout`` seconds for events; return their masks OR-ed together for
        the watched names (:data:`OVERFLOW` if some were lost), 0 if none came."""
        ready, _, _ = select.select([self.fd], [], [], max(timeout, 0.0))
        if not ready:
            return 0
        try:
            data = os.read(self.fd, 64 * 1024)
        except BlockingIOError:
            return 0
        mask = 0
        at = 0
        while at + _HEADER.size <= len(data):
            _, event, _, size = _HEADER.unpack_from(data, at)
            name = data[at + _HEADER.size:at + _HEADER.size + size].rstrip(b"\0")
            at += _HEADER.size + size
            if event & OVERFLOW or name in self.names:
                mask |= event
        return mask

    def close(self) -> None:
        """Stop watching (closing the descriptor drops its watches)."""
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def notifier(path: Path) -> Notifier | None:
    """A :class:`Notifier` for ``path`` (a file that may not exist yet), or None where
    inotify cannot be used. Watches the file's folder, so that an editor's save by
    rename is seen, and, for a symbolic link, the folder of the file it points to."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(None, use_errno=True)  # this process's C library: no search
        init, add = libc.inotify_init1, libc.inotify_add_watch
    except (OSError, AttributeError):
        return None
    init.argtypes, init.restype = [ctypes.c_int], ctypes.c_int
    add.argtypes, add.restype = [ctypes.c_int, ctypes.c_char_p, ctypes.c_uint32], ctypes.c_int
    fd = init(os.O_NONBLOCK | os.O_CLOEXEC)
    if fd < 0:
        return None  # EMFILE: the per-user limit of inotify instances
    places = {path.absolute()}
    with contextlib.suppress(OSError, RuntimeError):  # a link loop: its folder is watched
        places.add(path.resolve())
    names = frozenset(os.fsencode(p.name) for p in places)
    for folder in {p.parent for p in places}:
        if add(fd, os.fsencode(folder), _WATCHED) < 0:  # ENOSPC: the limit of watches
            os.close(fd)
            return None
    return Notifier(fd, names)
