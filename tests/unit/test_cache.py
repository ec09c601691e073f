"""The per-user cache: round trips, keys, turning it off, failing quietly, trimming."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from resumec import cache


def test_round_trip(cache_dir: Path) -> None:
    assert cache.get("fonts", "abc") is None
    cache.put("fonts", "abc", b"\x00data")
    assert cache.get("fonts", "abc") == b"\x00data"
    assert cache.unseal((cache_dir / "fonts" / "abc").read_bytes()) == b"\x00data"
    assert not [p for p in (cache_dir / "fonts").iterdir() if p.name.startswith(".")]
    if os.name == "posix":
        assert (cache_dir / "fonts").stat().st_mode & 0o077 == 0  # private to the user


def test_keys_tell_their_parts_apart() -> None:
    assert cache.key("ab", "c") != cache.key("a", "bc")
    assert cache.key("a", b"b") == cache.key(b"a", "b")
    assert len(cache.key("x")) == 40 and cache.key("x").isalnum()


def test_empty_setting_turns_the_cache_off(tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RESUMEC_CACHE_DIR", "")
    monkeypatch.chdir(tmp_path)
    cache.folder.cache_clear()
    try:
        cache.put("fonts", "abc", b"data")
        assert cache.get("fonts", "abc") is None
        assert not list(tmp_path.iterdir())
    finally:
        cache.folder.cache_clear()


def test_default_folder_follows_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("RESUMEC_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    cache.folder.cache_clear()
    try:
        if os.name == "posix" and os.uname().sysname == "Linux":
            assert cache.folder() == tmp_path / "resumec"
    finally:
        cache.folder.cache_clear()


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0,
                    reason="root writes through permissions")
def test_an_unwritable_cache_is_not_used(cache_dir: Path) -> None:
    cache_dir.mkdir()
    cache_dir.chmod(0o500)
    try:
        cache.put("fonts", "abc", b"data")  # no error
        assert cache.get("fonts", "abc") is None
    finally:
        cache_dir.chmod(0o700)


def test_a_file_where_the_folder_should_be_is_not_an_error(cache_dir: Path) -> None:
    cache_dir.write_text("not a folder")
    cache.put("fonts", "abc", b"data")
    assert cache.get("fonts", "abc") is None


def test_each_kind_keeps_its_newest_entries(cache_dir: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache, "KEEP", 3)
    for i in range(5):
        cache.put("fonts", f"k{i}", b"x")
        os.utime(cache_dir / "fonts" / f"k{i}", ns=(10**9 * (i + 1),) * 2)
    cache.put("fonts", "k5", b"x")
    assert sorted(p.name for p in (cache_dir / "fonts").iterdir()) == ["k3", "k4", "k5"]
    cache.put("other", "k0", b"x")  # kinds are trimmed apart
    assert cache.get("other", "k0") == b"x"


def test_a_damaged_entry_reads_as_missing(cache_dir: Path) -> None:
    cache.put("fonts", "abc", b"some data")
    entry = cache_dir / "fonts" / "abc"
    raw = bytearray(entry.read_bytes())
    raw[-1] ^= 1
    entry.write_bytes(bytes(raw))
    assert cache.get("fonts", "abc") is None
    entry.write_bytes(b"some data")  # a stray file, not written by put()
    assert cache.get("fonts", "abc") is None


def test_seal_round_trip() -> None:
    assert cache.unseal(cache.seal(b"")) == b""
    assert cache.unseal(cache.seal(b"abc")) == b"abc"
    assert cache.unseal(None) is None
    assert cache.unseal(cache.seal(b"abc")[:-1]) is None


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_a_folder_others_can_write_to_is_not_used(cache_dir: Path) -> None:
    cache.put("fonts", "abc", b"data")
    (cache_dir / "fonts").chmod(0o777)
    try:
        assert cache.get("fonts", "abc") is None  # anyone could have put it there
        cache.put("fonts", "def", b"data")
        assert not (cache_dir / "fonts" / "def").exists()
    finally:
        (cache_dir / "fonts").chmod(0o700)
    assert cache.get("fonts", "abc") == b"data"


def test_each_kind_keeps_within_its_size(cache_dir: Path, monkeypatch: pytest.MonkeyPatch
                                         ) -> None:
    monkeypatch.setattr(cache, "KEEP_BYTES", 2500)
    for i in range(4):
        cache.put("fonts", f"k{i}", b"x" * 1000)
        os.utime(cache_dir / "fonts" / f"k{i}", ns=(10**9 * (i + 1),) * 2)
    assert sorted(p.name for p in (cache_dir / "fonts").iterdir()) == ["k2", "k3"]
    cache.put("fonts", "big", b"x" * 5000)  # larger than the limit: still kept, alone
    assert [p.name for p in (cache_dir / "fonts").iterdir()] == ["big"]
