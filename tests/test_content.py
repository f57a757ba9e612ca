"""The catalogue says what the brief asks for: checked on the sources, for every guide."""

from __future__ import annotations

import re

import pytest
import yaml

from guidepress.errors import Collector
from guidepress.project import PROJECT_DIR, load_project
from guidepress.stats import guide_stats, prose

PROJECT = load_project(PROJECT_DIR, Collector())
GUIDES = {guide.slug: guide for guide in PROJECT.guides if guide.meta["lang"] == "en"}
TRANSLATIONS = {guide.slug: guide for guide in PROJECT.guides if guide.meta["lang"] != "en"}
STACK = {
    "Situation": "What is going on, and what background does the assistant need?",
    "Task": "What exactly do you want it to do?",
    "Audience": "Who is the result for?",
    "Constraints": "What limits apply: length, tone, format, things to avoid?",
    "Knowledge": "What facts, examples or material of yours should it work from?",
}


def test_the_four_guides_ship():
    assert sorted(GUIDES) == ["chatgpt", "claude", "gemini", "grok"]


@pytest.mark.parametrize("slug", sorted(GUIDES))
def test_guide_has_what_the_brief_asks_for(slug):
    guide = GUIDES[slug]
    stats = guide_stats(PROJECT, guide)
    assert stats.prompts >= 8
    assert stats.glance_boxes == 1
    assert stats.terms >= 15
    assert guide.body.count("!!! takeaways") >= 3
    headings = re.findall(r"^# (.+)$", guide.body, flags=re.M)
    assert "Common misconceptions" in headings
    assert "Frequently asked questions" in headings
    assert headings[-1] == "Quick reference"


@pytest.mark.parametrize("slug", sorted(GUIDES))
def test_guide_reads_as_plain_english(slug):
    stats = guide_stats(PROJECT, GUIDES[slug])
    assert stats.reading_ease >= 60, stats


@pytest.mark.parametrize("slug", sorted(GUIDES))
def test_stack_is_the_same_in_every_guide(slug):
    body = GUIDES[slug].body
    for letter, question in STACK.items():
        assert letter in body and question in body, (letter, question)
    assert "[[stack-framework" in body


@pytest.mark.parametrize("slug", sorted(TRANSLATIONS))
def test_a_translated_guide_keeps_its_sources_shape(slug):
    """The same chapters, sections, callouts, prompts and glossary terms as the English."""
    guide = TRANSLATIONS[slug]
    source = GUIDES[guide.meta["translation_of"]]

    def shape(body):
        return ([len(re.findall(rf"^{'#' * level} ", body, flags=re.M)) for level in (1, 2, 3)],
                re.findall(r"^!!! (\w+)", body, flags=re.M),
                sorted(set(re.findall(r"\[\[([^]|]+)", body))))
    assert shape(guide.body) == shape(source.body)


def test_the_cheat_sheet_teaches_the_same_stack():
    # printed from frameworks.yaml (framework: stack), as the cheat-sheet engine expands it
    sheet = next(s for s in PROJECT.cheatsheets if s.slug == "ai-cheat-sheet")
    steps = [step for section in sheet.sections for step in section.steps]
    assert [(s["label"], s["title"].rstrip("."), s["text"]) for s in steps] == \
        [(name[0], name, question) for name, question in STACK.items()]
    definition = PROJECT.glossary.terms["stack-framework"].definition
    assert all(name in definition for name in STACK)


def test_the_glossary_is_complete_enough():
    terms = list(PROJECT.glossary.terms.values())
    assert len(terms) >= 60
    assert all(t.short and t.definition and t.aliases and t.category and t.related for t in terms)
    assert sum(1 for t in terms if t.misconception or t.example) >= len(terms) / 2


def test_dated_facts_live_only_in_the_glance_box():
    """Prices and plan names change: the brief keeps them in the one dated box."""
    for slug, guide in GUIDES.items():
        outside = re.sub(r"!!! glance.*?(?=\n\S)", "", guide.body, flags=re.S)
        assert not re.search(r"[$£€]\s?\d", outside), slug


def test_prose_extraction_keeps_sentences_apart():
    assert prose("<p>One</p><ul><li>Two</li></ul>").split() == ["One.", "Two."]
