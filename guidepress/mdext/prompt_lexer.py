"""A Pygments lexer for prompts: placeholders and leading labels stand out."""

from pygments.lexer import RegexLexer
from pygments.token import Keyword, Name, Text


class PromptLexer(RegexLexer):
    """Prompts a reader copies: `[placeholders]` to replace, a short `Label:` at a line start."""

    name = "Prompt"
    aliases = ["prompt"]
    filenames: list[str] = []

    tokens = {
        "root": [
            (r"\[[^\]\n]+\]", Name.Variable),
            # A label of one or two words opens a line: "Task:", "Useful facts:".
            (r"(?m)^[A-Z][a-z]+(?: [a-z]+)?:(?= |$)", Keyword),
            (r"[^\[\n]+", Text),
            (r"\[", Text),
            (r"\n", Text),
        ],
    }
