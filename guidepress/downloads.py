"""The downloads page, dist/index.html: a card per guide, sheet and glossary, from the manifest.

Self-contained (styles inline, cover images and PDFs beside it), so it works opened from disk
and served, and reproducible (nothing in it but the manifest's facts).
"""

from __future__ import annotations

import datetime as dt

import jinja2

from . import __version__
from .artifacts import PAPER_MM
from .config import Site
from .layout import LABELS, longdate
from .output import Entry, read_manifest, write_atomic
from .project import PROJECT_DIR

PAGE = "index.html"
KINDS = {"guide": "Guide", "cheatsheet": "Cheat sheet", "glossary": "Glossary"}
PAPER_NAMES = {"a4": "A4", "letter": "Letter"}
_ORDER = {"guide": 0, "cheatsheet": 1, "glossary": 2}


def _size(count: int) -> str:
    return f"{count / 1024:.0f} KB" if count < 1024 * 1024 else f"{count / 1048576:.1f} MB"


def cards(entries: list[Entry], default_paper: str) -> list[dict]:
    """One card per slug: the default paper's facts, a download per paper."""
    by_slug: dict[str, list[Entry]] = {}
    for entry in entries:
        by_slug.setdefault(entry.slug, []).append(entry)
    result = []
    for slug, group in by_slug.items():
        group.sort(key=lambda e: (e.paper != default_paper, e.paper))
        main = group[0]
        result.append({
            "slug": slug, "kind": main.kind, "title": main.title, "summary": main.summary,
            "version": main.version, "pages": main.pages,
            "updated": longdate(dt.date.fromisoformat(main.updated)),
            "cover": main.cover,
            "files": [{"path": e.path, "paper_name": PAPER_NAMES.get(e.paper, e.paper),
                       "size": _size(e.bytes)} for e in group]})
    result.sort(key=lambda c: (_ORDER.get(c["kind"], 9), c["title"].casefold()))
    return result


def render_downloads_page(entries: list[Entry], site: Site, tokens: dict[str, str]) -> str:
    """The HTML of the downloads page."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(PROJECT_DIR / "templates")),
                             autoescape=True, undefined=jinja2.StrictUndefined)
    width, height = PAPER_MM[site.paper]
    return env.get_template("downloads.html").render(
        site=site, cards=cards(entries, site.paper), kinds=KINDS, tokens=tokens,
        labels={**LABELS, "downloads": "free downloads", "cover_of": "Cover of",
                "pages": "pages", "page": "page"},
        tool_version=__version__, cover_ratio=f"{width:g} / {height:g}",
        cover_height=round(600 * height / width))


def write_downloads_page(out, site: Site, tokens: dict[str, str]) -> None:
    """Write dist/index.html from dist/manifest.json."""
    entries = [e for e in read_manifest(out).values() if (out / e.cover).is_file()]
    write_atomic(out / PAGE, render_downloads_page(entries, site, tokens).encode("utf-8"))
