"""Messages a non-programmer can act on: what is wrong, in plain words, and what to do; one
mistake gives one problem."""

from __future__ import annotations

import pytest

from conftest import GLOSSARY, GUIDE, SHEET, make_project, run

CASES = {
    "an unquoted colon in a title": (
        {"guides/alpha.md": GUIDE.replace("title: Alpha Guide", "title: Alpha: the guide")},
        ["guides/alpha.md:2:13: invalid YAML: a colon followed by a space here makes YAML "
         "start a new key; if the colon is part of the text, put the whole text in quotes, "
         'like title: "Alpha: the guide"']),
    "a misspelt front-matter key": (
        {"guides/alpha.md": GUIDE.replace("subtitle:", "subtitel:")},
        ["guides/alpha.md:3: unknown front-matter key 'subtitel' (did you mean 'subtitle'?)"]),
    "a key that is nothing like any": (
        {"guides/alpha.md": GUIDE.replace("subtitle: A short guide for tests\n",
                                          "subtitle: A short guide for tests\ncolour: red\n")},
        ["guides/alpha.md:4: unknown front-matter key 'colour' (expected one of: audience, "
         "keywords, lang, subtitle, summary, title, updated, version)"]),
    "a tab in one glossary file does not make its terms missing elsewhere": (
        {"glossary/more.yaml": "- slug: extra\n  term: Extra\n\tshort: x\n",
         "glossary/terms.yaml": GLOSSARY.replace("related: [prompt]", "related: [prompt, extra]"),
         "cheatsheets/sheet.yaml": SHEET.replace("terms: [token, prompts]",
                                                 "terms: [token, extra]")},
        ["glossary/more.yaml:3:1: invalid YAML: a tab cannot indent YAML: indent with spaces "
         "instead"]),
    "a broken entry is not also an unknown related term": (
        {"glossary/more.yaml": "- slug: extra\n  term: Extra\n",
         "glossary/terms.yaml": GLOSSARY.replace("related: [prompt]", "related: [prompt, extra]")},
        ["glossary/more.yaml:1: missing glossary key 'short'",
         "glossary/more.yaml:1: missing glossary key 'definition'",
         "glossary/more.yaml:1: missing glossary key 'category'"]),
}


@pytest.mark.parametrize("name", list(CASES))
def test_one_plain_problem_per_mistake(tmp_path, capsys, name):
    files, expected = CASES[name]
    root = make_project(tmp_path / "site", files)
    code, _, err = run(capsys, "check", "--root", str(root))
    assert code == 1
    count = len(expected)
    assert err.splitlines() == sorted(expected) + [
        f"{count} problem{'s' if count != 1 else ''} found."]
