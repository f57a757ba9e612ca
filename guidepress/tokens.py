"""Brand tokens: the CSS custom properties of styles/tokens.css, for places CSS cannot reach.

WeasyPrint draws inline SVG without inheriting CSS colours (`currentColor` comes out black),
so icons and cover art take their colours from here: still one file to edit for a rebrand.
"""

from __future__ import annotations

import re
from pathlib import Path

_PROPERTY_RE = re.compile(r"--([\w-]+)\s*:\s*([^;]+);")

#: The token that colours each callout kind (styles/guide.css uses the same ones).
CALLOUT_TONES = {"note": "note", "tip": "support", "warning": "warm", "takeaways": "accent",
                 "example": "violet", "prompt": "accent", "glance": "support"}


def brand_tokens(root: Path, project_styles: Path) -> dict[str, str]:
    """The project's tokens, overridden by those of the root's own styles/tokens.css."""
    tokens = load_tokens(project_styles / "tokens.css")
    own = root / "styles" / "tokens.css"
    return {**tokens, **load_tokens(own)} if own.is_file() else tokens


def load_tokens(path: Path) -> dict[str, str]:
    """Every `--name: value;` of a tokens stylesheet, without comments."""
    text = re.sub(r"/\*.*?\*/", "", path.read_text(encoding="utf-8"), flags=re.S)
    return {name: value.strip() for name, value in _PROPERTY_RE.findall(text)}


#: `var(--name)` or `var(--name, fallback)` in an SVG file's attributes and styles.
SVG_VAR_RE = re.compile(r"var\(\s*--([\w-]+)\s*(?:,\s*([^()]*?))?\s*\)")


def svg_colours(body: bytes, tokens: dict[str, str]) -> bytes:
    """An SVG file with each `var(--name)` replaced by the brand token's value, so figures
    drawn here recolour with tokens.css (WeasyPrint's SVG renderer knows no custom
    properties). A name the tokens lack keeps its fallback, or becomes black; `check` reports
    it at its line first (`unknown_svg_tokens`)."""
    if b"var(" not in body:
        return body

    def value(match: re.Match) -> str:
        return tokens.get(match.group(1)) or (match.group(2) or "#000000").strip()

    return SVG_VAR_RE.sub(value, body.decode("utf-8")).encode("utf-8")


def unknown_svg_tokens(text: str, tokens: dict[str, str]) -> list[tuple[int, str]]:
    """(line, name) of every `var(--name)` in an SVG's text that no token defines."""
    found = []
    for number, line in enumerate(text.split("\n"), start=1):
        found += [(number, m.group(1)) for m in SVG_VAR_RE.finditer(line)
                  if m.group(1) not in tokens and not m.group(2)]
    return found
