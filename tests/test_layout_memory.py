"""One layout pass where one is enough: the layout choices remembered in the output state.

A rebuild starts from the choices of the build before (a chapter's spacing, the featured
terms that follow on, a cheat sheet's size and columns) where what they depend on is
unchanged, and must give the very bytes a build from nothing gives.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from guidepress.artifacts import dedupe_refs
from guidepress.build import build
from guidepress.mdext.ids import GLOSSARY
from guidepress.typeset import _remembered_appendix, printed_pages

TARGETS = ["claude", "ai-cheat-sheet", "ai-glossary"]


@pytest.fixture
def warm(catalogue, tmp_path) -> Path:
    """A copy of the built catalogue's content root, its dist/ and state included."""
    root = tmp_path / "root"
    shutil.copytree(catalogue.parent, root)
    return root


def cold(root: Path, out: Path, targets: list[str]):
    """A build from nothing: a fresh output folder, so no remembered choice."""
    return build(root, out, targets, paper="a4", force=True)


def full_passes(outcome) -> int:
    return outcome.passes - outcome.part_passes


def test_a_forced_rebuild_lays_each_artifact_out_once_with_the_same_bytes(warm, tmp_path):
    report = build(warm, warm / "dist", TARGETS, paper="a4", force=True)
    assert [full_passes(o) for o in report.outcomes] == [1, 1, 1], \
        [(o.entry.path, o.passes) for o in report.outcomes]
    fresh = cold(warm, tmp_path / "fresh", TARGETS)
    assert sum(full_passes(o) for o in fresh.outcomes) > 3  # what the memory saves
    for outcome in report.outcomes:
        path = outcome.entry.path
        assert (warm / "dist" / path).read_bytes() == (tmp_path / "fresh" / path).read_bytes()


def chapter_without_a_choice(state: dict) -> int:
    chosen = state["claude.pdf"]["layout"]["chapters"]
    return next(n for n in range(1, 20) if str(n) not in chosen)


def test_an_edit_that_moves_no_chapter_end_lays_the_guide_out_once(warm, tmp_path):
    state = json.loads((warm / "dist" / ".guidepress-state.json").read_text())
    assert state["claude.pdf"]["layout"]["chapters"], "claude has chapters spaced to end well"
    number = chapter_without_a_choice(state)
    guide = warm / "guides" / "claude.md"
    text = guide.read_text()
    # One word in the first paragraph of that chapter, for one of the same length.
    chapters = [m.start() for m in re.finditer(r"(?m)^# ", text)]
    start = chapters[number - 1]
    word = re.compile(r"\bthe\b").search(text, start)
    assert word and (number == len(chapters) or word.start() < chapters[number])
    guide.write_text(text[:word.start()] + "its" + text[word.end():])
    report = build(warm, warm / "dist", ["claude"], paper="a4")
    [outcome] = report.outcomes
    assert not outcome.skipped and full_passes(outcome) == 1, outcome.passes
    fresh = cold(warm, tmp_path / "fresh", ["claude"])
    assert full_passes(fresh.outcomes[0]) > 1
    assert (warm / "dist" / "claude.pdf").read_bytes() == \
        (tmp_path / "fresh" / "claude.pdf").read_bytes()


def test_stale_or_damaged_choices_are_ignored(warm, tmp_path):
    path = warm / "dist" / ".guidepress-state.json"
    state = json.loads(path.read_text())
    layout = state["claude.pdf"]["layout"]
    layout["chapters"] = {str(n): ["not the chapter's hash", "loose"] for n in range(1, 12)}
    state["ai-glossary.pdf"]["layout"] = {"key": "another book", "follow_on": ["bias"]}
    state["ai-cheat-sheet.pdf"]["layout"] = {"key": "another sheet", "size": 6.0}
    path.write_text(json.dumps(state))
    build(warm, warm / "dist", TARGETS, paper="a4", force=True)
    cold(warm, tmp_path / "fresh", TARGETS)
    for name in ("claude.pdf", "ai-glossary.pdf", "ai-cheat-sheet.pdf"):
        assert (warm / "dist" / name).read_bytes() == (tmp_path / "fresh" / name).read_bytes()


def test_a_forced_rebuild_settles_the_appendix_from_memory(warm, tmp_path):
    state = json.loads((warm / "dist" / ".guidepress-state.json").read_text())
    settled = state["chatgpt.pdf"]["layout"]["appendix"]
    assert settled["pages"][GLOSSARY], "chatgpt has a term linked twice on a page"
    report = build(warm, warm / "dist", ["chatgpt"], paper="a4", force=True)
    [outcome] = report.outcomes
    assert (outcome.passes, outcome.part_passes) == (1, 0)
    fresh = cold(warm, tmp_path / "fresh", ["chatgpt"])
    assert fresh.outcomes[0].part_passes >= 1  # the appendix laid out again: what is saved
    assert (warm / "dist" / "chatgpt.pdf").read_bytes() == \
        (tmp_path / "fresh" / "chatgpt.pdf").read_bytes()


def test_links_that_moved_settle_the_appendix_again(warm, tmp_path):
    path = warm / "dist" / ".guidepress-state.json"
    state = json.loads(path.read_text())
    pages = state["chatgpt.pdf"]["layout"]["appendix"]["pages"]
    # As if the build before had found one link a page further on.
    anchor = next(a for a, page in pages.items() if a.startswith("gp--use-") and page)
    pages[anchor] += 1
    path.write_text(json.dumps(state))
    report = build(warm, warm / "dist", ["chatgpt"], paper="a4", force=True)
    [outcome] = report.outcomes
    assert full_passes(outcome) == 2 and outcome.part_passes == 1, outcome.passes
    cold(warm, tmp_path / "fresh", ["chatgpt"])
    assert (warm / "dist" / "chatgpt.pdf").read_bytes() == \
        (tmp_path / "fresh" / "chatgpt.pdf").read_bytes()
    state = json.loads(path.read_text())
    assert state["chatgpt.pdf"]["layout"]["appendix"]["pages"][anchor] == pages[anchor] - 1


def test_an_edited_definition_lays_the_guide_out_once(warm, tmp_path):
    # A definition the guide's appendix prints, longer: the appendix changes, not the pages
    # its links land on.
    state = json.loads((warm / "dist" / ".guidepress-state.json").read_text())
    pages = state["chatgpt.pdf"]["layout"]["appendix"]["pages"]
    slugs = {a[len("gp--use-"):].rsplit("-", 1)[0] for a in pages if a.startswith("gp--use-")}
    for path in sorted((warm / "glossary").glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        # A one-line definition with room for two more words (the cheat sheet allows 100).
        found = next((m for m in re.finditer(r"(?m)^- slug: ([a-z0-9-]+)\n(?:  .*\n)*?"
                                             r"  short: ([^>|\n]{1,80})$", text)
                      if m.group(1) in slugs), None)
        if found:
            path.write_text(text[:found.end()] + " Check it." + text[found.end():],
                            encoding="utf-8")
            break
    else:
        pytest.fail("no one-line definition of a term chatgpt links to")
    report = build(warm, warm / "dist", ["chatgpt"], paper="a4")
    [outcome] = report.outcomes
    assert not outcome.skipped and (outcome.passes, outcome.part_passes) == (1, 0)
    cold(warm, tmp_path / "fresh", ["chatgpt"])
    assert (warm / "dist" / "chatgpt.pdf").read_bytes() == \
        (tmp_path / "fresh" / "chatgpt.pdf").read_bytes()


REFS = {"bias": ["gp--use-bias-1", "gp--use-bias-2"], "token": ["gp--use-token-1"]}
PAGES = {"gp--use-bias-1": 3, "gp--use-bias-2": 3, "gp--use-token-1": 4, GLOSSARY: 9}


@pytest.mark.parametrize("entry", [
    None, [], "appendix",
    {"key": "another tool or stylesheet", "pages": PAGES},
    {"pages": PAGES},
    {"key": "k"},
    {"key": "k", "pages": {**PAGES, "gp--use-bias-3": 5}},
    {"key": "k", "pages": {k: v for k, v in PAGES.items() if k != GLOSSARY}},
    {"key": "k", "pages": {**PAGES, "gp--use-token-1": "4"}},
    {"key": "k", "pages": {**PAGES, "gp--use-token-1": True}},
    {"key": "k", "pages": {**PAGES, "gp--use-bias-2": 4}},  # none twice
])
def test_a_damaged_or_stale_appendix_memory_is_ignored(entry):
    assert _remembered_appendix(entry, REFS, "k") is None


def test_an_appendix_memory_names_the_lists_a_build_from_nothing_chooses():
    settled = _remembered_appendix({"key": "k", "pages": PAGES}, REFS, "k")
    assert settled == {"key": "k", "pages": PAGES}
    assert dedupe_refs(REFS, settled["pages"]) == {"bias": ["gp--use-bias-1"],
                                                   "token": ["gp--use-token-1"]}
    assert printed_pages(REFS, PAGES) == {"gp--use-bias-1": 3, "gp--use-bias-2": 3,
                                          "gp--use-token-1": 4}
    # A root's own template without our appendix: its lists keep their target-counter()s.
    assert _remembered_appendix({"key": "k", "pages": {**PAGES, GLOSSARY: None}}, REFS, "k")
    assert printed_pages(REFS, {**PAGES, GLOSSARY: None}) is None
