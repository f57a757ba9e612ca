"""The downloads page, dist/index.html: a card per guide, sheet and glossary, from the manifest.

Self-contained (styles inline, cover images and PDFs beside it), so it works opened from disk
and served, and reproducible (nothing in it but the manifest's facts).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from .artifacts import PAPER_MM
from .layout import longdate
from .output import Entry, write_atomic
from .project import Project

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


def write_downloads_page(out: Path, project: Project, entries: list[Entry]) -> None:
    """Write dist/index.html: a card for every artifact in the manifest, with its cover image
    when one is there (a build of another paper only makes none)."""
    width, height = PAPER_MM[project.site.paper]
    found = cards(entries, project.site.paper)
    for card in found:
        if not (out / card["cover"]).is_file():
            card["cover"] = None
    html = project.templates.render(
        "downloads.html", site=project.site, cards=found, kinds=KINDS,
        cover_ratio=f"{width:g} / {height:g}", cover_height=round(600 * height / width))
    write_atomic(out / PAGE, html.encode("utf-8"))
