"""Theme fonts cut to a page's characters, kept across processes in the per-user cache.

A cut read back from the cache must be the cut HarfBuzz makes; a changed font file must
miss; a damaged entry must be cut again, never handed to the PDF engine; with the cache
turned off fonts are still cut.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from pdf_helpers import DEMO, make_job

from resumec import cache
from resumec.backends import htmlkit
from resumec.backends.htmlkit import (
    LATIN_CHARS,
    HarfBuzz,
    cut_font,
    harfbuzz,
    page_fonts,
)
from resumec.backends.pdf import clear_caches, render_pdf
from resumec.cache import seal, unseal
from resumec.themes import load_theme

HB = harfbuzz()
pytestmark = pytest.mark.skipif(HB is None or HB.sub is None, reason="no HarfBuzz subsetter")

CLASSIC = load_theme("classic")
ROMAN = next(f.path for f in CLASSIC.fonts if f.style == "normal")
ITALIC = next(f.path for f in CLASSIC.fonts if f.style == "italic")
TEXT = "".join(sorted(LATIN_CHARS))
BOLD = (("opsz", 10.0), ("wght", 700.0))


@pytest.fixture
def cache_dir(cache_dir: Path) -> Iterator[Path]:
    """A cache folder of the test's own, and no cuts remembered in this process."""
    htmlkit._cut.cache_clear()
    yield cache_dir
    htmlkit._cut.cache_clear()


@pytest.fixture
def font(tmp_path: Path) -> Path:
    """A copy of classic's roman font, free to touch and replace."""
    return Path(shutil.copy(ROMAN, tmp_path / "Font.ttf"))


def _fresh(path: Path, pins: tuple[tuple[str, float], ...] = BOLD) -> bytes:
    assert HB is not None
    data = HB.subset(path, TEXT, dict(pins))
    assert data is not None
    return data


def _entries(cache_dir: Path) -> list[Path]:
    folder = cache_dir / "fonts"
    return sorted(folder.iterdir()) if folder.is_dir() else []


class _Counting:
    """Counts calls to :meth:`HarfBuzz.subset` (each one a real cut)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls = 0
        real = HarfBuzz.subset

        def subset(hb: HarfBuzz, path: Path, text: str,
                   pins: dict[str, float] | None = None) -> bytes | None:
            self.calls += 1
            return real(hb, path, text, pins)

        monkeypatch.setattr(HarfBuzz, "subset", subset)


def test_a_hit_gives_the_bytes_a_fresh_cut_gives(cache_dir: Path, font: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    first = cut_font(font, TEXT, BOLD)
    assert first is not None and first[:4] == b"\x00\x01\x00\x00"  # TrueType
    assert len(_entries(cache_dir)) == 1
    htmlkit._cut.cache_clear()  # as a new process would start
    cuts = _Counting(monkeypatch)
    assert cut_font(font, TEXT, BOLD) == first
    assert cuts.calls == 0
    monkeypatch.undo()
    assert first == _fresh(font)
    # The pins and the characters are part of the key.
    assert cut_font(font, TEXT, (("opsz", 10.0), ("wght", 400.0))) != first
    assert cut_font(font, TEXT[:40], BOLD) != first
    assert len(_entries(cache_dir)) == 3


def test_a_hit_does_not_load_the_subsetter(cache_dir: Path, font: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    expected = cut_font(font, TEXT, BOLD)
    htmlkit._cut.cache_clear()
    fresh = HarfBuzz()  # as a new process has it: nothing loaded beyond the core library
    monkeypatch.setattr(htmlkit, "harfbuzz", lambda: fresh)
    assert cut_font(font, TEXT, BOLD) == expected
    assert "sub" not in vars(fresh)


def test_a_touched_or_replaced_font_file_misses(cache_dir: Path, font: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    before = cut_font(font, TEXT, BOLD)
    cuts = _Counting(monkeypatch)
    st = font.stat()
    os.utime(font, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
    # No cache_clear: the in-process cache is keyed by the file's stamp too (`watch`).
    assert cut_font(font, TEXT, BOLD) == before
    assert cuts.calls == 1
    # Another font under the same name, its times set back to the first one's.
    shutil.copyfile(ITALIC, font)
    os.utime(font, ns=(st.st_atime_ns, st.st_mtime_ns))
    after = cut_font(font, TEXT, BOLD)
    assert cuts.calls == 2
    assert after != before
    monkeypatch.undo()
    assert after == _fresh(ITALIC)


@pytest.mark.parametrize("damage", ["flip", "truncate", "empty", "foreign", "other font"])
def test_a_damaged_entry_is_cut_again(cache_dir: Path, font: Path, damage: str) -> None:
    good = cut_font(font, TEXT, BOLD)
    assert good is not None
    [entry] = _entries(cache_dir)
    raw = bytearray(entry.read_bytes())
    if damage == "flip":
        raw[len(raw) // 2] ^= 0x40
    elif damage == "truncate":
        del raw[len(raw) // 3:]
    elif damage == "empty":
        raw.clear()
    elif damage == "foreign":  # a bare font, as an older resumec might have stored it
        raw[:] = good
    else:  # sealed, but not this key's font: only the key can guard this, not the seal
        raw[:] = seal(_fresh(ITALIC))
    entry.write_bytes(bytes(raw))
    htmlkit._cut.cache_clear()
    again = cut_font(font, TEXT, BOLD)
    if damage == "other font":
        assert again == _fresh(ITALIC)  # documents the seal's scope: it is not a MAC
        return
    assert again == good
    assert unseal(entry.read_bytes()) == good  # and the entry is mended


def test_with_the_cache_off_fonts_are_still_cut(tmp_path: Path, font: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RESUMEC_CACHE_DIR", "")
    monkeypatch.chdir(tmp_path)
    cache.folder.cache_clear()
    htmlkit._cut.cache_clear()
    try:
        assert cut_font(font, TEXT, BOLD) == _fresh(font)
        fonts = page_fonts(CLASSIC, LATIN_CHARS)
        assert fonts is not None and len(fonts) == 6
        assert sorted(p.name for p in tmp_path.iterdir()) == ["Font.ttf"]
    finally:
        cache.folder.cache_clear()
        htmlkit._cut.cache_clear()


def test_a_missing_font_file_cuts_nothing(cache_dir: Path, tmp_path: Path) -> None:
    assert cut_font(tmp_path / "missing.ttf", TEXT, BOLD) is None
    assert _entries(cache_dir) == []


def _pdffonts(pdf: bytes) -> list[str]:
    lines = subprocess.run(["pdffonts", "-"], input=pdf, capture_output=True,
                           check=True).stdout.decode().splitlines()[2:]
    return sorted(line.split()[0].split("+")[-1] for line in lines)


def _pdftext(pdf: bytes) -> str:
    return subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf,
                          capture_output=True, check=True).stdout.decode()


@pytest.mark.slow
def test_cached_and_damaged_cuts_give_the_same_pdf(cache_dir: Path) -> None:
    job = make_job(DEMO, "classic", [])
    clear_caches()
    cold = render_pdf(job).data
    entries = _entries(cache_dir)
    assert len(entries) == 6  # three weights, upright and italic
    # Warm from the disk cache only, as a new process would be.
    clear_caches()
    htmlkit._cut.cache_clear()
    warm = render_pdf(job).data
    # Every entry damaged: each must be cut again, the PDF unchanged.
    for entry in entries:
        raw = bytearray(entry.read_bytes())
        raw[100] ^= 0xFF
        entry.write_bytes(bytes(raw))
    clear_caches()
    htmlkit._cut.cache_clear()
    mended = render_pdf(job).data
    clear_caches()
    fonts = _pdffonts(cold)
    # The pinned instances keep their names: bold, semibold and italic are distinct faces.
    assert {"Source-Serif-4-Bold", "Source-Serif-4-Italic",
            "Source-Serif-4-Semi-Bold"} <= set(fonts), fonts
    for pdf in (warm, mended):
        assert _pdffonts(pdf) == fonts
        assert _pdftext(pdf) == _pdftext(cold)


@pytest.mark.skipif(not hasattr(os, "geteuid"), reason="POSIX permissions")
def test_a_folder_others_can_write_is_not_read(cache_dir: Path, font: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    cut_font(font, TEXT, BOLD)
    [entry] = _entries(cache_dir)
    entry.write_bytes(seal(_fresh(ITALIC)))  # as if someone else had put it there
    (cache_dir / "fonts").chmod(0o777)
    htmlkit._cut.cache_clear()
    try:
        assert cut_font(font, TEXT, BOLD) == _fresh(font)
    finally:
        (cache_dir / "fonts").chmod(0o700)
    assert unseal(entry.read_bytes()) == _fresh(ITALIC)  # nor written to
