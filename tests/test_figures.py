"""Explanatory figures: SVG drawn here, brand-coloured, real text at a readable size, greyscale-safe.

Every SVG figure of the shipped guides and glossary is held to the rules in docs/authoring.md
("Figures"): colours only as brand tokens, text in the bundled fonts (every character drawable)
at 8 pt or more when printed, WCAG contrast of 4.5:1 between each text and what lies under it
(a luminance contrast: it holds in greyscale too), and the words searchable in the PDF.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from xml.etree import ElementTree

import pytest
from fontTools.ttLib import TTFont

from guidepress.errors import Collector
from guidepress.glossary import load_glossary
from guidepress.project import PROJECT_DIR
from guidepress.tokens import load_tokens, svg_colours
from conftest import GUIDE, make_project, run
from pdfcheck import open_pdf, text

SVG = "{http://www.w3.org/2000/svg}"
TOKENS = load_tokens(PROJECT_DIR / "styles" / "tokens.css")
FONTS = PROJECT_DIR / "styles" / "fonts"
FACES = {("Guide Text", False): "lato/Lato-Regular.ttf", ("Guide Text", True): "lato/Lato-Bold.ttf",
         ("Guide Heading", False): "manrope/Manrope-SemiBold.ttf",
         ("Guide Heading", True): "manrope/Manrope-Bold.ttf",
         ("Guide Mono", False): "jetbrains-mono/JetBrainsMono-Regular.ttf",
         ("Guide Mono", True): "jetbrains-mono/JetBrainsMono-Bold.ttf"}
#: A figure is drawn at its own width, 480 CSS px = 360 pt, when the column is wider:
#: one SVG unit prints as 0.75 pt.
POINTS_PER_UNIT = 0.75
_IMAGE_RE = re.compile(r"^!\[([^\]]*)\]\(([^)\s]+\.svg)(?:\s+\"([^\"]*)\")?\)\s*$", re.M)
_COLOUR_ATTRS = ("fill", "stroke", "stop-color", "color", "flood-color")


def guide_figures() -> dict[str, list[tuple[str, str, str]]]:
    """Each shipped guide's figures: (alt, file, caption)."""
    return {path.stem: _IMAGE_RE.findall(path.read_text(encoding="utf-8"))
            for path in sorted((PROJECT_DIR / "guides").glob("*.md"))}


def figure_files() -> list[Path]:
    files = {PROJECT_DIR / "guides" / src for figures in guide_figures().values()
             for _, src, _ in figures}
    glossary = load_glossary(PROJECT_DIR, Collector())
    files |= {t.featured.diagram.path for t in glossary.terms.values() if t.featured}
    return sorted(files)


def test_every_guide_has_at_least_three_figures_each_with_alt_text_and_a_caption():
    for slug, figures in guide_figures().items():
        if "." in slug:
            continue  # a translation: held to its source guide's figures below
        assert len(figures) >= 3, slug
        for alt, src, caption in figures:
            assert len(alt.split()) >= 6, (slug, src, "alt text describes the picture")
            assert caption.strip(), (slug, src, "caption")
            assert (PROJECT_DIR / "guides" / src).is_file(), (slug, src)


def _style(element) -> dict[str, str]:
    style = dict(element.attrib)
    for part in (element.get("style") or "").split(";"):
        if ":" in part:
            key, value = part.split(":", 1)
            style[key.strip()] = value.strip()
    return style


def _texts(root):
    """Every text run: (its words, its inherited style, its anchor point), tspans inherited."""
    def walk(element, inherited, offset):
        style = {**inherited, **{k: v for k, v in _style(element).items()
                                 if k in ("fill", "font-size", "font-family", "font-weight")}}
        transform = element.get("transform") or ""
        moved = re.match(r"translate\(\s*([-\d.]+)[\s,]*([-\d.]*)\s*\)", transform)
        if moved:
            offset = (offset[0] + float(moved.group(1)),
                      offset[1] + float(moved.group(2) or 0))
        elif transform:
            raise AssertionError(f"only translate() transforms are expected, not {transform}")
        if element.tag == SVG + "text":
            x, y = float(element.get("x", 0)), float(element.get("y", 0))
            yield "".join(element.itertext()), style, (offset[0] + x, offset[1] + y), element
            for span in element.iter(SVG + "tspan"):
                yield from ((span.text or "", {**style, **_style(span)},
                             (offset[0] + float(span.get("x", x)), offset[1] + y), span),)
            return
        for child in element:
            yield from walk(child, style, offset)
    yield from walk(root, {}, (0.0, 0.0))


def _shapes(root):
    """Filled rectangles and circles in painting order, with their boxes."""
    def walk(element, offset):
        moved = re.match(r"translate\(\s*([-\d.]+)[\s,]*([-\d.]*)\s*\)",
                         element.get("transform") or "")
        if moved:
            offset = (offset[0] + float(moved.group(1)), offset[1] + float(moved.group(2) or 0))
        tag = element.tag.replace(SVG, "")
        fill = _style(element).get("fill")
        if tag == "defs":
            return
        if fill and fill != "none" and tag in ("rect", "circle", "ellipse"):
            if tag == "rect":
                x, y = float(element.get("x", 0)), float(element.get("y", 0))
                box = (x, y, x + float(element.get("width")), y + float(element.get("height")))
            else:
                cx, cy = float(element.get("cx", 0)), float(element.get("cy", 0))
                rx = float(element.get("r") or element.get("rx"))
                ry = float(element.get("r") or element.get("ry"))
                box = (cx - rx, cy - ry, cx + rx, cy + ry)
            box = (box[0] + offset[0], box[1] + offset[1], box[2] + offset[0], box[3] + offset[1])
            yield box, fill
        for child in element:
            yield from walk(child, offset)
    yield from walk(root, (0.0, 0.0))


def _luminance(colour: str) -> float:
    value = colour.lstrip("#")
    if len(value) == 3:
        value = "".join(c * 2 for c in value)
    channels = [int(value[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _resolved(value: str) -> str:
    return svg_colours(value.encode(), TOKENS).decode()


def test_a_translation_shows_its_figures_in_its_language():
    figures = guide_figures()
    for slug in figures:
        if "." in slug:
            source = figures[slug.split(".")[0]]
            lang = slug.split(".")[1]
            assert len(figures[slug]) == len(source)
            assert all(f"/{lang}/" in src for _, src, _ in figures[slug]), slug


@pytest.mark.parametrize("path", figure_files(), ids=lambda p: p.name)
def test_a_figure_follows_the_drawing_rules(path):
    source = path.read_text(encoding="utf-8")
    root = ElementTree.fromstring(source)
    assert root.get("viewBox", "").split()[:3] == ["0", "0", "480"] and root.get("width") == "480"
    for element in root.iter():
        tag = element.tag.replace(SVG, "")
        assert tag not in ("image", "foreignObject", "style", "script", "filter"), tag
        for name, value in _style(element).items():
            if name in _COLOUR_ATTRS and value not in ("none", "currentColor"):
                assert re.fullmatch(r"var\(--[\w-]+\)", value), (path.name, name, value)
                assert value[6:-1] in TOKENS, (path.name, value)
            assert name not in ("opacity", "fill-opacity") or tag != "text", path.name
    runs = list(_texts(root))
    assert runs, f"{path.name} has no text"
    shapes = list(_shapes(root))
    for words, style, (x, y), element in runs:
        if not words.strip():
            continue
        size = float(style.get("font-size", "16").replace("px", ""))
        assert size * POINTS_PER_UNIT >= 8, (path.name, words, size)
        family = style.get("font-family", "Guide Text").strip("'\"")
        heavy = style.get("font-weight", "400") in ("700", "800", "bold")
        face = FONTS / FACES[(family, heavy)]
        cmap = _cmap(face)
        missing = [c for c in words if not c.isspace() and ord(c) not in cmap]
        assert not missing, (path.name, words, missing)
        # What lies under the text's middle: the last filled shape painted there.
        middle = y - size * 0.35
        under = "var(--paper)"
        for (left, top, right, bottom), fill in shapes:
            if left <= x <= right and top <= middle <= bottom:
                under = fill
        colour = _resolved(style.get("fill", "var(--ink)"))
        assert contrast(colour, _resolved(under)) >= 4.5, (path.name, words, colour, under)


_CMAPS: dict[Path, set[int]] = {}


def _cmap(face: Path) -> set[int]:
    if face not in _CMAPS:
        _CMAPS[face] = set(TTFont(face, lazy=True).getBestCmap())
    return _CMAPS[face]


def test_every_figures_words_are_real_text_in_the_pdf(catalogue):
    manifest = json.loads((catalogue / "manifest.json").read_text())
    paths = {a["slug"]: catalogue / a["path"] for a in manifest["artifacts"]
             if a["paper"] == "a4"}
    for slug, figures in guide_figures().items():
        reader = open_pdf(paths[slug])
        pages = [" ".join(text(reader, n).split()) for n in range(1, len(reader.pages) + 1)]
        everything = " ".join(pages)
        for _, src, caption in figures:
            root = ElementTree.fromstring((PROJECT_DIR / "guides" / src).read_bytes())
            for element in root.iter(SVG + "text"):
                words = " ".join("".join(element.itertext()).split())
                for piece in ([(element.text or "").strip()] +
                              [(s.text or "").strip() for s in element.iter(SVG + "tspan")]):
                    piece = " ".join(piece.split())
                    if piece:
                        assert piece in everything, (slug, src, piece, words)
            # the caption is printed on the figure's own page, never split from it
            caption = " ".join(caption.split())
            [page] = [p for p in pages if caption in p] or [""]
            first = next(" ".join(t.split()) for e in root.iter()
                         if e.tag in (SVG + "text", SVG + "tspan") for t in [e.text or ""]
                         if t.strip())
            assert first in page, (slug, src, "caption away from its figure")


def test_a_rebrand_recolours_the_figures(tmp_path, capsys):
    figure = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 480 120" width="480" '
              'height="120"><rect x="0" y="0" width="480" height="120" fill="var(--accent)"/>'
              '<text x="20" y="60" font-family="Guide Text" font-size="14" '
              'fill="var(--paper)">Brand colour</text></svg>')
    guide = GUIDE.replace("## A section",
                          '![A wide band in the accent colour](figures/band.svg "The band.")'
                          "\n\n## A section")
    files = {"guides/alpha.md": guide, "guides/figures/band.svg": figure}
    plain = make_project(tmp_path / "plain", files)
    rebrand = make_project(tmp_path / "rebrand", {
        **files, "styles/tokens.css": ":root { --accent: #b00020; }\n"})
    pixels = {}
    for root in (plain, rebrand):
        assert run(capsys, "build", "--root", str(root), "-q")[0] == 0
        pixels[root.name] = _colour_count(root / "dist" / "alpha.pdf", (0xb0, 0x00, 0x20))
    assert pixels["plain"] == 0 and pixels["rebrand"] > 5000


def _colour_count(pdf: Path, rgb: tuple[int, int, int]) -> int:
    import pypdfium2
    document = pypdfium2.PdfDocument(str(pdf))
    count = 0
    for page in document:
        data = page.render(scale=1).to_pil().convert("RGB").tobytes()
        count += sum(1 for i in range(0, len(data), 3)
                     if all(abs(data[i + k] - rgb[k]) <= 6 for k in range(3)))
    return count


def _bad_colour_figure(tmp_path):
    """A project whose guide shows an SVG with a colour that is no brand token (line 2)."""
    figure = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 480 120" width="480" '
              'height="120">\n<rect width="480" height="120" fill="var(--brand-blue)"/>\n'
              '</svg>\n')
    guide = GUIDE.replace("## A section", '![A band](figures/band.svg "The band.")\n\n'
                                          "## A section")
    return make_project(tmp_path / "site", {"guides/alpha.md": guide,
                                            "guides/figures/band.svg": figure})


def test_a_figure_colour_that_is_no_brand_token_is_a_problem_at_its_line(tmp_path, capsys):
    root = _bad_colour_figure(tmp_path)
    code, _, err = run(capsys, "check", "--root", str(root))
    assert code == 1
    assert "guides/figures/band.svg:2: the colour var(--brand-blue) is not a brand token in " \
           "styles/tokens.css" in err


def test_a_bad_shared_figure_stops_a_build_of_one_named_guide(tmp_path, capsys):
    root = _bad_colour_figure(tmp_path)
    code, _, err = run(capsys, "build", "--root", str(root), "alpha", "-q")
    assert code == 1 and "guides/figures/band.svg:2: the colour var(--brand-blue)" in err
    assert not (root / "dist" / "alpha.pdf").exists()
