"""images.image_problem: every image is whole, small enough and safe to read, or says why not."""

from __future__ import annotations

import base64
import io
import struct
import warnings
import zlib

import pytest
from PIL import Image, ImageFile

import guidepress.render  # noqa: F401 - imports WeasyPrint, which loosens Pillow's settings
from guidepress.images import (DAMAGED, MAX_PIXELS, MAX_SVG_BYTES, NOT_AN_IMAGE,
                               image_problem, raster_problem)

SVG_NS = 'xmlns="http://www.w3.org/2000/svg"'


def picture(fmt: str, size=(120, 80)) -> bytes:
    """A small real image in `fmt`, with some detail so that it does not compress to nothing."""
    image = Image.new("RGB", size, (230, 80, 20))
    for x in range(0, size[0], 7):
        image.putpixel((x, x % size[1]), (10, 200, 90))
    out = io.BytesIO()
    image.save(out, fmt)
    return out.getvalue()


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def blank_png(width: int, height: int) -> bytes:
    """A valid one-bit PNG of any size: its rows are zeros, so it stays a few kilobytes."""
    row = b"\0" * (1 + (width + 7) // 8)
    packer = zlib.compressobj(9)
    data = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", data)
            + _chunk(b"IEND", b""))


@pytest.fixture
def write(tmp_path):
    def write(name: str, data: bytes | str):
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode() if isinstance(data, str) else data)
        return path
    return write


@pytest.mark.parametrize("fmt, name", [("PNG", "a.png"), ("JPEG", "a.jpg"), ("GIF", "a.gif"),
                                       ("WEBP", "a.webp")])
def test_good_images_pass(write, fmt, name):
    assert image_problem(write(name, picture(fmt))) is None


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "GIF", "WEBP"])
@pytest.mark.parametrize("kept", [0.25, 0.5, 0.9])
def test_a_truncated_image_is_damaged(write, fmt, kept):
    data = picture(fmt)
    assert image_problem(write("cut.img", data[:int(len(data) * kept)])) == DAMAGED


def test_a_png_with_a_broken_checksum_is_damaged(write):
    data = bytearray(picture("PNG"))
    start = data.index(b"IDAT") + 10
    data[start] ^= 0xFF
    assert image_problem(write("flip.png", bytes(data))) == DAMAGED


def test_empty_and_foreign_files(write):
    assert image_problem(write("empty.png", b"")) == DAMAGED
    assert image_problem(write("text.png", "just some words")) == NOT_AN_IMAGE
    assert image_problem(write("pic.bmp", picture("BMP"))) == NOT_AN_IMAGE
    assert image_problem(write("pic.tiff", picture("TIFF"))) == NOT_AN_IMAGE


def test_the_pixel_limit_is_named_with_the_image_size(write):
    assert image_problem(write("huge.png", blank_png(20_000, 20_000))) == (
        "is 20,000 x 20,000 pixels (400 megapixels), more than the limit of 40 megapixels: "
        "save a smaller copy (a full A4 page at print quality needs about 9 megapixels)")
    side = int(MAX_PIXELS ** 0.5)
    assert image_problem(write("big.png", blank_png(side, side))) is None


def test_no_pillow_warning_leaks_and_pillow_settings_are_kept(write):
    before = Image.MAX_IMAGE_PIXELS, ImageFile.LOAD_TRUNCATED_IMAGES
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a DecompressionBombWarning would fail the test
        assert image_problem(write("a.png", blank_png(13_000, 13_000))).startswith(
            "is 13,000 x 13,000 pixels (169 megapixels)")
        assert image_problem(write("b.png", blank_png(9_000, 9_999))).startswith("is 9,000 x")
    assert (Image.MAX_IMAGE_PIXELS, ImageFile.LOAD_TRUNCATED_IMAGES) == before


def test_a_good_svg_passes(write):
    assert image_problem(write("a.svg", f'<svg {SVG_NS} width="10"><rect/></svg>')) is None
    # Illustrator's DOCTYPE with an external DTD (never fetched) and no entities is fine.
    assert image_problem(write("b.svg", (
        '<?xml version="1.0"?>\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" '
        '"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n'
        f'<svg {SVG_NS}><use href="#x"/></svg>'))) is None


def test_svg_entities_are_refused_before_parsing(write):
    laughs = ('<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa">'
              + "".join(f'<!ENTITY {c} "&{p};&{p};&{p};&{p};&{p};&{p};&{p};&{p};">'
                        for p, c in zip("abcdefg", "bcdefgh"))
              + f']><svg {SVG_NS}><text>&h;</text></svg>')
    assert image_problem(write("laughs.svg", laughs)) == (
        "declares its own XML entities (<!ENTITY ...> or a DOCTYPE with [...]), which "
        "guidepress never reads: save the SVG again without them")


def test_a_malformed_svg_says_where(write):
    assert image_problem(write("bad.svg", f"<svg {SVG_NS}>\n<g>\n</svg>\n")) == (
        "is not a well-formed SVG file (its line 3, column 3: mismatched tag): export it again")
    assert image_problem(write("nbsp.svg", f"<svg {SVG_NS}><text>a&nbsp;b</text></svg>")) == (
        "is not a well-formed SVG file (its line 1, column 48: undefined entity): "
        "export it again")
    assert image_problem(write("html.svg", "<html><body/></html>")) == (
        "is not an SVG image (its first element is <html>, not <svg>)")


def test_an_svg_over_the_size_limit(write):
    body = "<g/>" * (MAX_SVG_BYTES // 4 + 1)
    assert image_problem(write("big.svg", f"<svg {SVG_NS}>{body}</svg>")) == (
        "is an SVG file of 4.0 MB, more than the limit of 4 MB: simplify it, or save it as a PNG")


def test_an_svg_never_points_outside(write, tmp_path):
    remote = f'<svg {SVG_NS}><image href="https://cdn.example/x.png"/></svg>'
    assert image_problem(write("r.svg", remote)) == (
        "refers to 'https://cdn.example/x.png', outside the file: guidepress never fetches "
        "anything; embed the picture in the SVG or put it next to the guide")
    styled = f'<svg {SVG_NS}><style>@import "http://x.example/a.css";</style></svg>'
    assert image_problem(write("s.svg", styled)).startswith("refers to 'http://x.example/a.css'")
    escape = f'<svg {SVG_NS}><image href="../../secret.png"/></svg>'
    assert image_problem(write("site/e.svg", escape), root=tmp_path / "site") == (
        "refers to '../../secret.png', which is outside the content root")


def test_files_and_images_inside_an_svg_are_checked(write):
    write("huge.png", blank_png(20_000, 20_000))
    assert image_problem(write("h.svg", f'<svg {SVG_NS}><image href="huge.png"/></svg>')) \
        .startswith("refers to 'huge.png', which is 20,000 x 20,000 pixels")
    broken = base64.b64encode(picture("PNG")[:40]).decode()
    assert image_problem(write("d.svg", f'<svg {SVG_NS}><image href="data:image/png;base64,'
                                        f'{broken}"/></svg>')) == f"embeds an image that {DAMAGED}"
    good = base64.b64encode(picture("PNG")).decode()
    assert image_problem(write("g.svg", f'<svg {SVG_NS}><image href="data:image/png;base64,'
                                        f'{good}"/></svg>')) is None
    assert image_problem(write("self.svg", f'<svg {SVG_NS}><use href="self.svg#a"/></svg>')) \
        is None


def test_raster_bytes_can_be_checked_directly():
    assert raster_problem(picture("PNG")) is None
    assert raster_problem(picture("PNG")[:50]) == DAMAGED
