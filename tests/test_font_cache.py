"""The emoji font's WOFF2 is decoded once per machine, not once per build: the TrueType is
kept in the font cache, checked by its sha256 when read back, and gives the same bytes."""

from __future__ import annotations

import hashlib
import os

import pytest
from fontTools.ttLib import woff2

from guidepress import render
from guidepress.glyphs import EMOJI_FOLDER

WOFF2 = EMOJI_FOLDER / "NotoEmoji-Regular.woff2"


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("GUIDEPRESS_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(render, "_WOFF2_DECODED", {})
    return tmp_path / "cache" / "fonts"


def decode() -> bytes:
    body = WOFF2.read_bytes()
    return render._decoded_woff2(hashlib.sha256(body).hexdigest(), body)


def test_a_decoded_font_is_kept_and_read_back_without_decoding(cache, monkeypatch):
    first = decode()
    [kept] = cache.glob("*.ttf")
    assert kept.read_bytes() == first and hashlib.sha256(first).hexdigest() in kept.name
    assert first[:4] in (b"\x00\x01\x00\x00", b"OTTO")  # a TrueType/OpenType font
    monkeypatch.setattr(render, "_WOFF2_DECODED", {})
    monkeypatch.setattr(woff2, "decompress", lambda *a: pytest.fail("decoded again"))
    assert decode() == first


def test_a_damaged_cached_font_is_decoded_again(cache, monkeypatch):
    first = decode()
    [kept] = cache.glob("*.ttf")
    kept.write_bytes(first[:1000])  # cut short, as by a full disk
    monkeypatch.setattr(render, "_WOFF2_DECODED", {})
    assert decode() == first
    assert kept.read_bytes() == first  # and kept whole again


def test_a_cache_that_cannot_be_written_costs_only_time(tmp_path, monkeypatch):
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    monkeypatch.setenv("GUIDEPRESS_CACHE_DIR", str(blocked))
    monkeypatch.setattr(render, "_WOFF2_DECODED", {})
    assert len(decode()) > len(WOFF2.read_bytes())
    assert not any(name.endswith(".part") for name in os.listdir(tmp_path))


def test_a_build_with_the_cached_font_has_the_same_bytes(cache, tmp_path, monkeypatch):
    from conftest import GUIDE, make_project
    from guidepress.build import build
    root = make_project(tmp_path / "site", {"guides/alpha.md": GUIDE.replace(
        "Some text with a footnote.", "Some text with an emoji 🙂 and a footnote.")})
    build(root, tmp_path / "cold", ["alpha"], paper="a4")
    assert list(cache.glob("*.ttf"))
    monkeypatch.setattr(render, "_WOFF2_DECODED", {})
    monkeypatch.setattr(woff2, "decompress", lambda *a: pytest.fail("decoded again"))
    build(root, tmp_path / "warm", ["alpha"], paper="a4")
    assert (tmp_path / "cold" / "alpha.pdf").read_bytes() == \
        (tmp_path / "warm" / "alpha.pdf").read_bytes()
