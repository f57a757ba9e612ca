"""The downloads page, dist/index.html: a card per guide, sheet and glossary, from the manifest.

Self-contained (styles inline, cover images and PDFs beside it), so it works opened from disk
and served, and reproducible (nothing in it but the manifest's facts). Artifacts are grouped
by language, each card in its own language's words, with a switcher of plain in-page links.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from .artifacts import PAPER_MM
from .layout import Labels, catalogue_code, fill, language_name, longdate, number
from .output import Entry, write_atomic
from .project import Project

PAGE = "index.html"
_ORDER = {"guide": 0, "cheatsheet": 1, "glossary": 2}


def _size(count: int, labels: dict[str, str], lang: str) -> str:
    if count < 1024 * 1024:
        return fill(labels["size_kb"], size=number(round(count / 1024), lang))
    return fill(labels["size_mb"], size=number(count / 1048576, lang, digits=1))


def source_slug(slug: str) -> str:
    """The slug a translation is of: chatgpt.es -> chatgpt (a source is its own)."""
    return slug.split(".", 1)[0]


def cards(entries: list[Entry], default_paper: str, labels: Labels | None = None) -> list[dict]:
    """One card per slug, in its language's words: the default paper's facts, a download
    per paper, and links to the cards of its translations."""
    labels = labels or Labels(Path("/nonexistent"))
    by_slug: dict[str, list[Entry]] = {}
    for entry in entries:
        by_slug.setdefault(entry.slug, []).append(entry)
    result = []
    for slug, group in by_slug.items():
        group.sort(key=lambda e: (e.paper != default_paper, e.paper))
        main = group[0]
        lang = main.lang
        words = labels.for_lang(lang)
        pages = fill(words["page" if main.pages == 1 else "pages"], count=number(main.pages, lang))
        result.append({
            "slug": slug, "kind": main.kind, "lang": lang, "title": main.title,
            "summary": main.summary, "version": main.version, "pages": main.pages,
            "labels": words, "kind_name": words.get(f"kind_{main.kind}", main.kind),
            "pages_text": pages,
            "updated": longdate(dt.date.fromisoformat(main.updated), lang),
            "reviewed": longdate(dt.date.fromisoformat(main.reviewed), lang)
            if main.reviewed else "",
            "cover": main.cover, "cover_alt": fill(words["cover_of"], title=main.title),
            "files": [{"path": e.path, "paper_name": words.get(f"paper_{e.paper}", e.paper),
                       "label": fill(words["download"],
                                     paper=words.get(f"paper_{e.paper}", e.paper),
                                     size=_size(e.bytes, words, lang))} for e in group]})
    result.sort(key=lambda c: (_ORDER.get(c["kind"], 9), c["title"].casefold()))
    for card in result:
        card["translations"] = [
            {"slug": other["slug"], "lang": other["lang"], "name": language_name(other["lang"])}
            for other in sorted(result, key=lambda c: c["lang"])
            if other is not card and source_slug(other["slug"]) == source_slug(card["slug"])]
    return result


def language_groups(found: list[dict], site_lang: str) -> list[dict]:
    """The cards by language: the site's language first, then the others by code."""
    groups: dict[str, dict] = {}
    for card in found:
        code = catalogue_code(card["lang"]) if card["lang"] else "en"
        group = groups.setdefault(card["lang"], {
            "lang": card["lang"], "name": language_name(card["lang"]),
            "anchor": f"gp--lang-{card['lang']}", "code": code, "cards": []})
        group["cards"].append(card)
    return sorted(groups.values(), key=lambda g: (g["lang"] != site_lang, g["lang"]))


def write_downloads_page(out: Path, project: Project, entries: list[Entry]) -> None:
    """Write dist/index.html: a card for every artifact in the manifest, with its cover image
    when one is there (a build of another paper only makes none)."""
    width, height = PAPER_MM[project.site.paper]
    found = cards(entries, project.site.paper, project.templates.labels)
    for card in found:
        if not (out / card["cover"]).is_file():
            card["cover"] = None
    html = project.templates.render(
        "downloads.html", site=project.site, cards=found,
        groups=language_groups(found, project.site.lang), lang=project.site.lang,
        labels=project.templates.labels.for_lang(project.site.lang),
        cover_ratio=f"{width:g} / {height:g}", cover_height=round(600 * height / width))
    write_atomic(out / PAGE, html.encode("utf-8"))
