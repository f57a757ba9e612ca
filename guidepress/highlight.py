"""Syntax-highlighting colours for code and prompts, as a Pygments style and its CSS."""

from __future__ import annotations

import functools

from pygments.formatters import HtmlFormatter
from pygments.style import Style
from pygments.token import (Comment, Error, Generic, Keyword, Name, Number, Operator,
                            String, Text)


class GuideStyle(Style):
    """Calm colours, each at least 4.5:1 against the light code background (#f3f5f9)."""

    background_color = "#f3f5f9"
    default_style = ""
    styles = {
        Text: "#1f2937",
        Comment: "italic #5b6472",
        Keyword: "bold #6d28d9",
        Name.Function: "#1d4ed8",
        Name.Class: "bold #1d4ed8",
        Name.Builtin: "#0f6b62",
        Name.Variable: "bold #b4235a",
        String: "#0f6b62",
        Number: "#9a3412",
        Operator: "#374151",
        Generic.Emph: "italic",
        Generic.Strong: "bold",
        Error: "#b91c1c",
    }


@functools.cache
def highlight_css() -> str:
    """Return the stylesheet for code blocks (`.highlight`) and prompts (`.prompt-text`)."""
    formatter = HtmlFormatter(style=GuideStyle)
    # Token colours only: the boxes themselves are styled in the guide stylesheet.
    rules = [formatter.get_token_style_defs(selector) for selector in (".highlight", ".prompt-text")]
    return "\n".join(line for group in rules for line in group)
