"""The shipped catalogue, built once: every guide's structure as a reader meets it."""

from __future__ import annotations

import json

import pytest

from guidepress.errors import Collector
from guidepress.project import PROJECT_DIR, load_project
from guidepress.convert import convert
from pdfcheck import (contents_entries, fonts, links, named_destination_pages, open_pdf,
                      outline)

PROJECT = load_project(PROJECT_DIR, Collector())
GUIDES = [guide.slug for guide in PROJECT.guides]


def headings(slug: str) -> list[tuple[int, str]]:
    """(level, text) of every h1-h3 of a guide's Markdown, in order."""
    guide = next(g for g in PROJECT.guides if g.slug == slug)
    found = []

    def walk(tokens):
        for token in tokens:
            found.append((token["level"], token["name"]))
            walk(token["children"])

    walk(convert(guide.body, PROJECT.glossary, PROJECT.site).toc)
    return found


def test_every_guide_is_in_the_manifest(catalogue):
    manifest = json.loads((catalogue / "manifest.json").read_text())
    kinds = {a["slug"]: a["kind"] for a in manifest["artifacts"]}
    assert sorted(s for s, k in kinds.items() if k == "guide") == sorted(GUIDES)
    assert sorted(s for s, k in kinds.items() if k == "cheatsheet") == \
        sorted(c.slug for c in PROJECT.cheatsheets)
    assert [s for s, k in kinds.items() if k == "glossary"] == [PROJECT.site.glossary["slug"]]


@pytest.mark.parametrize("slug", GUIDES)
def test_outline_mirrors_the_markdown_headings(catalogue, slug):
    reader = open_pdf(catalogue / f"{slug}.pdf")
    assert [(level, title) for level, title, _ in outline(reader)] == \
        headings(slug) + [(1, PROJECT.templates.labels.for_lang(
            next(g for g in PROJECT.guides if g.slug == slug).meta["lang"])["glossary"])]


@pytest.mark.parametrize("slug", GUIDES)
def test_contents_page_numbers_are_where_chapters_land(catalogue, slug):
    reader = open_pdf(catalogue / f"{slug}.pdf")
    landed = [(title, page) for level, title, page in outline(reader) if level == 1]
    titles = {title for title, _ in landed}
    listed = [(" ".join(t.split()), p) for t, p in contents_entries(reader) if t in titles]
    assert listed == landed


@pytest.mark.parametrize("slug", GUIDES)
def test_every_internal_link_has_a_target(catalogue, slug):
    reader = open_pdf(catalogue / f"{slug}.pdf")
    dests = named_destination_pages(reader)
    for number in range(1, len(reader.pages) + 1):
        for link in links(reader, number):
            assert "dest" not in link or link["dest"] in dests, (number, link)
            assert "uri" not in link or link["uri"].startswith(("https://", "mailto:")), link


@pytest.mark.parametrize("slug", GUIDES)
def test_every_font_is_embedded(catalogue, slug):
    used = fonts(open_pdf(catalogue / f"{slug}.pdf"))
    assert used and all(used.values())
