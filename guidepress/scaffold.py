"""`build-pdfs new`: start a guide, cheat sheet or glossary term from a template that builds."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import string
from pathlib import Path

from .config import load_site
from .errors import Collector, GuidepressError
from .glossary import LANG_RE, SLUG_RE, Glossary, load_glossary, split_name
from .layout import Labels
from .mdext.callouts import KINDS

#: The templates: guidepress/data/new/<kind>.md or .yaml.
TEMPLATES = Path(__file__).resolve().parent / "data" / "new"
#: A slug is a file name and part of a web address: keep it short enough for both.
MAX_SLUG = 60
#: The glossary terms a new guide or cheat sheet links to first, when the glossary has them.
FAVOURITE_TERMS = ("prompt", "token", "large-language-model", "hallucination",
                   "context-window", "ai-assistant")
#: What a name made from the slug looks like, per kind ("my-guide" -> "My Guide").
WHAT = {"guide": "guide", "cheatsheet": "cheat sheet", "term": "glossary term"}


def new(args: argparse.Namespace, today: dt.date | None = None) -> int:
    """Write the new source `args` asks for; return the exit code (errors are raised)."""
    root = Path(args.root)
    if not (root / "site.yaml").is_file():
        raise GuidepressError(f"there is no site.yaml in {_shown(root)}: run this in the "
                              "folder that holds site.yaml, guides/ and glossary/, or name "
                              "that folder with --root DIR")
    problems = Collector()
    site = load_site(root, problems)
    if site is None:
        raise GuidepressError(f"{_shown(root / 'site.yaml')} has a problem; run "
                              f"'build-pdfs check{_root_option(root)}' to see it, fix it, "
                              "then try again")
    slug = _check_slug(args.kind, args.slug)
    lang = args.lang or site.lang
    if not LANG_RE.match(lang):
        raise GuidepressError(f"'{lang}' is not a language code: use one such as en, es or "
                              "pt-BR")
    glossary = load_glossary(root, Collector(), site.lang)
    title = (args.title or "").strip() or _title_from(slug, args.kind)
    if "\n" in title or len(title) > 200:
        raise GuidepressError("the title must be one line of at most 200 characters")
    day = (today or dt.date.today()).isoformat()
    if args.kind == "term":
        path, text = _term(root, glossary, slug, title)
    else:
        _check_free_name(root, site, slug, args.kind)
        make = _guide if args.kind == "guide" else _cheatsheet
        path, text = make(root, glossary, slug, title, lang, day)
    _write_new(path, text)
    if args.kind == "term":
        print(f"Wrote {_shown(path)}: edit it, link it in a guide as [[{slug}]], then run "
              f"'build-pdfs check{_root_option(root)}'")
    else:
        print(f"Wrote {_shown(path)}: edit it, then run "
              f"'build-pdfs build {slug}{_root_option(root)}'")
    return 0


def _shown(path: Path) -> str:
    """A path as the user wrote it: relative to where they are when it is below it."""
    return path.as_posix()


def _root_option(root: Path) -> str:
    return "" if root == Path(".") else f" --root {_shown(root)}"


def _check_slug(kind: str, slug: str) -> str:
    """The slug, when it is one the project accepts; else say what a slug is."""
    rule = ("use lower-case letters, digits and hyphens, such as my-guide" if kind != "term"
            else "use lower-case letters, digits and hyphens, such as context-window")
    if not slug:
        raise GuidepressError(f"the {WHAT[kind]} needs a name: {rule}")
    if split_name(slug) and split_name(slug)[1]:
        raise GuidepressError(f"'{slug}' is a translation's name; 'new' starts only "
                              f"originals: copy the original's file to start a translation "
                              "(see docs/authoring.md, \"Translations\")")
    if not SLUG_RE.match(slug):
        raise GuidepressError(f"'{_clip(slug)}' cannot be a name: {rule}")
    if len(slug) > MAX_SLUG:
        raise GuidepressError(f"'{_clip(slug)}' is {len(slug)} characters long; a name may "
                              f"have at most {MAX_SLUG} (it is part of file names and web "
                              "addresses): choose a shorter one")
    return slug


def _clip(text: str) -> str:
    return text if len(text) <= 40 else text[:40] + "..."


def _title_from(slug: str, kind: str) -> str:
    """A title made from the slug: 'My Guide' for a guide, 'Context window' for a term."""
    words = slug.split("-")
    if kind == "term":
        return " ".join([words[0].capitalize(), *words[1:]])
    return " ".join(word.capitalize() for word in words)


def _existing_names(root: Path, site) -> dict[str, str]:
    """Every artifact name in the root (slug, or slug.lang for a translation) -> its file."""
    names: dict[str, str] = {}
    for folder, suffix in (("guides", ".md"), ("cheatsheets", ".yaml")):
        base = root / folder
        if not base.is_dir():
            continue
        for entry in sorted(base.iterdir()):
            if entry.name.startswith("."):
                continue
            if entry.is_dir() and folder == "guides":
                names.setdefault(entry.name, f"{folder}/{entry.name}/")
            elif entry.suffix == suffix:
                names.setdefault(entry.stem, f"{folder}/{entry.name}")
    if site.glossary:
        names.setdefault(site.glossary["slug"], "site.yaml (the glossary book)")
    return names


def _check_free_name(root: Path, site, slug: str, kind: str) -> None:
    """Refuse a name that an existing artifact, a translation or a PDF file name uses."""
    names = _existing_names(root, site)
    for name, where in names.items():
        base = name.partition(".")[0]
        if name == slug:
            raise GuidepressError(f"{_shown(root / where.split(' ')[0])} already exists: "
                                  f"choose another name for the {WHAT[kind]}, or edit that "
                                  "file")
        if base == slug:
            raise GuidepressError(f"{_shown(root / where)} is a translation of a source named "
                                  f"'{slug}': choose another name for the {WHAT[kind]}")
    # Each paper but the first writes dist/<slug>-<paper>.pdf: two names must not meet there.
    for name, where in names.items():
        for paper in site.papers[1:]:
            if slug == f"{name}-{paper}":
                raise GuidepressError(f"the name '{slug}' is taken: dist/{slug}.pdf is the "
                                      f"{paper} PDF of {where}; choose another name")
            if name == f"{slug}-{paper}":
                raise GuidepressError(f"the name '{slug}' would clash with {where}: its "
                                      f"{paper} PDF would be dist/{name}.pdf, which that file "
                                      "already makes; choose another name")


def _term_link(glossary: Glossary, lang: str) -> str | None:
    """A glossary slug a new guide in `lang` can link to without a warning, or None."""
    view = glossary.for_lang(lang)
    usable = [slug for slug in sorted(view.terms) if slug not in view.missing]
    for slug in FAVOURITE_TERMS:
        if slug in usable:
            return slug
    return usable[0] if usable else None


def _template(name: str) -> string.Template:
    return string.Template((TEMPLATES / name).read_text(encoding="utf-8"))


def _yaml_text(value: str) -> str:
    """A YAML double-quoted string (a JSON string is one)."""
    return json.dumps(value, ensure_ascii=False)


def _keywords(title: str) -> str:
    return ", ".join(_yaml_text(word) for word in (title, "beginners"))


def _guide(root: Path, glossary: Glossary, slug: str, title: str, lang: str,
           day: str) -> tuple[Path, str]:
    """A guide: front matter, the chapters of the brief's arc, a callout of every kind."""
    titles = Labels(root).for_lang(lang)
    callouts = {kind: titles.get(f"callout_{kind}", KINDS[kind]).replace('"', "'")
                for kind in KINDS}
    # The glance box says when its facts were checked, as `check` expects: "(November 2026)".
    callouts["glance"] += f" ({_month_year(day, lang)})"
    term = _term_link(glossary, lang)
    sentence = (f"Link each glossary term the first time it matters in a chapter, like "
                f"this: [[{term}]]." if term else
                "<!-- The glossary in glossary/ has no term this guide could link to yet: "
                "add terms there, then link each by its slug in double square brackets. -->")
    text = _template("guide.md").substitute(
        title=_yaml_text(title), updated=day, lang=lang, keywords=_keywords(title),
        term_sentence=sentence, **callouts)
    return root / "guides" / f"{slug}.md", text


def _month_year(day: str, lang: str) -> str:
    """'November 2026' in the guide's language ('noviembre de 2026'); English when unknown."""
    import datetime as dt
    from babel.dates import format_skeleton

    date = dt.date.fromisoformat(day)
    try:
        return format_skeleton("yMMMM", date, locale=lang.replace("-", "_"))
    except Exception:  # noqa: BLE001 - a language Babel does not know
        return format_skeleton("yMMMM", date, locale="en")


def _cheatsheet(root: Path, glossary: Glossary, slug: str, title: str, lang: str,
                day: str) -> tuple[Path, str]:
    """A cheat sheet with one section of each kind."""
    view = glossary.for_lang(lang)
    usable = [s for s in sorted(view.terms) if s not in view.missing]
    terms = [s for s in FAVOURITE_TERMS if s in usable][:4] or usable[:4]
    if terms:
        section = ("  - title: Key terms\n"
                   "    intro: Their definitions come from the glossary.\n"
                   f"    terms: [{', '.join(terms)}]   # glossary slugs or aliases\n")
    else:
        section = ("  # The glossary in glossary/ has no terms yet: add some, then a section\n"
                   "  # here with terms: [slug, ...] prints their one-line definitions.\n")
    text = _template("cheatsheet.yaml").substitute(
        title=_yaml_text(title), updated=day, lang=lang, keywords=_keywords(title),
        terms_section=section)
    return root / "cheatsheets" / f"{slug}.yaml", text


def _term(root: Path, glossary: Glossary, slug: str, title: str) -> tuple[Path, str]:
    """A glossary term in a file of its own, glossary/<slug>.yaml."""
    taken = glossary.resolve(slug)
    if taken is not None or slug in glossary.terms:
        where = glossary.terms[taken or slug]
        raise GuidepressError(f"the glossary already has '{slug}' ({where.path}:{where.line}, "
                              f"'{where.term}'): link that term, or choose another name")
    same = glossary.resolve(title) or next(
        (t.slug for t in glossary.terms.values() if t.term.casefold() == title.casefold()), None)
    if same is not None:
        found = glossary.terms[same]
        raise GuidepressError(f"the glossary already has a term called '{title}' "
                              f"({found.path}:{found.line}): link [[{found.slug}]], or choose "
                              "another title")
    path = root / "glossary" / f"{slug}.yaml"
    text = _template("term.yaml").substitute(slug=slug, term=_yaml_text(title), related="")
    return path, text


def _write_new(path: Path, text: str) -> None:
    """Write a file that does not exist yet, whole or not at all: never over another."""
    shown = _shown(path)
    if path.exists() or path.is_symlink():
        raise GuidepressError(f"{shown} already exists: choose another name, or edit that "
                              "file")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        with open(temporary, "x", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as exc:
        raise GuidepressError(f"{shown} cannot be written ({exc.strerror or exc}); check that "
                              "its folder exists and that you may write to it") from None
    try:
        os.link(temporary, path)  # fails, and writes nothing, when the name is taken
    except FileExistsError:
        raise GuidepressError(f"{shown} already exists: choose another name, or edit that "
                              "file") from None
    except OSError:
        try:  # a file system without hard links: create the name exclusively, then fill it
            with open(path, "x", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
        except FileExistsError:
            raise GuidepressError(f"{shown} already exists: choose another name, or edit "
                                  "that file") from None
    finally:
        temporary.unlink(missing_ok=True)
