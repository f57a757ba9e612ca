"""Prepare stage: turn loaded sources into artifacts, each ready to lay out as HTML."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from .convert import Converted, check_guide, convert
from .errors import Collector
from .guides import Guide
from .layout import TemplateProblem, markup
from .project import Project

#: Paper sizes: the CSS page size and the page height, for the full-bleed cover.
PAPER_CSS = {
    "a4": ("A4", "296.5mm"),
    "letter": ("letter", "278.9mm"),
}

# Term slug -> ids of the glossary links to list in the appendix.
Refs = dict[str, list[str]]


@dataclass
class Artifact:
    """One PDF to make: what it is called, where it reads from and how to write its HTML."""

    slug: str
    kind: str
    title: str
    paper: str
    filename: str
    base_url: str
    sources: list[tuple[str, str]]            # (path, text) of its source files
    make_html: Callable[[Refs], str]
    refs: Refs = field(default_factory=dict)  # every glossary link, before de-duplication

    def paper_css(self) -> str:
        """The page size and cover height for this artifact's paper."""
        size, height = PAPER_CSS[self.paper]
        return f"@page {{ size: {size}; }}\n.cover {{ height: {height}; }}\n"


def output_name(slug: str, paper: str, default_paper: str) -> str:
    """dist/<slug>.pdf for the default paper, dist/<slug>-<paper>.pdf for another."""
    return f"{slug}.pdf" if paper == default_paper else f"{slug}-{paper}.pdf"


def prepare_guides(project: Project, slugs: list[str], paper: str,
                   problems: Collector) -> list[Artifact]:
    """Convert and check every guide (all of them: links cross guides); return those asked for."""
    converted = {guide.slug: convert(guide.body, project.glossary, project.site)
                 for guide in project.guides}
    artifacts = []
    for guide in project.guides:
        check_guide(guide, converted[guide.slug], project.glossary, converted,
                    project.root, problems)
        if guide.slug not in slugs:
            continue
        artifact = _guide_artifact(project, guide, converted[guide.slug], paper)
        try:
            artifact.make_html(artifact.refs)  # template errors surface before any rendering
        except TemplateProblem as exc:
            problems.extend([exc.problem])
        artifacts.append(artifact)
    return artifacts


def _guide_artifact(project: Project, guide: Guide, converted: Converted, paper: str) -> Artifact:
    meta = guide.meta
    date = project.artifact_date(meta["updated"])
    doc = {**meta, "date": _w3c(date), "keywords": meta["keywords"] or [meta["title"]]}
    refs = {slug: [f"use-{slug}-{n}" for n in range(1, count + 1)]
            for slug, count in sorted(converted.uses.items())}
    terms = sorted((project.glossary.terms[slug] for slug in refs), key=lambda t: t.sort_key)

    def make_html(chosen: Refs) -> str:
        entries = [{"slug": t.slug, "term": t.term, "short": t.short,
                    "refs": chosen.get(t.slug, [])} for t in terms]
        return project.templates.render(
            "guide.html", site=project.site, doc=doc, toc=converted.toc,
            body=markup(converted.html), terms=entries)

    sources = [(path, (project.root / path).read_text(encoding="utf-8")) for path in guide.files]
    return Artifact(
        slug=guide.slug, kind="guide", title=meta["title"], paper=paper,
        filename=output_name(guide.slug, paper, project.site.paper),
        base_url=guide.directory.resolve().as_uri() + "/",
        sources=sources, make_html=make_html, refs=refs)


def _w3c(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def dedupe_refs(refs: Refs, pages: dict[str, int]) -> Refs:
    """Keep one link to each term per page, in page order, so each page is listed once."""
    chosen: Refs = {}
    for slug, ids in refs.items():
        first_on_page: dict[int, str] = {}
        for anchor in ids:
            page = pages.get(anchor)
            if page is not None:
                first_on_page.setdefault(page, anchor)
        chosen[slug] = [first_on_page[page] for page in sorted(first_on_page)]
    return chosen
