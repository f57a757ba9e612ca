"""Featured glossary entries: a key term explained as deeply as the brand's web glossary pages.

A term in glossary/*.yaml may carry a `featured:` mapping (docs/authoring.md, "Featured
terms"): a diagram, how it works, why it matters, in practice, misconceptions, key takeaways, a
short FAQ, sources and the date it was last reviewed. The glossary book gives each featured
term its own page. Every part is required: a featured term missing one is a problem at its
line, as is a diagram that is not a good SVG or PNG next to the glossary.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from .errors import Collector
from .images import image_problem
from .schema import Field, read_mapping
from .typography import smarten
from .yamlio import LineDict, LineList


def _https(value: str) -> str | None:
    parts = urlsplit(value.strip())
    if parts.scheme != "https" or not parts.netloc or " " in value.strip():
        return (f"must be the source's full web address starting with https:// (not "
                f"'{value[:60]}')")
    return None


FEATURED_FIELDS: dict[str, Field] = {
    "reviewed": Field("date", doc="When an editor last checked the entry against its sources."),
    "diagram": Field("mapping", doc="file (next to the glossary), alt and caption."),
    "how_it_works": Field("text", doc="One or two paragraphs (blank line between)."),
    "why_it_matters": Field("text", doc="What it changes for a beginner."),
    "in_practice": Field("text", doc="An everyday situation and what to do."),
    "misconceptions": Field("list_of_mappings", doc="myth + truth, two or more."),
    "takeaways": Field("list", doc="Two to five short sentences to remember."),
    "faq": Field("list_of_mappings", doc="q + a, one to four."),
    "sources": Field("list_of_mappings", doc="title, publisher, url: public, stable references."),
}
DIAGRAM_FIELDS = {"file": Field("text", doc="Image path, from the glossary file's folder."),
                  "alt": Field("text", doc="What the diagram shows, for readers who cannot see it."),
                  "caption": Field("text", doc="What to take from it, printed under it.")}
MISCONCEPTION_FIELDS = {"myth": Field("text"), "truth": Field("text")}
FAQ_FIELDS = {"q": Field("text"), "a": Field("text")}
SOURCE_FIELDS = {"title": Field("text"), "publisher": Field("text"),
                 "url": Field("text", check=_https)}
#: How many items each list holds: (fewest, most).
COUNTS = {"misconceptions": (2, 5), "takeaways": (2, 5), "faq": (1, 4), "sources": (1, 6)}


@dataclass(frozen=True)
class Diagram:
    file: str      # as written, relative to the glossary file's folder
    alt: str
    caption: str
    path: Path     # the file itself


@dataclass(frozen=True)
class Featured:
    """The full entry of a featured term, its prose with typographic quotes."""

    reviewed: dt.date
    diagram: Diagram
    how_it_works: list[str]       # paragraphs
    why_it_matters: list[str]
    in_practice: list[str]
    misconceptions: list[tuple[str, str]]
    takeaways: list[str]
    faq: list[tuple[str, str]]
    sources: list[tuple[str, str, str]]
    line: int


def read_featured(entry: LineDict, rel: str, root: Path, problems: Collector,
                  tokens: dict[str, str], lang: str) -> Featured | None:
    """The `featured` part of a glossary entry, checked; None when it has a problem (each is
    reported at its line)."""
    data = entry["featured"]
    line = entry.line_of("featured")
    if isinstance(data, LineDict):
        data.line = line  # a missing part is reported at `featured:`, not at its first key
    values = read_mapping(data, FEATURED_FIELDS, rel, "featured", problems, line=line)
    if values is None:
        return None
    line_of = data.line_of
    ok = True
    lists: dict[str, list] = {}
    for key, fields in (("misconceptions", MISCONCEPTION_FIELDS), ("faq", FAQ_FIELDS),
                        ("sources", SOURCE_FIELDS), ("takeaways", None)):
        items = values[key]
        fewest, most = COUNTS[key]
        if not fewest <= len(items) <= most:
            problems.add(rel, line_of(key), f"featured key '{key}' has {len(items)} "
                                            f"item{'s' if len(items) != 1 else ''}; write "
                                            f"{fewest} to {most}")
            ok = False
            continue
        if fields is None:
            lists[key] = items
            continue
        read = []
        node = data[key]
        for index, item in enumerate(items):
            where = node.line_of(index) if isinstance(node, LineList) else line_of(key)
            clean = read_mapping(item, fields, rel, f"featured {key} item", problems, line=where)
            if clean is None:
                ok = False
                continue
            read.append(tuple(clean[name] for name in fields))
        lists[key] = read
    diagram = read_mapping(values["diagram"], DIAGRAM_FIELDS, rel, "featured diagram",
                           problems, line=line_of("diagram"))
    if diagram is None:
        return None
    path = _diagram_problem(diagram["file"], rel, root, problems,
                            _line(data["diagram"], "file", line_of("diagram")), tokens)
    if path is None or not ok:
        return None

    def prose(text: str) -> str:
        return smarten(text, lang)

    def paragraphs(text: str) -> list[str]:
        return [prose(part.strip()) for part in re.split(r"\n\s*\n|\n", text) if part.strip()]

    return Featured(
        reviewed=values["reviewed"],
        diagram=Diagram(diagram["file"], prose(diagram["alt"]), prose(diagram["caption"]), path),
        how_it_works=paragraphs(values["how_it_works"]),
        why_it_matters=paragraphs(values["why_it_matters"]),
        in_practice=paragraphs(values["in_practice"]),
        misconceptions=[(prose(m), prose(t)) for m, t in lists["misconceptions"]],
        takeaways=[prose(t) for t in lists["takeaways"]],
        faq=[(prose(q), prose(a)) for q, a in lists["faq"]],
        sources=[(prose(t), prose(p), u.strip()) for t, p, u in lists["sources"]],
        line=line)


def _line(mapping, key: str, default: int) -> int:
    return mapping.line_of(key) if isinstance(mapping, LineDict) and key in mapping else default


def _diagram_problem(file: str, rel: str, root: Path, problems: Collector, line: int,
                     tokens: dict[str, str]) -> Path | None:
    """The diagram's file when it is a good image inside the content root, else None (the
    problem is reported at the `file:` line)."""
    from .tokens import unknown_svg_tokens

    folder = (root / rel).parent
    target = (folder / file).resolve()
    if not target.is_relative_to(root.resolve()):
        problems.add(rel, line, f"diagram '{file}' is outside the content root: put it in "
                                f"{Path(rel).parent.as_posix()}/figures/")
        return None
    if not target.is_file():
        problems.add(rel, line, f"diagram '{file}' does not exist (looked for "
                                f"{target.relative_to(root.resolve()).as_posix()}): draw it, "
                                f"or correct the name")
        return None
    problem = image_problem(target, root)
    if problem:
        problems.add(rel, line, f"diagram '{file}' {problem}")
        return None
    if target.suffix.lower() == ".svg":
        shown = target.relative_to(root.resolve()).as_posix()
        for number, name in unknown_svg_tokens(target.read_text("utf-8", "replace"), tokens):
            problems.add(shown, number, svg_token_message(name, tokens))
        if problems.problems and any(p.path == shown for p in problems.problems):
            return None
    return target


def svg_token_message(name: str, tokens: dict[str, str]) -> str:
    """The problem for a `var(--name)` in an SVG file that no brand token defines."""
    colours = sorted(n for n, v in tokens.items() if v.startswith("#"))
    import difflib
    close = difflib.get_close_matches(name, colours, n=1)
    hint = f"did you mean '--{close[0]}'? " if close else ""
    return (f"the colour var(--{name}) is not a brand token in styles/tokens.css: {hint}use "
            f"one of {', '.join('--' + c for c in colours)}")
