"""Links to other guides as writers copy them from GitHub: ./x.md, ../guides/x.md, x/ and
x.md#heading all link to that guide; a link to any other file says what the reader would get."""

from __future__ import annotations

import pytest

from conftest import GUIDE, make_project, run
from pdfcheck import links, open_pdf

BETA = GUIDE.replace("Alpha Guide", "Beta Guide")


@pytest.mark.parametrize("href, expected", [
    ("beta.md", "https://testbrand.org/guides/beta.pdf"),
    ("./beta.md", "https://testbrand.org/guides/beta.pdf"),
    ("../guides/beta.md", "https://testbrand.org/guides/beta.pdf"),
    ("guides/beta.md#a-section", "https://testbrand.org/guides/beta.pdf#a-section"),
    ("./beta.md#second-chapter", "https://testbrand.org/guides/beta.pdf#second-chapter"),
    ("beta/", "https://testbrand.org/guides/beta.pdf"),
    ("../beta/index.md", "https://testbrand.org/guides/beta.pdf"),
])
def test_links_to_another_guide_as_written_on_github(tmp_path, capsys, href, expected):
    root = make_project(tmp_path / "site", {
        "guides/beta.md": BETA, "guides/alpha.md": GUIDE + f"\nSee [the other guide]({href}).\n"})
    code, _, err = run(capsys, "build", "alpha", "--root", str(root), "-q")
    assert code == 0, err
    reader = open_pdf(root / "dist" / "alpha.pdf")
    uris = [link.get("uri") for page in range(1, len(reader.pages) + 1)
            for link in links(reader, page)]
    assert expected in uris


@pytest.mark.parametrize("href", ["docs/setup.md", "../README.md", "notes.txt", "data.csv#x"])
def test_a_link_to_another_file_says_what_the_reader_gets(tmp_path, capsys, href):
    root = make_project(tmp_path / "site", {"guides/alpha.md": GUIDE + f"\nSee [this]({href}).\n"})
    code, _, err = run(capsys, "check", "--root", str(root))
    assert code == 1
    assert err.splitlines()[0] == (
        f"guides/alpha.md:24:11: link '{href}' points to a file, which a reader of the PDF "
        "cannot open: link to a web address (https://...), a heading (#id) or another guide "
        "(slug.md)")


def test_a_link_to_a_guide_that_does_not_exist(tmp_path, capsys):
    root = make_project(tmp_path / "site", {"guides/alpha.md": GUIDE + "\nSee [x](./gamma.md).\n"})
    code, _, err = run(capsys, "check", "--root", str(root))
    assert code == 1
    assert err.splitlines()[0].startswith("guides/alpha.md:24:")
    assert "there is no guide 'gamma'" in err.splitlines()[0]
