"""The AI Glossary book: letter sections, the letter index, links, bookmarks, header."""

from __future__ import annotations

import json

import pytest

from guidepress.errors import Collector
from guidepress.glossary import load_glossary
from guidepress.project import PROJECT_DIR
from conftest import GLOSSARY, SITE, make_project, run
from pdfcheck import links, named_destination_pages, open_pdf, outline, text

GLOSSARY_DATA = load_glossary(PROJECT_DIR, Collector())
LETTERS = sorted({t.term[0].upper() for t in GLOSSARY_DATA.terms.values()})


@pytest.fixture(scope="module")
def book(catalogue):
    manifest = json.loads((catalogue / "manifest.json").read_text())
    entry = next(a for a in manifest["artifacts"] if a["kind"] == "glossary")
    return open_pdf(catalogue / entry["path"]), entry


def expected_outline():
    """Each letter, then under it each featured term of that letter in A-to-Z order."""
    terms = sorted(GLOSSARY_DATA.terms.values(), key=lambda t: t.term.casefold())
    return [entry for letter in LETTERS for entry in
            [(1, letter)] + [(2, t.term) for t in terms
                             if t.featured and t.term[0].upper() == letter]]


def test_bookmarks_are_the_letters_and_the_featured_terms(book):
    reader, _ = book
    marks = [(level, title) for level, title, _ in outline(reader)]
    assert marks == expected_outline()
    assert sum(level == 2 for level, _ in marks) == \
        sum(1 for t in GLOSSARY_DATA.terms.values() if t.featured) >= 12


def test_letter_index_links_to_each_section(book):
    reader, _ = book
    dests = named_destination_pages(reader)
    index_links = {link["dest"] for link in links(reader, 2)}
    for level, title, page in outline(reader):
        if level == 1:
            assert f"gp--letter-{title}" in index_links
            assert dests[f"gp--letter-{title}"] == page
        else:
            [term] = [t for t in GLOSSARY_DATA.terms.values() if t.term == title]
            assert dests[f"gp--term-{term.slug}"] == page
    assert {f"gp--term-{slug}" for slug in GLOSSARY_DATA.terms} <= index_links


def test_every_term_and_its_related_terms_are_linked(book):
    reader, _ = book
    dests = named_destination_pages(reader)
    assert {f"gp--term-{slug}" for slug in GLOSSARY_DATA.terms} <= set(dests)
    targets = {link["dest"] for n in range(3, len(reader.pages)) for link in links(reader, n)
               if "dest" in link}
    related = {f"gp--term-{r}" for t in GLOSSARY_DATA.terms.values() for r in t.related}
    assert related <= targets
    assert targets <= set(dests)


def test_entries_carry_their_parts(book):
    reader, _ = book
    everything = " ".join(" ".join(text(reader, n).split())
                          for n in range(1, len(reader.pages) + 1))
    for term in GLOSSARY_DATA.terms.values():
        assert " ".join(term.short.split()) in everything
    # a featured term prints its list of misconceptions in place of the single one
    terms = GLOSSARY_DATA.terms.values()
    assert everything.count("COMMON MISCONCEPTIONS") == sum(1 for t in terms if t.featured)
    assert everything.count("COMMON MISCONCEPTION") == \
        sum(1 for t in terms if t.featured or t.misconception)
    assert everything.count("EXAMPLE") == sum(1 for t in GLOSSARY_DATA.terms.values() if t.example)


def test_running_header_shows_the_current_letter_and_page_x_of_y(book):
    reader, entry = book
    pages = [mark for mark in outline(reader) if mark[0] == 1]
    level, letter, page = pages[len(pages) // 2]
    body = text(reader, page)
    assert f"Page {page} of {entry['pages']}" in body
    assert body.splitlines().count(letter) >= 1


def test_the_back_page_matches_the_guides(book):
    reader, _ = book
    assert "About Beginners in AI" in text(reader, len(reader.pages))


def test_no_book_without_its_site_settings(project, capsys):
    assert run(capsys, "build", "--root", str(project), "-q")[0] == 0
    names = sorted(p.name for p in (project / "dist").iterdir())
    assert names == [".guidepress-state.json", ".guidepress.lock", "alpha.pdf", "alpha.png",
                     "index.html", "manifest.json"]


def test_book_in_a_small_project(tmp_path, capsys):
    site = SITE + ("glossary:\n  slug: words\n  title: Words\n  subtitle: All of them\n"
                   "  summary: The words.\n  version: '1'\n  updated: 2026-10-01\n")
    root = make_project(tmp_path / "site", {"site.yaml": site})
    assert run(capsys, "build", "words", "--root", str(root), "-q")[0] == 0
    reader = open_pdf(root / "dist" / "words.pdf")
    assert [(t, p) for _, t, p in outline(reader)] == [("P", 3), ("T", 3)]
    assert reader.metadata.title == "Words"


def test_a_definition_too_long_for_the_cheat_sheet_is_an_error(tmp_path, capsys):
    root = make_project(tmp_path / "site", {"glossary/terms.yaml": GLOSSARY.replace(
        "short: A small chunk of text a model reads and writes.", "short: " + "word " * 25)})
    code, _, err = run(capsys, "check", "--root", str(root))
    assert code == 1
    assert err.splitlines()[0] == ("glossary/terms.yaml:3: glossary key 'short' is 124 characters "
                                   "long; the cheat sheet allows 100 (shorten it by 24)")
