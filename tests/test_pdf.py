"""Rendered PDFs, checked by structure: pages, outline, contents, links, fonts, text, metadata."""

from __future__ import annotations

import re

import pytest

from conftest import GUIDE, make_project, run
from pdfcheck import (contents_entries, fonts, links, named_destination_pages, open_pdf,
                      outline, page_size, text)


@pytest.fixture(scope="module")
def alpha(tmp_path_factory):
    """The minimal project, built once for this module."""
    root = make_project(tmp_path_factory.mktemp("alpha"))
    from guidepress.cli import main
    assert main(["build", "--root", str(root), "-q"]) == 0
    return open_pdf(root / "dist" / "alpha.pdf")


def test_pages_cover_contents_chapters_glossary_back(alpha):
    assert len(alpha.pages) == 6
    assert "Alpha Guide" in text(alpha, 1) and "testbrand.org" in text(alpha, 1)
    assert "Contents" in text(alpha, 2)
    assert "About Test Brand" in text(alpha, 6) and "More free guides" in text(alpha, 6)


def test_outline_mirrors_the_headings(alpha):
    assert outline(alpha) == [(1, "First chapter", 3), (2, "A section", 3),
                              (1, "Second chapter", 4), (1, "Glossary", 5)]


def test_contents_numbers_are_the_pages_the_chapters_land_on(alpha):
    landed = {title: page for level, title, page in outline(alpha) if level == 1}
    entries = [(title, page) for title, page in contents_entries(alpha) if title in landed]
    assert entries == list(landed.items())


def test_contents_entries_are_links_to_the_headings(alpha):
    dests = named_destination_pages(alpha)
    targets = {link["dest"] for link in links(alpha, 2)}
    assert targets == {"first-chapter", "a-section", "second-chapter", "gp--glossary"}
    assert dests["first-chapter"] == 3 and dests["gp--glossary"] == 5


def test_running_header_and_page_x_of_y(alpha):
    page = text(alpha, 4)
    assert "Alpha Guide" in page and "Second chapter" in page
    assert "Page 4 of 6" in page
    assert "Page" not in text(alpha, 1)  # no furniture on the cover


def test_the_running_header_and_footer_items_share_their_baselines(alpha):
    import ctypes
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw
    document = pdfium.PdfDocument(alpha.stream)
    page = document[3]
    height = page.get_height()
    textpage = page.get_textpage()
    top, bottom = set(), set()
    for i in range(textpage.count_chars()):
        if not textpage.get_text_range(i, 1).strip():
            continue
        x, y = ctypes.c_double(), ctypes.c_double()
        raw.FPDFText_GetCharOrigin(textpage.raw, i, x, y)
        if y.value < 70:
            bottom.add(round(y.value, 1))
        elif y.value > height - 70:
            top.add(round(y.value, 1))
    assert len(top) == 1 and len(bottom) == 1, (top, bottom)


def test_glossary_links_and_appendix_page_lists(alpha):
    assert {"dest": "gp--term-token"} in links(alpha, 3)
    appendix = " ".join(text(alpha, 5).split())
    assert "Prompt What you type to ask an AI model for something. Used on pages 3, 4" in appendix
    assert "Token A small chunk of text a model reads and writes. Used on page 3" in appendix
    dests = named_destination_pages(alpha)
    assert [link["dest"] for link in links(alpha, 5)].count("gp--use-prompt-2") >= 1
    assert dests["gp--use-prompt-2"] == 4


def test_internal_and_external_links(alpha):
    assert {"dest": "first-chapter"} in links(alpha, 4)
    assert {"uri": "https://testbrand.org"} in links(alpha, 6)


def test_footnote_at_the_foot_of_its_page(alpha):
    page = text(alpha, 3)
    assert "Some text with a footnote.1" in page
    assert "The footnote text." in page


def test_every_font_is_embedded(alpha):
    used = fonts(alpha)
    assert used and all(used.values()), used
    assert all(re.match(r"/[A-Z]{6}\+Guide-", name) for name in used)


def test_tagged_for_screen_readers(alpha):
    catalog = alpha.trailer["/Root"]
    assert bool(catalog["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in catalog


def test_metadata(alpha):
    meta = alpha.metadata
    assert meta.title == "Alpha Guide"
    assert meta.author == "Test Brand"
    assert meta.subject == "A guide used by the test suite."
    assert meta["/Keywords"] == "Alpha Guide"
    assert meta["/CreationDate"] == "D:20261101000000Z"
    assert alpha.trailer["/Root"]["/Lang"] == "en"
    assert page_size(alpha) == (595.3, 841.9)


def test_a_term_used_twice_on_a_page_is_listed_once(tmp_path, capsys):
    root = make_project(tmp_path / "site", {"guides/alpha.md": GUIDE.replace(
        "A [[prompt]] is", "A [[prompt]], another [[prompt]] and a third [[prompt]] are")})
    assert run(capsys, "build", "--root", str(root))[0] == 0
    appendix = " ".join(text(open_pdf(root / "dist" / "alpha.pdf"), 5).split())
    assert "Used on pages 3, 4 Token" in appendix


def test_letter_paper(tmp_path, capsys):
    root = make_project(tmp_path / "site")
    code, out, _ = run(capsys, "build", "--root", str(root), "--paper", "letter")
    assert code == 0
    reader = open_pdf(root / "dist" / "alpha-letter.pdf")
    assert page_size(reader) == (612.0, 792.0)
    assert len(reader.pages) == 6


def test_table_header_repeats_on_the_next_page(tmp_path, capsys):
    rows = "\n".join(f"| row {n} | value {n} |" for n in range(80))
    root = make_project(tmp_path / "site", {"guides/alpha.md": GUIDE + (
        "\n# Big table\n\n| Name | Value |\n|---|---|\n" + rows + "\n")})
    assert run(capsys, "build", "--root", str(root))[0] == 0
    reader = open_pdf(root / "dist" / "alpha.pdf")
    pages = [n for n in range(1, len(reader.pages) + 1) if "row 1 " in text(reader, n)
             or "row 79" in text(reader, n)]
    first, last = pages[0], pages[-1]
    assert last > first
    assert "Name Value" in text(reader, first) and "Name Value" in text(reader, last)


def test_figure_with_caption_and_alt_text(tmp_path, capsys):
    png = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00"
           b"\x00\x00\x90wS\xde\x00\x00\x00\x0cIDATx\x9cc\xf8\xcf\xc0\x00\x00\x03\x01\x01\x00"
           b"\xc9\xfe\x92\xef\x00\x00\x00\x00IEND\xaeB`\x82")
    root = make_project(tmp_path / "site", {"guides/alpha.md": GUIDE + (
        '\n![A red dot](images/dot.png "Figure 1: a dot")\n')})
    (root / "guides" / "images").mkdir()
    (root / "guides" / "images" / "dot.png").write_bytes(png)
    assert run(capsys, "build", "--root", str(root))[0] == 0
    reader = open_pdf(root / "dist" / "alpha.pdf")
    assert "Figure 1: a dot" in text(reader, 4)
    assert "/XObject" in reader.pages[3]["/Resources"]
