"""Jinja2 templates: sources and converted Markdown in, one HTML document per artifact out."""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import re
import sys
import traceback
from pathlib import Path
from typing import Any

import babel
import babel.dates
import babel.numbers
import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError
from markupsafe import Markup, escape

from . import __version__
from .errors import Collector, Problem, read_source
from .typography import smarten
from .yamlio import LineDict, load_yaml

#: The label catalogues shipped: guidepress/data/labels/<lang>.yaml, all with en.yaml's keys.
LABELS_DIR = Path(__file__).resolve().parent / "data" / "labels"
SHIPPED_LANGUAGES = ("en", "es", "fr", "de", "pt", "ja", "zh", "ko")
#: The labels with words in braces, and the words each may hold.
PATTERNS = {"for": {"audience"}, "about": {"name"}, "page_of": {"page", "pages"},
            "qr": {"site"}, "cover_of": {"title"}, "page": {"count"}, "pages": {"count"},
            "download": {"paper", "size"}, "size_kb": {"size"}, "size_mb": {"size"}}
_PLACEHOLDER_RE = re.compile(r"\{([^{}]*)\}")
#: What a content root's labels/ file may be called: a language code alone (or zh-Hant).
_CODE_RE = re.compile(r"^(?:[a-z]{2,3}|zh-Hant)$")
#: Languages whose nouns keep their capital: "For {audience}" prints the audience as written.
_KEEPS_CAPITALS = {"de", "lb"}


def catalogue_code(lang: str) -> str:
    """The label catalogue of a BCP 47 code: its part before the first '-' (es-MX -> es),
    lower case; Traditional Chinese (zh-Hant, zh-TW, zh-HK, zh-MO) is zh-Hant."""
    parts = lang.strip().replace("_", "-").split("-")
    primary = parts[0].lower()
    if primary == "zh" and any(p.lower() in ("hant", "tw", "hk", "mo") for p in parts[1:]):
        return "zh-Hant"
    return primary


def _parse_catalogue(text: str, rel: str, problems: Collector,
                     known: set[str] | None) -> dict[str, str]:
    """The labels of one catalogue's text; bad YAML, a non-text value, an unknown key (with
    'did you mean') and an unknown {word} are problems in `rel`."""
    data, yaml_problems = load_yaml(text, rel)
    problems.extend(yaml_problems)
    if yaml_problems or data is None:
        return {}
    if not isinstance(data, dict):
        problems.add(rel, 1, "labels must be a mapping of label names to words, such as "
                             "'contents: Contents'")
        return {}
    line_of = data.line_of if isinstance(data, LineDict) else (lambda key: None)
    labels = {}
    for key, value in data.items():
        if known is not None and key not in known:
            close = difflib.get_close_matches(str(key), sorted(known), n=1, cutoff=0.6)
            hint = f"did you mean '{close[0]}'?" if close else \
                "the labels are those of guidepress/data/labels/en.yaml"
            problems.add(rel, line_of(key), f"unknown label '{key}' ({hint})")
            continue
        if not isinstance(value, str) or isinstance(value, bool):
            problems.add(rel, line_of(key), f"label '{key}' must be text: put it in quotes, "
                                            f"as in {key}: \"...\"")
            continue
        allowed = PATTERNS.get(str(key), set())
        for word in _PLACEHOLDER_RE.findall(value):
            if word not in allowed:
                may = ", ".join("{" + w + "}" for w in sorted(allowed)) or "none"
                problems.add(rel, line_of(key), f"label '{key}' has {{{word}}}, which nothing "
                                                f"fills in (it may hold: {may})")
        labels[str(key)] = " ".join(value.split()) if "\n" in value else value
    return labels


@functools.cache
def shipped_labels() -> dict[str, dict[str, str]]:
    """Every shipped catalogue by language code (read once)."""
    catalogues = {}
    for code in SHIPPED_LANGUAGES:
        rel = f"guidepress/data/labels/{code}.yaml"
        problems = Collector()
        catalogues[code] = _parse_catalogue((LABELS_DIR / f"{code}.yaml").read_text("utf-8"),
                                            rel, problems, None)
        if problems.problems:  # our own catalogue: a test keeps it sound
            raise RuntimeError("; ".join(str(p) for p in problems.problems))
    return catalogues


#: The English labels (the keys every catalogue has).
LABELS = shipped_labels()["en"]


def fill(pattern: str, **words: object) -> str:
    """A label with its {words} filled in: fill("Page {page} of {pages}", page=3, ...).
    Markup stays markup, and the words put into it are escaped."""
    if isinstance(pattern, Markup):
        return Markup(_PLACEHOLDER_RE.sub(
            lambda m: str(escape(words[m.group(1)])) if m.group(1) in words else m.group(0),
            str(pattern)))
    return _PLACEHOLDER_RE.sub(lambda m: str(words[m.group(1)]) if m.group(1) in words
                               else m.group(0), pattern)


class Labels:
    """The labels of a content root: ours, overridden or added to by its labels/<lang>.yaml.

    A root's files are read (safely, inside the root) when the project loads; their
    problems are `self.problems`. `for_lang` gives one language's labels, each missing
    one in English with a warning naming the label and the file to add it to.
    """

    def __init__(self, root: Path):
        self.root = root
        self.own: dict[str, dict[str, str]] = {}
        self.texts: dict[str, tuple[str, str]] = {}  # code -> (path, text) of a root's file
        self.problems: list[Problem] = []
        self._warned: set[tuple[str, str]] = set()
        folder = root / "labels"
        if folder.is_dir():
            self._read(folder)

    def _read(self, folder: Path) -> None:
        problems = Collector()
        for path in sorted(folder.iterdir())[:200]:
            rel = f"labels/{path.name}"
            if path.suffix not in (".yaml", ".yml") or path.name.startswith("."):
                continue
            code = path.name.rsplit(".", 1)[0]
            if path.suffix == ".yml" or not _CODE_RE.match(code):
                problems.add(rel, None, "a labels file is named by its language code alone, "
                                        f"such as es.yaml or zh-Hant.yaml; rename it to "
                                        f"{catalogue_code(code)}.yaml")
                continue
            text = read_source(path, rel, problems, self.root)
            if text is None:
                continue
            self.own[code] = _parse_catalogue(text, rel, problems, set(LABELS))
            self.texts[code] = (rel, text)
        self.problems = problems.problems

    def sources(self, lang: str) -> list[tuple[str, str]]:
        """The (path, text) of the root's files that one language's labels come from."""
        codes = dict.fromkeys(("en", catalogue_code(lang)))
        return [self.texts[code] for code in codes if code in self.texts]

    def for_lang(self, lang: str, warnings: Collector | None = None,
                 used_by: str = "") -> dict[str, str]:
        """Language `lang`'s labels as printed (typographic quotes and dashes in their
        language's marks, see typography.py); each one it lacks is English's, with a
        warning."""
        code = catalogue_code(lang)
        english = printed({**LABELS, **self.own.get("en", {})}, "en")
        if code == "en":
            return english
        catalogue = {**shipped_labels().get(code, {}), **self.own.get(code, {})}
        missing = [key for key in LABELS if key not in catalogue]
        if missing and warnings is not None:
            self._warn(code, missing, catalogue, warnings, used_by)
        return {**english, **printed(catalogue, code)}

    def _warn(self, code: str, missing: list[str], catalogue: dict[str, str],
              warnings: Collector, used_by: str) -> None:
        rel = f"labels/{code}.yaml"
        user = f" ({used_by} is in '{code}')" if used_by else ""
        if not catalogue:
            if (code, "") not in self._warned:
                self._warned.add((code, ""))
                warnings.warn(rel, None, f"there are no labels in language '{code}'{user}, so "
                                         f"every label prints in English; add {rel} with the "
                                         "labels of guidepress/data/labels/en.yaml in that "
                                         "language")
            return
        for key in missing:
            if (code, key) not in self._warned:
                self._warned.add((code, key))
                warnings.warn(rel, None, f"label '{key}' has no '{code}' words{user}, so it "
                                         f"prints in English ({LABELS[key]!r}); add "
                                         f"'{key}: ...' to {rel}")


def printed(labels: dict[str, str], lang: str) -> dict[str, str]:
    """Labels as they print: each one's quotes, apostrophes and dashes made typographic."""
    return {key: smarten(value, lang) for key, value in labels.items()}


def date_locale(lang: str) -> babel.Locale:
    """The Babel locale that writes dates and numbers in `lang`: en is British English
    (30 November 2026); a code Babel does not know is read by its first part, then English."""
    tag = lang.strip().replace("-", "_")
    if tag.lower() == "en":
        tag = "en_GB"
    for candidate in (tag, tag.split("_")[0]):
        try:
            return babel.Locale.parse(candidate)
        except (ValueError, TypeError, babel.UnknownLocaleError):
            continue
    return babel.Locale.parse("en_GB")


def language_name(lang: str) -> str:
    """A language's name in itself, capitalised as a heading: Español, 日本語; a code Babel
    does not know is shown as it is."""
    if catalogue_code(lang) == "zh-Hant":
        lang = "zh_Hant"
    try:
        name = babel.Locale.parse(lang.strip().replace("-", "_").split("_")[0]
                                  if catalogue_code(lang) != "zh-Hant" else lang).display_name
    except (ValueError, TypeError, babel.UnknownLocaleError):
        name = None
    if not name:
        return lang
    return name[:1].upper() + name[1:]


def number(value: float, lang: str = "en", digits: int = 0) -> str:
    """A number as `lang` writes it (1.5 in English, 1,5 in Spanish)."""
    pattern = "0" + ("." + "0" * digits if digits else "")
    return babel.numbers.format_decimal(value, format=pattern, locale=date_locale(lang))


class TemplateProblem(Exception):
    """A template failed; carries the problem located in the template file."""

    def __init__(self, problem: Problem):
        super().__init__(str(problem))
        self.problem = problem


def longdate(value: dt.date, lang: str = "en") -> str:
    """A date written out in `lang`: 30 November 2026, 30 de noviembre de 2026, 2026年11月30日."""
    return babel.dates.format_date(value, "long", locale=date_locale(lang))


def lower_first(value: str, lang: str = "en") -> str:
    """Complete beginners -> complete beginners (keeps acronyms such as AI, and German
    nouns)."""
    if len(value) > 1 and value[1].isupper() or catalogue_code(lang) in _KEEPS_CAPITALS:
        return value
    return value[:1].lower() + value[1:]


@jinja2.pass_context
def _longdate_filter(context, value: dt.date) -> str:
    return longdate(value, context.get("lang") or "en")


@jinja2.pass_context
def _lower_first_filter(context, value: str) -> str:
    return lower_first(value, context.get("lang") or "en")


@jinja2.pass_context
def _number_filter(context, value: float) -> str:
    return number(value, context.get("lang") or "en")


class TemplateOutside(jinja2.TemplateError):
    """A template file that resolves (through a symlink) outside the allowed folders."""

    def __init__(self, name: str):
        super().__init__(f"template '{name}' is a link to a file outside the content root; "
                         "copy the file into templates/ instead")
        self.name = name


class BoundedLoader(jinja2.FileSystemLoader):
    """Load templates only from files that really lie inside the allowed folders.

    A template (or an include) that is a symlink to a file elsewhere is refused, so that a
    content root cannot print /etc/passwd into a PDF through `{% include %}`.
    """

    def __init__(self, folders: list[Path], bounds: list[Path]):
        super().__init__([str(f) for f in folders])
        self.bounds = [b.resolve() for b in bounds]

    def get_source(self, environment: jinja2.Environment, template: str):
        source, filename, uptodate = super().get_source(environment, template)
        real = Path(filename).resolve()
        if not any(real.is_relative_to(bound) for bound in self.bounds):
            raise TemplateOutside(template)
        return source, filename, uptodate


class Templates:
    """The template environment of a content root (its own templates/ first, then ours).

    Templates run in Jinja2's immutable sandbox: ours and a content root's alike, none can
    reach Python internals, the file system or the network.
    """

    def __init__(self, folders: list[Path], root: Path, tokens: dict[str, str] | None = None):
        self.folders = folders
        self.root = root
        self.tokens = tokens or {}
        self.env = ImmutableSandboxedEnvironment(
            loader=BoundedLoader(folders, [root] + [f for f in folders
                                                    if not f.is_relative_to(root)]),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=False,
        )
        self.env.filters["longdate"] = _longdate_filter
        self.env.filters["lower_first"] = _lower_first_filter
        self.env.filters["number"] = _number_filter
        self.env.filters["fill"] = fill
        self.labels = Labels(root)
        #: The brand's frameworks (frameworks.yaml), which back pages point to.
        self.frameworks: list = []

    def check(self) -> list[Problem]:
        """Compile every template; return the syntax errors, located."""
        problems = list(self.labels.problems)
        for name in self.env.list_templates(extensions=["html"]):
            try:
                self.env.get_template(name)
            except jinja2.TemplateSyntaxError as exc:
                problems.append(self._locate_syntax(exc))
            except TemplateOutside as exc:
                problems.append(Problem(self._relative_name(exc.name), None, None, str(exc)))
        return problems

    def _relative_name(self, name: str) -> str:
        """Where template `name` is, as the user sees it (the first folder that has it)."""
        for folder in self.folders:
            path = folder / name
            if path.exists() or path.is_symlink():
                for base in (self.root, folder.parent):
                    if path.is_relative_to(base):
                        return path.relative_to(base).as_posix()
        return f"templates/{name}"

    def render(self, name: str, **context: Any) -> str:
        """Render template `name`; raise TemplateProblem with the template's file and line."""
        doc = context.get("doc")
        lang = context.setdefault("lang", doc.get("lang") if isinstance(doc, dict) and
                                  isinstance(doc.get("lang"), str) else "en")
        context.setdefault("labels", self.labels.for_lang(lang))
        context.setdefault("tokens", self.tokens)
        context.setdefault("frameworks", self.frameworks)
        context.setdefault("tool_version", __version__)
        try:
            return self.env.get_template(name).render(**context)
        except jinja2.TemplateSyntaxError as exc:
            raise TemplateProblem(self._locate_syntax(exc)) from exc
        except TemplateOutside as exc:
            raise TemplateProblem(Problem(self._relative_name(exc.name), None, None,
                                          str(exc))) from exc
        except Exception as exc:  # an undefined variable, a failing filter, the sandbox...
            raise TemplateProblem(self._locate_runtime(exc, name)) from exc

    def _relative(self, filename: str | None) -> str:
        if not filename:
            return "templates"
        path = Path(filename).resolve()
        for base in (self.root, *(f.parent for f in self.folders)):
            if path.is_relative_to(base.resolve()):
                return path.relative_to(base.resolve()).as_posix()
        return path.name

    def _locate_syntax(self, exc: jinja2.TemplateSyntaxError) -> Problem:
        return Problem(self._relative(exc.filename), exc.lineno, None,
                       f"template error: {exc.message}")

    def _locate_runtime(self, exc: Exception, name: str) -> Problem:
        """Find the innermost template frame in the traceback: that is the line to blame."""
        where = (self._relative(self.env.get_template(name).filename), None)
        for frame, line in traceback.walk_tb(sys.exc_info()[2]):
            filename = frame.f_code.co_filename
            if any(filename.startswith(str(f.resolve())) or filename.startswith(str(f))
                   for f in self.folders):
                where = (self._relative(filename), line)
        message = getattr(exc, "message", None) or str(exc)
        if isinstance(exc, SecurityError):
            message += " (templates run in a sandbox: use only the values they are given)"
        return Problem(where[0], where[1], None, f"template error: {message}")


def markup(html: str) -> Markup:
    """Mark converted Markdown as safe HTML for the templates."""
    return Markup(html)
