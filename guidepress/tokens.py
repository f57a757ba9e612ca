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
