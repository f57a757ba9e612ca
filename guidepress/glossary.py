"""The glossary: terms loaded from glossary/*.yaml, checked as a whole, found by slug or alias."""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from .errors import Collector, read_source
from .featured import Featured, read_featured
from .schema import Field, read_mapping
from .tokens import brand_tokens
from .typography import smarten_fields
from .yamlio import LineDict, LineList, load_yaml

CATEGORIES = ("basics", "prompting", "features", "how-it-works", "risks-and-safety")
#: The cheat sheet prints each term's one-line definition; longer ones do not fit its columns.
SHORT_MAX = 100
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
#: A BCP 47 language code as file and folder names spell it: a language (es), then maybe a
#: script (zh-Hans) and a region (pt-BR, es-419).
LANG_RE = re.compile(r"^[a-z]{2,3}(?:-[A-Z][a-z]{3})?(?:-(?:[A-Z]{2}|[0-9]{3}))?$")


def split_name(name: str) -> tuple[str, str | None] | None:
    """A guide's or cheat sheet's name as (slug, language): 'chatgpt' is ('chatgpt', None),
    the translation 'chatgpt.es' is ('chatgpt', 'es'); None when it is neither."""
    slug, dot, lang = name.partition(".")
    if not SLUG_RE.match(slug) or (dot and not LANG_RE.match(lang)):
        return None
    return slug, (lang if dot else None)


def language_name(code: str) -> str:
    """A language's name in English ("Spanish" for es), or its code when it is not known."""
    try:
        from babel import Locale
        return Locale.parse(code.replace("-", "_")).english_name or code
    except Exception:  # noqa: BLE001 (an unknown or malformed code: say the code)
        return code


def primary(code: str) -> str:
    """The language part of a code: 'pt' for pt-BR."""
    return code.split("-", 1)[0].lower()


def _slug(value: str) -> str | None:
    return None if SLUG_RE.match(value) else "must be lowercase letters, digits and hyphens"


def _short(value: str) -> str | None:
    if "\n" in value.strip():
        return "must be a single line"
    if len(value) > SHORT_MAX:
        return (f"is {len(value)} characters long; the cheat sheet allows {SHORT_MAX} "
                f"(shorten it by {len(value) - SHORT_MAX})")
    return None


#: What a translation in glossary/<lang>/ may say about a term; the rest comes from English.
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
    "featured": Field("mapping", required=False,
                      doc="The full entry of a key term (guidepress/featured.py)."),
}

#: The fields printed as prose, with typographic quotes and dashes in the entry's language
#: (see typography.py); slugs, aliases and related slugs are names, kept as written, and a
#: term's name is looked up as written too.
PROSE_FIELDS = ("term", "short", "definition", "misconception", "example")

#: A term's translation in glossary/<lang>/*.yaml: keyed by the English slug; its category
#: and related terms come from the English entry.
UNTRANSLATED = ("category", "related")
TRANSLATION_FIELDS: dict[str, Field] = {
    key: (Field("text", doc="The English entry's slug.") if key == "slug" else spec)
    for key, spec in TERM_FIELDS.items() if key not in UNTRANSLATED and key != "featured"
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
    featured: Featured | None = None
    path: str = ""
    line: int = 0
    related_lines: list[int] = field(default_factory=list)

    @property
    def sort_key(self) -> str:
        """Alphabetical order, ignoring case and accents (Índice sorts with the I's)."""
        decomposed = unicodedata.normalize("NFKD", self.term.casefold())
        return "".join(c for c in decomposed if not unicodedata.combining(c))


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
    #: The language the entries are written in (site.yaml's lang).
    lang: str = "en"
    #: glossary/<lang>/: language -> the translated terms (English slug -> Term), the names
    #: that language adds (name -> slug) and its files as read. Not in `sources`: only an
    #: artifact in that language prints them (and needs fonts for them).
    translations: dict[str, dict[str, Term]] = field(default_factory=dict)
    translated_names: dict[str, dict[str, str]] = field(default_factory=dict)
    translation_sources: dict[str, dict[str, str]] = field(default_factory=dict)
    #: In a language's view (for_lang): the terms it shows in English for want of a
    #: translation, the folder where they would go, and the files it prints from.
    missing: set[str] = field(default_factory=set)
    folder: str = ""
    own_sources: list[tuple[str, str]] = field(default_factory=list)

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

    def for_lang(self, lang: str | None) -> "Glossary":
        """The glossary as an artifact in `lang` sees it: its [[links]] resolve the English
        slugs and aliases and that language's terms and aliases, and each term is that
        language's entry (the English one, listed in `missing`, where there is none yet)."""
        if not lang:
            return self
        code = lang if lang in self.translations else primary(lang)
        if code not in self.translations:
            if primary(lang) == primary(self.lang):
                return self
            code = lang
        translated = self.translations.get(code, {})
        view = Glossary(terms={slug: translated.get(slug, term) for slug, term in self.terms.items()},
                        names={**self.names, **self.translated_names.get(code, {})},
                        complete=self.complete, broken=self.broken, sources=self.sources,
                        lang=code, folder=f"glossary/{code}/",
                        missing={slug for slug in self.terms if slug not in translated},
                        own_sources=sorted(self.translation_sources.get(code, {}).items()))
        return view

    def fallback(self, slug: str) -> str:
        """The warning for a term this language's view shows in English."""
        name = language_name(self.lang)
        return (f"the glossary term '{slug}' has no {name} translation yet, so it appears in "
                f"English; add '{slug}' to a file in {self.folder}")

    def sorted_terms(self) -> list[Term]:
        """Every term, A to Z."""
        return sorted(self.terms.values(), key=lambda t: t.sort_key)


def _normalise(name: str) -> str:
    return re.sub(r"[\s_]+", "-", name.strip().casefold())


def load_glossary(root: Path, problems: Collector, lang: str = "en",
                  tokens: dict[str, str] | None = None) -> Glossary:
    """Read every glossary/*.yaml file and check the glossary as a whole, then each
    translation in glossary/<lang>/ (written in `lang`: site.yaml's language).

    `tokens` are the brand colours the featured diagrams may name; by default the root's
    own (styles/tokens.css over the project's)."""
    if tokens is None:
        tokens = brand_tokens(root, Path(__file__).resolve().parent.parent / "styles")
    glossary = Glossary(lang=lang)
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
            featured = values.pop("featured")
            values["featured"] = None if featured is None else \
                read_featured(entry, rel, root, problems, tokens, lang)
            term = Term(**smarten_fields(values, PROSE_FIELDS, lang), path=rel, line=line,
                        related_lines=_item_lines(entry, "related", len(values["related"])))
            _register(glossary, term, seen_at, problems, entry)
    _check_related(glossary, problems)
    _load_translations(root, glossary, problems)
    return glossary


def _load_translations(root: Path, glossary: Glossary, problems: Collector) -> None:
    """Read glossary/<lang>/*.yaml: translations of the English entries, keyed by slug."""
    folder = root / "glossary"
    try:
        folders = sorted(p for p in folder.iterdir() if p.is_dir()) if folder.is_dir() else []
    except OSError as exc:
        problems.add("glossary", None, f"the folder cannot be read ({exc.strerror or exc}); "
                                       "make it readable")
        return
    for sub in folders:
        files = sorted(sub.glob("*.yaml"))
        if not files or sub.name.startswith("."):
            continue  # images or other assets, not a translation
        if not LANG_RE.match(sub.name):
            problems.add(sub.relative_to(root).as_posix(), None,
                         f"a folder in glossary/ holds translations and is named by their "
                         f"language code, such as es, pt-BR or zh-Hans, not '{sub.name}'")
            continue
        code = sub.name
        terms = glossary.translations.setdefault(code, {})
        names = glossary.translated_names.setdefault(code, {})
        texts = glossary.translation_sources.setdefault(code, {})
        seen_at: dict[str, str] = {}
        for path in files:
            rel = path.relative_to(root).as_posix()
            text = read_source(path, rel, problems, root)
            if text is None:
                continue
            texts[rel] = text
            data, yaml_problems = load_yaml(text, rel)
            problems.extend(yaml_problems)
            if yaml_problems or data is None:
                continue
            if not isinstance(data, LineList):
                problems.add(rel, getattr(data, "line", 1),
                             "a glossary translation file must be a list of terms")
                continue
            for index, entry in enumerate(data):
                _read_translation(glossary, code, entry, rel, data.line_of(index),
                                  terms, names, seen_at, problems)


def _read_translation(glossary: Glossary, code: str, entry, rel: str, line: int,
                      terms: dict[str, Term], names: dict[str, str], seen_at: dict[str, str],
                      problems: Collector) -> None:
    """Check one translated entry and add it to its language's terms and names."""
    ok = True
    if isinstance(entry, LineDict):
        for key in UNTRANSLATED:
            if key in entry:
                problems.add(rel, entry.line_of(key),
                             f"'{key}' is not translated: it comes from the English entry; "
                             f"remove it here")
                ok = False
        if not ok:  # report the rest too
            clean = LineDict({k: v for k, v in entry.items() if k not in UNTRANSLATED})
            clean.line, clean.key_lines = entry.line, entry.key_lines
            entry = clean
    values = read_mapping(entry, TRANSLATION_FIELDS, rel, "glossary translation", problems,
                          line=line)
    if values is None or not ok:
        return
    slug_line = entry.line_of("slug") if isinstance(entry, LineDict) else line
    english = glossary.terms.get(values["slug"])
    if english is None:
        if glossary.unsure(values["slug"]):
            return  # its English entry is reported already
        hint = glossary.suggest(values["slug"])
        target = glossary.names.get(hint) if hint else None
        tip = f" (did you mean '{target}'?)" if target else ""
        problems.add(rel, slug_line, f"there is no English glossary entry '{values['slug']}' "
                                     f"to translate{tip}; a translation is keyed by the "
                                     f"English entry's slug")
        return
    if english.slug in terms:
        problems.add(rel, slug_line, f"'{english.slug}' is translated twice (first at "
                                     f"{seen_at[english.slug]})")
        return
    seen_at[english.slug] = f"{rel}:{slug_line}"
    printed = smarten_fields(values, PROSE_FIELDS, code)
    terms[english.slug] = Term(
        slug=english.slug, term=printed["term"], short=printed["short"],
        definition=printed["definition"], category=english.category,
        aliases=values["aliases"], related=english.related,
        misconception=printed["misconception"], example=printed["example"],
        path=rel, line=line, related_lines=english.related_lines)
    aliases = entry.get("aliases") if isinstance(entry, LineDict) else None
    for index, name in enumerate([values["term"], *values["aliases"]]):
        key = _normalise(name)
        taken = names.get(key) or glossary.names.get(key)
        if taken is not None and taken != english.slug:
            if index == 0:
                where = entry.line_of("term") if isinstance(entry, LineDict) else line
            else:
                where = aliases.line_of(index - 1) if isinstance(aliases, LineList) else slug_line
            problems.add(rel, where, f"the name '{name}' already means '{taken}'; give this "
                                     f"translation of '{english.slug}' another name")
            continue
        names[key] = english.slug


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
