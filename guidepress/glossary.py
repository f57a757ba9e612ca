"""The glossary: terms loaded from glossary/*.yaml, checked as a whole, found by slug or alias."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path

from .errors import Collector, read_source
from .schema import Field, read_mapping
from .yamlio import LineDict, LineList, load_yaml

CATEGORIES = ("basics", "prompting", "features", "how-it-works", "risks-and-safety")
#: The cheat sheet prints each term's one-line definition; longer ones do not fit its columns.
SHORT_MAX = 100
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def _slug(value: str) -> str | None:
    return None if SLUG_RE.match(value) else "must be lowercase letters, digits and hyphens"


def _short(value: str) -> str | None:
    if "\n" in value.strip():
        return "must be a single line"
    if len(value) > SHORT_MAX:
        return (f"is {len(value)} characters long; the cheat sheet allows {SHORT_MAX} "
                f"(shorten it by {len(value) - SHORT_MAX})")
    return None


TERM_FIELDS: dict[str, Field] = {
    "slug": Field("text", check=_slug, doc="Identifier used in [[slug]] links."),
    "term": Field("text", doc="The term as printed."),
    "short": Field("text", check=_short, doc="One-line definition for the cheat sheet."),
    "definition": Field("text", doc="Fuller plain-English definition."),
    "category": Field("choice", choices=CATEGORIES, doc="Where the term belongs."),
    "aliases": Field("list", required=False, default=list, doc="Other names for links."),
    "related": Field("list", required=False, default=list, doc="Slugs of related terms."),
    "misconception": Field("text", required=False, doc="A common wrong belief, corrected."),
    "example": Field("text", required=False, doc="A concrete example."),
}


@dataclass
class Term:
    """One glossary entry and where it was defined."""

    slug: str
    term: str
    short: str
    definition: str
    category: str
    aliases: list[str]
    related: list[str]
    misconception: str | None
    example: str | None
    path: str = ""
    line: int = 0
    related_lines: list[int] = field(default_factory=list)

    @property
    def sort_key(self) -> str:
        """Alphabetical order, ignoring case."""
        return self.term.casefold()


@dataclass
class Glossary:
    """All terms, with look-up by slug or alias (case-insensitive)."""

    terms: dict[str, Term] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)  # slug or alias -> slug
    #: False when a glossary file could not be parsed: "unknown term" would then mislead.
    complete: bool = True
    #: The names (slug, aliases) of entries that are reported as broken: links to them are
    #: not reported again as unknown terms (one mistake, one problem).
    broken: set[str] = field(default_factory=set)
    sources: dict[str, str] = field(default_factory=dict)  # file -> its text, as read

    def resolve(self, name: str) -> str | None:
        """Return the slug that `name` (a slug or alias, any case) refers to."""
        return self.names.get(_normalise(name))

    def unsure(self, name: str) -> bool:
        """True when `name` may be a term whose own entry or file is already reported."""
        return not self.complete or _normalise(name) in self.broken

    def suggest(self, name: str) -> str | None:
        """Return the closest known slug or alias to a misspelt name."""
        matches = difflib.get_close_matches(_normalise(name), list(self.names), n=1, cutoff=0.6)
        return matches[0] if matches else None

    def unknown(self, name: str, hint: str | None) -> str:
        """The message for a link to a term that is not in the glossary, given its closest
        known name (`hint`, from suggest(), or None)."""
        if hint:
            return (f"unknown glossary term '{name}' (did you mean '{hint}'?); a new term "
                    f"goes in a file in glossary/")
        slugs = sorted(self.terms)
        if not slugs:
            return (f"unknown glossary term '{name}': the glossary is empty; add the term to "
                    f"a file in glossary/")
        shown = ", ".join(slugs[:6]) + (f" and {len(slugs) - 6} more" if len(slugs) > 6 else "")
        return (f"unknown glossary term '{name}': add it to a file in glossary/, or link one "
                f"of: {shown}")

    def sorted_terms(self) -> list[Term]:
        """Every term, A to Z."""
        return sorted(self.terms.values(), key=lambda t: t.sort_key)


def _normalise(name: str) -> str:
    return re.sub(r"[\s_]+", "-", name.strip().casefold())


def load_glossary(root: Path, problems: Collector) -> Glossary:
    """Read every glossary/*.yaml file and check the glossary as a whole."""
    glossary = Glossary()
    seen_at: dict[str, str] = {}  # name -> "path:line" where it was first defined
    for path in sorted((root / "glossary").glob("*.yaml")):
        rel = path.relative_to(root).as_posix()
        text = read_source(path, rel, problems, root)
        if text is None:
            glossary.complete = False
            continue
        glossary.sources[rel] = text
        data, yaml_problems = load_yaml(text, rel)
        problems.extend(yaml_problems)
        if yaml_problems or data is None:
            glossary.complete = glossary.complete and not yaml_problems
            continue
        if not isinstance(data, LineList):
            problems.add(rel, getattr(data, "line", 1), "a glossary file must be a list of terms")
            glossary.complete = False
            continue
        for index, entry in enumerate(data):
            line = data.line_of(index)
            values = read_mapping(entry, TERM_FIELDS, rel, "glossary", problems, line=line)
            if values is None:
                glossary.broken.update(_names_in(entry))
                continue
            term = Term(**values, path=rel, line=line,
                        related_lines=_item_lines(entry, "related", len(values["related"])))
            _register(glossary, term, seen_at, problems, entry)
    _check_related(glossary, problems)
    return glossary


def _names_in(entry) -> set[str]:
    """The slug and aliases an entry that failed its checks would have defined."""
    if not isinstance(entry, dict):
        return set()
    names = [entry.get("slug"), entry.get("term")]
    aliases = entry.get("aliases")
    names += aliases if isinstance(aliases, list) else [aliases]
    return {_normalise(n) for n in names if isinstance(n, str) and n.strip()}


def _item_lines(entry: LineDict, key: str, count: int) -> list[int]:
    value = entry.get(key)
    if isinstance(value, LineList):
        return [value.line_of(i) for i in range(count)]
    return [entry.line_of(key)] * count


def _register(glossary: Glossary, term: Term, seen_at: dict[str, str],
              problems: Collector, entry: LineDict) -> None:
    """Add a term, reporting a slug or alias that another term already uses."""
    if term.slug in glossary.terms:
        problems.add(term.path, entry.line_of("slug"),
                     f"duplicate glossary slug '{term.slug}' (first defined at {seen_at[term.slug]})")
        return
    glossary.terms[term.slug] = term
    names = [(term.slug, entry.line_of("slug"))]
    aliases = entry.get("aliases")
    names += [(_normalise(alias), aliases.line_of(i) if isinstance(aliases, LineList)
               else entry.line_of("aliases")) for i, alias in enumerate(term.aliases)]
    for name, line in names:
        if name in glossary.names and glossary.names[name] != term.slug:
            problems.add(term.path, line, f"glossary name '{name}' is already used by "
                                          f"'{glossary.names[name]}' ({seen_at[name]})")
            continue
        glossary.names[name] = term.slug
        seen_at.setdefault(name, f"{term.path}:{line}")


def _check_related(glossary: Glossary, problems: Collector) -> None:
    """Every related term must exist and must not be the term itself."""
    for term in glossary.terms.values():
        for slug, line in zip(term.related, term.related_lines):
            target = glossary.resolve(slug)
            if target is None and glossary.unsure(slug):
                continue  # its own entry or file is reported already
            if target is None:
                hint = glossary.suggest(slug)
                tip = f" (did you mean '{hint}'?)" if hint else ""
                problems.add(term.path, line, f"related term '{slug}' does not exist{tip}")
            elif target == term.slug:
                problems.add(term.path, line, f"term '{term.slug}' lists itself as related")
