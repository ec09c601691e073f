"""Photos are checked by their bytes: what every format can show passes, what would be
dropped without a word (or embedded broken) is a located error from validate and render."""

from __future__ import annotations

import io
import struct
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image

from resumec import pictures
from resumec.errors import ResumecError
from resumec.loader import load_resume

Run = Callable[..., subprocess.CompletedProcess[str]]


def _saved(fmt: str, **options: object) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (60, 40), (200, 90, 40)).save(out, fmt, **options)
    return out.getvalue()


def _with_thumbnail() -> bytes:
    """A JPEG whose EXIF block holds a whole thumbnail JPEG (its own scan and end marker)."""
    thumb = _saved("JPEG")
    exif = Image.Exif()
    image = Image.new("RGB", (60, 40))
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes() + thumb)
    return out.getvalue()


SVG = b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>\n'

WHOLE = {
    "png": _saved("PNG"),
    "jpg": _saved("JPEG"),
    "progressive.jpg": _saved("JPEG", progressive=True, quality=95),
    "restarts.jpg": _saved("JPEG", restart_marker_blocks=1),
    "thumbnail.jpg": _with_thumbnail(),
    "gif": _saved("GIF"),
    "webp": _saved("WEBP"),
    "svg": SVG,
}


@pytest.mark.parametrize("name", WHOLE)
def test_whole_pictures_pass(tmp_path: Path, name: str) -> None:
    path = tmp_path / f"me.{name}"
    path.write_bytes(WHOLE[name])
    assert pictures.problem(path) is None


def test_a_motion_photo_passes_whatever_follows_its_end(tmp_path: Path) -> None:
    """Phones append a video after the JPEG's end; its bytes hold anything, markers too."""
    path = tmp_path / "me.jpg"
    path.write_bytes(WHOLE["jpg"] + b"\x00\x00\x00\x18ftypmp42" + b"\xff\xda\x00\x10" * 500)
    assert pictures.problem(path) is None


@pytest.mark.parametrize("name", [n for n in WHOLE if n != "svg"])
def test_every_picture_cut_short_is_refused(tmp_path: Path, name: str) -> None:
    data = WHOLE[name]
    path = tmp_path / f"me.{name}"
    for keep in sorted({12, 30, len(data) // 3, len(data) // 2, len(data) - 3}):
        path.write_bytes(data[:keep])
        assert "cut short" in (pictures.problem(path) or ""), (name, keep)


def test_a_picture_that_would_decode_to_gigabytes_is_refused(tmp_path: Path) -> None:
    data = bytearray(WHOLE["png"])
    data[16:24] = struct.pack(">II", 100_000, 100_000)  # IHDR's width and height
    path = tmp_path / "bomb.png"
    path.write_bytes(bytes(data))
    assert pictures.problem(path) == ("the PNG picture is 100000×100000 pixels; a photo may "
                                      "have at most 89,478,485")


@pytest.mark.parametrize(("name", "data", "message"), [
    ("me.png", b"", "the file is empty"),
    ("me.png", b"just some text\n", "not a PNG, JPEG, GIF, WebP or SVG picture"),
    ("me.jpg", b"<html><body>saved the web page</body></html>",
     "not a PNG, JPEG, GIF, WebP or SVG picture"),
    ("me.txt", b"\x89PNG\r\n\x1a\n", "a photo must be a picture: .gif, .jpeg, .jpg, .png, "
                                     ".svg, .webp"),
])
def test_what_is_no_picture_is_refused(tmp_path: Path, name: str, data: bytes,
                                       message: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    assert pictures.problem(path) == message


def test_a_huge_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "me.png"
    with path.open("wb") as out:
        out.truncate(pictures.MAX_BYTES + 1)  # sparse: nothing written
    assert pictures.problem(path) == ("the file is 20,971,521 bytes; a photo may be at most "
                                      "20,971,520")


@pytest.mark.parametrize("fmt", ["pdf", "txt"])
def test_validate_and_render_refuse_a_broken_photo_alike(run_cli: Run, tmp_path: Path,
                                                         fmt: str) -> None:
    (tmp_path / "me.png").write_bytes(WHOLE["png"][:40])
    src = tmp_path / "cv.yaml"
    src.write_text("name: Ada\nphoto: me.png\n", encoding="utf-8")
    expected = f"{src}:2:8: photo: me.png: the PNG picture is cut short (damaged, or not " \
               "fully copied)"
    for command in (["validate", src], ["render", src, "-f", fmt, "-o", tmp_path / "out"]):
        proc = run_cli(*command)
        assert proc.returncode == 1
        assert expected in proc.stderr.splitlines(), proc.stderr
    assert not (tmp_path / "out").exists()


def test_a_photo_named_as_no_picture_is_refused_by_validate_too(tmp_path: Path) -> None:
    """It used to pass validate and the text formats, and fail only the PDF and HTML."""
    (tmp_path / "cv.txt").write_text("hello", encoding="utf-8")
    src = tmp_path / "cv.yaml"
    src.write_text("name: Ada\nphoto: cv.txt\n", encoding="utf-8")
    with pytest.raises(ResumecError, match=r"photo: cv\.txt: a photo must be a picture"):
        load_resume(src, "cv.yaml")


def test_an_imported_broken_photo_is_a_warning_not_a_failed_import(tmp_path: Path) -> None:
    (tmp_path / "me.jpg").write_bytes(WHOLE["jpg"][:100])
    src = tmp_path / "cv.json"
    src.write_text('{"basics": {"name": "Ada", "image": "me.jpg"}}', encoding="utf-8")
    heard: list[str] = []
    resume = load_resume(src, "cv.json", heard.append)
    assert resume.photo is None
    assert heard == ["cv.json:1:28: warning: basics.image: 'me.jpg': the JPEG picture is cut "
                     "short (damaged, or not fully copied); not imported"]
