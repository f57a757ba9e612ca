"""WeasyPrint, made safe and strict: a fetcher that reads only allowed folders, bundled fonts
only, and every warning that matters turned into a located error."""

from __future__ import annotations

import hashlib
import logging
import mimetypes
import os
import re
import warnings
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator
from urllib.parse import urlsplit
from urllib.request import url2pathname

from .errors import Problem, SetupError
from . import glyphs
from . import pdfua
from .glyphs import cannot_draw
from .images import image_problem
from .output import write_atomic
from .sheets import Stylesheet
from .tokens import svg_colours

_EMPTY_FONTCONFIG = str(Path(__file__).with_name("data") / "fonts.conf")


@contextmanager
def bundled_fonts_only() -> Iterator[None]:
    """Let Fontconfig load our empty configuration, and nothing else see it.

    WeasyPrint loads a Fontconfig configuration whenever a FontConfiguration is made; with
    the system's, system fonts would fill in missing characters differently on every
    machine. The variable is put back at once, so that programs we start (a browser, pandoc)
    still see the machine's fonts.
    """
    old = os.environ.get("FONTCONFIG_FILE")
    os.environ["FONTCONFIG_FILE"] = _EMPTY_FONTCONFIG
    try:
        yield
    finally:
        if old is None:
            del os.environ["FONTCONFIG_FILE"]
        else:
            os.environ["FONTCONFIG_FILE"] = old


warnings.filterwarnings("ignore", message="No fonts configured in FontConfig")

try:
    with bundled_fonts_only():  # WeasyPrint checks the configuration once, on import
        import weasyprint
        from weasyprint.text.fonts import FontConfiguration
        from weasyprint.urls import URLFetcher, URLFetcherResponse
except OSError as _exc:  # pragma: no cover - depends on the machine
    _IMPORT_ERROR: OSError | None = _exc
else:
    _IMPORT_ERROR = None

#: WeasyPrint's messages that mean the PDF is wrong, not just imperfect.
_FATAL_MESSAGES = ("Failed to load", "Unknown rendering option", "cannot be loaded",
                   "Error fetching")


#: WOFF2 fonts as the TrueType WeasyPrint turns them into, by the WOFF2's sha256: once per
#: process instead of once per artifact and pass (the emoji font took 0.5 s each time).
_WOFF2_DECODED: dict[str, bytes] = {}


def font_cache() -> Path:
    """Where decoded fonts are kept between builds: GUIDEPRESS_CACHE_DIR, else the user's
    cache folder (XDG_CACHE_HOME or ~/.cache) under guidepress/fonts."""
    if os.environ.get("GUIDEPRESS_CACHE_DIR"):
        return Path(os.environ["GUIDEPRESS_CACHE_DIR"]) / "fonts"
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "guidepress" / "fonts"


def _decoded_woff2(digest: str, body: bytes) -> bytes:
    """The TrueType font inside a WOFF2 file, decoded as WeasyPrint decodes it (fontTools),
    so the PDF's bytes are the same; the WOFF2 itself when it cannot be decoded (WeasyPrint
    then says what is wrong with it).

    Decoding the emoji font takes about 2 s, in every build: the result is kept in
    `font_cache()`, named by the WOFF2's sha256, the fontTools version and its own sha256,
    which is checked when it is read back (a damaged or foreign file is decoded again)."""
    if digest not in _WOFF2_DECODED:
        import fontTools

        if len(_WOFF2_DECODED) > 16:
            _WOFF2_DECODED.clear()
        stem = f"{digest}.fonttools-{fontTools.version}"
        decoded = _cached_font(stem)
        if decoded is None:
            from io import BytesIO
            from fontTools.ttLib import woff2
            out = BytesIO()
            try:
                woff2.decompress(BytesIO(body), out)
            except Exception:  # noqa: BLE001 - a damaged font is reported by WeasyPrint
                return body
            decoded = out.getvalue()
            _keep_font(stem, decoded)
        _WOFF2_DECODED[digest] = decoded
    return _WOFF2_DECODED[digest]


def _cached_font(stem: str) -> bytes | None:
    """A decoded font kept by an earlier build, when its bytes still match its name."""
    try:
        for path in sorted(font_cache().glob(f"{stem}.*.ttf")):
            data = path.read_bytes()
            if path.name == f"{stem}.{hashlib.sha256(data).hexdigest()}.ttf":
                return data
    except OSError:
        pass
    return None


def _keep_font(stem: str, data: bytes) -> None:
    """Keep a decoded font for the next build, whole or not at all (builds may run side by
    side); a cache that cannot be written is skipped."""
    try:
        write_atomic(font_cache() / f"{stem}.{hashlib.sha256(data).hexdigest()}.ttf", data)
    except OSError:
        pass


def require_weasyprint() -> None:
    """Fail with the Debian packages to install when WeasyPrint's libraries are missing."""
    if _IMPORT_ERROR is not None:
        raise SetupError(
            f"WeasyPrint cannot load a system library ({_IMPORT_ERROR}); install them with: "
            "apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0")


if _IMPORT_ERROR is None:
    class SafeFetcher(URLFetcher):
        """Read only files inside the allowed folders; refuse and remember everything else."""

        def __init__(self, allowed: list[Path], tokens: dict[str, str] | None = None):
            super().__init__(fail_on_errors=False)
            self.allowed = [folder.resolve() for folder in allowed]
            #: The brand tokens that `var(--name)` in an SVG file's colours stand for.
            self.tokens = tokens or {}
            self.refused: list[str] = []
            #: Every file read (resolved path -> sha256): what the artifact is made from.
            self.reads: dict[str, str] = {}
            #: Images refused as damaged, too big or unsafe (URL -> what is wrong).
            self.damaged: dict[str, str] = {}

        def fetch(self, url: str, headers: dict | None = None) -> "URLFetcherResponse":
            scheme = url.split(":", 1)[0].lower()
            if scheme == "data":
                return super().fetch(url, headers)
            if scheme == "file":
                path = Path(url2pathname(urlsplit(url).path)).resolve()
                if path.is_file() and any(path.is_relative_to(f) for f in self.allowed):
                    kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                    if kind.startswith("image/"):  # also those that stylesheets name
                        problem = image_problem(path, self.allowed[0])
                        if problem:
                            self.damaged[url] = f"image '{self._shown(path)}' {problem}"
                            raise ValueError(self.damaged[url])
                    body = path.read_bytes()
                    digest = hashlib.sha256(body).hexdigest()
                    self.reads[str(path)] = digest
                    if body[:4] == b"wOF2":
                        body = _decoded_woff2(digest, body)
                    elif kind == "image/svg+xml":
                        body = svg_colours(body, self.tokens)
                    return URLFetcherResponse(url, body=body, headers={"Content-Type": kind})
            self.refused.append(url)
            raise ValueError(f"guidepress refuses to read {url}")

        def _shown(self, path: Path) -> str:
            """A path as the author knows it: inside the content root, or the file's name."""
            for folder in self.allowed:
                if path.is_relative_to(folder):
                    return path.relative_to(folder).as_posix()
            return path.name


@dataclass
class RenderLog:
    """What WeasyPrint said while rendering one artifact."""

    missing_glyphs: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    note: str = ""  # what the build chose, e.g. a cheat sheet's type size
    passes: int = 0           # layouts made, each of the whole document or of a part
    part_passes: int = 0      # of those, layouts of a part alone (a guide's appendix)
    decisions: dict = field(default_factory=dict)  # what the layout chose, to start from


class _Capture(logging.Handler):
    def __init__(self, log: RenderLog):
        super().__init__(logging.DEBUG)
        self.log = log

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if message.startswith(".notdef glyph"):
            self.log.missing_glyphs.append(str(record.args[0]) if record.args else message)
        elif "HarfBuzz-Subset" in message:
            self.log.warnings.append("slow font subsetting: install Debian's libharfbuzz-subset0")
        elif record.levelno >= logging.ERROR or any(m in message for m in _FATAL_MESSAGES):
            self.log.errors.append(message)
        elif record.levelno >= logging.WARNING:
            self.log.warnings.append(message)


@contextmanager
def capture(log: RenderLog) -> Iterator[None]:
    """Collect WeasyPrint's log records into `log` for the duration of a block."""
    logger = logging.getLogger("weasyprint")
    handler = _Capture(log)
    logger.addHandler(handler)
    old_level, old_propagate = logger.level, logger.propagate
    logger.setLevel(logging.WARNING)
    logger.propagate = False  # reported by the build (errors) or with -v (warnings), not twice
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old_level)
        logger.propagate = old_propagate


class Renderer:
    """Render HTML documents to PDF with one font configuration and one safe fetcher."""

    def __init__(self, allowed: list[Path], tokens: dict[str, str] | None = None):
        require_weasyprint()
        self.allowed = allowed
        self.tokens = tokens or {}
        self._cache: dict = {}
        self.fetcher = None  # the current artifact's fetcher, kept alive for the cache key
        self.epoch = 0       # seconds since 1970 that stand for "now" in font subsetting

    def layout(self, html: str, base_url: str, stylesheets: list[Stylesheet],
               log: RenderLog, fetcher: "SafeFetcher") -> "weasyprint.Document":
        """Lay out `html`; return the paginated document."""
        log.passes += 1
        with capture(log):
            fonts, css = self._parsed(base_url, with_cjk_fonts(html, stylesheets), fetcher)
            document = weasyprint.HTML(string=html, base_url=base_url, url_fetcher=fetcher)
            return document.render(stylesheets=css, font_config=fonts)

    def _parsed(self, base_url: str, stylesheets: list[Stylesheet], fetcher: "SafeFetcher"):
        """Fonts and parsed stylesheets, read once per artifact however many passes it takes
        (the cache belongs to the artifact's fetcher, so a refusal is reported against it)."""
        key = (id(fetcher), base_url, tuple(stylesheets))
        if key not in self._cache:
            with bundled_fonts_only():
                fonts = FontConfiguration()
            css = [sheet for sheet in (self._stylesheet(s, base_url, fonts, fetcher)
                                       for s in stylesheets) if sheet is not None]
            self._cache[key] = (fonts, css)
        return self._cache[key]

    @staticmethod
    def _stylesheet(sheet: Stylesheet, base_url: str, fonts, fetcher: "SafeFetcher"):
        """Parse one stylesheet; a file goes through the fetcher too (checked, recorded as
        read). None when the fetcher refused it: the refusal is reported with the others."""
        if sheet.path is None:
            return weasyprint.CSS(string=sheet.text, font_config=fonts, url_fetcher=fetcher,
                                  base_url=base_url)
        refused = len(fetcher.refused)
        try:
            return weasyprint.CSS(url=sheet.path.absolute().as_uri(), font_config=fonts,
                                  url_fetcher=fetcher)
        except Exception:
            if len(fetcher.refused) > refused:
                return None
            raise

    def draw(self, document: "weasyprint.Document", log: RenderLog,
             variant: str | None = None) -> bytes:
        """Draw the pages: WeasyPrint's PDF, which `finish` makes the published one. The
        caller lets the laid-out document go in between (for a long guide it is most of
        the memory), so the two are separate.

        Without HarfBuzz's subsetter WeasyPrint falls back to fontTools, which stamps the
        time into each font unless SOURCE_DATE_EPOCH is set: pin it (to `self.epoch`, the
        artifact's date, which the build sets).
        """
        with capture(log), _pinned_epoch(self.epoch), _quiet("fontTools"), pdfua.tagging(), \
                _page_references_once():
            # WeasyPrint's own PDF/A-3u: the sRGB output intent, printable annotations, a
            # file identifier; pdfua.finish then writes the XMP for both standards.
            options = {"pdf_variant": variant} if variant == "pdf/a-3u" else {}
            return document.write_pdf(pdf_tags=True, **options)

    @staticmethod
    def finish(data: bytes, variant: str | None = None) -> bytes:
        """The drawn PDF tagged for screen readers and reflow (PDF/UA), with its metadata."""
        return pdfua.finish(data, variant)

    def new_fetcher(self) -> "SafeFetcher":
        """A fetcher for one artifact, so that refusals are reported against it; the parsed
        stylesheets of the artifact before are let go."""
        self._cache.clear()
        self.fetcher = SafeFetcher(self.allowed, self.tokens)
        return self.fetcher


def with_cjk_fonts(html: str, stylesheets: list[Stylesheet]) -> list[Stylesheet]:
    """The stylesheets, with the CJK fonts' one first when `html` has Japanese, Chinese or
    Korean text and the set-up installed them. Other documents never load these large fonts,
    so they render as fast, and byte for byte as, without them."""
    cjk = Stylesheet(path=glyphs.CJK_STYLESHEET)
    if cjk in stylesheets or not glyphs.needs_cjk(html) or not glyphs.cjk_installed():
        return stylesheets
    return [cjk, *stylesheets]


def font_subsetter() -> str:
    """Which library subsets the fonts: "harfbuzz" (fast), or "fonttools" (the fallback)."""
    from weasyprint.pdf import fonts  # the names WeasyPrint itself decides by

    return "harfbuzz" if fonts.harfbuzz_subset and fonts.harfbuzz.hb_version_atleast(4, 1, 0) \
        else "fonttools"


@contextmanager
def _pinned_epoch(epoch: int) -> Iterator[None]:
    """Set SOURCE_DATE_EPOCH for the block when it is not set already."""
    if os.environ.get("SOURCE_DATE_EPOCH"):
        yield
        return
    os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
    try:
        yield
    finally:
        del os.environ["SOURCE_DATE_EPOCH"]


@contextmanager
def _page_references_once() -> Iterator[None]:
    """For the block, pydyf's list of page references is made once per page count.

    pydyf 0.13 makes the tuple of every page's reference each time it is read, and
    WeasyPrint's tagging reads it once per tagged box: for a guide of 300 pages, some 33,000
    tuples of 300 (about 3 s), where one would do. Pages are only ever added, so the page
    count says when the tuple is out of date. If pydyf changes, nothing is changed here.
    """
    import pydyf

    original = pydyf.PDF.__dict__.get("page_references")
    if not isinstance(original, property) or original.fget is None:  # pragma: no cover
        yield
        return

    def page_references(pdf):
        kids = pdf.pages["Kids"]
        made = pdf.__dict__.get("_guidepress_page_references")
        if made is None or made[0] != len(kids):
            made = pdf.__dict__["_guidepress_page_references"] = (len(kids), original.fget(pdf))
        return made[1]

    pydyf.PDF.page_references = property(page_references)
    try:
        yield
    finally:
        pydyf.PDF.page_references = original


@contextmanager
def _quiet(name: str) -> Iterator[None]:
    """Keep a chatty library's log below errors for the block."""
    logger = logging.getLogger(name)
    old = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(old)


def anchor_pages(document: "weasyprint.Document") -> dict[str, int]:
    """Map every anchor (element id) to the number of the page it lands on (1-based)."""
    pages: dict[str, int] = {}
    for number, page in enumerate(document.pages, start=1):
        for name in page.anchors:
            pages.setdefault(name, number)
    return pages


def page_fill(page) -> float:
    """How far down its content area a laid-out page's text reaches (0 empty, 1 full)."""
    from weasyprint.formatting_structure import boxes

    box = page._page_box
    top, height = box.content_box_y(), box.height
    lowest = top

    def walk(parent) -> None:
        nonlocal lowest
        for child in getattr(parent, "children", []):
            if isinstance(child, boxes.MarginBox):
                continue
            if isinstance(child, (boxes.LineBox, boxes.ReplacedBox)):
                lowest = max(lowest, child.position_y + child.margin_height())
            else:
                walk(child)

    walk(box)
    return (lowest - top) / height if height else 1.0


def glyph_problems(sources: list[tuple[str, str]], glyphs: list[str]) -> list[Problem]:
    """Locate characters no bundled font could draw at their first (file, line, column) in
    `sources`: the backstop for what the check cannot see (a character written as an HTML
    entity, &#x2605; say), so each is reported once, in the check's words."""
    problems = []
    for char in sorted(set(glyphs)):
        written = re.compile(f"{re.escape(char)}|&#(?:x0*{ord(char):x}|0*{ord(char)});", re.I)
        where = next(((path, number, found.start() + 1) for path, text in sources
                      for number, line in enumerate(text.split("\n"), start=1)
                      for found in [written.search(line)] if found),
                     (sources[0][0] if sources else "?", None, None))
        problems.append(Problem(*where, cannot_draw(char)))
    return problems
