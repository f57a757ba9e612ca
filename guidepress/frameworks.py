"""The brand's frameworks (STACK, BUILD, ...): frameworks.yaml, the one place their letters are
worded.

Each framework is a name whose letters each stand for one word and one plain question or step,
with a prompt to try for it. Cheat sheets print them with a section's `framework: <slug>`
(the letters) or `framework_prompts: <slug>` (a prompt for each letter), so the words are never
typed twice; tests/test_frameworks.py checks that guides which spell a framework out use the
same words.
"""

from __future__ import annotations

import difflib
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from .errors import Collector, read_source
from .glossary import SLUG_RE
from .schema import Field, read_mapping
from .typography import smarten
from .yamlio import LineList, load_yaml

FILE = "frameworks.yaml"

FRAMEWORK_FIELDS: dict[str, Field] = {
    "slug": Field("text", check=lambda v: None if SLUG_RE.match(v) else
                  "must be lowercase letters, digits and hyphens", doc="Named by cheat sheets."),
    "name": Field("text", doc="The acronym, capital letters: STACK."),
    "purpose": Field("text", doc="What it is for, one or two words: prompting."),
    "title": Field("text", doc="What it helps you do, for its card."),
    "summary": Field("text", doc="One sentence: what it is for and when to use it."),
    "letters": Field("list_of_mappings", doc="One per letter: letter, word, question, prompt."),
}
LETTER_FIELDS: dict[str, Field] = {
    "letter": Field("text", doc="The capital letter."),
    "word": Field("text", doc="The word it stands for, starting with the letter."),
    "question": Field("text", doc="The plain question or step a beginner acts on."),
    "prompt": Field("text", doc="A prompt to try for this letter, [placeholders] in brackets."),
}


@dataclass(frozen=True)
class Letter:
    letter: str
    word: str
    question: str
    prompt: str       # exactly as written: the reader copies it
    line: int


@dataclass(frozen=True)
class Framework:
    slug: str
    name: str
    purpose: str
    title: str
    summary: str
    letters: tuple[Letter, ...]
    path: str
    line: int


def load_frameworks(root: Path, problems: Collector, lang: str = "en") -> dict[str, Framework]:
    """The frameworks of `root`/frameworks.yaml by slug; none when the file is absent."""
    path = root / FILE
    if not path.is_file():
        return {}
    text = read_source(path, FILE, problems, root)
    if text is None:
        return {}
    data, yaml_problems = load_yaml(text, FILE)
    problems.extend(yaml_problems)
    if yaml_problems or data is None:
        return {}
    if not isinstance(data, LineList):
        problems.add(FILE, getattr(data, "line", 1),
                     "frameworks.yaml must be a list of frameworks, each starting with '- slug:'")
        return {}
    frameworks: dict[str, Framework] = {}
    for index, entry in enumerate(data):
        line = data.line_of(index)
        framework = _read(entry, line, problems, lang)
        if framework is None:
            continue
        if framework.slug in frameworks:
            problems.add(FILE, line, f"the framework '{framework.slug}' is defined twice (first "
                                     f"at line {frameworks[framework.slug].line})")
            continue
        frameworks[framework.slug] = framework
    return frameworks


def _read(entry, line: int, problems: Collector, lang: str) -> Framework | None:
    values = read_mapping(entry, FRAMEWORK_FIELDS, FILE, "framework", problems, line=line)
    if values is None:
        return None
    name = values["name"]
    if not name.isalpha() or name != name.upper():
        problems.add(FILE, entry.line_of("name"), f"the framework name '{name}' must be written "
                                                  "in capital letters only, like STACK")
        return None
    letters, ok = [], True
    node = entry["letters"]
    for index, item in enumerate(values["letters"]):
        where = node.line_of(index) if isinstance(node, LineList) else line
        checked = read_mapping(item, LETTER_FIELDS, FILE, "letter", problems, line=where)
        if checked is None:
            ok = False
            continue
        if _folded(checked["word"])[:1] != _folded(checked["letter"]) or len(checked["letter"]) != 1:
            problems.add(FILE, where, f"the word '{checked['word']}' does not start with its "
                                      f"letter '{checked['letter']}'")
            ok = False
            continue
        letters.append(Letter(checked["letter"].upper(), smarten(checked["word"], lang),
                              smarten(checked["question"], lang), checked["prompt"], where))
    if not ok:
        return None
    spelt = "".join(letter.letter for letter in letters)
    if spelt != name:
        problems.add(FILE, entry.line_of("letters"), f"the letters of '{name}' spell "
                                                     f"'{spelt}': give one letter per capital "
                                                     f"of the name, in order")
        return None
    return Framework(values["slug"], name, values["purpose"], smarten(values["title"], lang),
                     smarten(values["summary"], lang), tuple(letters), FILE, line)


def _folded(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text.strip().casefold())
                   if not unicodedata.combining(c))


def unknown(slug: str, frameworks: dict[str, Framework]) -> str:
    """The problem for a cheat-sheet section naming a framework that is not defined."""
    if not frameworks:
        return (f"the framework '{slug}' is not defined: there is no {FILE} in the content "
                f"root; add one (see docs/authoring.md, 'Frameworks')")
    close = difflib.get_close_matches(slug, list(frameworks), n=1)
    hint = f"did you mean '{close[0]}'? " if close else ""
    return (f"the framework '{slug}' is not defined in {FILE}: {hint}defined are "
            f"{', '.join(sorted(frameworks))}")
