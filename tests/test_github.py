"""What GitHub shows that Python-Markdown did not: heading ids, alerts, backslash line breaks,
<details>, bare addresses, emoji shortcodes, quotes split by a blank line and `{...}` kept as
text. Markdown -> HTML pairs, and one build that checks the PDF."""

from __future__ import annotations

import re

import pytest

from conftest import GUIDE, dedent, make_project, run
from guidepress.config import Site
from guidepress.convert import convert
from guidepress.glossary import Glossary
from guidepress.mdext.github import github_slug

SITE = Site("n", "t", "https://x.example", "p", "a", "en", "a4", ["a4"], "ab", "m",
            "https://x.example/{slug}.pdf", None)


def html(markdown: str) -> str:
    return convert(dedent(markdown), Glossary(), SITE).html


def ids(markdown: str) -> list[str]:
    return re.findall(r'<h\d[^>]* id="([^"]*)"', html(markdown))


@pytest.mark.parametrize("heading, expected", [
    ("Getting started", "getting-started"),
    ("Café au lait", "café-au-lait"),
    ("Привет, мир!", "привет-мир"),
    ("Tips & tricks: 2024", "tips--tricks-2024"),
    ("Before -- after", "before----after"),
    ("What's new in v2.0?", "whats-new-in-v20"),
    ("snake_case and kebab-case", "snake_case-and-kebab-case"),
    ("नमस्ते दुनिया", "नमस्ते-दुनिया"),         # the vowel signs are marks: kept
    ("日本語の見出し", "日本語の見出し"),
    ("Ship it 🚀", "ship-it-"),
])
def test_github_slugs(heading, expected):
    assert github_slug(heading) == expected


def test_heading_ids_are_githubs_with_its_suffixes():
    assert ids("""
        ## Café au lait

        ## Café au lait

        ## Café au lait

        ## Don't "panic"

        ## Set {x}

        ## Kept {#mine .wide}
        """) == ["café-au-lait", "café-au-lait-1", "café-au-lait-2", "dont-panic", "set-x",
                 "mine"]


def test_a_heading_never_takes_a_reserved_id():
    assert ids("## GP -- notes\n\n## gp--contents\n") == ["h-gp----notes", "h-gp--contents"]


def test_braces_that_are_not_an_attribute_list_stay_text():
    out = html("## Set {x}\n\nFill in {name}\n\n## Styled {.wide}\n")
    assert "<h2 id=\"set-x\">Set {x}</h2>" in out
    assert "<p>Fill in {name}</p>" in out
    assert '<h2 class="wide" id="styled">Styled</h2>' in out


@pytest.mark.parametrize("marker, kind, title", [
    ("[!NOTE]", "note", "Note"), ("[!TIP]", "tip", "Tip"),
    ("[!IMPORTANT]", "note", "Important"), ("[!WARNING]", "warning", "Warning"),
    ("[!CAUTION]", "warning", "Caution"), ("[!note]", "note", "Note"),
])
def test_alerts_are_callouts(marker, kind, title):
    out = html(f"> {marker}\n> Body with **bold**.\n")
    assert out.startswith(f'<div class="callout callout-{kind}">')
    assert f"<span>{title}</span>" in out
    assert "<p>Body with <strong>bold</strong>.</p>" in out
    assert "[!" not in out and "<blockquote>" not in out


def test_an_alert_right_after_another_is_its_own_callout():
    out = html("> [!NOTE]\n> One.\n\n> [!TIP]\n> Two.\n\n> Plain.\n")
    assert out.count('<div class="callout callout-note">') == 1
    assert out.count('<div class="callout callout-tip">') == 1
    assert out.count("<blockquote>") == 1 and "[!" not in out


def test_a_blank_line_ends_a_quote():
    assert html("> one\n\n> two\n") == \
        "<blockquote>\n<p>one</p>\n</blockquote>\n<blockquote>\n<p>two</p>\n</blockquote>"
    # Lines of one quote still make one quote, lazily continued or not.
    assert html("> one\nstill one\n>\n> two\n").count("<blockquote>") == 1


def test_backslash_line_break():
    assert html("one\\\ntwo\n") == "<p>one<br>\ntwo</p>"
    # In code, and before anything but a line's end, a backslash is what it was.
    assert html("`one\\`\n") == "<p><code>one\\</code></p>"
    assert html("a \\* b\n") == "<p>a * b</p>"


def test_details_print_open_with_their_markdown():
    out = html("""
        <details>
        <summary>Show the answer</summary>

        The answer is **42**.

        - one
        - two

        </details>
        """)
    assert out.startswith("<details open>\n<summary>Show the answer</summary>")
    assert "<p>The answer is <strong>42</strong>.</p>" in out
    assert "<li>one</li>" in out and "**" not in out


def test_details_in_a_code_block_are_code():
    out = html("```html\n<details>\n**x**\n</details>\n```\n")
    assert "open" not in out and "markdown=" not in out


def test_bare_addresses_are_links():
    out = html("See https://example.com/a?b=1. Or www.example.org, today.\n")
    assert '<a class="external" href="https://example.com/a?b=1">' in out
    assert '<a class="external" href="http://www.example.org">www.example.org</a>' in out


def test_emoji_shortcodes_are_emoji():
    assert html("Ship it :rocket: :tada: at 10:30:45 :not_a_code:\n") == \
        "<p>Ship it \U0001F680 \U0001F389 at 10:30:45 :not_a_code:</p>"


def test_they_print_and_link(tmp_path, capsys):
    root = make_project(tmp_path / "site", {"guides/alpha.md": GUIDE + dedent("""

        # GitHub things

        > [!WARNING]
        > Mind the gap.

        Roses are red\\
        violets are blue.

        <details>
        <summary>Show the answer</summary>

        The answer is **42**, see www.example.org.

        </details>

        ## Café au lait

        Back to [the café](#café-au-lait).
        """)})
    assert run(capsys, "build", "--root", str(root), "-q")[0] == 0
    import pypdf
    reader = pypdf.PdfReader(root / "dist" / "alpha.pdf")
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Show the answer" in text and "The answer is 42" in text
    assert "**" not in text and "[!WARNING]" not in text and "\\" not in text
    assert "Roses are red\nviolets are blue." in text
    assert "café-au-lait" in reader.named_destinations
    uris = [annot.get_object()["/A"].get("/URI") for page in reader.pages
            for annot in page.get("/Annots", []) if "/A" in annot.get_object()]
    assert "http://www.example.org" in uris
