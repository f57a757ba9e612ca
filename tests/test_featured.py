"""Featured glossary entries: schema-checked part by part, each on its own page of the book."""

from __future__ import annotations

import json

import pytest

from guidepress.errors import Collector
from guidepress.glossary import load_glossary
from guidepress.project import PROJECT_DIR
from conftest import GLOSSARY, SITE, make_project, run
from featured_fixture import DIAGRAM, FEATURED, featured_glossary
from pdfcheck import open_pdf, outline, text

BOOK = """\
glossary:
  slug: test-glossary
  title: Test Glossary
  subtitle: Words
  summary: All terms.
  version: "1.0"
  updated: 2026-11-30
"""

#: The terms the issue names, which must be featured in the shipped glossary.
REQUIRED = ("foundation-model", "large-language-model", "prompt", "token", "context-window",
            "hallucination", "training-data", "fine-tuning", "multimodal", "ai-agent", "bias",
            "generative-ai")


def featured_project(tmp_path, glossary: str | None = None, diagram: str = DIAGRAM):
    return make_project(tmp_path / "site", {
        "site.yaml": SITE + BOOK,
        "glossary/terms.yaml": glossary or featured_glossary(GLOSSARY),
        "glossary/figures/token.svg": diagram})


def line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.split("\n"), 1) if needle in line)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = featured_project(tmp_path_factory.mktemp("featured"))
    from guidepress.cli import main
    assert main(["build", "--root", str(root), "-q"]) == 0
    return root / "dist"


def term_pages(reader) -> list[str]:
    """The text of the pages the featured term Token runs over, its badge to its review."""
    pages = [" ".join(text(reader, n).split()) for n in range(1, len(reader.pages) + 1)]
    first = next(n for n, p in enumerate(pages) if "KEY TERM" in p)
    last = next(n for n, p in enumerate(pages) if "Reviewed 20 November 2026" in p)
    return pages[first:last + 1]


def test_a_featured_term_has_every_part_and_its_own_bookmark(built):
    reader = open_pdf(built / "test-glossary.pdf")
    entry = " ".join(term_pages(reader))
    for part in ("KEY TERM", "Token", "A small chunk of text a model reads and writes.",
                 "How it works", "A model splits text into tokens before it reads it.",
                 "Common words are one token; rare words are several.",
                 "Why it matters", "In practice", "COMMON MISCONCEPTIONS",
                 "A token is a word. Often it is part of a word.", "KEY TAKEAWAYS",
                 "Questions people ask", "How many tokens is a word?", "SOURCES",
                 "Neural Machine Translation of Rare Words with Subword Units",
                 "aclanthology.org/P16-1162/", "Reviewed 20 November 2026",
                 # the diagram's words are text, and its caption is printed
                 "Tokenised", "sentence pieces",
                 "A model reads text as tokens, not as letters or words."):
        assert part in entry, part
    assert ("T", 1) in [(title, level) for level, title, _ in outline(reader)]
    assert (2, "Token") in [(level, title) for level, title, _ in outline(reader)]


def test_a_featured_term_starts_a_page_of_its_own_after_a_full_one(tmp_path):
    # Prompt, the entry before it, fills most of a page: Token starts on a fresh one.
    long = "A prompt is the request or question you give the model. " * 40
    glossary = featured_glossary(GLOSSARY).replace(
        "definition: A prompt is the request or question you give the model.",
        f"definition: {long.strip()}")
    root = featured_project(tmp_path, glossary)
    from guidepress.cli import main
    assert main(["build", "--root", str(root), "-q"]) == 0
    [first, *_] = term_pages(open_pdf(root / "dist" / "test-glossary.pdf"))
    assert first.startswith("T KEY TERM Token") or " T KEY TERM Token" in first
    assert "What you type to ask an AI model for something." not in first


def test_a_featured_term_follows_on_rather_than_strand_a_few_lines(built):
    # Prompt, the entry before it, is three lines: a page of their own would look like a
    # mistake, so Token starts straight after them, its letter and rule above it.
    reader = open_pdf(built / "test-glossary.pdf")
    [first, *_] = term_pages(reader)
    assert "What you type to ask an AI model for something." in first
    assert first.index("Prompt") < first.index("KEY TERM Token")


def test_the_sources_link_out_and_the_diagram_has_its_alt_text(built):
    reader = open_pdf(built / "test-glossary.pdf")
    uris = {a.get_object()["/A"].get("/URI") for page in reader.pages
            for a in page.get("/Annots", []) if a.get_object().get("/A")}
    assert "https://aclanthology.org/P16-1162/" in uris
    alts = [str(node.get_object().get("/Alt")) for node in _struct_nodes(reader)
            if node.get_object().get("/S") == "/Figure"]
    assert "A sentence cut into pieces, each piece a token." in alts


def _struct_nodes(reader):
    stack = [reader.trailer["/Root"]["/StructTreeRoot"].get_object()]
    while stack:
        node = stack.pop()
        yield node
        kids = node.get("/K")
        kids = kids if isinstance(kids, list) else [kids] if kids is not None else []
        stack += [k.get_object() for k in kids if hasattr(k.get_object(), "get")]


def test_the_manifest_and_downloads_page_show_the_books_review_date(built):
    manifest = json.loads((built / "manifest.json").read_text())
    book = next(a for a in manifest["artifacts"] if a["kind"] == "glossary")
    assert book["reviewed"] == "2026-11-20"   # its least recently reviewed featured term
    guide = next(a for a in manifest["artifacts"] if a["kind"] == "guide")
    assert guide["reviewed"] == ""            # it has none
    page = (built / "index.html").read_text()
    assert "Reviewed 20 November 2026" in page and page.count("Reviewed ") == 1


@pytest.mark.parametrize("old, new, needle, message", [
    ("    faq:\n      - q: How many tokens is a word?\n"
     "        a: In English, about one and a third on average.\n", "", "  featured:",
     "missing featured key 'faq'"),
    ("        truth: Often it is part of a word.\n", "", "      - myth: A token is a word.",
     "missing featured misconceptions item key 'truth'"),
    ("      - myth: Tokens are the same in every language.\n"
     "        truth: Some languages need more tokens for the same meaning.\n", "",
     "    misconceptions:", "featured key 'misconceptions' has 1 item; write 2 to 5"),
    ("url: https://aclanthology.org/P16-1162/", "url: http://aclanthology.org/P16-1162/",
     "url: http://", "featured sources item key 'url' must be the source's full web address "
                     "starting with https://"),
    ("file: figures/token.svg", "file: figures/tokens.svg", "file: figures/tokens.svg",
     "diagram 'figures/tokens.svg' does not exist (looked for glossary/figures/tokens.svg): "
     "draw it, or correct the name"),
    ("file: figures/token.svg", "file: ../../secret.svg", "file: ../../secret.svg",
     "diagram '../../secret.svg' is outside the content root"),
    ("    reviewed: 2026-11-20\n", "    reviewed: 2026-11-31\n", "reviewed: 2026-11-31",
     "featured key 'reviewed' has '2026-11-31', which is not a real date"),
    ("    why_it_matters:", "    why_it_maters:", "why_it_maters",
     "unknown featured key 'why_it_maters' (did you mean 'why_it_matters'?)"),
])
def test_a_featured_term_missing_a_part_is_a_problem_at_its_line(tmp_path, capsys, old, new,
                                                                 needle, message):
    source = featured_glossary(GLOSSARY)
    assert old in source
    broken = source.replace(old, new)
    root = featured_project(tmp_path, broken)
    code, out, err = run(capsys, "check", "--root", str(root))
    assert code == 1
    expected = f"glossary/terms.yaml:{line_of(broken, needle)}: {message}"
    assert any(line.startswith(expected) for line in err.splitlines()), err
    assert not (root / "dist").exists()


def test_a_diagram_colour_that_is_no_brand_token_is_a_problem_at_the_svg_line(tmp_path,
                                                                              capsys):
    diagram = DIAGRAM.replace('fill="var(--accent)"', 'fill="var(--acent)"')
    root = featured_project(tmp_path, diagram=diagram)
    code, _, err = run(capsys, "check", "--root", str(root))
    assert code == 1
    assert f"glossary/figures/token.svg:{line_of(diagram, '--acent')}: the colour " \
           "var(--acent) is not a brand token in styles/tokens.css: did you mean " \
           "'--accent'?" in err


def test_a_damaged_diagram_is_a_problem(tmp_path, capsys):
    root = featured_project(tmp_path, diagram="<svg><rect></svg>")
    code, _, err = run(capsys, "check", "--root", str(root))
    assert code == 1
    assert "diagram 'figures/token.svg' is not a well-formed SVG file" in err


def test_a_translation_cannot_feature_a_term(tmp_path, capsys):
    root = featured_project(tmp_path)
    (root / "glossary" / "es").mkdir()
    (root / "glossary" / "es" / "terms.yaml").write_text(
        "- slug: token\n  term: Token\n  short: Un trozo de texto.\n  definition: Un trozo.\n"
        + FEATURED)
    code, _, err = run(capsys, "check", "--root", str(root))
    assert code == 1 and "unknown glossary translation key 'featured'" in err


# ---- the shipped glossary ---------------------------------------------------------------

SHIPPED = load_glossary(PROJECT_DIR, Collector())


def test_the_shipped_glossary_features_the_key_terms_in_full():
    featured = {slug for slug, term in SHIPPED.terms.items() if term.featured}
    assert set(REQUIRED) <= featured
    assert len(SHIPPED.terms) >= 60
    for slug in featured:
        entry = SHIPPED.terms[slug].featured
        assert len(entry.misconceptions) >= 2 and len(entry.takeaways) >= 2 and entry.faq
        assert all(url.startswith("https://") and title and publisher
                   for title, publisher, url in entry.sources), slug
        assert entry.diagram.path.suffix == ".svg", slug
        assert entry.diagram.alt and entry.diagram.caption


def test_each_featured_term_in_the_shipped_book_fills_its_own_pages(catalogue):
    manifest = json.loads((catalogue / "manifest.json").read_text())
    entry = next(a for a in manifest["artifacts"] if a["kind"] == "glossary")
    reader = open_pdf(catalogue / entry["path"])
    pages = [" ".join(text(reader, n).split()) for n in range(1, len(reader.pages) + 1)]
    for slug in REQUIRED:
        term = SHIPPED.terms[slug]
        [start] = [n for n, page in enumerate(pages) if term.featured.how_it_works[0][:60]
                   in page]
        # the page holds this term's short definition and no other term's
        others = [t for t in SHIPPED.terms.values() if t.slug != slug
                  and " ".join(t.short.split()) in pages[start]]
        assert not others, (slug, [t.slug for t in others])
        assert " ".join(term.short.split()) in pages[start]
