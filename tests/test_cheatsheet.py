"""Cheat sheets: exactly one page in both paper sizes, every item printed, a QR code that
decodes to the site, and a clear failure when the content cannot fit."""

from __future__ import annotations

import re

import pypdfium2
import pytest
import yaml
import zxingcpp

from guidepress.project import PROJECT_DIR
from conftest import SHEET, make_project, run
from pdfcheck import open_pdf, page_size, text

SHIPPED = sorted(p.stem for p in (PROJECT_DIR / "cheatsheets").glob("*.yaml"))


def squash(value: str) -> str:
    """Text without whitespace or hyphenation, for comparing wrapped PDF text."""
    return re.sub(r"[\s\u00ad]+", "", value.replace("\u2019", "'").replace("\u201c", '"')
                  .replace("\u201d", '"'))


def qr_payloads(path) -> list[str]:
    """Decode every QR code on the first page of a PDF, rasterised at 200 dpi."""
    page = pypdfium2.PdfDocument(str(path))[0]
    image = page.render(scale=200 / 72).to_pil()
    return [code.text for code in zxingcpp.read_barcodes(image)]


@pytest.mark.parametrize("slug", SHIPPED)
@pytest.mark.parametrize("paper, size", [("a4", (595.3, 841.9)), ("letter", (612.0, 792.0))])
def test_shipped_sheet_is_exactly_one_page(catalogue, tmp_path, capsys, slug, paper, size):
    if paper == "a4":
        path = catalogue / f"{slug}.pdf"
    else:
        root = catalogue.parent
        code, out, _ = run(capsys, "build", slug, "--root", str(root), "--paper", "letter",
                           "--out", str(tmp_path))
        assert code == 0
        path = tmp_path / f"{slug}-letter.pdf"
    reader = open_pdf(path)
    assert len(reader.pages) == 1
    assert page_size(reader) == size


@pytest.mark.parametrize("slug", SHIPPED)
def test_every_item_of_the_shipped_sheet_is_printed(catalogue, slug):
    source = yaml.safe_load((PROJECT_DIR / "cheatsheets" / f"{slug}.yaml").read_text())
    printed = squash(text(open_pdf(catalogue / f"{slug}.pdf"), 1))
    expected = [source["title"], source["subtitle"], source["version"]]
    for section in source["sections"]:
        expected.append(section["title"])
        for kind in ("items", "prompts", "steps", "pairs"):
            for entry in section.get(kind, []):
                expected += [str(v) for v in entry.values()]
    for item in expected:
        assert squash(item) in printed, item


@pytest.mark.parametrize("slug", SHIPPED)
def test_sheet_terms_quote_the_glossary(catalogue, slug):
    from guidepress.errors import Collector
    from guidepress.glossary import load_glossary
    source = yaml.safe_load((PROJECT_DIR / "cheatsheets" / f"{slug}.yaml").read_text())
    glossary = load_glossary(PROJECT_DIR, Collector()).for_lang(source.get("lang"))
    printed = squash(text(open_pdf(catalogue / f"{slug}.pdf"), 1))
    for section in source["sections"]:
        for name in section.get("terms", []):
            term = glossary.terms[glossary.resolve(name)]
            assert squash(f"{term.term}:{term.short}") in printed


@pytest.mark.parametrize("slug", SHIPPED)
def test_qr_code_decodes_to_the_site(catalogue, slug):
    site = yaml.safe_load((PROJECT_DIR / "site.yaml").read_text())
    assert qr_payloads(catalogue / f"{slug}.pdf") == [site["url"]]


def test_sheet_build_reports_the_size_and_passes(tmp_path, capsys):
    root = make_project(tmp_path / "site", {"cheatsheets/test-sheet.yaml": SHEET})
    code, out, _ = run(capsys, "build", "test-sheet", "--root", str(root))
    assert code == 0
    match = re.search(r"1 page, \d+ KiB, [\d.]+ s, ([\d.]+) pt after (\d+) layout passes", out)
    assert match, out
    # Little content: the fit takes the ceiling at once (one pass) and lays out once more.
    assert (float(match.group(1)), int(match.group(2))) == (10.5, 2)
    reader = open_pdf(root / "dist" / "test-sheet.pdf")
    assert len(reader.pages) == 1
    assert reader.metadata.title == "Test Sheet"


def test_a_sheet_that_cannot_fit_fails_and_writes_nothing(tmp_path, capsys):
    long_items = "\n".join(
        f"      - {{label: Item {n}., text: {'A long explanation that takes room. ' * 6}}}"
        for n in range(14))
    sections = "\n".join(f"  - title: Section {n}\n    items:\n{long_items}" for n in range(4))
    source = SHEET.split("sections:")[0] + "sections:\n" + sections + "\n"
    root = make_project(tmp_path / "site", {"cheatsheets/test-sheet.yaml": source})
    code, out, err = run(capsys, "build", "test-sheet", "--root", str(root))
    assert code == 1
    lines = err.splitlines()
    assert lines[0] == f"failed {root / 'dist' / 'test-sheet.pdf'}"
    assert re.fullmatch(
        r"cheatsheets/test-sheet.yaml:\d+: does not fit on one page even at the 7.5 pt floor: "
        r"it overflows by \d+ mm; these sections do not fit: 'Section \d', .*'Section 3'\. "
        r"Shorten it, or lower min_font_size", lines[1]), lines[1]
    assert not (root / "dist" / "test-sheet.pdf").exists()


CHECKS = {
    "unknown term": ("    terms: [token, prompts]", "    terms: [token, promt]",
                     "cheatsheets/test-sheet.yaml:8: unknown glossary term 'promt' "
                     "(did you mean 'prompt'?); a new term goes in a file in glossary/"),
    "missing key": ('summary: One page for the test suite.\n', "",
                    "cheatsheets/test-sheet.yaml:1: missing cheat sheet key 'summary'"),
    "unknown key": ('version: "2.1"', 'version: "2.1"\ncolour: red',
                    "cheatsheets/test-sheet.yaml:5: unknown cheat sheet key 'colour' (expected "
                    "one of: columns, keywords, lang, max_font_size, min_font_size, reviewed, "
                    "sections, subtitle, summary, title, updated, version)"),
    "item missing text": ("{label: Site., text: Our guides.}", "{label: Site.}",
                          "cheatsheets/test-sheet.yaml:21: missing item key 'text'"),
    "floor above ceiling": ("sections:", "min_font_size: 9\nmax_font_size: 8\nsections:",
                            "cheatsheets/test-sheet.yaml:6: 'min_font_size' (9) is larger than "
                            "'max_font_size' (8)"),
    "empty section": ("  - title: More\n    items:\n      - {label: Site., text: Our guides.}\n",
                      "  - title: More\n",
                      "cheatsheets/test-sheet.yaml:19: section 'More' is empty: give it "
                      "terms, items, prompts, pairs, steps or a framework"),
}


@pytest.mark.parametrize("name", CHECKS)
def test_sheet_sources_are_checked(tmp_path, capsys, name):
    old, new, expected = CHECKS[name]
    assert old in SHEET
    root = make_project(tmp_path / "site", {"cheatsheets/test-sheet.yaml": SHEET.replace(old, new)})
    code, _, err = run(capsys, "check", "--root", str(root))
    assert (code, err.splitlines()[:-1]) == (1, [expected])
