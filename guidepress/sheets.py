"""The stylesheets of an artifact, in the order they apply: known without rendering."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .project import PROJECT_DIR, Project

if TYPE_CHECKING:
    from .artifacts import Artifact

STYLESHEETS = ("tokens.css", "fonts.css")


@dataclass(frozen=True)
class Stylesheet:
    """A stylesheet from a file (its fonts and images resolve next to it) or from a string."""

    path: Path | None = None
    text: str | None = None


def stylesheet_paths(project: Project, artifact: Artifact) -> list[Path]:
    """fonts.css, tokens.css, then the root's own and the artifact's stylesheets, once each."""
    # The bundled fonts always load first: with no font at all, Pango crashes the process.
    # The project's tokens come next, so that a root's own tokens.css may set only a few.
    ours = PROJECT_DIR / "styles"
    paths = [ours / "fonts.css", ours / "tokens.css"]
    paths += [project.stylesheet(name) for name in (*STYLESHEETS, *artifact.styles)]
    return list(dict.fromkeys(paths))


def stylesheets_for(project: Project, artifact: Artifact) -> list[Stylesheet]:
    """The artifact's stylesheet files, then the code colours and its paper size."""
    from .highlight import highlight_css  # Pygments: only to render

    sheets = [Stylesheet(path=path) for path in stylesheet_paths(project, artifact)]
    return sheets + [Stylesheet(text=highlight_css()), Stylesheet(text=artifact.paper_css())]
