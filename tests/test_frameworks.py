"""The brand's frameworks: frameworks.yaml, the cards that print them, the same words everywhere."""

from __future__ import annotations

import json
import re

import pytest

from guidepress.errors import Collector
from guidepress.frameworks import load_frameworks
from guidepress.project import PROJECT_DIR
from conftest import SHEET, make_project, run
from pdfcheck import open_pdf, text

FRAMEWORKS = """\
- slug: ask
  name: ASK
  purpose: prompting
  title: Ask well
  summary: Three questions before you ask.
  letters:
    - letter: A
      word: Aim
      question: What do you want to get?
      prompt: "Help me get [result]."
    - letter: S
      word: Setting
      question: What is the background?
      prompt: "Here is the background: [facts]."
    - letter: K
      word: Keep
      question: What must stay as it is?
      prompt: "Keep [thing] unchanged."
"""

CARD = """\
title: The ASK framework
subtitle: Three questions
summary: A card for tests.
version: "1.0"
updated: 2026-11-02
reviewed: 2026-11-02
columns: 2
sections:
  - title: The three steps
    framework: ask
  - title: A prompt for each letter
    framework_prompts: ask
"""


def line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.split("\n"), 1) if needle in line)


def test_a_card_prints_the_letters_and_prompts_from_frameworks_yaml(tmp_path, capsys):
    root = make_project(tmp_path / "site", {"frameworks.yaml": FRAMEWORKS,
                                            "cheatsheets/ask-card.yaml": CARD})
    code, _, err = run(capsys, "build", "--root", str(root), "-q")
    assert code == 0, err
    reader = open_pdf(root / "dist" / "ask-card.pdf")
    assert len(reader.pages) == 1
    page = " ".join(text(reader, 1).split())
    for part in ("Aim. What do you want to get?", "Setting. What is the background?",
                 "Keep. What must stay as it is?", "A – Aim", "Help me get [result].",
                 "K – Keep", "Keep [thing] unchanged.", "Reviewed 2 November 2026"):
        assert part in page, part
    # The guide's back page points to the frameworks.
    guide = open_pdf(root / "dist" / "alpha.pdf")
    back = " ".join(text(guide, len(guide.pages)).split())
    assert "Our frameworks" in back and "ASK prompting" in back


def test_editing_frameworks_yaml_rebuilds_what_prints_it(tmp_path, capsys):
    root = make_project(tmp_path / "site", {"frameworks.yaml": FRAMEWORKS,
                                            "cheatsheets/ask-card.yaml": CARD})
    assert run(capsys, "build", "--root", str(root), "-q")[0] == 0
    (root / "frameworks.yaml").write_text(FRAMEWORKS.replace("What is the background?",
                                                             "What is going on?"))
    code, out, _ = run(capsys, "build", "--root", str(root))
    assert code == 0 and "0 up to date" in out
    page = " ".join(text(open_pdf(root / "dist" / "ask-card.pdf"), 1).split())
    assert "Setting. What is going on?" in page


@pytest.mark.parametrize("old, new, needle, message", [
    ("      word: Setting", "      word: Background", "- letter: S",
     "the word 'Background' does not start with its letter 'S'"),
    ("    - letter: K\n      word: Keep\n      question: What must stay as it is?\n"
     "      prompt: \"Keep [thing] unchanged.\"\n", "", "  letters:",
     "the letters of 'ASK' spell 'AS': give one letter per capital of the name, in order"),
    ("  name: ASK", "  name: Ask", "  name: Ask",
     "the framework name 'Ask' must be written in capital letters only, like STACK"),
    ("      question: What do you want to get?\n", "", "- letter: A",
     "missing letter key 'question'"),
])
def test_a_framework_that_is_not_well_formed_is_a_problem_at_its_line(tmp_path, capsys, old,
                                                                     new, needle, message):
    assert old in FRAMEWORKS
    broken = FRAMEWORKS.replace(old, new)
    root = make_project(tmp_path / "site", {"frameworks.yaml": broken,
                                            "cheatsheets/ask-card.yaml": CARD})
    code, _, err = run(capsys, "check", "--root", str(root))
    assert code == 1
    assert f"frameworks.yaml:{line_of(broken, needle)}: {message}" in err


def test_a_section_naming_an_unknown_framework_is_a_problem(tmp_path, capsys):
    card = CARD.replace("framework: ask", "framework: aks")
    root = make_project(tmp_path / "site", {"frameworks.yaml": FRAMEWORKS,
                                            "cheatsheets/ask-card.yaml": card})
    code, _, err = run(capsys, "check", "--root", str(root))
    assert code == 1
    assert f"cheatsheets/ask-card.yaml:{line_of(card, 'framework: aks')}: the framework " \
           "'aks' is not defined in frameworks.yaml: did you mean 'ask'? defined are ask" in err
    root = make_project(tmp_path / "bare", {"cheatsheets/ask-card.yaml": CARD})
    code, _, err = run(capsys, "check", "--root", str(root))
    assert "there is no frameworks.yaml in the content root" in err


def test_a_sheet_without_frameworks_is_unchanged(tmp_path, capsys):
    root = make_project(tmp_path / "site", {"cheatsheets/test-sheet.yaml": SHEET})
    assert run(capsys, "check", "--root", str(root))[0] == 0


# ---- the shipped frameworks ---------------------------------------------------------------

SHIPPED = load_frameworks(PROJECT_DIR, Collector())
NAMES = {"stack": "STACK", "build": "BUILD", "adapt": "ADAPT", "think": "THINK",
         "craft": "CRAFT", "cron": "CRON"}


def test_the_six_frameworks_are_defined_and_stack_is_as_it_was():
    assert {slug: f.name for slug, f in SHIPPED.items()} == NAMES
    stack = [(letter.word, letter.question) for letter in SHIPPED["stack"].letters]
    assert stack == [
        ("Situation", "What is going on, and what background does the assistant need?"),
        ("Task", "What exactly do you want it to do?"),
        ("Audience", "Who is the result for?"),
        ("Constraints", "What limits apply: length, tone, format, things to avoid?"),
        ("Knowledge", "What facts, examples or material of yours should it work from?")]
    for framework in SHIPPED.values():
        for letter in framework.letters:
            assert letter.question.endswith(("?", ".")) and len(letter.prompt.split()) >= 8


def _spelt_out(source: str, name: str):
    """Each framework letter a source spells out as '**S – Situation:** question' (guides)."""
    for match in re.finditer(r"\*\*([A-Z]) [–-] (\w+):\*\* (.+)", source):
        yield match.group(1), match.group(2), match.group(3).strip()


def test_every_guide_that_spells_a_framework_out_uses_its_words():
    checked = 0
    words = {letter.word: letter for f in SHIPPED.values() for letter in f.letters}
    for path in sorted((PROJECT_DIR / "guides").glob("*.md")):
        if re.search(r"\.[a-z]{2}(-\w+)?\.md$", path.name):
            continue  # translations word them in their language
        for letter, word, question in _spelt_out(path.read_text(), ""):
            assert word in words, (path.name, word)
            assert (letter, question) == (words[word].letter, words[word].question), path.name
            checked += 1
    assert checked >= 5


def test_cheat_sheets_print_frameworks_from_the_one_source_and_each_has_a_card():
    for path in sorted((PROJECT_DIR / "cheatsheets").glob("*.yaml")):
        source = path.read_text()
        for framework in SHIPPED.values():
            for letter in framework.letters:
                # nowhere typed out again: a card or sheet names the framework instead
                assert letter.question not in source, (path.name, letter.question)
    for slug in NAMES:
        card = (PROJECT_DIR / "cheatsheets" / f"{slug}-card.yaml").read_text()
        assert f"framework: {slug}" in card and f"framework_prompts: {slug}" in card


def test_the_glossary_entries_of_the_frameworks_use_their_words():
    from guidepress.glossary import load_glossary
    glossary = load_glossary(PROJECT_DIR, Collector())
    for slug, framework in SHIPPED.items():
        term = glossary.terms[f"{slug}-framework"]
        for letter in framework.letters:
            assert letter.word in term.short, (slug, letter.word)
            question = letter.question[0].lower() + letter.question[1:]
            assert f"{letter.word} ({question})" in " ".join(term.definition.split()), \
                (slug, letter.word)


def test_each_card_is_one_page_and_the_guides_point_to_the_cards(catalogue):
    manifest = json.loads((catalogue / "manifest.json").read_text())
    entries = {a["path"]: a for a in manifest["artifacts"]}
    for slug in NAMES:
        entry = entries[f"{slug}-card.pdf"]
        assert entry["pages"] == 1 and entry["reviewed"]
    for guide in ("chatgpt", "claude", "gemini", "grok"):
        reader = open_pdf(catalogue / f"{guide}.pdf")
        back = " ".join(text(reader, len(reader.pages)).split())
        assert all(name in back for name in NAMES.values()), guide
