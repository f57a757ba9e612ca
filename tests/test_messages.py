"""Messages a non-programmer can act on: what is wrong, in plain words, and what to do; one
mistake gives one problem."""

from __future__ import annotations

import pytest

from conftest import GLOSSARY, GUIDE, SHEET, make_project, run

SVG = ('<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20">'
       '<rect width="40" height="20" fill="#4455aa"/></svg>')

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
         "keywords, lang, reviewed, subtitle, summary, title, updated, version)"]),
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
    "a wrong-case image path": (
        {"guides/alpha.md": GUIDE + "\n![A flow](Images/Flow.SVG)\n", "guides/images/flow.svg": SVG},
        ["guides/alpha.md:24:9: image 'Images/Flow.SVG' does not exist (did you mean "
         "'images/flow.svg'?)"]),
    "a misspelt image name": (
        {"guides/alpha.md": GUIDE + "\n![A flow](images/flwo.svg)\n", "guides/images/flow.svg": SVG},
        ["guides/alpha.md:24:9: image 'images/flwo.svg' does not exist (did you mean "
         "'images/flow.svg'?)"]),
    "an unknown term like none there": (
        {"guides/alpha.md": GUIDE + "\nA [[zebra crossing]].\n"},
        ["guides/alpha.md:24:3: unknown glossary term 'zebra crossing': add it to a file in "
         "glossary/, or link one of: prompt, token"]),
    "a callout whose text is not indented": (
        {"guides/alpha.md": GUIDE + "\n!!! tip\nNot indented.\n"},
        ["guides/alpha.md:24: this '!!! tip' callout has no text, so it would print as an empty "
         "box: indent its text by four spaces under this line"]),
    "an alert GitHub does not know": (
        {"guides/alpha.md": GUIDE + "\n> [!TODO]\n> Finish.\n"},
        ["guides/alpha.md:24: '[!TODO]' is not an alert GitHub knows, so it would print as a "
         "plain quote: use one of [!NOTE], [!TIP], [!IMPORTANT], [!WARNING], [!CAUTION]"]),
    "a second front matter": (
        {"guides/alpha.md": GUIDE.replace("---\n# First", "---\n\n---\nauthor: Me\n---\n# First")},
        ["guides/alpha.md:11: a second front-matter block, which would print as text: move its "
         "lines into the front matter at the top of the file and delete this one"]),
    "a template tag from another tool": (
        {"guides/alpha.md": GUIDE + "\nSee {% include note.html %} here; `{{ kept }}` is code.\n"},
        ["guides/alpha.md:24:5: '{% include note.html %}' is a template tag from another tool, "
         "which the PDF would print as it is: delete it, or put it in `backticks` to show it as "
         "code"]),
    "a skipped heading level": (
        {"guides/alpha.md": GUIDE + "\n#### Deep\n"},
        ["guides/alpha.md:24: this heading skips a level (# to ####): make it ##, or add the "
         "level in between"]),
    "a link in a heading": (
        {"guides/alpha.md": GUIDE + "\n## See [[token]]\n"},
        ["guides/alpha.md:24: a heading may not hold a link (it is also a bookmark and a "
         "contents entry): put the link in the text under it"]),
    "a footnote call with no footnote": (
        {"guides/alpha.md": GUIDE + "\nA claim.[^2]\n\n```\n[^3] in code\n```\n"},
        ["guides/alpha.md:24:9: footnote '[^2]' has no footnote: add a line '[^2]: the note's "
         "text' below the paragraph"]),
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
