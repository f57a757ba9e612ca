"""GitHub-flavoured Markdown that writers paste: ordered lists that start at another number,
task lists, ~~strikethrough~~; printed as GitHub shows them (or better, for paper)."""

from __future__ import annotations

import pytest

from conftest import GUIDE, dedent, make_project, run
from guidepress.config import Site
from guidepress.convert import convert
from guidepress.glossary import Glossary

SITE = Site("n", "t", "https://x.example", "p", "a", "en", "a4", ["a4"], "ab", "m",
            "https://x.example/{slug}.pdf", None)


def html(markdown: str) -> str:
    return convert(dedent(markdown), Glossary(), SITE).html


@pytest.mark.parametrize("source, expected", [
    ("3. third\n4. fourth\n",
     '<ol start="3" style="counter-reset: list-item 2;">\n<li>third</li>\n<li>fourth</li>\n</ol>'),
    ("1. one\n2. two\n", '<ol>\n<li>one</li>\n<li>two</li>\n</ol>'),
    ("~~old~~ new\n", "<p><del>old</del> new</p>"),
    ("about ~5 minutes, ~ten\n", "<p>about ~5 minutes, ~ten</p>"),
])
def test_markdown_to_html(source, expected):
    assert html(source) == expected


def test_task_items_are_boxes_ticked_or_not():
    out = html("- [ ] to do\n- [x] done\n")
    assert out.count('<li class="task-list-item">') == 2
    assert out.count('<span class="task-list-indicator"></span>') == 2
    assert out.count("checked") == 1
    assert "[ ]" not in out and "[x]" not in out


def test_they_print(tmp_path, capsys):
    root = make_project(tmp_path / "site", {"guides/alpha.md": GUIDE + dedent("""
        Steps, from the third:

        3. third
        4. fourth

        - [ ] to do
        - [x] done

        ~~old price~~ new price
        """)})
    assert run(capsys, "build", "--root", str(root), "-q")[0] == 0
    import pypdfium2
    document = pypdfium2.PdfDocument(root / "dist" / "alpha.pdf")
    text = "\n".join(page.get_textpage().get_text_range() for page in document)
    # The list's own numbers (drawn as markers, which PDFium reads after the items).
    assert "3. " in text and "4. " in text and "2. " not in text
    assert "\u2713" in text  # the tick of the done item, drawn in the monospace font
    assert "[x]" not in text and "~~" not in text
