"""Look at an image before anything renders it: is it whole, small enough and safe to read?

`image_problem(path)` is used by `check` for every image a guide shows and by the renderer for
images that stylesheets name. It returns None for a good image, or what is wrong as the end of
a sentence that starts with the image's name ("image 'x.png' " + problem), for example
"is damaged or not a complete image: export or download it again".
"""

from __future__ import annotations

import base64
import binascii
import io
import re
import threading
import warnings
from pathlib import Path
from urllib.parse import unquote, unquote_to_bytes
from xml.etree import ElementTree

from PIL import Image, ImageFile

#: The most pixels a raster image may have. A full A4 page at 300 dpi is 8.7 megapixels and a
#: figure is at most a third of a page, so 40 megapixels is four full pages' worth: room for
#: any photo a phone takes, while a bigger image only makes the PDF heavy (a 13,000 x 13,000
#: PNG took 1.4 GB to build) and the decoder slow.
MAX_PIXELS = 40_000_000
#: The biggest SVG file: WeasyPrint holds the whole tree in memory, many times the file's size.
MAX_SVG_BYTES = 4 * 1024 * 1024
#: The biggest image file of any kind: more than even an uncompressed 40-megapixel PNG needs.
MAX_FILE_BYTES = 256 * 1024 * 1024
#: The raster formats a PDF guide may show (WeasyPrint reads more, but these are the web's).
RASTER_FORMATS = ("PNG", "JPEG", "GIF", "WEBP")

DAMAGED = "is damaged or not a complete image: export or download it again"
NOT_AN_IMAGE = "is not a PNG, JPEG, GIF, WebP or SVG image"

#: How PNG, JPEG and GIF files start (a WebP file has "WEBP" at byte 8).
_MAGIC = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8")
_XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
_SCHEME_RE = re.compile(r"^\s*([a-zA-Z][a-zA-Z0-9+.-]*):")
_DATA_IMAGE_RE = re.compile(r"^\s*data:image/[\w.+-]+(;base64)?,", re.IGNORECASE)
_CSS_URL_RE = re.compile(r"""url\(\s*['"]?([^'")\s]+)|@import\s+['"]([^'"]+)""")
_ENTITY_RE = re.compile(rb"<!ENTITY|<!DOCTYPE[^>\[]*\[", re.IGNORECASE)
# Pillow's settings are global and WeasyPrint changes one of them: change them one at a time.
_PILLOW = threading.Lock()


def image_problem(path: Path, root: Path | None = None) -> str | None:
    """What is wrong with the image file at `path`, or None when it can be used as it is.

    With `root`, a file that an SVG refers to must lie inside it, and is checked in turn.
    """
    return _file_problem(path, root, set())


def _file_problem(path: Path, root: Path | None, seen: set[Path]) -> str | None:
    seen.add(path.resolve())
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return (f"is a file of {size / 1024 / 1024:,.0f} MB, more than the limit of "
                    f"{MAX_FILE_BYTES // 1024 // 1024} MB for an image: save a smaller copy")
        data = path.read_bytes()
    except OSError:
        return "cannot be read"
    if _looks_like_svg(path, data):
        return _svg_problem(data, path, root, seen)
    return raster_problem(data)


def raster_problem(data: bytes) -> str | None:
    """What is wrong with the bytes of a PNG, JPEG, GIF or WebP image, or None."""
    if not data:
        return DAMAGED
    with _PILLOW, warnings.catch_warnings():
        # Our own limit is lower than Pillow's, and says what it is: no Pillow warning leaks.
        warnings.simplefilter("ignore")
        old_limit, old_truncated = Image.MAX_IMAGE_PIXELS, ImageFile.LOAD_TRUNCATED_IMAGES
        Image.MAX_IMAGE_PIXELS = None
        ImageFile.LOAD_TRUNCATED_IMAGES = False  # WeasyPrint turns this on: a truncated
        try:                                     # image would silently become a black box
            return _decode(data)
        finally:
            Image.MAX_IMAGE_PIXELS, ImageFile.LOAD_TRUNCATED_IMAGES = old_limit, old_truncated


def _decode(data: bytes) -> str | None:
    try:
        image = Image.open(io.BytesIO(data))
    except Image.UnidentifiedImageError:
        return DAMAGED if data.startswith(_MAGIC) or data[8:12] == b"WEBP" else NOT_AN_IMAGE
    except Exception:  # noqa: BLE001 - any failure to read the header means a broken file
        return DAMAGED
    with image:
        if image.format not in RASTER_FORMATS:
            return NOT_AN_IMAGE
        width, height = image.size
        if width < 1 or height < 1:
            return DAMAGED
        if width * height > MAX_PIXELS:
            return (f"is {width:,} x {height:,} pixels ({width * height / 1e6:,.0f} "
                    f"megapixels), more than the limit of {MAX_PIXELS // 1_000_000} "
                    f"megapixels: save a smaller copy (a full A4 page at print quality "
                    f"needs about 9 megapixels)")
        try:
            if image.format == "JPEG":
                image.draft("RGB", (max(width // 8, 1), max(height // 8, 1)))  # reads it all
            image.load()
        except Exception:  # noqa: BLE001 - truncated data, bad checksums, broken streams
            return DAMAGED
    return None


def _looks_like_svg(path: Path, data: bytes) -> bool:
    if path.suffix.lower() == ".svg":
        return True
    start = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n")
    return start.startswith(b"<?xml") or start.startswith(b"<svg") or (
        start.startswith(b"<!--") and b"<svg" in data[:4096])


def _svg_problem(data: bytes, path: Path, root: Path | None, seen: set[Path]) -> str | None:
    if len(data) > MAX_SVG_BYTES:
        return (f"is an SVG file of {len(data) / 1024 / 1024:.1f} MB, more than the limit "
                f"of {MAX_SVG_BYTES // 1024 // 1024} MB: simplify it, or save it as a PNG")
    if _ENTITY_RE.search(data):
        return ("declares its own XML entities (<!ENTITY ...> or a DOCTYPE with [...]), "
                "which guidepress never reads: save the SVG again without them")
    try:
        tree = ElementTree.fromstring(data)
    except ElementTree.ParseError as exc:
        line, column = exc.position
        return (f"is not a well-formed SVG file (its line {line}, column {column + 1}: "
                f"{_reason(exc)}): export it again")
    name = tree.tag.rpartition("}")[2]
    if name != "svg":
        return f"is not an SVG image (its first element is <{name}>, not <svg>)"
    for value in _svg_references(tree):
        if (problem := _svg_reference_problem(value, path, root, seen)):
            return problem
    return None


def _svg_references(tree: ElementTree.Element):
    """Every address in an SVG: links to images and other files, and url(...) in its styles."""
    for element in tree.iter():
        for attribute in ("href", _XLINK_HREF, "src"):
            if element.get(attribute):
                yield element.get(attribute)
        styles = [element.get("style") or ""]
        if element.tag.rpartition("}")[2] == "style":
            styles.append("".join(element.itertext()))
        for style in styles:
            yield from (m.group(1) or m.group(2) for m in _CSS_URL_RE.finditer(style))


def _reason(exc: ElementTree.ParseError) -> str:
    """Expat's message without its own position, e.g. 'mismatched tag'."""
    return str(exc).rsplit(": line ", 1)[0]


def _svg_reference_problem(value: str, path: Path, root: Path | None,
                           seen: set[Path]) -> str | None:
    """An SVG may point inside itself (#id), embed images as data: URLs and refer to files next
    to it (each is checked like any image); nothing else: nothing is ever fetched."""
    value = value.strip()
    if value.startswith("#"):
        return None
    if _DATA_IMAGE_RE.match(value):
        embedded = _data_bytes(value)
        problem = DAMAGED if embedded is None else raster_problem(embedded)
        return None if problem is None else f"embeds an image that {problem}"
    if _SCHEME_RE.match(value):
        return (f"refers to '{_short(value)}', outside the file: guidepress never fetches "
                "anything; embed the picture in the SVG or put it next to the guide")
    target = (path.parent / unquote(value.split("#")[0])).resolve()
    if root is not None and not target.is_relative_to(root.resolve()):
        return f"refers to '{_short(value)}', which is outside the content root"
    if target in seen or not value.split("#")[0]:
        return None
    if not target.is_file():
        return f"refers to '{_short(value)}', which does not exist"
    problem = _file_problem(target, root, seen)
    return None if problem is None else f"refers to '{_short(value)}', which {problem}"


def _short(value: str) -> str:
    return value if len(value) <= 80 else value[:77] + "..."


def _data_bytes(url: str) -> bytes | None:
    header, _, payload = url.strip().partition(",")
    try:
        if header.lower().endswith(";base64"):
            return base64.b64decode("".join(payload.split()), validate=True)
        return unquote_to_bytes(payload)
    except (binascii.Error, ValueError):
        return None
