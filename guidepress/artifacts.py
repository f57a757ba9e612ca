"""Prepare stage: turn loaded sources into artifacts, each ready to lay out as HTML."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Callable

from .cheatsheets import CheatSheet
from .convert import Converted, check_guide, convert
from .mdext.callouts import expand_prompts
from .errors import Collector
from .glossary import Glossary
from .guides import Guide
from .layout import LABELS, TemplateProblem, fill, markup
from .mdext.glossary_links import TERM_RE
from .mdext.ids import chapter_id, use_id
from .qr import qr_svg
from .project import Project

#: Paper sizes: the CSS page size and the page height (for the full-bleed cover).
PAPER_CSS = {"a4": ("A4", "296.5mm"), "letter": ("letter", "278.9mm")}
#: The guide pages' margins in mm: (top and bottom, sides). Letter is shorter and wider than
#: A4: its margins give nearly the same text area, so that a guide breaks its pages in nearly
#: the same places on both papers.
PAGE_MARGINS_MM = {"a4": (22, 37), "letter": (16, 39)}

# Term slug -> ids of the glossary links to list in the appendix.
Refs = dict[str, list[str]]


#: Paper sizes in millimetres (width, height).
PAPER_MM = {"a4": (210.0, 297.0), "letter": (215.9, 279.4)}
#: Cheat-sheet page margin and space between columns (mm); cheatsheet.css agrees.
SHEET_MARGIN_MM = 9.0
SHEET_COLUMN_GAP_MM = 5.0


@dataclass
class Artifact:
    """One PDF to make: what it is called, where it reads from and how to write its HTML.

    `make_html` takes keyword arguments that depend on the kind: `refs` for a guide (the
    glossary links to list in its appendix); `measure`, `size`, `columns` and `available`
    for a cheat sheet (see fit.py); `follow_on` for the glossary book (the featured terms
    that start on the page before's last lines instead of a page of their own).
    """

    slug: str
    kind: str
    title: str
    paper: str
    filename: str
    base_url: str
    sources: list[tuple[str, str]]            # (path, text) of its source files
    make_html: Callable[..., str]
    styles: tuple[str, ...] = ("guide.css",)  # stylesheets after tokens.css and fonts.css
    refs: Refs = field(default_factory=dict)  # every glossary link, before de-duplication
    sheet: CheatSheet | None = None           # the source of a cheat sheet, for the fit
    featured: tuple[str, ...] = ()            # the glossary book's featured terms' slugs
    #: the layout's choices when it was last rendered (typeset.py starts from them), and
    #: a hash of what every part of its layout depends on (stylesheets, fonts, tool, paper)
    remembered: dict | None = None
    layout_base: str = ""
    summary: str = ""
    version: str = ""
    updated: dt.date = dt.date(2000, 1, 1)
    reviewed: dt.date | None = None           # its last review for accuracy, when it has one
    inputs: str = ""                          # fingerprint of everything it is made from
    brand: str = ""                           # the brand name in its footer
    lang: str = "en"                          # its language (a BCP 47 code)
    page_label: str = LABELS["page_of"]       # its page footer: "Page {page} of {pages}"
    variant: str = "pdf/ua-1"                 # the PDF variant: pdf/ua-1, or pdf/a-3u too

    @property
    def makes_cover(self) -> bool:
        """The default paper's PDF is the one whose first page becomes the cover image."""
        return self.filename == f"{self.slug}.pdf"

    def paper_css(self) -> str:
        """The page size and cover height for this artifact's paper."""
        size, height = PAPER_CSS[self.paper]
        vertical, sides = PAGE_MARGINS_MM[self.paper]
        return (f"@page {{ size: {size}; margin: {vertical}mm {sides}mm; }}\n"
                f".cover {{ height: {height}; }}\n"
                f":root {{ --page-footer: {self.page_footer()}; }}\n")

    def page_footer(self, pages: int | None = None) -> str:
        """The CSS `content` of its page footer, from its language's label: "Página "
        counter(page) " de " counter(pages); with `pages`, that number instead of the count."""
        total = f'"{pages}"' if pages is not None else "counter(pages)"
        parts = []
        for piece in re.split(r"(\{page\}|\{pages\})", self.page_label):
            if piece == "{page}":
                parts.append("counter(page)")
            elif piece == "{pages}":
                parts.append(total)
            elif piece:
                escaped = piece.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
                parts.append(f'"{escaped}"')
        return " ".join(parts) or '""'

    def measure_css(self) -> str:
        """A page as wide as the paper and very tall, for measuring a cheat sheet's sections.

        The one column measured is a block of its own (flow-root), as a flex item is: the
        same heights, to the pixel, as in the flex row, in about half WeasyPrint's time."""
        width = PAPER_MM[self.paper][0]
        return (f"@page measure {{ size: {width}mm 3000mm; }}\n"
                ".sheet.measure .sheet-columns { display: block; }\n"
                ".sheet.measure .sheet-column { display: flow-root; }\n")


def output_name(slug: str, paper: str, default_paper: str) -> str:
    """dist/<slug>.pdf for the default paper, dist/<slug>-<paper>.pdf for another."""
    return f"{slug}.pdf" if paper == default_paper else f"{slug}-{paper}.pdf"


def prepare_guides(project: Project, slugs: list[str], papers: list[str],
                   problems: Collector) -> list[Artifact]:
    """Convert and check every guide (all of them: links cross guides); return those asked for."""
    colours = project.callout_colours()
    glossaries = {guide.slug: guide_glossary(project, guide) for guide in project.guides}
    converted = {guide.slug: convert(guide.body, glossaries[guide.slug], project.site, colours,
                                     project.templates.labels.for_lang(
                                         guide.meta["lang"] or project.site.lang),
                                     guide.meta["lang"] or project.site.lang)
                 for guide in project.guides}
    artifacts = []
    for guide in project.guides:
        check_guide(guide, converted[guide.slug], glossaries[guide.slug], converted,
                    project.root, problems, project.tokens)
        warn_untranslated(guide, converted[guide.slug], glossaries[guide.slug], problems)
        if guide.slug not in slugs:
            continue
        warn_labels(project, guide.meta["lang"], guide.files[0], problems)
        memo: dict = {}  # the HTML made so far, shared by the guide's papers
        for paper in papers:
            artifacts.append(_guide_artifact(project, guide, converted[guide.slug], paper, memo))
        try:
            # Template errors, before rendering; the HTML is what the first layout reads.
            artifacts[-1].make_html(refs=artifacts[-1].refs, marked=True)
        except TemplateProblem as exc:
            problems.extend([exc.problem])
    return artifacts


def guide_glossary(project: Project, guide: Guide) -> Glossary:
    """The glossary in the guide's language: its links and appendix use that language's
    entries (see Glossary.for_lang)."""
    return project.glossary.for_lang(guide.meta["lang"])


def warn_untranslated(guide: Guide, converted: Converted, glossary: Glossary,
                      problems: Collector) -> None:
    """Warn, at its first link, of each term the guide links that its language's glossary
    shows in English."""
    missing = [slug for slug in converted.uses if slug in glossary.missing]
    if not missing:
        return
    first: dict[str, int] = {}
    for number, line in enumerate(guide.body.split("\n"), start=1):
        for match in TERM_RE.finditer(line):
            slug = glossary.resolve(match.group(1).strip())
            if slug in missing:
                first.setdefault(slug, number)
    for slug in sorted(missing, key=lambda s: first.get(s, 0)):
        path, line = guide.locate(first[slug]) if slug in first else (guide.files[0], None)
        problems.warn(path, line, glossary.fallback(slug))


def prepare_cheatsheets(project: Project, slugs: list[str], papers: list[str],
                        problems: Collector) -> list[Artifact]:
    """One artifact per cheat sheet and paper; its template is tried once at the floor size."""
    artifacts = []
    for sheet in project.cheatsheets:
        if sheet.slug not in slugs:
            continue
        warn_labels(project, sheet.meta["lang"] or project.site.lang, sheet.path, problems)
        for paper in papers:
            artifacts.append(_sheet_artifact(project, sheet, paper))
        try:
            artifacts[-1].make_html(measure=True, size=sheet.floor)
        except TemplateProblem as exc:
            problems.extend([exc.problem])
    return artifacts


def _sheet_artifact(project: Project, sheet: CheatSheet, paper: str) -> Artifact:
    meta = sheet.meta
    doc = {**meta, "lang": meta["lang"] or project.site.lang,
           "date": _w3c(project.artifact_date(meta["updated"])),
           "keywords": meta["keywords"] or [meta["title"]]}
    label = project.templates.labels.for_lang(doc["lang"])["qr"]
    qr = markup(qr_svg(project.site.url, title=fill(label, site=project.site.display_url)))
    # Measuring and final layouts must use the very same column width.
    content = PAPER_MM[paper][0] - 2 * SHEET_MARGIN_MM
    width = (content - (sheet.columns - 1) * SHEET_COLUMN_GAP_MM) / sheet.columns

    def make_html(measure: bool, size: float, columns: list[dict] | None = None,
                  available: float = 0.0) -> str:
        return project.templates.render(
            "cheatsheet.html", site=project.site, doc=doc, sections=sheet.sections,
            measure=measure, size=f"{size:.2f}", columns=columns or [], available=available,
            qr=qr, column_width=f"{width:.3f}mm", column_gap=f"{SHEET_COLUMN_GAP_MM}mm")

    return localised(project, doc["lang"], Artifact(
        slug=sheet.slug, kind="cheatsheet", title=meta["title"], paper=paper,
        filename=output_name(sheet.slug, paper, project.site.paper),
        base_url=(project.root / "cheatsheets").resolve().as_uri() + "/",
        sources=[(sheet.path, sheet.text)] + sheet.glossary_sources, make_html=make_html,
        styles=("guide.css", "cheatsheet.css"), sheet=sheet, summary=meta["summary"],
        version=meta["version"], updated=meta["updated"], reviewed=meta.get("reviewed")))


def prepare_glossary_book(project: Project, papers: list[str],
                          problems: Collector) -> list[Artifact]:
    """The AI Glossary book, when site.yaml describes one."""
    book = project.site.glossary
    if not book:
        return []
    terms = project.glossary.sorted_terms()
    letters = _by_letter(terms)
    labels = project.templates.labels.for_lang(project.site.lang)
    warn_labels(project, project.site.lang, "site.yaml", problems)
    doc = {**book, "lang": project.site.lang, "audience": labels["glossary_audience"],
           "badge": labels["badge_glossary"],
           "date": _w3c(project.artifact_date(book["updated"])),
           "keywords": book["keywords"] or [book["title"]]}

    def make_html(follow_on: frozenset[str] = frozenset()) -> str:
        return project.templates.render(
            "glossary.html", site=project.site, doc=doc, letters=letters,
            alphabet=[chr(c) for c in range(ord("A"), ord("Z") + 1)],
            names={t.slug: t.term for t in terms}, follow_on=follow_on)

    sources = sorted(project.glossary.sources.items()) or [("site.yaml", "")]
    # The book is as fresh as its least recently reviewed featured term.
    reviewed = min((t.featured.reviewed for t in terms if t.featured), default=None)
    artifacts = [localised(project, doc["lang"], Artifact(
        slug=book["slug"], kind="glossary", title=book["title"], paper=paper,
        filename=output_name(book["slug"], paper, project.site.paper),
        base_url=(project.root / "glossary").resolve().as_uri() + "/",
        sources=sources, make_html=make_html, styles=("guide.css", "glossary.css"),
        summary=book["summary"], version=book["version"], updated=book["updated"],
        reviewed=reviewed, featured=tuple(t.slug for t in terms if t.featured)))
        for paper in papers]
    try:
        make_html()
    except TemplateProblem as exc:
        problems.extend([exc.problem])
    return artifacts


def _by_letter(terms: list) -> dict[str, list]:
    """Terms grouped under their first letter, A to Z (anything else under '#')."""
    letters: dict[str, list] = {}
    for term in terms:
        first = term.term[:1].upper()
        letters.setdefault(first if "A" <= first <= "Z" else "#", []).append(term)
    return letters


def _guide_artifact(project: Project, guide: Guide, converted: Converted, paper: str,
                    memo: dict | None = None) -> Artifact:
    meta = guide.meta
    date = project.artifact_date(meta["updated"])
    doc = {**meta, "date": _w3c(date), "keywords": meta["keywords"] or [meta["title"]],
           "badge": project.templates.labels.for_lang(meta["lang"])["badge_guide"]}
    refs = {slug: [use_id(slug, n) for n in range(1, count + 1)]
            for slug, count in sorted(converted.uses.items())}
    glossary = guide_glossary(project, guide)
    terms = sorted((glossary.terms[slug] for slug in refs), key=lambda t: t.sort_key)

    made = {} if memo is None else memo

    def make_html(refs: Refs, spacing: dict[int, str] | None = None,
                  pages: dict[str, int] | None = None, marked: bool = False,
                  whole: bool = False) -> str:
        """The guide's HTML; with `pages` (anchor -> page number), only its glossary appendix
        and back page, with those page numbers printed as they are. Made once for all its
        papers (the paper is a stylesheet); `marked` leaves the prompts unhighlighted, for
        the checks."""
        key = repr((sorted(refs.items()), sorted((spacing or {}).items()),
                    sorted((pages or {}).items()), whole))
        if key not in made:
            if len(made) >= 4:  # the first pass's, and those of the passes after it
                del made[next(iter(made))]
            entries = [{"slug": t.slug, "term": t.term, "short": t.short,
                        "refs": refs.get(t.slug, [])} for t in terms]
            body = converted.marked
            for number, style in (spacing or {}).items():
                anchor = chapter_id(number)
                body = body.replace(f'<section class="chapter" id="{anchor}">',
                                    f'<section class="chapter {style}" id="{anchor}">')
            made[key] = [project.templates.render(
                "guide.html", site=project.site, doc=doc, toc=converted.toc,
                body=markup(body), terms=entries, appendix_only=bool(pages) and not whole,
                pages=pages or {}), None]
        html = made[key]
        if marked:
            return html[0]
        if html[1] is None:  # highlighted once, however many passes lay it out
            html[1] = expand_prompts(html[0], converted.prompts)
        return html[1]

    return localised(project, meta["lang"], Artifact(
        slug=guide.slug, kind="guide", title=meta["title"], paper=paper,
        filename=output_name(guide.slug, paper, project.site.paper),
        base_url=guide.directory.resolve().as_uri() + "/",
        sources=guide.sources + glossary.own_sources, make_html=make_html, refs=refs,
        summary=meta["summary"],
        version=meta["version"], updated=meta["updated"], reviewed=meta.get("reviewed"),
        brand=project.site.name))


def warn_labels(project: Project, lang: str, used_by: str, problems: Collector) -> None:
    """Warn of each label that language `lang` lacks (it prints in English)."""
    project.templates.labels.for_lang(lang, problems, used_by)


def localised(project: Project, lang: str, artifact: Artifact) -> Artifact:
    """The artifact in language `lang`: its page footer from its labels, and the root's
    label files among its sources (an edit to them rebuilds it)."""
    artifact.lang = lang
    artifact.page_label = project.templates.labels.for_lang(lang)["page_of"]
    artifact.sources = (artifact.sources + project.templates.labels.sources(lang)
                        + project.frameworks_source())
    return artifact


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
