"""Printed in black and white, every callout kind and the cheat sheet's Do and Don't columns
still look different, without their titles or icons; the contents page's leaders are drawn,
not typed, and its page numbers line up. Each measurement is first shown to catch a page
that fails it. (tests/greyscale.py says how a page is measured.)"""

from __future__ import annotations

import itertools
import json
import re
from html.parser import HTMLParser

import pypdfium2 as pdfium
import pytest

from conftest import GUIDE, SHEET, make_project
from greyscale import DISTINCT, SCALE, callout_signatures, difference, heading_rules, pages
from guidepress.build import plan
from guidepress.cli import main
from guidepress.errors import Collector
from guidepress.mdext.callouts import KINDS
from guidepress.project import PROJECT_DIR, load_project
from pdfcheck import open_pdf, outline, text

#: Each kind's callout with no title, so no icon either: only its drawing tells it apart.
CALLOUTS = GUIDE.split("# First chapter")[0] + "# Callouts\n\nEvery kind, untitled.\n\n" + \
    "\n".join(f'!!! {kind} ""\n    The {kind} kind, with no title or icon, and a body long '
              f"enough to wrap onto a second line of text.\n" for kind in KINDS)
ANCHORS = {kind: f"The {kind} kind" for kind in KINDS}
LONG = ("A chapter whose title is long enough to need a second line on the contents page "
        "of this guide")


def build(root, *targets: str) -> None:
    assert main(["build", "--root", str(root), "-q", *targets]) == 0


def with_css(name: str, extra: str) -> str:
    """The project's stylesheet `name` with `extra` rules at its end, for a root's own copy."""
    return (PROJECT_DIR / "styles" / name).read_text(encoding="utf-8") + "\n" + extra


def too_close(signatures: dict[str, dict]) -> list[tuple[str, str, float]]:
    """Every pair of kinds whose signatures differ by less than DISTINCT."""
    return [(a, b, round(difference(signatures[a], signatures[b]), 2))
            for a, b in itertools.combinations(signatures, 2)
            if difference(signatures[a], signatures[b]) < DISTINCT]


@pytest.fixture(scope="module")
def callouts(tmp_path_factory):
    """A guide with one untitled callout of every kind, built with the project's styles."""
    root = make_project(tmp_path_factory.mktemp("callouts"), {"guides/alpha.md": CALLOUTS})
    build(root)
    return root / "dist" / "alpha.pdf"


def test_every_callout_kind_differs_in_greyscale_without_its_title(callouts):
    signatures = callout_signatures(callouts, ANCHORS)
    assert too_close(signatures) == []


def test_two_kinds_drawn_alike_in_two_colours_are_caught(tmp_path):
    """A warning given the example's dotted bar, in its own amber, measures as an example."""
    root = make_project(tmp_path / "site", {
        "guides/alpha.md": CALLOUTS,
        "styles/guide.css": with_css("guide.css", ".callout-warning { border-left: 3pt dotted "
                                                  "var(--tone); }")})
    build(root)
    signatures = callout_signatures(root / "dist" / "alpha.pdf", ANCHORS)
    assert [(a, b) for a, b, _ in too_close(signatures)] == [("warning", "example")]


def first_callouts(slug: str) -> dict[str, str]:
    """The title of the first titled callout of each kind in a shipped guide."""
    found: dict[str, str] = {}
    source = (PROJECT_DIR / "guides" / f"{slug}.md").read_text(encoding="utf-8")
    for kind, title in re.findall(r'^!!! (\w+) "(.+?)"', source, flags=re.M):
        found.setdefault(kind, title)
    return found


@pytest.mark.parametrize("slug", ["chatgpt", "claude"])
def test_the_shipped_guides_callouts_differ_in_greyscale(catalogue, slug):
    """Found by their titles, measured away from them: real pages, tighter or looser."""
    signatures = callout_signatures(catalogue / f"{slug}.pdf", first_callouts(slug))
    assert len(signatures) >= 6 and too_close(signatures) == []


def labels(lang: str) -> dict[str, str]:
    """The shipped labels of a language."""
    return load_project(PROJECT_DIR, Collector()).templates.labels.for_lang(lang)


def test_do_and_dont_headings_differ_in_greyscale(catalogue):
    manifest = json.loads((catalogue / "manifest.json").read_text())
    sheets = [a for a in manifest["artifacts"] if a["kind"] == "cheatsheet"]
    assert sheets
    for sheet in sheets:
        lang = sheet["slug"].rpartition(".")[2] if "." in sheet["slug"] else "en"
        words = labels(lang)
        do, dont = heading_rules(catalogue / sheet["path"], words["do"], words["dont"])
        assert difference({"rule": do}, {"rule": dont}) >= DISTINCT, sheet["slug"]


def test_do_and_dont_headings_drawn_alike_are_caught(tmp_path):
    root = make_project(tmp_path / "site", {
        "cheatsheets/test-sheet.yaml": SHEET,
        "styles/cheatsheet.css": with_css("cheatsheet.css", ".pairs th.dont { border-bottom: "
                                                            "1.5pt solid var(--warm); }")})
    build(root, "test-sheet")
    do, dont = heading_rules(root / "dist" / "test-sheet.pdf", "Do", "Don't")
    assert difference({"rule": do}, {"rule": dont}) < DISTINCT


# ---------- the contents page ----------

LEADER = re.compile(r"\.{3,}|(?:\. ){3,}|\u2026")


def number_edges(path, page_number: int = 2) -> list[tuple[str, float, float]]:
    """The numbers that end lines of the contents page, top to bottom, as (number, right
    edge, baseline) in points from the characters' advance boxes (a final 1 has less ink than a 0, but the same advance); the footer ("Page 2 of
    19"), the lowest of them, left out."""
    textpage = pdfium.PdfDocument(str(path))[page_number - 1].get_textpage()
    found, digits, last = [], "", None
    for i in range(textpage.count_chars() + 1):
        char = textpage.get_text_range(i, 1) if i < textpage.count_chars() else "\n"
        if char.isdigit():
            # the right edge of its advance, the bottom of its ink (the baseline, for digits)
            digits = digits + char
            last = (None, textpage.get_charbox(i)[1], textpage.get_charbox(i, loose=True)[2])
            continue
        if digits and char in "\r\n":
            found.append((digits, last[2], last[1]))
        if not char.isspace() or char in "\r\n":
            digits = ""
    found.sort(key=lambda item: -item[2])
    return found[:-1]


def chapter_pages(path) -> list[int]:
    return [page for level, _, page in outline(open_pdf(path)) if level == 1]


def old_contents(tmp_path, css: str):
    """The small guide with more chapters (page numbers of one and two figures), built with
    `css` added to the contents' styles; returns its PDF."""
    root = make_project(tmp_path / "site", {
        "guides/alpha.md": GUIDE + "".join(f"\n# Chapter {n}\n\nText.\n" for n in "ABCDEFGH"),
        "styles/guide.css": with_css("guide.css", css)})
    build(root)
    return root / "dist" / "alpha.pdf"


def test_the_measure_catches_a_typed_leader(tmp_path):
    """The contents as they were: a leader() of dots typed before each number."""
    path = old_contents(tmp_path, ".contents .toc-chapter > a { display: block; } "
                                  ".contents .toc-title { display: inline; background: none; "
                                  "padding: 0; } .contents .toc-page { display: inline; "
                                  "width: auto; padding: 0; } "
                                  ".contents .toc-page::before { content: leader(dotted); }")
    assert LEADER.search(text(open_pdf(path), 2))


def test_the_measure_catches_numbers_out_of_line(tmp_path):
    path = old_contents(tmp_path, ".contents .toc-page { text-align: left; }")
    numbers = number_edges(path)
    assert [int(n) for n, _, _ in numbers] == chapter_pages(path)
    edges = [edge for _, edge, _ in numbers]
    assert max(edges) - min(edges) > 0.5


@pytest.mark.parametrize("slug", ["chatgpt", "chatgpt.es", "claude", "gemini", "grok"])
def test_the_contents_page_has_no_typed_leader_and_its_numbers_align(catalogue, slug):
    path = catalogue / f"{slug}.pdf"
    assert not LEADER.search(text(open_pdf(path), 2))
    numbers = number_edges(path)
    assert [int(number) for number, _, _ in numbers] == chapter_pages(path)
    edges = [edge for _, edge, _ in numbers]
    assert max(edges) - min(edges) <= 0.5, edges


class _Entries(HTMLParser):
    """Each contents entry's links and the text inside each."""

    def __init__(self):
        super().__init__()
        self.entries: list[list[str]] = []
        self.depth = 0       # inside a chapter entry, before its sections
        self.link = None

    def handle_starttag(self, tag, attrs):
        classes = (dict(attrs).get("class") or "").split()
        if tag == "li" and "toc-chapter" in classes:
            self.entries.append([])
            self.depth = 1
        elif tag == "p" and "toc-sections" in classes:
            self.depth = 0
        elif tag == "a" and self.depth:
            self.link = ""

    def handle_endtag(self, tag):
        if tag == "a" and self.link is not None:
            self.entries[-1].append(self.link)
            self.link = None
        elif tag == "li":
            self.depth = 0

    def handle_data(self, data):
        if self.link is not None:
            self.link += data


@pytest.fixture(scope="module")
def long_title(tmp_path_factory):
    root = make_project(tmp_path_factory.mktemp("long"), {
        "guides/alpha.md": GUIDE.replace("# Second chapter", f"# {LONG}")})
    build(root)
    return root


def test_each_contents_entry_is_one_link_with_its_title(long_title):
    _, artifacts, _ = plan(long_title)
    parser = _Entries()
    parser.feed(artifacts[0].make_html(refs=artifacts[0].refs))
    assert parser.entries == [["First chapter"], [LONG], ["Glossary"]]


def test_a_two_line_title_has_its_number_and_leader_on_its_last_line(long_title):
    path = long_title / "dist" / "alpha.pdf"
    numbers = number_edges(path)
    assert [int(n) for n, _, _ in numbers] == chapter_pages(path)
    edges = [edge for _, edge, _ in numbers]
    assert max(edges) - min(edges) <= 0.5
    pdf = pdfium.PdfDocument(str(path))
    textpage = pdf[1].get_textpage()
    first, last = (textpage.search(words, match_case=True).get_next()
                   for words in ("A chapter whose", "of this guide"))
    first_box = textpage.get_charbox(first[0])
    last_box = textpage.get_charbox(last[0] + last[1] - 1)
    assert last_box[1] < first_box[1] - 5          # the title takes two lines
    number = next(n for n in numbers if n[0] == str(chapter_pages(path)[1]))
    assert abs(number[2] - last_box[1]) < 1        # its number on the last one's baseline
    # The leader: dots after the last line's words, none after the first line's.
    page = pages(path)[1]
    height = pdf[1].get_height()
    first_line = [textpage.get_charbox(i) for i in range(first[0], last[0])
                  if abs(textpage.get_charbox(i)[1] - first_box[1]) < 1]

    def ink_after(box) -> float:
        """The share of columns with ink near a line's baseline, from 8pt after its last
        word to 12pt before the numbers."""
        left, right = round((box[2] + 8) * SCALE), round((min(edges) - 12) * SCALE)
        baseline = round((height - box[1]) * SCALE)
        rows = range(baseline - 3 * SCALE, baseline + SCALE)
        return sum(any(page.ink(x, y) for y in rows) for x in range(left, right)) / (right - left)

    assert ink_after(last_box) > 0.25          # a row of dots: 1.2pt in every 3.15pt
    assert ink_after(max(first_line, key=lambda box: box[2])) == 0


def printed_page(path, index: int) -> int:
    """The number page `index` (from 1) prints in its footer ("Page 121 of 12")."""
    return int(re.search(r"Page (\d+) of", text(open_pdf(path), index)).group(1))


@pytest.mark.parametrize("start", [98, 996])
def test_page_numbers_of_three_and_four_figures_stay_on_one_line_in_line(tmp_path, start):
    # The pages after the contents numbered from `start`, as in a guide of a few hundred
    # pages: the numbers go from two figures to three (or three to four) down the list.
    path = old_contents(tmp_path, f"@page:nth(3) {{ counter-reset: page {start}; }}")
    wanted = [printed_page(path, page) for page in chapter_pages(path)]
    assert max(wanted) >= start + 2 and len(str(max(wanted))) > len(str(min(wanted)))
    numbers = number_edges(path)
    assert [int(number) for number, _, _ in numbers] == wanted  # not "10" over "1"
    edges = [edge for _, edge, _ in numbers]
    assert max(edges) - min(edges) <= 0.5, edges
    baselines = [baseline for _, _, baseline in numbers]
    assert all(a - b > 10 for a, b in zip(baselines, baselines[1:]))  # one line each
