"""A laid-out document is let go as soon as it is no longer needed: before the next layout
pass, and before the drawn PDF is tagged (for a long guide it is most of the memory; it
holds reference cycles, which Python would otherwise free only some time later)."""

from __future__ import annotations

import gc
import weakref

from conftest import make_project
from guidepress import render
from guidepress.build import build
from test_layout_search import guide_with_short_chapters


def test_no_laid_out_document_outlives_its_use(tmp_path, monkeypatch):
    root = make_project(tmp_path / "site", {"guides/alpha.md": guide_with_short_chapters()})
    laid_out: list[weakref.ref] = []
    alive_at: dict[str, int] = {}
    layout, finish = render.Renderer.layout, render.Renderer.finish

    def recording_layout(self, html, *args):
        alive = sum(ref() is not None for ref in laid_out)
        if '<main class="chapters">' in html:  # the whole guide, not a chapter alone
            alive_at["most alive at a whole layout"] = max(
                alive_at.get("most alive at a whole layout", 0), alive)
        document = layout(self, html, *args)
        # The page boxes are what hold the cycles (and the memory), not the Document.
        laid_out.append(weakref.ref(document.pages[0]._page_box))
        return document

    def recording_finish(data, variant=None):
        alive_at["alive when tagged"] = sum(ref() is not None for ref in laid_out)
        return finish(data, variant)

    monkeypatch.setattr(render.Renderer, "layout", recording_layout)
    monkeypatch.setattr(render.Renderer, "finish", staticmethod(recording_finish))
    gc.disable()  # only the build's own collections free the cycles
    try:
        [outcome] = build(root, tmp_path / "out", ["alpha"], paper="a4", force=True).outcomes
    finally:
        gc.enable()
    assert outcome.ok and outcome.passes > 3, outcome.passes  # whole, parts, whole again
    assert alive_at["alive when tagged"] == 0
    # The whole guide is laid out again with nothing before it kept: not the first whole
    # layout, nor the chapters laid out alone (small, and let go together after them).
    assert alive_at["most alive at a whole layout"] == 0


def test_the_page_references_are_made_once_per_page_count_while_drawing():
    import pydyf

    from guidepress.render import _page_references_once

    original = pydyf.PDF.__dict__["page_references"]
    with _page_references_once():
        pdf = pydyf.PDF()
        pdf.add_page(pydyf.Dictionary())
        first = pdf.page_references
        assert pdf.page_references is first  # not made again
        pdf.add_page(pydyf.Dictionary())
        assert pdf.page_references == original.fget(pdf)  # a page added: made again
        assert len(pdf.page_references) == 2
    assert pydyf.PDF.__dict__["page_references"] is original
