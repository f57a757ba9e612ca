"""A Pygments lexer for prompts: placeholders and leading labels stand out."""

from pygments.lexer import RegexLexer
from pygments.token import Keyword, Name, Text


class PromptLexer(RegexLexer):
    """Prompts a reader copies: `[placeholders]` to replace, `Label:` at a line start."""

    name = "Prompt"
    aliases = ["prompt"]
    filenames: list[str] = []

    tokens = {
        "root": [
            (r"\[[^\]\n]+\]", Name.Variable),
            (r"(?m)^[A-Z][A-Za-z ]{0,23}:(?= )", Keyword),
            (r"[^\[\n]+", Text),
            (r"\[", Text),
            (r"\n", Text),
        ],
    }
