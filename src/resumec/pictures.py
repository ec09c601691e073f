"""Photos checked by their bytes, as ``resumec validate`` can afford to: no decoding, no
imaging library.

Takes a photo file's path; gives what keeps it from being shown alike in every format
(:func:`problem`): a name that is no picture's, an empty or huge file, contents that are
not the picture they claim, a picture cut short, or more pixels than the PDF engine's
image library decodes. Without this, ``validate`` passed such a file, the PDF dropped the
photo without a word and the web page embedded the broken bytes.
"""

from __future__ import annotations

TYPE_CHECKING = False  # `resumec validate` runs without importing typing
if TYPE_CHECKING:
    from pathlib import Path

SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg"})
"""The pictures every format shows: the web page embeds them, the PDF engine reads them."""
MAX_BYTES = 20 * 1024 * 1024
"""Largest photo accepted; a portrait is well under a megabyte."""
MAX_PIXELS = 89_478_485
"""Most pixels accepted: Pillow's own limit, which the PDF engine decodes with, past
which a small file may expand to gigabytes (a decompression bomb)."""


def problem(path: Path) -> str | None:
    """What is wrong with the photo at ``path`` (an existing file), or None."""
    if path.suffix.lower() not in SUFFIXES:
        return "a photo must be a picture: " + ", ".join(sorted(SUFFIXES))
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            return f"the file is {size:,} bytes; a photo may be at most {MAX_BYTES:,}"
        data = path.read_bytes()
    except OSError as exc:
        return f"cannot read the file: {exc.strerror or exc}"
    if not data:
        return "the file is empty"
    kind, size_px, whole = sniff(data)
    if kind is None:
        return "not a PNG, JPEG, GIF, WebP or SVG picture"
    if not whole:
        return f"the {kind} picture is cut short (damaged, or not fully copied)"
    if size_px is not None:
        width, height = size_px
        if width == 0 or height == 0 or width * height > MAX_PIXELS:
            return (f"the {kind} picture is {width}×{height} pixels; a photo may have at "
                    f"most {MAX_PIXELS:,}")
    return None


def sniff(data: bytes) -> tuple[str | None, tuple[int, int] | None, bool]:
    """The picture's kind (None if it is no picture this knows), its size in pixels where
    its header says, and whether it is whole. Bytes after a picture's end (phones append
    a video to a "motion photo") are not looked at."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return ("PNG", *_png(data))
    if data.startswith(b"\xff\xd8\xff"):
        return ("JPEG", *_jpeg(data))
    if data[:6] in (b"GIF87a", b"GIF89a"):
        if len(data) < 10:
            return "GIF", None, False
        size = (int.from_bytes(data[6:8], "little"), int.from_bytes(data[8:10], "little"))
        return "GIF", size, data.rstrip(b"\x00").endswith(b";")
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WebP", None, int.from_bytes(data[4:8], "little") + 8 <= len(data)
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith((b"<?xml", b"<svg", b"<!--", b"<!DOCTYPE svg")) and b"<svg" in data:
        return "SVG", None, data.rstrip().endswith(b">")
    return None, None, False


def _png(data: bytes) -> tuple[tuple[int, int] | None, bool]:
    """A PNG's size (from IHDR) and whether its chunks run whole to IEND."""
    if len(data) < 24 or data[12:16] != b"IHDR":
        return None, False
    size = (int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big"))
    at = 8
    while at + 12 <= len(data):  # length, type, data, CRC
        length = int.from_bytes(data[at:at + 4], "big")
        if data[at + 4:at + 8] == b"IEND":
            return size, True
        at += 12 + length
    return size, False


_STANDALONE = frozenset({0x01, *range(0xD0, 0xD8)})  # TEM and RSTn: markers without length
_FRAMES = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}  # SOFn (not DHT, JPG, DAC)


def _jpeg(data: bytes) -> tuple[tuple[int, int] | None, bool]:
    """A JPEG's size (from its frame header) and whether its segments run whole to the
    end-of-image marker. The scan data after each start-of-scan is skipped to the next
    marker (``FF`` followed by neither ``00`` nor a restart)."""
    size = None
    at = 2
    while at + 2 <= len(data):
        if data[at] != 0xFF:
            return size, False
        marker = data[at + 1]
        if marker == 0xFF:  # fill byte
            at += 1
            continue
        if marker == 0xD9:
            return size, True
        if marker in _STANDALONE:
            at += 2
            continue
        if at + 4 > len(data):
            return size, False
        length = int.from_bytes(data[at + 2:at + 4], "big")
        if marker in _FRAMES and size is None and at + 9 <= len(data):
            size = (int.from_bytes(data[at + 7:at + 9], "big"),
                    int.from_bytes(data[at + 5:at + 7], "big"))
        at += 2 + length
        if marker == 0xDA:  # start of scan: entropy-coded data up to the next marker
            while True:
                at = data.find(b"\xff", at)
                if at < 0 or at + 1 >= len(data):
                    return size, False
                following = data[at + 1]
                if following == 0x00 or 0xD0 <= following <= 0xD7:
                    at += 2
                elif following == 0xFF:
                    at += 1
                else:
                    break
    return size, False
