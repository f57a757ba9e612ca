"""The cold layout search, made cheaper without changing what it chooses.

A chapter starts a page, so where it ends depends on it alone. A build from nothing lays the
whole guide out once, searches each chapter that ends on a nearly empty page with that
chapter alone in the document, then lays the whole guide out once more: the same choices,
and so the same bytes, as searching with the whole guide each time, in fewer whole passes.
A cheat sheet's sections are measured in one column laid out as a block, not a flex row:
the same boxes, in less time.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pypdf
import pytest

from conftest import GUIDE, make_project
from guidepress import typeset
from guidepress.build import build, plan
from guidepress.render import Renderer, page_fill, with_cjk_fonts
from guidepress.sheets import stylesheets_for

PARA = "Plain words fill this chapter, one sentence after another, until the page is full. "


def guide_with_short_chapters() -> str:
    """Three chapters: the first two end on nearly empty pages; footnotes in the first and
    the last."""
    notes = "".join(f"Said once more.[^n{n}]\n\n[^n{n}]: Footnote {n} of this guide.\n\n"
                    for n in range(1, 3))
    return (GUIDE.split("# First chapter")[0]
            + "# First chapter\n\n" + notes + "\n\n".join([PARA * 2] * 34)
            + "\n\n# Second chapter\n\n" + "\n\n".join([PARA * 2] * 20)
            + "\n\n# Third chapter\n\nA [[prompt]] and a note.[^n3] And the last.[^n4]\n\n"
            + "[^n3]: Footnote 3 of this guide.\n\n[^n4]: Footnote 4 of this guide.\n")


@pytest.fixture
def root(tmp_path) -> Path:
    return make_project(tmp_path / "site", {"guides/alpha.md": guide_with_short_chapters()})


def whole_and_alone(root: Path, tmp_path: Path):
    """The guide laid out whole, and each chapter laid out alone, at no spacing."""
    project, [artifact], _ = plan(root, ["alpha"], paper="a4")
    renderer = Renderer(project.allowed_folders, project.tokens)
    fetcher = renderer.new_fetcher()
    log = typeset.RenderLog()
    html = artifact.make_html(refs=artifact.refs)
    sheets = with_cjk_fonts(html, stylesheets_for(project, artifact))
    whole = renderer.layout(html, artifact.base_url, sheets, log, fetcher)
    alone = {}
    for number in typeset.chapter_spans(html):
        part = typeset.chapter_alone(html, number, None)
        alone[number] = renderer.layout(part, artifact.base_url, sheets, log, fetcher)
    return whole, alone


def test_a_chapter_alone_ends_as_it_does_in_the_whole_guide(root, tmp_path):
    whole, alone = whole_and_alone(root, tmp_path)
    pages = typeset.anchor_pages(whole)
    starts = [pages[f"gp--chapter-{n}"] for n in sorted(alone)] + [pages["gp--glossary"]]
    assert len(alone) == 3
    for number, document in alone.items():
        first, following = starts[number - 1], starts[number]
        assert len(document.pages) == following - first, number
        for mine, theirs in zip(document.pages, whole.pages[first - 1:following - 1]):
            assert page_fill(mine) == page_fill(theirs), number
    # The first two end short: what the search is for.
    assert [n for n in alone if page_fill(alone[n].pages[-1]) < typeset.CHAPTER_END_FILL
            and len(alone[n].pages) > 1] == [1, 2]


def test_a_chapter_alone_numbers_its_footnotes_on_from_the_chapters_before(root, tmp_path):
    _, alone = whole_and_alone(root, tmp_path)
    path = tmp_path / "chapter3.pdf"
    alone[3].write_pdf(path)
    text = "".join(page.extract_text() for page in pypdf.PdfReader(path).pages)
    for number in (3, 4):
        assert re.search(rf"{number}\.\s*Footnote {number} of this guide", text), text[-300:]
    assert not re.search(r"\b1\.\s*Footnote", text)


def whole_guide_search(monkeypatch):
    """The search with the whole guide laid out at every step (no chapter alone)."""
    monkeypatch.setattr(typeset, "chapter_alone", lambda html, number, style: None)


def full_passes(outcome) -> int:
    return outcome.passes - outcome.part_passes


def test_a_cold_build_chooses_what_the_whole_guide_search_chooses(root, tmp_path,
                                                                   monkeypatch):
    searched = build(root, tmp_path / "alone", ["alpha"], force=True)
    whole_guide_search(monkeypatch)
    reference = build(root, tmp_path / "whole", ["alpha"], force=True)
    for mine, theirs in zip(searched.outcomes, reference.outcomes):
        assert mine.ok and theirs.ok
        assert full_passes(mine) == 2 and mine.part_passes >= 2, mine.passes
        assert full_passes(theirs) > 2
        assert mine.layout == theirs.layout and mine.layout["chapters"], mine.layout
        path = mine.entry.path
        assert (tmp_path / "alone" / path).read_bytes() == \
            (tmp_path / "whole" / path).read_bytes(), path


def test_a_shipped_guide_gets_the_same_bytes_in_two_whole_passes(catalogue, tmp_path,
                                                                 monkeypatch):
    root = tmp_path / "root"
    shutil.copytree(catalogue.parent, root, ignore=shutil.ignore_patterns("dist"))
    [mine] = build(root, tmp_path / "alone", ["claude"], paper="a4").outcomes
    whole_guide_search(monkeypatch)
    [theirs] = build(root, tmp_path / "whole", ["claude"], paper="a4").outcomes
    assert full_passes(mine) == 2 < full_passes(theirs), (mine.passes, theirs.passes)
    assert mine.layout == theirs.layout
    assert (tmp_path / "alone" / "claude.pdf").read_bytes() == \
        (tmp_path / "whole" / "claude.pdf").read_bytes()


@pytest.mark.parametrize("slug", ["ai-cheat-sheet", "ai-cheat-sheet.ja", "think-card"])
def test_a_cheat_sheet_measured_as_one_block_measures_as_its_flex_row(slug):
    """The sections are measured in one column laid out as a block (faster): every anchor's
    box is where the flex row of the page itself would put it, to the pixel."""
    from guidepress.project import PROJECT_DIR
    from guidepress.sheets import Stylesheet
    project, [artifact], _ = plan(PROJECT_DIR, [slug], paper="letter")
    renderer = Renderer(project.allowed_folders, project.tokens)
    fetcher = renderer.new_fetcher()
    log = typeset.RenderLog()
    sheets = stylesheets_for(project, artifact)
    as_flex = Stylesheet(text=artifact.measure_css().split("\n")[0])  # the tall page only
    assert "flow-root" not in as_flex.text and "flow-root" in artifact.measure_css()
    for size in (artifact.sheet.floor, artifact.sheet.ceiling):
        html = artifact.make_html(measure=True, size=size)
        block, flex = (renderer.layout(html, artifact.base_url, [*sheets, Stylesheet(text=css)],
                                       log, fetcher).pages[0].anchors
                       for css in (artifact.measure_css(), as_flex.text))
        assert block == flex and len(block) > 5, size
