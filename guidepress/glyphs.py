"""Check stage: find the characters no font of an artifact can draw, before anything renders.

The fonts are those its stylesheets declare with @font-face (styles/fonts.css and a content
root's own stylesheets). The renderer sees no other font, and Pango falls back from one loaded
font to any other, so a character is drawable when any of them has it in its character map.
Each character no font has is reported where it first appears in each source file, once.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

import tinycss2
from fontTools.ttLib import TTFont

from .errors import Collector, Problem, read_source
from .project import PROJECT_DIR, Project

#: Where the set-up installs the emoji font (it is not kept in git; scripts/setup.sh pins it).
EMOJI_FOLDER = PROJECT_DIR / "styles" / "fonts" / "noto-emoji"
INSTALL_HINT = "run 'make pdfs' or 'bash scripts/setup.sh pdfs', which installs it"
#: Where the set-up copies the CJK fonts (Noto Sans CJK from Debian's fonts-noto-cjk), and
#: the stylesheet that declares them, which the renderer adds only to documents that need it.
CJK_FOLDER = PROJECT_DIR / "styles" / "fonts" / "noto-cjk"
CJK_STYLESHEET = PROJECT_DIR / "styles" / "fonts-cjk.css"
CJK_FILES = ("NotoSansCJK-Regular.ttc", "NotoSansCJK-Bold.ttc")
CJK_PACKAGE = "fonts-noto-cjk"
#: Japanese, Chinese and Korean characters (as in the scripts' Unicode blocks): a document
#: with any of them loads the CJK fonts.
_CJK = re.compile("[\u1100-\u11ff\u2e80-\u2fdf\u3000-\u303f\u3040-\u30ff\u3100-\u312f"
                  "\u3130-\u318f\u31a0-\u31ff\u3200-\u4dbf\u4e00-\u9fff\ua960-\ua97f"
                  "\uac00-\ud7ff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef"
                  "\U00020000-\U0003134f]")
#: Right-to-left scripts, which guidepress does not lay out yet (see README 'Fonts').
_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")
RTL_LANGS = frozenset({"ar", "he", "iw", "fa", "ur", "yi", "ps", "sd", "ug", "ckb", "dv"})
#: The largest font file read for its character map (Noto CJK, the largest common one, is
#: about 20 MB).
MAX_FONT_BYTES = 40_000_000


def cannot_draw(char: str) -> str:
    """The message for a character no font can draw, for check and render alike."""
    # A space or mark that shows as nothing (U+1680) is named by its code point alone.
    shown = f"'{char}' " if char.isprintable() and not char.isspace() else ""
    said = f"no font here can draw {shown}(U+{ord(char):04X})"
    if _CJK.match(char):
        return (f"{said}: {script_of(char)} needs the Noto Sans CJK fonts of the "
                f"{CJK_PACKAGE} package: run 'make pdfs' (as root it installs them; otherwise "
                f"'sudo apt-get install -y {CJK_PACKAGE}', then 'bash scripts/setup.sh pdfs')")
    if _RTL.match(char):
        return (f"{said}: right-to-left scripts (Arabic, Hebrew and others) are not "
                "supported yet (see README 'Fonts')")
    return f"{said}: use another character, or add a font that has it (see README 'Fonts')"


def script_of(char: str) -> str:
    """Which language's text a CJK character is, as far as one character tells."""
    code = ord(char)
    if 0x3040 <= code <= 0x30FF or 0x31F0 <= code <= 0x31FF:
        return "Japanese text"
    if 0x1100 <= code <= 0x11FF or 0x3130 <= code <= 0x318F or 0xA960 <= code <= 0xA97F \
            or 0xAC00 <= code <= 0xD7FF:
        return "Korean text"
    return "Chinese, Japanese or Korean text"


def needs_cjk(text: str) -> bool:
    """True when `text` has a Japanese, Chinese or Korean character."""
    return _CJK.search(text) is not None


def cjk_installed(folder: Path | None = None) -> bool:
    """True when the set-up has put the CJK fonts in place."""
    folder = CJK_FOLDER if folder is None else folder
    return all((folder / name).is_file() for name in CJK_FILES)


def cjk_faces() -> list["FontFace"]:
    """The CJK fonts as faces of their stylesheet, when installed (else none)."""
    if not cjk_installed():
        return []
    return [FontFace(CJK_FOLDER / name, f"styles/{CJK_STYLESHEET.name}", line)
            for line, name in enumerate(CJK_FILES, start=8)]


def rtl_lang(lang: str | None) -> bool:
    """True for a language written right to left (its code's part before the first '-')."""
    return bool(lang) and lang.split("-")[0].lower() in RTL_LANGS


@dataclass(frozen=True)
class FontFace:
    """One @font-face rule: the font file it names, and where it says so."""

    path: Path
    sheet: str   # the stylesheet, as the author knows it
    line: int


def never_printed(char: str) -> bool:
    """True for characters that shape others or break lines but draw nothing themselves:
    variation selectors, joiners, direction marks, tags, controls and line separators."""
    code = ord(char)
    if 0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF:  # variation selectors
        return True
    return unicodedata.category(char) in ("Cc", "Cf", "Cs", "Zl", "Zp")


def font_faces(sheets: list[Path], allowed: list[Path],
               problems: Collector | None = None) -> list[FontFace]:
    """The font files the stylesheets' @font-face rules name, in order; with `problems`,
    a rule whose file is missing is reported at its line."""
    faces = []
    for sheet in sheets:
        try:
            text = sheet.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue  # the renderer reports a stylesheet it cannot read
        shown = _shown(sheet)
        for url, line in _face_urls(text):
            path = (sheet.parent / unquote(url)).resolve()
            if not any(path.is_relative_to(folder.resolve()) for folder in allowed):
                continue  # the renderer refuses it and says so
            if path.is_file():
                faces.append(FontFace(path, shown, line))
            elif problems is not None:
                problems.add(shown, line, _missing(path, url))
    return faces


@functools.lru_cache(maxsize=64)
def _face_urls(text: str) -> tuple[tuple[str, int], ...]:
    """(address, line) of each source of each @font-face rule of a stylesheet's text: parsed
    once per process, however many artifacts share the stylesheet."""
    return tuple((url, rule.source_line)
                 for rule in tinycss2.parse_stylesheet(text, skip_comments=True,
                                                       skip_whitespace=True)
                 if rule.type == "at-rule" and rule.lower_at_keyword == "font-face"
                 and rule.content for url in _src_urls(rule))


def _src_urls(rule) -> list[str]:
    """The url(...) values of a @font-face rule's `src` (local() names no file here)."""
    urls = []
    for item in tinycss2.parse_blocks_contents(rule.content, skip_comments=True,
                                               skip_whitespace=True):
        if item.type != "declaration" or item.lower_name != "src":
            continue
        for token in item.value:
            if token.type == "url":
                urls.append(token.value)
            elif token.type == "function" and token.lower_name == "url":
                urls += [arg.value for arg in token.arguments if arg.type == "string"]
    return urls


def _missing(path: Path, url: str) -> str:
    if path.is_relative_to(EMOJI_FOLDER):
        return f"the emoji font '{url}' is not installed: {INSTALL_HINT}"
    return f"the font file '{url}' does not exist"


def _shown(path: Path) -> str:
    """A project stylesheet as styles/<name>; a content root's own by its name there too."""
    return f"styles/{path.name}"


@functools.lru_cache(maxsize=64)
def _cmap(path: str, size: int, mtime: int) -> frozenset[int] | None:
    """Every code point a font file maps to a glyph; None when it cannot be read as a font.
    Cached per file and version, since one build asks for the same fonts many times."""
    if size > MAX_FONT_BYTES:
        return None
    try:
        with TTFont(path, lazy=True, fontNumber=0) as font:
            cmap = font.getBestCmap() or {}
            return frozenset(cmap)
    except Exception:  # noqa: BLE001 - any damage means "no characters"; render says more
        return None


def coverage(faces: list[FontFace]) -> frozenset[int]:
    """The code points any of the fonts can draw."""
    covered: set[int] = set()
    for face in faces:
        try:
            stat = face.path.stat()
        except OSError:
            continue
        cmap = _cmap(str(face.path), stat.st_size, stat.st_mtime_ns)
        if cmap:
            covered |= cmap
    return frozenset(covered)


def undrawable(text: str, covered: frozenset[int]) -> list[tuple[str, int, int]]:
    """Each character of `text` no font covers, once, at its first (line, column)."""
    missing = {c for c in set(text) if ord(c) not in covered and not never_printed(c)}
    if not missing:
        return []
    found = []
    for number, line in enumerate(text.split("\n"), start=1):
        for col, char in enumerate(line, start=1):
            if char in missing and not _composes(line, col - 1, covered):
                missing.discard(char)
                found.append((char, number, col))
        if not missing:
            break
    return found


def _composes(line: str, index: int, covered: frozenset[int]) -> bool:
    """True when a combining mark joins the character before it into one the fonts have
    (e + U+0301 is drawn as é)."""
    char = line[index]
    if not unicodedata.category(char).startswith("M") or index == 0:
        return False
    joined = unicodedata.normalize("NFC", line[index - 1] + char)
    return len(joined) == 1 and ord(joined) in covered


def glyph_problems(sources: list[tuple[str, str]], covered: frozenset[int]) -> list[Problem]:
    """A problem for each character of each source file that no font can draw."""
    return [Problem(path, line, col, cannot_draw(char))
            for path, text in sources for char, line, col in undrawable(text, covered)]


def check_glyphs(project: Project, artifacts: list, problems: Collector) -> None:
    """Report every character of the artifacts' sources (and of site.yaml and the glossary,
    which every artifact prints from) that none of their fonts can draw, once per file."""
    from .sheets import stylesheet_paths

    found: dict[Problem, None] = {}
    shared = _shared_sources(project)
    for artifact in artifacts:
        sheets = stylesheet_paths(project, artifact)
        missing = Collector()
        faces = font_faces(sheets, project.allowed_folders, missing)
        found.update(dict.fromkeys(missing.problems))
        # A font that is not there would draw some characters: once it is, check again.
        # With no font at all, the renderer's own error says so.
        if faces and not missing.problems:
            sources = artifact.sources + shared
            covered = coverage(faces)
            # The CJK fonts are large: read their characters only when text needs them.
            if any(needs_cjk(text) for _, text in sources):
                covered = covered | coverage(cjk_faces())
            found.update(dict.fromkeys(glyph_problems(sources, covered)))
        lang = getattr(artifact, "lang", None)
        if rtl_lang(lang):
            path, text = artifact.sources[0]
            line = next((n for n, row in enumerate(text.split("\n"), start=1)
                         if row.startswith("lang:")), None)
            found[Problem(path, line, None,
                          f"lang '{lang}' is written right to left, which guidepress does not "
                          "lay out yet (see README 'Fonts')")] = None
    problems.extend(list(found))


def _shared_sources(project: Project) -> list[tuple[str, str]]:
    """site.yaml and the glossary files, as read."""
    site = read_source(project.root / "site.yaml", "site.yaml", Collector(), project.root)
    return ([("site.yaml", site)] if site is not None else []) + \
        sorted(project.glossary.sources.items())
