"""Lists as GitHub reads them (guidepress/mdext/gfm_lists.py): Markdown and the HTML it gives."""

from __future__ import annotations

import pytest

from test_gfm import html

@pytest.mark.parametrize("source, expected", [
    # A list right after a paragraph, as people write them.
    ("Topics:\n- a\n- b\n", "<p>Topics:</p>\n<ul>\n<li>a</li>\n<li>b</li>\n</ul>"),
    ("We cover:\n1. one\n2. two\n", "<p>We cover:</p>\n<ol>\n<li>one</li>\n<li>two</li>\n</ol>"),
    # Only a list that starts at 1 may: "2." goes on with the paragraph.
    ("text\n2. not a list\n", "<p>text\n2. not a list</p>"),
    # Nesting by the content column of the item above: 2 under "- ", 3 under "1. ", 4 under "10. ".
    ("- a\n  - b\n    - c\n",
     "<ul>\n<li>a<ul>\n<li>b<ul>\n<li>c</li>\n</ul>\n</li>\n</ul>\n</li>\n</ul>"),
    ("1. a\n   1. b\n", "<ol>\n<li>a<ol>\n<li>b</li>\n</ol>\n</li>\n</ol>"),
    ("- a\n    - b\n", "<ul>\n<li>a<ul>\n<li>b</li>\n</ul>\n</li>\n</ul>"),
    ("10. a\n    - b\n",
     '<ol start="10" style="counter-reset: list-item 9;">\n<li>a<ul>\n<li>b</li>\n</ul>\n</li>\n'
     "</ol>"),
    # One space is not enough to nest.
    ("- a\n - b\n", "<ul>\n<li>a</li>\n<li>b</li>\n</ul>"),
    # Another bullet, or another sort of list, starts a new list.
    ("- a\n* b\n", "<ul>\n<li>a</li>\n</ul>\n<!-- -->\n<ul>\n<li>b</li>\n</ul>"),
    ("- a\n2. b\n",
     '<ul>\n<li>a</li>\n</ul>\n<ol start="2" style="counter-reset: list-item 1;">\n<li>b</li>\n'
     "</ol>"),
    ("1) a\n2) b\n", "<ol>\n<li>a</li>\n<li>b</li>\n</ol>"),
    ("- - a\n", "<ul>\n<li>\n<ul>\n<li>a</li>\n</ul>\n</li>\n</ul>"),
    # Loose (a blank line between items, or between two blocks of an item) or tight: the
    # whole list, as on GitHub.
    ("- a\n\n- b\n", "<ul>\n<li>\n<p>a</p>\n</li>\n<li>\n<p>b</p>\n</li>\n</ul>"),
    ("1. a\n\n   more\n2. b\n",
     "<ol>\n<li>\n<p>a</p>\n<p>more</p>\n</li>\n<li>\n<p>b</p>\n</li>\n</ol>"),
    ("- a\n  - b\n\n  - c\n- d\n",
     "<ul>\n<li>a\n<ul>\n<li>\n<p>b</p>\n</li>\n<li>\n<p>c</p>\n</li>\n</ul>\n</li>\n"
     "<li>d\n</li>\n</ul>"),
    # Code fenced inside an item, tight or loose.
    ("- ```\n  x\n  ```\n",
     '<ul>\n<li><div class="highlight"><pre><span></span><code>x\n</code></pre></div>\n\n</li>\n'
     "</ul>"),
    ("1. Run:\n\n   ```\n   make\n   ```\n2. Done.\n",
     '<ol>\n<li>\n<p>Run:</p>\n<div class="highlight"><pre><span></span><code>make\n</code></pre>'
     "</div>\n\n</li>\n<li>\n<p>Done.</p>\n</li>\n</ol>"),
    # Lists in quotes; two quotes stay two.
    ("> 1. a\n>    - b\n",
     "<blockquote>\n<ol>\n<li>a<ul>\n<li>b</li>\n</ul>\n</li>\n</ol>\n</blockquote>"),
    ("> a\n\n> b\n",
     "<blockquote>\n<p>a</p>\n</blockquote>\n<blockquote>\n<p>b</p>\n</blockquote>"),
    # What is not a list stays as it was.
    ("    code\n- a\n",
     '<div class="highlight"><pre><span></span><code>code\n</code></pre></div>\n\n<ul>\n'
     "<li>a</li>\n</ul>"),
    ("```\n- a\n  - b\n```\n",
     '<div class="highlight"><pre><span></span><code>- a\n  - b\n</code></pre></div>'),
    ("<div>\n- a\n  - b\n</div>\n", "<div>\n- a\n  - b\n</div>"),
    ("#5 ways\n", "<p>#5 ways</p>"),
])
def test_lists_read_as_on_github(source, expected):
    assert html(source) == expected


def test_task_items_nest_by_two_spaces():
    out = html("- [ ] a\n  - [x] b\n")
    assert out.count('<ul class="task-list">') == 2 and out.count("checked") == 1
    assert out.index("a<ul") < out.index("checked")


def test_lists_nest_inside_callouts():
    out = html("!!! takeaways\n    Key points:\n    - a\n      - b\n")
    assert "<p>Key points:</p>\n<ul>\n<li>a<ul>\n<li>b</li>\n</ul>\n</li>\n</ul>" in out


def test_prompts_and_footnotes_are_kept_as_written():
    prompt = html('!!! prompt "P"\n    - keep\n      this\n')
    assert "- keep\n  this\n" in prompt
    assert html("Text.[^1]\n\n[^1]: Note:\n    - a\n    - b\n") == (
        '<p>Text.<gp-footnote class="footnote" id="gp--note-1">Note:\n- a\n- b</gp-footnote></p>')


def test_glossary_links_in_nested_items_still_link():
    from guidepress.convert import convert
    from guidepress.glossary import Glossary, Term
    from test_gfm import SITE
    term = Term(slug="token", term="Token", short="s", definition="d", category="basics",
                aliases=[], related=[], misconception=None, example=None)
    glossary = Glossary(terms={"token": term}, names={"token": "token"})
    converted = convert("Words:\n- a\n  - a [[token]] here\n", glossary, SITE)
    assert converted.uses["token"] == 1
    assert converted.html.count("<ul>") == 2
