"""Typography of the text that comes from YAML: the glossary book, a cheat sheet, a guide's
cover and the downloads page print curly quotes, apostrophes and dashes in prose, as the
guides' Markdown does, in the marks of their language; code, prompts and addresses keep
what was written, and Japanese text is printed as written."""

from __future__ import annotations

import re

import pytest

from conftest import GLOSSARY, GUIDE, SHEET, SITE, make_project
from guidepress.cli import main
from guidepress.typography import smarten
from pdfcheck import open_pdf, text

CODE = 'print("it\'s")'
PROMPT = 'Reply "yes" or "no" -- don\'t explain... just answer.'

BOOK = ("glossary:\n  slug: words\n  title: Ann's Words\n  subtitle: All of them\n"
        "  summary: The \"words\" we use.\n  version: '1'\n  updated: 2026-10-01\n")
TERMS = GLOSSARY.replace(
    "definition: A token is a piece of text, often part of a word.",
    "definition: >\n    A token is a piece of text: \"unbelievable\" may be \"un\" and\n"
    "    \"believable\". It's what the model reads -- and writes.\n"
    "  example: Type `" + CODE + "` and count the model's tokens.")
SITE_TEXT = SITE.replace("about: We write guides for tests.",
                         "about: We write guides for tests. It's our \"job\".")
SUBTITLE = "subtitle: \"Ann's \\\"short\\\" guide\"\nsummary: The suite's guide."
#: A cheat sheet whose prose and prompt both hold straight quotes.
ENGLISH_SHEET = (SHEET.replace("title: Test Sheet", "title: Ann's Sheet")
                 .replace('{label: Explain, text: "Explain [topic] simply."}',
                          "{label: Explain, text: '" + PROMPT.replace("'", "''") + "'}")
                 .replace("{label: Site., text: Our guides.}",
                          "{label: Ask., text: '\"Why?\" beats \"Sure?\"'}")
                 .replace("{do: Check facts., dont: Trust blindly.}",
                          "{do: Check facts., dont: \"Don't trust blindly.\"}"))
SPANISH_SHEET = (SHEET.replace("title: Test Sheet", "title: Hoja de prueba")
                 .replace("{label: Site., text: Our guides.}",
                          "{label: Pregunta., text: 'Di \"¿por qué?\" y no \"vale\".'}")
                 + "lang: es\n")
JAPANESE_SHEET = (SHEET.replace("title: Test Sheet", "title: テスト用シート")
                  .replace("{label: Site., text: Our guides.}",
                           "{label: 質問., text: '「本当に？」より\"根拠は？\"と聞く。'}")
                  + "lang: ja\n")


@pytest.fixture(scope="module")
def dist(tmp_path_factory):
    """A small project, built once: a guide, the glossary book and three cheat sheets."""
    root = make_project(tmp_path_factory.mktemp("typography") / "site", {
        "site.yaml": SITE_TEXT + BOOK,
        "glossary/terms.yaml": TERMS,
        "guides/alpha.md": GUIDE.replace(
            "subtitle: A short guide for tests\nsummary: A guide used by the test suite.",
            SUBTITLE),
        "cheatsheets/sheet.yaml": ENGLISH_SHEET,
        "cheatsheets/hoja.yaml": SPANISH_SHEET,
        "cheatsheets/nihongo.yaml": JAPANESE_SHEET})
    assert main(["build", "--root", str(root), "-q"]) == 0
    return root / "dist"


def printed(path) -> str:
    """All the text of a PDF, its lines joined by spaces (soft hyphens taken out)."""
    reader = open_pdf(path)
    whole = " ".join(text(reader, n) for n in range(1, len(reader.pages) + 1))
    return " ".join(whole.replace("\u00ad", "").split())


def squashed(value: str) -> str:
    """Text without any whitespace: a box wraps long lines anywhere."""
    return re.sub(r"\s+", "", value)


def straight(value: str) -> int:
    return value.count("'") + value.count('"')


@pytest.mark.parametrize("source, lang, expected", [
    ("\"Why?\" beats \"Sure?\" -- it's the '90s...", "en", "“Why?” beats “Sure?” – it’s the ’90s…"),
    ('Di "hola" y ya', "es", "Di «hola» y ya"),
    ('Sag "ja", geht\'s', "de-AT", "Sag „ja“, geht’s"),
    ('「本当に？」 "x" it\'s -- ok...', "ja", '「本当に？」 "x" it\'s -- ok...'),
    ('Type `say("hi") -- ok` at https://a.example/x--y\'z, "done".', "en",
     'Type `say("hi") -- ok` at https://a.example/x--y\'z, “done”.'),
])
def test_smarten(source, lang, expected):
    assert smarten(source, lang) == expected


def test_the_glossary_book_prints_curly_quotes_in_prose_and_straight_in_code(dist):
    book = printed(dist / "words.pdf")
    assert "“unbelievable” may be “un” and “believable”. It’s what the model reads – and " \
           "writes." in book
    assert f"Type `{CODE}` and count the model’s tokens." in book
    assert "It’s our “job”." in book  # site.yaml's texts, on the back page
    # The code is the one place with straight quotes.
    assert straight(book) == straight(CODE)
    assert "&" not in book


def test_the_pdf_metadata_holds_the_characters_themselves(dist):
    book = open_pdf(dist / "words.pdf").metadata
    assert (book.title, book.subject) == ("Ann’s Words", "The “words” we use.")
    guide = open_pdf(dist / "alpha.pdf")
    assert guide.metadata.subject == "The suite’s guide."
    assert "Ann’s “short” guide" in " ".join(text(guide, 1).split())  # the cover


def test_a_cheat_sheet_prints_curly_prose_and_its_prompt_as_written(dist):
    sheet = printed(dist / "sheet.pdf")
    assert "Ann’s Sheet" in sheet
    assert "“Why?” beats “Sure?”" in sheet
    assert "Don’t trust blindly." in sheet
    assert "Don’t" in sheet.split("Check facts.")[0]  # the label over the column
    # What the reader copies out of the prompt box is what was written.
    assert squashed(PROMPT) in squashed(sheet)
    assert straight(sheet) == straight(PROMPT)
    assert len(open_pdf(dist / "sheet.pdf").pages) == 1


def test_spanish_prose_gets_angled_quotes(dist):
    sheet = printed(dist / "hoja.pdf")
    assert "Di «¿por qué?» y no «vale»." in sheet
    assert squashed("Explain [topic] simply.") in squashed(sheet)


def test_japanese_text_is_printed_as_written(dist):
    sheet = squashed(printed(dist / "nihongo.pdf"))
    assert "「本当に？」より\"根拠は？\"と聞く。" in sheet
    assert "“" not in sheet and "«" not in sheet


def test_the_downloads_page_prints_the_characters_without_entities(dist):
    page = (dist / "index.html").read_text("utf-8")
    assert "<h2>Ann’s Sheet</h2>" in page or "<h3>Ann’s Sheet</h3>" in page
    assert 'alt="Cover of Ann’s Sheet"' in page
    assert "The “words” we use." in page
    assert "Ann's" not in page and "Ann&#39;s" not in page
    assert "&rsquo;" not in page and "&#8217;" not in page


def test_a_guide_body_takes_its_languages_quotes_as_its_yaml_does():
    from guidepress.convert import convert
    from guidepress.errors import Collector
    from guidepress.project import PROJECT_DIR, load_project
    project = load_project(PROJECT_DIR, Collector())
    text = 'Escribe "hola" y `"code"`.'
    spanish = convert(text, project.glossary, project.site, lang="es").html
    assert "«hola»" in spanish and '"code"' in spanish.replace("&quot;", '"'), spanish
    english = convert(text, project.glossary, project.site, lang="en").html
    assert "&ldquo;hola&rdquo;" in english, english
