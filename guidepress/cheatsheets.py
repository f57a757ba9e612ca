"""Cheat-sheet sources: cheatsheets/<slug>.yaml, checked like every other source."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import Collector, read_source
from .frameworks import Framework, unknown as unknown_framework
from .glossary import Glossary, split_name
from .guides import SUFFIX_TIP, check_lang, name_order, check_translations, translation_schema
from .schema import Field, read_mapping
from .typography import smarten_fields
from .yamlio import LineDict, LineList, load_yaml

#: Readable when printed: the fit never goes below this unless the source sets a lower floor.
DEFAULT_FLOOR = 7.5
DEFAULT_CEILING = 10.5
HARD_FLOOR = 6.0

SHEET_FIELDS: dict[str, Field] = {
    "title": Field("text", doc="Title at the top of the sheet."),
    "subtitle": Field("text", doc="One line under the title."),
    "summary": Field("text", doc="For the downloads page and the PDF subject."),
    "version": Field("text", doc="Edition, printed in the footer."),
    "updated": Field("date", doc="Date the facts were last checked."),
    "reviewed": Field("date", required=False,
                      doc="Date an editor last read it for accuracy (see review_every)."),
    "lang": Field("text", required=False, doc="Language; the site's when absent."),
    "keywords": Field("list", required=False, default=list, doc="PDF keywords."),
    "columns": Field("number", required=False, default="3", doc="Number of columns (2 to 4)."),
    "min_font_size": Field("number", required=False, doc="Smallest body size the fit may use, pt."),
    "max_font_size": Field("number", required=False, doc="Largest body size the fit may use, pt."),
    "sections": Field("list_of_mappings", doc="The sections, in reading order."),
}

SECTION_FIELDS: dict[str, Field] = {
    "title": Field("text", doc="Section heading."),
    "intro": Field("text", required=False, doc="One short line under the heading."),
    "terms": Field("list", required=False, default=list, doc="Glossary slugs or aliases."),
    "items": Field("list_of_mappings", required=False, default=list, doc="label + text."),
    "prompts": Field("list_of_mappings", required=False, default=list, doc="label + text."),
    "pairs": Field("list_of_mappings", required=False, default=list, doc="do + dont."),
    "steps": Field("list_of_mappings", required=False, default=list,
                   doc="Numbered or lettered steps: label, title, text."),
    "framework": Field("text", required=False,
                       doc="A framework's slug (frameworks.yaml): its letters, as steps."),
    "framework_prompts": Field("text", required=False,
                               doc="A framework's slug: a prompt to try for each letter."),
}

ENTRY_FIELDS = {
    "items": {"label": Field("text"), "text": Field("text")},
    "prompts": {"label": Field("text"), "text": Field("text")},
    "pairs": {"do": Field("text"), "dont": Field("text")},
    "steps": {"label": Field("text"), "title": Field("text"), "text": Field("text")},
}

#: The fields printed as prose, with typographic quotes and dashes in the sheet's language
#: (see typography.py). A prompt's text is not among them: the reader copies it out, so it
#: prints exactly as written.
SHEET_PROSE = ("title", "subtitle", "summary")
SECTION_PROSE = ("title", "intro")
ENTRY_PROSE = {"items": ("label", "text"), "prompts": ("label",), "pairs": ("do", "dont"),
               "steps": ("label", "title", "text")}


@dataclass
class Section:
    """One block of the sheet; never split across columns."""

    title: str
    line: int
    intro: str | None = None
    terms: list[Any] = field(default_factory=list)     # glossary Term objects
    items: list[dict] = field(default_factory=list)
    prompts: list[dict] = field(default_factory=list)
    pairs: list[dict] = field(default_factory=list)
    steps: list[dict] = field(default_factory=list)


@dataclass
class CheatSheet:
    """A one-page sheet and where it came from."""

    slug: str
    path: str
    meta: dict[str, Any]
    sections: list[Section]
    columns: int
    floor: float
    ceiling: float
    text: str
    key_lines: dict[str, int] = field(default_factory=dict)
    #: the glossary translation files its terms are printed from (glossary/<lang>/*.yaml)
    glossary_sources: list[tuple[str, str]] = field(default_factory=list)
    #: the frameworks its sections print (slugs, in order)
    frameworks: list[str] = field(default_factory=list)


def load_cheatsheets(root: Path, glossary: Glossary, problems: Collector,
                     frameworks: dict[str, Framework] | None = None) -> list[CheatSheet]:
    """Read and check every cheatsheets/*.yaml; `frameworks` are those that sections may
    print by slug."""
    sheets = []
    for path in sorted((root / "cheatsheets").glob("*.yaml")):
        rel = path.relative_to(root).as_posix()
        if split_name(path.stem) is None:
            problems.add(rel, None, f"cheat sheet name '{path.stem}' must be lowercase letters, "
                                    "digits and hyphens" +
                                    SUFFIX_TIP.replace("chatgpt", "ai-cheat-sheet"))
            continue
        text = read_source(path, rel, problems, root)
        if text is None:
            continue
        data, yaml_problems = load_yaml(text, rel)
        problems.extend(yaml_problems)
        if yaml_problems:
            continue
        sheet = _read_sheet(path.stem, rel, data, text, glossary, problems, frameworks or {})
        if sheet is not None:
            sheets.append(sheet)
    check_translations(sheets, "cheat sheet", problems)
    return sorted(sheets, key=lambda sheet: name_order(sheet.slug))


def _number(values: dict, key: str, default: float, rel: str, line: int,
            problems: Collector, low: float, high: float) -> float | None:
    raw = values.get(key)
    if raw is None:
        return default
    try:
        number = float(raw)
    except ValueError:
        problems.add(rel, line, f"'{key}' must be a number, not '{raw}'")
        return None
    if not low <= number <= high:
        problems.add(rel, line, f"'{key}' must be between {low:g} and {high:g}, not {number:g}")
        return None
    return number


def _read_sheet(slug: str, rel: str, data: Any, text: str, glossary: Glossary,
                problems: Collector, frameworks: dict[str, Framework]) -> CheatSheet | None:
    fields, checked = translation_schema(slug, SHEET_FIELDS, data, rel, problems)
    values = read_mapping(checked, fields, rel, "cheat sheet", problems)
    if values is None or checked is not data:
        return None
    key_lines = dict(getattr(data, "key_lines", {}) or {})
    if not check_lang(slug, values, rel, key_lines, problems):
        return None
    # A translation's terms are its language's entries; a term not translated yet is
    # printed in English, with a warning.
    glossary = glossary.for_lang(values["lang"])
    floor = _number(values, "min_font_size", DEFAULT_FLOOR, rel, data.line_of("min_font_size"),
                    problems, HARD_FLOOR, 14)
    ceiling = _number(values, "max_font_size", DEFAULT_CEILING, rel,
                      data.line_of("max_font_size"), problems, HARD_FLOOR, 16)
    columns = _number(values, "columns", 3, rel, data.line_of("columns"), problems, 2, 4)
    if floor is not None and ceiling is not None and floor > ceiling:
        problems.add(rel, data.line_of("min_font_size"),
                     f"'min_font_size' ({floor:g}) is larger than 'max_font_size' ({ceiling:g})")
        return None
    lang = values["lang"] or glossary.lang  # the site's language when the sheet names none
    sections = [_read_section(entry, rel, glossary, problems, lang, frameworks)
                for entry in values["sections"]]
    if None in sections or None in (floor, ceiling, columns):
        return None
    if columns != int(columns):
        problems.add(rel, data.line_of("columns"), "'columns' must be a whole number")
        return None
    used = [s for entry in values["sections"] for key in ("framework", "framework_prompts")
            for s in [entry.get(key)] if isinstance(s, str)]
    return CheatSheet(slug, rel, smarten_fields(values, SHEET_PROSE, lang), sections,
                      int(columns), floor, ceiling, text,
                      key_lines, glossary.own_sources, list(dict.fromkeys(used)))


def _read_section(entry: LineDict, rel: str, glossary: Glossary, problems: Collector,
                  lang: str, frameworks: dict[str, Framework]) -> Section | None:
    line = getattr(entry, "line", 1)
    values = read_mapping(entry, SECTION_FIELDS, rel, "section", problems, line=line)
    if values is None:
        return None
    printed = smarten_fields(values, SECTION_PROSE, lang)
    section = Section(printed["title"], line, printed["intro"])
    if not any(values[k] for k in ("terms", "items", "prompts", "pairs", "steps", "framework",
                                   "framework_prompts")):
        problems.add(rel, line, f"section '{values['title']}' is empty: give it terms, items, "
                                "prompts, pairs, steps or a framework")
        return None
    ok = True
    for key in ("framework", "framework_prompts"):
        name = values[key]
        if name is None:
            continue
        framework = frameworks.get(name)
        if framework is None:
            problems.add(rel, entry.line_of(key), unknown_framework(name, frameworks))
            ok = False
        elif key == "framework":  # the words exactly as frameworks.yaml has them
            section.steps += [{"label": f.letter, "title": f"{f.word}.", "text": f.question}
                              for f in framework.letters]
        else:
            section.prompts += [{"label": f"{f.letter} – {f.word}", "text": f.prompt}
                                for f in framework.letters]
    terms = entry.get("terms")
    for index, name in enumerate(values["terms"]):
        slug = glossary.resolve(name)
        if slug is None:
            if not glossary.unsure(name):
                term_line = terms.line_of(index) if isinstance(terms, LineList) else line
                problems.add(rel, term_line, glossary.unknown(name, glossary.suggest(name)))
            ok = False
        else:
            section.terms.append(glossary.terms[slug])
            if slug in glossary.missing:
                problems.warn(rel, terms.line_of(index) if isinstance(terms, LineList) else line,
                              glossary.fallback(slug))
    for kind, fields in ENTRY_FIELDS.items():
        for item in values[kind]:
            checked = read_mapping(item, fields, rel, kind[:-1], problems,
                                   line=getattr(item, "line", line))
            if checked is None:
                ok = False
            else:
                getattr(section, kind).append(smarten_fields(checked, ENTRY_PROSE[kind], lang))
    return section if ok else None
