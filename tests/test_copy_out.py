"""What you copy is what you see: the text of every prompt and code box in the catalogue,
read back from the PDF, is its source character for character (line wrapping aside)."""

from __future__ import annotations

import re
import textwrap

import pytest
import yaml
from pypdf import PdfReader

from conftest import make_project, run
from guidepress.project import PROJECT_DIR

_OPENER = re.compile(r'^!!! ?prompt(?: +"[^"]*")? *$')
_FENCE = re.compile(r"^(```|~~~)")


def boxes(markdown: str) -> list[str]:
    """The body of every `!!! prompt` callout and fenced code block in a guide."""
    found, lines, index = [], markdown.split("\n"), 0
    while index < len(lines):
        line = lines[index]
        if _OPENER.match(line):
            body = []
            index += 1
            while index < len(lines) and (lines[index].startswith("    ") or not lines[index]):
                body.append(lines[index])
                index += 1
            found.append(textwrap.dedent("\n".join(body)).strip())
            continue
        if _FENCE.match(line):
            end = next(i for i in range(index + 1, len(lines)) if _FENCE.match(lines[i]))
            found.append("\n".join(lines[index + 1:end]).strip())
            index = end
        index += 1
    return [box for box in found if box]


def unwrapped(text: str) -> str:
    """Text with its line breaks and spacing taken out: a box wraps long lines anywhere."""
    return re.sub(r"\s+", "", text)


def pdf_text(path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


GUIDES = sorted(p.stem for p in (PROJECT_DIR / "guides").glob("*.md"))


@pytest.mark.parametrize("slug", GUIDES)
def test_every_prompt_copies_out_as_written(catalogue, slug):
    source = (PROJECT_DIR / "guides" / f"{slug}.md").read_text(encoding="utf-8")
    found = boxes(source)
    assert len(found) >= 5  # the guides' prompts to try
    text = unwrapped(pdf_text(catalogue / f"{slug}.pdf"))
    missing = [box for box in found if unwrapped(box) not in text]
    assert missing == []


def test_every_cheat_sheet_prompt_copies_out_as_written(catalogue):
    sheet = yaml.safe_load((PROJECT_DIR / "cheatsheets" / "ai-cheat-sheet.yaml").read_text())
    prompts = [p["text"] for s in sheet["sections"] for p in s.get("prompts", [])]
    assert prompts
    text = unwrapped(pdf_text(catalogue / "ai-cheat-sheet.pdf"))
    assert [p for p in prompts if unwrapped(p) not in text] == []


def test_programming_ligatures_never_reach_the_pdf(tmp_path, capsys):
    code = ("make && make test || echo fail -> x != y <= z === w :: /* */ www ... <!-- --> "
            "#{ }# ::= |> <|")
    guide = (PROJECT_DIR / "guides" / "chatgpt.md").read_text(encoding="utf-8")
    front = guide[:guide.index("\n---\n", 4) + 5]
    root = make_project(tmp_path / "site", {"guides/alpha.md": (
        front + "# Code\n\nInline `a && b -> c` too.\n\n```bash\n" + code + "\n```\n\n"
        '!!! prompt "Try"\n    ' + code + "\n")})
    assert run(capsys, "build", "--root", str(root), "-q")[0] == 0
    text = pdf_text(root / "dist" / "alpha.pdf")
    assert unwrapped(text).count(unwrapped(code)) == 2, text  # the code box and the prompt
    assert "a && b -> c" in text
