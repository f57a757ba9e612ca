"""Every page looks right, by rule: no heading ends a page, no text runs off its box, no page
in the middle of a chapter is nearly empty. Each rule is first shown to catch a bad page."""

from __future__ import annotations

import json

import pytest
import weasyprint

from guidepress.render import bundled_fonts_only
from guidepress.project import PROJECT_DIR
from layoutcheck import headings_at_page_end, nearly_empty_pages, text_outside_the_content_box

FONTS = (PROJECT_DIR / "styles" / "fonts" / "lato" / "Lato-Regular.ttf").as_uri()
FULL = "<p>" + "Text that fills the page. " * 230 + "</p>"
PAGE = f"""<style>@font-face {{ font-family: T; src: url({FONTS}) }}
html {{ font-family: T; font-size: 11pt }} @page {{ size: A4; margin: 22mm 37mm }}
h1 {{ break-before: page }}</style>"""


def synthetic(tmp_path, body: str):
    path = tmp_path / "bad.pdf"
    with bundled_fonts_only():
        fonts = weasyprint.text.fonts.FontConfiguration()
    weasyprint.HTML(string=PAGE + body).write_pdf(path, font_config=fonts)
    return path


def test_a_heading_at_the_foot_of_a_page_is_caught(tmp_path):
    path = synthetic(tmp_path, "<p>cover</p><h1>Contents</h1><p>1</p><h1>Chapter</h1>"
                               "<h2 style='margin-top: 215mm'>Lonely heading</h2>"
                               "<p style='break-before: page'>Its text.</p>")
    assert headings_at_page_end(path) == ["page 3: 'Lonely heading' ends the page"]


def test_text_in_the_margin_is_caught(tmp_path):
    path = synthetic(tmp_path, "<p>cover</p><h1>Chapter</h1>"
                               "<p style='white-space: nowrap'>" + "averylongunbreakableword" * 6 +
                               "</p>")
    problems = text_outside_the_content_box(path)
    assert len(problems) == 1 and problems[0].startswith("page 2: 'averylong")


def test_a_nearly_empty_page_inside_a_chapter_is_caught(tmp_path):
    path = synthetic(tmp_path, "<p>cover</p><h1>Contents</h1><h1>Chapter</h1><p>One line.</p>"
                               "<p style='break-before: page'>More.</p>" + FULL +
                               "<h1>Next</h1>" + FULL + "<h1>Back</h1>")
    assert "page 3 is only 8% full" in nearly_empty_pages(path)


def test_a_chapter_ending_with_a_lone_line_is_caught(tmp_path):
    path = synthetic(tmp_path, "<p>cover</p><h1>Contents</h1><p>1</p><h1>Chapter</h1>" + FULL +
                               "<p style='break-before: page'>Last line.</p><h1>Next</h1>" +
                               FULL + "<h1>Back</h1>")
    problems = nearly_empty_pages(path)
    assert any(p.endswith("is only 3% full (the end of a chapter)") for p in problems), problems


def built(catalogue):
    manifest = json.loads((catalogue / "manifest.json").read_text())
    return [catalogue / a["path"] for a in manifest["artifacts"] if a["kind"] != "cheatsheet"]


@pytest.fixture(scope="module")
def letter(catalogue, tmp_path_factory):
    """The catalogue again, on Letter paper."""
    from guidepress.cli import main
    out = tmp_path_factory.mktemp("letter")
    assert main(["build", "--root", str(catalogue.parent), "--paper", "letter", "-q",
                 "--out", str(out)]) == 0
    return out


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_no_heading_ends_a_page(catalogue, letter, paper):
    for path in built(catalogue if paper == "a4" else letter):
        assert headings_at_page_end(path) == [], path.name


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_no_text_outside_the_content_box(catalogue, letter, paper):
    for path in built(catalogue if paper == "a4" else letter):
        assert text_outside_the_content_box(path) == [], path.name


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_no_nearly_empty_page_inside_a_chapter(catalogue, letter, paper):
    for path in built(catalogue if paper == "a4" else letter):
        assert nearly_empty_pages(path) == [], path.name


def test_guides_are_12_to_20_a4_pages(catalogue):
    """"Roughly 12-20 A4 pages" (CONTENT.md): with their figures the guides run to 21 or 22,
    which is allowed; more would be a guide grown too long."""
    manifest = json.loads((catalogue / "manifest.json").read_text())
    for artifact in manifest["artifacts"]:
        if artifact["kind"] == "guide":
            assert 12 <= artifact["pages"] <= 22, artifact


def test_a_chapter_that_would_end_on_a_nearly_empty_page_is_respaced(tmp_path, capsys,
                                                                      monkeypatch):
    from conftest import GUIDE, make_project, run
    from guidepress import typeset
    para = "Plain words fill this chapter, one sentence after another, until the page is full. "
    body = ("# First chapter\n\n" + "\n\n".join([para * 2] * 34) + "\n\n# Second chapter\n\n" +
            "\n\n".join([para * 2] * 20) + "\n")
    root = make_project(tmp_path / "site",
                        {"guides/alpha.md": GUIDE.split("# First chapter")[0] + body})
    monkeypatch.setattr(typeset, "SPACINGS", ())
    assert run(capsys, "build", "--root", str(root), "-q")[0] == 0
    assert nearly_empty_pages(root / "dist" / "alpha.pdf") == [
        "page 5 is only 4% full (the end of a chapter)",
        "page 7 is only 21% full (the end of a chapter)"]
    monkeypatch.undo()
    assert run(capsys, "build", "--root", str(root), "-q", "--force")[0] == 0
    assert nearly_empty_pages(root / "dist" / "alpha.pdf") == []
