"""Markdown to HTML, one extension at a time: small source and expected pairs."""

from __future__ import annotations

import re

import pytest

from guidepress.config import load_site
from guidepress.convert import convert
from guidepress.errors import Collector
from guidepress.glossary import load_glossary

from conftest import dedent, make_project


@pytest.fixture(scope="module")
def sources(tmp_path_factory):
    root = make_project(tmp_path_factory.mktemp("md"))
    problems = Collector()
    return load_glossary(root, problems), load_site(root, problems)


def html(sources, text: str) -> str:
    glossary, site = sources
    return convert(dedent(text), glossary, site).html


def without_svg(markup: str) -> str:
    return re.sub(r"<svg.*?</svg>", "<svg/>", markup, flags=re.S)


def test_glossary_link_by_slug_alias_and_shown_text(sources):
    assert html(sources, "A [[token]], [[Prompts|the prompt]] and [[tokens]].") == (
        '<p>A <a class="term" href="#gp--term-token" id="gp--use-token-1">token</a>, '
        '<a class="term" href="#gp--term-prompt" id="gp--use-prompt-1">the prompt</a> and '
        '<a class="term" href="#gp--term-token" id="gp--use-token-2">tokens</a>.</p>')


def test_glossary_link_counts_uses_and_unknown_terms(sources):
    glossary, site = sources
    converted = convert("[[token]] [[token]] [[prompt]] [[tokn]]", glossary, site)
    assert converted.uses == {"token": 2, "prompt": 1}
    assert converted.unknown_terms == ["tokn"]


def test_glossary_link_is_not_parsed_inside_code(sources):
    assert html(sources, "`[[token]]`") == "<p><code>[[token]]</code></p>"


def test_callout_with_title(sources):
    assert without_svg(html(sources, """
        !!! tip "Save time"
            Use *short* prompts.
        """)) == (
        '<div class="callout callout-tip">\n'
        '<p class="callout-title"><svg/><span>Save time</span></p>\n'
        '<p>Use <em>short</em> prompts.</p>\n</div>')


@pytest.mark.parametrize("kind, title", [
    ("note", "Note"), ("warning", "Warning"), ("takeaways", "Key takeaways"),
    ("example", "Example"), ("glance", "At a glance")])
def test_callout_default_titles(sources, kind, title):
    result = html(sources, f"!!! {kind}\n    Body.")
    assert result.startswith(f'<div class="callout callout-{kind}">')
    assert f"<span>{title}</span>" in result


def test_callout_icon_is_inline_svg(sources):
    assert '<svg aria-hidden="true" class="icon"' in html(sources, "!!! note\n    Body.")


def test_prompt_is_verbatim_and_highlighted(sources):
    assert without_svg(html(sources, """
        !!! prompt "Plan meals"
            Plan *three* dinners in [city].
            Keep it short.

            Second paragraph.

        After.
        """)) == (
        '<div class="callout callout-prompt">\n'
        '<p class="callout-title"><svg/><span>Plan meals</span></p>\n'
        '<div class="prompt-body"><div class="prompt-text"><pre><span></span>'
        'Plan *three* dinners in <span class="nv">[city]</span>.\nKeep it short.\n\n'
        'Second paragraph.\n</pre></div>\n</div>\n</div>\n<p>After.</p>')


def test_prompt_labels_are_highlighted(sources):
    result = html(sources, '!!! prompt "x"\n    Task: Write it.\n    Useful facts: none.\n'
                           '    My main point is: this.')
    assert '<span class="k">Task:</span> Write' in result
    assert '<span class="k">Useful facts:</span> none' in result
    assert "My main point is: this." in result  # a sentence, not a label


def test_figure_with_caption(sources):
    assert html(sources, '![A chart](img/c.png "Growth of AI use")') == (
        '<figure><img alt="A chart" src="img/c.png">'
        '<figcaption>Growth of AI use</figcaption>\n</figure>')


def test_inline_image_stays_inline(sources):
    assert html(sources, "Look ![x](a.png) here") == '<p>Look <img alt="x" src="a.png"> here</p>'


def test_footnotes_move_to_their_call(sources):
    assert html(sources, """
        Text.[^1] More.[^n]

        [^1]: Note *here*.
        [^n]: Plain note.
        """) == ('<p>Text.<gp-footnote class="footnote" id="gp--note-1">Note <em>here</em>.</gp-footnote> '
                 'More.<gp-footnote class="footnote" id="gp--note-2">Plain note.</gp-footnote></p>')


def test_links_to_guides_point_at_published_pdfs(sources):
    assert html(sources, "[a](claude.md#intro) [b](claude.md) [w](https://x.example) [s](#a)") == (
        '<p><a href="https://testbrand.org/guides/claude.pdf#intro">a</a> '
        '<a href="https://testbrand.org/guides/claude.pdf">b</a> '
        '<a class="external" href="https://x.example">w</a> <a href="#a">s</a></p>')


def test_code_is_highlighted_with_pygments(sources):
    assert html(sources, "```python\nprint(1)\n```") == (
        '<div class="highlight"><pre><span></span><code><span class="nb">print</span>'
        '<span class="p">(</span><span class="mi">1</span><span class="p">)</span>\n'
        '</code></pre></div>')


def test_table(sources):
    assert html(sources, "| a | b |\n|---|---|\n| 1 | 2 |") == (
        "<table>\n<thead>\n<tr>\n<th>a</th>\n<th>b</th>\n</tr>\n</thead>\n<tbody>\n"
        "<tr>\n<td>1</td>\n<td>2</td>\n</tr>\n</tbody>\n</table>")


def test_headings_get_ids_and_typographic_quotes(sources):
    glossary, site = sources
    converted = convert("# Don't panic\n\n## \"Quoted\" part", glossary, site)
    assert converted.html == ('<section class="chapter" id="gp--chapter-1">'
                              '<h1 id="dont-panic">Don&rsquo;t panic</h1>\n'
                              '<h2 id="quoted-part">&ldquo;Quoted&rdquo; part</h2>\n</section>')
    assert [(t["id"], t["name"]) for t in converted.toc] == [("dont-panic", "Don\u2019t panic")]
    assert converted.toc[0]["children"][0]["id"] == "quoted-part"


def test_a_lead_in_sentence_stays_with_its_callout(sources):
    result = html(sources, "Try this:\n\n!!! prompt \"x\"\n    Hello.\n\nNot this.\n\n!!! note\n    N.")
    assert result.startswith('<p class="lead-in">Try this:</p>')
    assert "<p>Not this.</p>" in result


def test_chapters_are_sections(sources):
    assert html(sources, "Intro.\n\n# One\n\nA.\n\n# Two\n\nB.") == (
        '<section class="chapter" id="gp--chapter-1"><p>Intro.</p>\n</section>'
        '<section class="chapter" id="gp--chapter-2"><h1 id="one">One</h1>\n<p>A.</p>\n</section>'
        '<section class="chapter" id="gp--chapter-3"><h1 id="two">Two</h1>\n<p>B.</p>\n</section>')
