"""Render stage: lay out one artifact with WeasyPrint, as many passes as its kind needs.

A guide is laid out again when a chapter would end on a nearly empty page (its spacing
searched with the chapter alone), and when a glossary entry would list a page twice; the
glossary book when a featured term's own page would strand a few lines before it; a cheat
sheet's type size is fitted to one page.
"""

from __future__ import annotations

import functools
import gc
import hashlib
import re

from .artifacts import PAPER_MM, SHEET_MARGIN_MM, Artifact, Refs, dedupe_refs
from .errors import Problem, RenderError
from .fit import PX_PER_MM, Fit, Measure, Overflow, fit
from .mdext.ids import GLOSSARY, RESERVED, chapter_number
from .project import Project
from .sheets import STYLESHEETS, stylesheets_for  # noqa: F401 - where callers find them
from .render import (Renderer, RenderLog, Stylesheet, anchor_pages, glyph_problems,
                     page_fill, with_cjk_fonts)

#: The smallest gap between two cheat-sheet sections, in em of the chosen size.
SHEET_GAP_EM = 0.75


def render_pdf(artifact: Artifact, renderer: Renderer,
               stylesheets: list[Stylesheet]) -> tuple[bytes, int, RenderLog]:
    """Lay out one artifact, in as many passes as its kind needs, and draw its PDF."""
    log = RenderLog()
    fetcher = renderer.new_fetcher()
    note = ""
    try:
        if artifact.kind == "cheatsheet":
            document, chosen = layout_sheet(artifact, renderer, stylesheets, log, fetcher)
            note = f"{chosen.size:.2f} pt after {chosen.passes} layout passes"
        elif artifact.kind == "guide":
            document = layout_guide(artifact, renderer, stylesheets, log, fetcher)
        elif artifact.kind == "glossary":
            document = layout_book(artifact, renderer, stylesheets, log, fetcher)
        else:
            document = renderer.layout(artifact.make_html(), artifact.base_url, stylesheets,
                                       log, fetcher)
    except Overflow as exc:
        raise RenderError([overflow_problem(artifact, exc)]) from exc
    _raise_problems(artifact, fetcher, log)  # before drawing: a refused file is final
    pages = len(document.pages)
    drawn = renderer.draw(document, log, artifact.variant)
    document = None  # the laid-out pages go before the PDF is tagged: a quarter less memory
    _let_go()
    _raise_problems(artifact, fetcher, log)  # characters without a glyph show when drawn
    log.note = note
    return renderer.finish(drawn, artifact.variant), pages, log


def _let_go() -> None:
    """Free what the caller has just dropped (set to None first): a laid-out document holds
    reference cycles, which Python's collector would free only some time later. For a long
    guide that is hundreds of MiB, held while the next layout or the PDF is made."""
    gc.collect()


def _raise_problems(artifact: Artifact, fetcher, log: RenderLog) -> None:
    """Turn refused reads, missing glyphs and WeasyPrint's errors into located problems."""
    source = artifact.sources[0][0]
    problems = [Problem(source, None, None,
                        f"refused to read '{url}': only files inside the content root, "
                        f"templates/ and styles/ may be read")
                for url in dict.fromkeys(fetcher.refused)]
    problems += [Problem(source, None, None, message)
                 for message in dict.fromkeys(fetcher.damaged.values())]
    problems += glyph_problems(artifact.sources, log.missing_glyphs)
    # WeasyPrint's own line for a file the fetcher refused (outside the allowed folders, or a
    # damaged image) says less, in Python's words ("ValueError: ..."): drop it.
    problems += [Problem(source, None, None, message) for message in dict.fromkeys(log.errors)
                 if not any(url in message for url in (*fetcher.damaged, *fetcher.refused))]
    if problems:
        raise RenderError(problems)


#: A chapter whose last page would be less full than this is set a little tighter (or, if
#: that is not enough, a little looser), so that no chapter ends on a page of a few lines.
CHAPTER_END_FILL = 0.3
SPACINGS = ("tight", "tighter", "loose")


def layout_guide(artifact: Artifact, renderer: Renderer, sheets: list[Stylesheet],
                 log: RenderLog, fetcher) -> "object":
    """Lay out a guide: again if a chapter ends on a nearly empty page (trying tighter, then
    looser spacing for that chapter), and again if a glossary entry would list a page twice.

    A chapter starts a page, so how it ends depends on its own content alone: a chapter
    whose HTML is what it was when its spacing was chosen (`artifact.remembered`, keyed by
    the chapter's hash) starts from that choice, and the search goes on from there as it
    would from nothing, so the result is the same. A chapter that ends short has its next
    spacings tried with it laid out alone (`chapter_alone`), and the whole guide is laid out
    once more: two whole passes, not one per step. `log.decisions` says what was chosen.

    A page listed twice is settled by laying out the appendix alone with the fewer links
    (`splice_appendix`), its page numbers printed as they are. What that settled is
    remembered too: the pages the links and the appendix landed on. A rebuild lays the guide
    out once with the lists those pages give, the appendix printing those numbers (the bytes
    the splice makes), and keeps it when the links and the appendix land on the same pages:
    the chapters come first, so a build from nothing would have found the same pages and
    chosen the same lists, whatever the appendix says (an edited definition).
    """
    full = artifact.refs  # every glossary link: the appendix lists a page once
    first = artifact.make_html(refs=full, marked=True)
    keys = chapter_keys(first, artifact.layout_base)
    remembered = artifact.remembered or {}
    spacing = {number: style for number, key in keys.items()
               if (style := _remembered_style(remembered.get("chapters", {}).get(str(number)),
                                              key))}
    # The pages the links landed on the build before (with the same stylesheets, fonts and
    # tool), checked below once the guide is laid out.
    key = appendix_key(artifact.layout_base)
    settled = _remembered_appendix(remembered.get("appendix"), full, key)
    refs, numbers = full, None
    if settled:
        refs = dedupe_refs(full, settled["pages"])
        numbers = printed_pages(refs, settled["pages"])

    # The CJK fonts, when the guide needs them, for its chapters laid out alone too.
    sheets = with_cjk_fonts(first, sheets)

    def layout():
        # With `numbers`, the appendix prints those page numbers, as the spliced one does.
        html = artifact.make_html(refs=refs, spacing=spacing, pages=numbers, whole=True) \
            if numbers else artifact.make_html(refs=refs, spacing=spacing)
        return renderer.layout(html, artifact.base_url, sheets, log, fetcher)

    document = layout()
    for _ in SPACINGS:
        # A chapter already at the last spacing stays there however it ends.
        short = [n for n in short_chapter_ends(document) if spacing.get(n) != SPACINGS[-1]]
        if not short:
            break
        # Each short chapter's next spacings are tried with it laid out alone (a few pages,
        # not the whole guide); then the whole guide once more, which ends the loop unless a
        # chapter's end did depend on another.
        whole = artifact.make_html(refs=full)  # unspaced: each chapter's spacing is tried
        for number in short:
            spacing[number] = _search_alone(whole, number, spacing.get(number), renderer,
                                            artifact.base_url, sheets, log, fetcher)
        document = None  # the last layout goes before the next is made: half the memory
        _let_go()
        document = layout()
    log.decisions = {"chapters": {str(n): [keys[n], style] for n, style in spacing.items()
                                  if n in keys}}
    if settled:
        # The chapters come before the appendix, so their links land where they would with
        # every link listed: the same pages mean the same lists as a build from nothing.
        if _link_pages(anchor_pages(document), full) == settled["pages"]:
            log.decisions["appendix"] = settled
            return document
        refs, numbers = full, None  # they moved: settle it again, as from nothing
        document = None
        _let_go()
        document = layout()
    if refs:
        pages = anchor_pages(document)
        chosen = dedupe_refs(refs, pages)
        if chosen != refs:
            refs, numbers = chosen, printed_pages(chosen, pages)
            # The appendix comes last, so its new length moves no page before it: lay out
            # the appendix alone and put it in place of the first one. Where that would
            # change the page count (or a root's own template has no appendix of ours), the
            # whole guide again, with the same lists and numbers: the same pages either way.
            joined = None if numbers is None else splice_appendix(
                artifact, renderer, sheets, log, fetcher, document, refs, spacing, numbers,
                pages[GLOSSARY])
            if joined is None:
                document = None
                _let_go()
                document = layout()
            else:
                document = joined
            log.decisions["appendix"] = {"key": key, "pages": _link_pages(pages, full)}
    return document


def printed_pages(refs: Refs, pages: dict[str, int | None]) -> dict[str, int] | None:
    """The page number the appendix prints for each of `refs`' links, as laid out in
    `pages`; None when the guide has no appendix of ours (a root's own template), whose
    lists then keep their target-counter()s."""
    if pages.get(GLOSSARY) is None:
        return None
    return {anchor: pages[anchor] for ids in refs.values() for anchor in ids}


def appendix_key(base: str) -> str:
    """What the remembered appendix depends on besides its links' pages, which are checked
    once the guide is laid out: the stylesheets, fonts, tool and paper (`base`)."""
    return document_key("appendix", base)


def _link_pages(pages: dict[str, int], refs: Refs) -> dict[str, int | None]:
    """The page of each glossary link and of the appendix's start (None: not laid out)."""
    links = {anchor: pages.get(anchor) for ids in refs.values() for anchor in ids}
    return {**links, GLOSSARY: pages.get(GLOSSARY)}


def _remembered_appendix(entry, refs: Refs, key: str) -> dict | None:
    """The pages a guide's links and appendix landed on the build before, when laid out with
    the same stylesheets, fonts and tool and naming today's links; None otherwise."""
    if not isinstance(entry, dict) or entry.get("key") != key:
        return None
    pages = entry.get("pages")
    wanted = {anchor for ids in refs.values() for anchor in ids} | {GLOSSARY}
    if not isinstance(pages, dict) or set(pages) != wanted or not all(
            page is None or (isinstance(page, int) and not isinstance(page, bool))
            for page in pages.values()):
        return None
    if dedupe_refs(refs, pages) == refs:
        return None  # nothing was listed twice: not what we write
    return {"key": key, "pages": pages}


def _search_alone(html: str, number: int, style: str | None, renderer: Renderer,
                  base_url: str, sheets: list[Stylesheet], log: RenderLog, fetcher) -> str:
    """The spacing for chapter `number` that the whole-guide search would choose, found by
    laying out the chapter alone: the next spacing after `style` (the one it ends short at)
    until its last page is full enough or the spacing is the last one."""
    while True:
        style = SPACINGS[SPACINGS.index(style) + 1] if style else SPACINGS[0]
        alone = chapter_alone(html, number, style)
        if alone is None:  # not found in the HTML (a root's own template): the whole guide
            return style
        document = renderer.layout(alone, base_url, sheets, log, fetcher)
        log.part_passes += 1
        pages = document.pages
        if style == SPACINGS[-1] or len(pages) < 2 \
                or page_fill(pages[-1]) >= CHAPTER_END_FILL:
            return style


def chapter_spans(html: str) -> dict[int, tuple[int, int]]:
    """Where each chapter's HTML starts and ends (up to the next chapter, or `</main>`)."""
    starts = [(m.start(), chapter_number(m.group(1))) for m in _CHAPTER_RE.finditer(html)]
    spans = {}
    for (start, number), (end, _) in zip(starts, [*starts[1:], (len(html), None)]):
        closing = html.find("</main>", start, end)  # the last chapter: not the appendix
        if number is not None:
            spans[number] = (start, closing if closing >= 0 else end)
    return spans


def chapter_alone(html: str, number: int, style: str | None) -> str | None:
    """The guide's HTML with chapter `number` alone in it, at spacing `style` (None: the
    usual one): the same head, body and `<main>` (so the same rules apply), its footnotes
    numbered on from the chapters before it. None when the HTML has no such chapter."""
    frame = _frame(html)
    if frame is None or number not in frame[3]:
        return None
    head, main, main_end, spans = frame
    start, end = spans[number]
    chapter = html[start:end]
    if style:
        chapter = chapter.replace('<section class="chapter" ',
                                  f'<section class="chapter {style}" ', 1)
    before = html.count("<gp-footnote", main_end, start)
    return (f'{head}\n{main[:-1]} style="counter-reset: footnote {before}">\n{chapter}'
            "</main>\n</body>\n</html>\n")


@functools.lru_cache(maxsize=2)
def _frame(html: str) -> tuple[str, str, int, dict[int, tuple[int, int]]] | None:
    """A guide's HTML up to its `<body>` tag, its `<main>` tag and where that ends, and its
    chapters' spans: found once for every chapter and spacing tried (a string keeps its
    hash, so the cache costs one pass over the HTML)."""
    body = re.search(r"<body[^>]*>", html)
    main = re.search(r'<main class="chapters"[^>]*>', html)
    if body is None or main is None:
        return None
    return html[:body.end()], main.group(0), main.end(), chapter_spans(html)


def _remembered_style(entry, key: str) -> str | None:
    """The spacing remembered for a chapter, when its HTML has not changed since."""
    if isinstance(entry, list) and len(entry) == 2 and entry[0] == key \
            and entry[1] in SPACINGS:
        return entry[1]
    return None


_CHAPTER_RE = re.compile(r'<section class="chapter" id="([^"]+)">')


def chapter_keys(html: str, base: str) -> dict[int, str]:
    """Each chapter's number and a hash of its HTML (up to the next chapter), with `base`
    (the stylesheets, fonts, tool and paper): what its last page's fill depends on."""
    return {number: hashlib.sha256((base + html[start:end]).encode()).hexdigest()
            for number, (start, end) in chapter_spans(html).items()}


def document_key(html: str, base: str) -> str:
    """A hash of a whole document's first HTML, with `base`: what a decision about it
    depends on, when its parts do not start pages of their own."""
    return hashlib.sha256((base + html).encode()).hexdigest()


def layout_book(artifact: Artifact, renderer: Renderer, sheets: list[Stylesheet],
                log: RenderLog, fetcher) -> "object":
    """Lay out the glossary book: again where a featured term's own page would leave the
    page before it nearly empty, with that term starting straight after its last lines."""
    first = artifact.make_html()  # with no term following on: the HTML the key hashes
    key = document_key(first, artifact.layout_base)
    remembered = artifact.remembered or {}
    # The same HTML as when it was chosen: the search would end where it ended then.
    follow_on: set[str] = set(remembered.get("follow_on", [])) \
        if remembered.get("key") == key else set()
    follow_on &= set(artifact.featured)
    while True:
        html = artifact.make_html(follow_on=frozenset(follow_on)) if follow_on else first
        document = renderer.layout(html, artifact.base_url, sheets, log, fetcher)
        pages = anchor_pages(document)
        short = {slug for slug in artifact.featured if slug not in follow_on
                 and (page := pages.get(f"gp--term-{slug}", 0)) > 3
                 and page_fill(document.pages[page - 2]) < CHAPTER_END_FILL}
        if not short:
            log.decisions = {"key": key, "follow_on": sorted(follow_on)}
            return document
        follow_on |= short


def splice_appendix(artifact: Artifact, renderer: Renderer, sheets: list[Stylesheet],
                    log: RenderLog, fetcher, document, refs, spacing, numbers, start):
    """Lay out the glossary appendix and back page alone, numbered on from page `start` and
    printing `numbers`, and join them to the chapters' pages; None when the page count
    would change."""
    total = len(document.pages)
    title, brand = css_string(artifact.title), css_string(artifact.brand)
    furniture = Stylesheet(text=(
        f"@page:first {{ counter-reset: page {start}; }}\n"
        f'@page {{ @top-left {{ content: "{title}"; }} @bottom-left {{ content: "{brand}"; }}\n'
        f"  @bottom-right {{ content: {artifact.page_footer(total)}; }} }}\n"))
    appendix = renderer.layout(artifact.make_html(refs=refs, spacing=spacing, pages=numbers),
                               artifact.base_url, [*sheets, furniture], log, fetcher)
    log.part_passes += 1
    if len(appendix.pages) != total - start + 1:
        return None
    return document.copy(document.pages[:start - 1] + appendix.pages)


def css_string(value: str) -> str:
    """Escape text for a double-quoted CSS string."""
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")


def short_chapter_ends(document) -> list[int]:
    """Chapters (numbered from 1) whose last page is less than CHAPTER_END_FILL full."""
    pages = anchor_pages(document)
    starts = sorted((page, number) for name, page in pages.items()
                    if (number := chapter_number(name)) is not None)
    ends = [page for page, _ in starts[1:]] + [pages.get(GLOSSARY, len(document.pages))]
    short = []
    for (start, number), following in zip(starts, ends):
        last = following - 1
        if last > start and page_fill(document.pages[last - 1]) < CHAPTER_END_FILL:
            short.append(number)
    return short


def layout_sheet(artifact: Artifact, renderer: Renderer, sheets: list[Stylesheet],
                 log: RenderLog, fetcher) -> tuple["object", Fit]:
    """Fit a cheat sheet on one page: bisect the type size, then lay out the columns."""
    sheet = artifact.sheet
    assert sheet is not None
    measuring = [*sheets, Stylesheet(text=artifact.measure_css())]
    page_height = (PAPER_MM[artifact.paper][1] - 2 * SHEET_MARGIN_MM) * PX_PER_MM

    def measure_at(size: float) -> Measure:
        document = renderer.layout(artifact.make_html(measure=True, size=size),
                                   artifact.base_url, measuring, log, fetcher)
        anchors = document.pages[0].anchors

        def tall(name: str) -> float:
            _, top, _, bottom = anchors[RESERVED + name]  # cheatsheet.html's ids
            return bottom - top

        height = [tall(f"sec-{i}") for i in range(len(sheet.sections))]
        # The head and foot keep their size; their margins come from cheatsheet.css.
        head = tall("sheet-head") + 4 * PX_PER_MM
        foot = tall("sheet-foot") + 3 * PX_PER_MM
        gap = size * SHEET_GAP_EM * 96 / 72
        return Measure(height, page_height - head - foot - 2, gap)

    def final(size: float, columns: list[dict], available: float):
        return renderer.layout(
            artifact.make_html(measure=False, size=size, columns=columns, available=available),
            artifact.base_url, sheets, log, fetcher)

    floor, ceiling = sheet.floor, sheet.ceiling
    key = document_key(artifact.make_html(measure=True, size=floor), artifact.layout_base)
    remembered = artifact.remembered or {}
    if remembered.get("key") == key:
        # The same sheet as when its size was chosen: the search would choose it again.
        try:
            size, available = float(remembered["size"]), float(remembered["available"])
            columns = list(remembered["columns"])
            document = final(size, columns, available)
        except (KeyError, TypeError, ValueError):
            document = None
        if document is not None and len(document.pages) == 1:
            log.decisions = remembered
            return document, Fit(size, 1, available=available)
    for _ in range(3):
        chosen = fit(measure_at, floor, ceiling, sheet.columns)
        columns = [{"sections": group, "gap": gap, "stretch": stretch}
                   for group, gap, stretch in zip(chosen.columns, chosen.gaps, chosen.stretch)]
        document = final(chosen.size, columns, chosen.available)
        chosen.passes += 1
        if len(document.pages) == 1:
            log.decisions = {"key": key, "size": chosen.size, "columns": columns,
                             "available": chosen.available}
            return document, chosen
        # Measured and final layouts disagreed by a hair: try a little smaller.
        ceiling = max(floor, chosen.size - 0.1)
    raise Overflow(floor, 0.0, [], chosen.passes)


def overflow_problem(artifact: Artifact, exc: Overflow) -> Problem:
    """Say how far a sheet overflows at its floor size and which sections do not fit."""
    sheet = artifact.sheet
    assert sheet is not None
    names = ", ".join(f"'{sheet.sections[i].title}'" for i in exc.sections)
    line = sheet.sections[exc.sections[0]].line if exc.sections else None
    what = f"; these sections do not fit: {names}" if names else ""
    return Problem(sheet.path, line, None,
                   f"does not fit on one page even at the {exc.size:g} pt floor: it overflows "
                   f"by {exc.by_mm:.0f} mm{what}. Shorten it, or lower min_font_size")
