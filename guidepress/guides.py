"""Guide sources: one Markdown file, or a folder of chapters, with YAML front matter."""

from __future__ import annotations

import bisect
import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import Collector, read_source
from .glossary import split_name
from .schema import Field, read_mapping
from .typography import smarten_fields
from .yamlio import LineDict, load_yaml

FRONT_MATTER_FIELDS: dict[str, Field] = {
    "title": Field("text", doc="Cover title and PDF title."),
    "subtitle": Field("text", doc="One line under the title."),
    "summary": Field("text", doc="One or two sentences: downloads page and PDF subject."),
    "version": Field("text", doc="Edition of the guide, e.g. 1.0."),
    "updated": Field("date", doc="Date the facts were last checked."),
    "reviewed": Field("date", required=False,
                      doc="Date an editor last read the whole guide for accuracy; `check` "
                          "warns once it is older than site.yaml's review_every months."),
    "audience": Field("text", doc="Who the guide is for."),
    "lang": Field("text", doc="Language code, e.g. en."),
    "keywords": Field("list", required=False, default=list, doc="PDF keywords."),
}

#: The keys only a translation (guides/<slug>.<lang>.md, cheatsheets/<slug>.<lang>.yaml)
#: has, and must have.
TRANSLATION_KEYS: dict[str, Field] = {
    "translation_of": Field("text", doc="A translation's source: its slug (chatgpt)."),
    "source_version": Field("text", doc="The source's version the translation was made from."),
}
TRANSLATED_FRONT_MATTER_FIELDS = {**FRONT_MATTER_FIELDS, **TRANSLATION_KEYS}
#: The front matter printed as prose (cover, PDF metadata, downloads page): typographic quotes
#: and dashes in the guide's language, as its Markdown body gets them (see typography.py).
PROSE_FIELDS = ("title", "subtitle", "summary", "audience")

#: A guide, all its chapter files together, may have this much text (a 300-page guide has
#: about 1 MB); each file is also held to the limit of one source file.
MAX_GUIDE_BYTES = 4_000_000

_FENCE_RE = re.compile(r"^---[ \t]*$")


@dataclass
class Guide:
    """A guide's metadata and its Markdown body, with a map back to the source lines."""

    slug: str
    path: str                     # the .md file or the folder, relative to the root
    directory: Path               # where its relative image paths start
    meta: dict[str, Any]
    body: str
    # (first line in body, file, first line in file), one per source file, sorted
    segments: list[tuple[int, str, int]] = field(default_factory=list)
    # (file, its whole text), one per source file, as read
    sources: list[tuple[str, str]] = field(default_factory=list)
    #: the line of each front matter key in files[0]
    key_lines: dict[str, int] = field(default_factory=dict)

    def locate(self, body_line: int) -> tuple[str, int]:
        """Return the file and line of a line (1-based) of the combined body."""
        starts = [start for start, _, _ in self.segments]
        index = max(bisect.bisect_right(starts, body_line) - 1, 0)
        start, path, file_line = self.segments[index]
        return path, file_line + body_line - start

    @property
    def files(self) -> list[str]:
        """The source files of the guide."""
        return [path for _, path, _ in self.segments]


def load_guides(root: Path, problems: Collector) -> list[Guide]:
    """Read every guide under `root/guides`; report problems, skip broken guides."""
    guides: list[Guide] = []
    seen: dict[str, str] = {}
    folder = root / "guides"
    try:
        entries = sorted(folder.iterdir()) if folder.is_dir() else []
    except OSError as exc:
        problems.add("guides", None, f"the folder cannot be read ({exc.strerror or exc}); "
                                     "make it readable")
        entries = []
    for entry in entries:
        rel = entry.relative_to(root).as_posix()
        try:
            is_dir = entry.is_dir()
            if entry.name.startswith(".") or not (is_dir or entry.suffix == ".md"):
                continue
            if is_dir and not any(entry.glob("*.md")):
                continue  # a folder of images or other assets, not a guide
        except OSError as exc:
            problems.add(rel, None, f"cannot be read ({exc.strerror or exc}); check the file")
            continue
        # A guide file is named by its stem, even when it is not a readable file: reading it
        # says what is wrong with it.
        slug = entry.name if is_dir else entry.stem
        if split_name(slug) is None:
            problems.add(rel, None, f"guide name '{slug}' must be lowercase letters, digits and "
                                    "hyphens" + SUFFIX_TIP)
            continue
        if slug in seen:
            problems.add(rel, None, f"duplicate guide slug '{slug}' (also {seen[slug]})")
            continue
        seen[slug] = rel
        try:
            guide = _load_folder(root, entry, slug, problems) if is_dir else \
                _load_file(root, entry, slug, problems)
        except OSError as exc:  # a folder or file that cannot be listed or looked at
            problems.add(rel, None, f"cannot be read ({exc.strerror or exc}); check the file")
            continue
        if guide is not None and check_lang(slug, guide.meta, guide.files[0],
                                            guide.key_lines, problems):
            guides.append(guide)
    check_translations(guides, "guide", problems)
    return sorted(guides, key=lambda guide: name_order(guide.slug))


def name_order(name: str) -> tuple[str, str]:
    """Each translation right after its source: chatgpt, chatgpt.es, claude."""
    slug, lang = split_name(name) or (name, None)
    return slug, lang or ""


#: Said after "must be lowercase letters, digits and hyphens".
SUFFIX_TIP = (", then for a translation one language code after a dot (chatgpt.es, "
               "chatgpt.pt-BR)")


def translation_schema(name: str, fields: dict[str, Field], data: Any, rel: str,
                       problems: Collector) -> tuple[dict[str, Field], Any]:
    """The keys a source named `name` may have, and its data to check against them.

    A translation (its name ends in .<lang>) must have translation_of and source_version;
    any other source may not: each is reported here and left out of the data."""
    if split_name(name) and split_name(name)[1]:
        return {**fields, **TRANSLATION_KEYS}, data
    if not isinstance(data, LineDict) or not any(key in data for key in TRANSLATION_KEYS):
        return fields, data
    for key in TRANSLATION_KEYS:
        if key in data:
            problems.add(rel, data.line_of(key), f"'{key}' is only for a translation, whose "
                                                 f"file name ends in its language code (like "
                                                 f"{name}.es); remove it here")
    clean = LineDict({k: v for k, v in data.items() if k not in TRANSLATION_KEYS})
    clean.line, clean.key_lines = data.line, data.key_lines
    return fields, clean


def check_lang(name: str, meta: dict, rel: str, key_lines: dict[str, int],
               problems: Collector) -> bool:
    """A translation's lang is the code its name ends in."""
    lang = (split_name(name) or (name, None))[1]
    if lang is None or meta.get("lang") == lang:
        return True
    said = f"says lang: {meta['lang']}" if meta.get("lang") else "has no lang"
    problems.add(rel, key_lines.get("lang", 1), f"this translation's name ends in '.{lang}' "
                                                f"but it {said}; write lang: {lang}")
    return False


def check_translations(items: list, kind: str, problems: Collector) -> None:
    """Each translation's source exists; warn when the source changed after it was made.

    `items` are guides or cheat sheets: each has slug, meta, key_lines and a first file."""
    originals = {item.slug: item for item in items if split_name(item.slug)[1] is None}
    for item in items:
        if split_name(item.slug)[1] is None:
            continue
        rel = _file_of(item)
        source_slug = item.meta["translation_of"]
        source = originals.get(source_slug)
        if source is None:
            known = sorted(originals)
            close = difflib.get_close_matches(source_slug, known, n=1, cutoff=0.6)
            tip = f" (did you mean '{close[0]}'?)" if close else \
                (f"; the {kind}s are: {', '.join(known)}" if known else "")
            problems.add(rel, item.key_lines.get("translation_of"),
                         f"translation_of names '{source_slug}', but there is no {kind} "
                         f"'{source_slug}'{tip}")
            continue
        warning = stale_warning(rel, item.meta, _file_of(source), source.meta)
        if warning:
            problems.warn(rel, item.key_lines.get("source_version"), warning)


def _file_of(item) -> str:
    return item.files[0] if hasattr(item, "files") else item.path


def stale_warning(rel: str, meta: dict, source_rel: str, source: dict) -> str | None:
    """What to tell the editor when a translation's source has changed since it was made."""
    changes = []
    if source["version"] != meta["source_version"]:
        changes.append(f"it is now version {source['version']}, and this translation was made "
                       f"from version {meta['source_version']}")
    if source["updated"] > meta["updated"]:
        changes.append(f"it was updated on {source['updated'].isoformat()}, after this "
                       f"translation ({meta['updated'].isoformat()})")
    if not changes:
        return None
    return (f"{rel} may be out of date: its original, {source_rel}, has changed since it was "
            f"translated ({'; '.join(changes)}). Bring {rel} up to date with {source_rel}, "
            f"then set its source_version to \"{source['version']}\" and its updated date "
            f"to the day you finish")


def split_front_matter(text: str, rel: str, problems: Collector) -> tuple[Any, str, int] | None:
    """Split `---` front matter from the body; return (data, body, body's first line)."""
    lines = text.split("\n")
    if not lines or not _FENCE_RE.match(lines[0]):
        problems.add(rel, 1, "missing front matter: the file must start with a line '---'")
        return None
    for index in range(1, len(lines)):
        if _FENCE_RE.match(lines[index]) or lines[index].rstrip() == "...":
            data, yaml_problems = load_yaml("\n".join(lines[1:index]), rel, line_offset=1)
            problems.extend(yaml_problems)
            if yaml_problems:
                return None
            return data, "\n".join(lines[index + 1:]), index + 2
    problems.add(rel, 1, "front matter is never closed: add a line '---' after it")
    return None


def _read_front(root: Path, path: Path, rel: str, name: str,
                problems: Collector) -> tuple[dict, str, int, str] | None:
    """Read a file that starts with front matter: (meta, body, body's first line, text)."""
    text = read_source(path, rel, problems, root)
    split = None if text is None else split_front_matter(text, rel, problems)
    if split is None:
        return None
    fields, data = translation_schema(name, FRONT_MATTER_FIELDS, split[0], rel, problems)
    meta = read_mapping(data, fields, rel, "front-matter", problems)
    if meta is not None and data is not split[0]:
        return None  # a refused key is reported
    if meta is not None:
        meta = smarten_fields(meta, PROSE_FIELDS, meta["lang"])
        meta["key_lines"] = dict(getattr(split[0], "key_lines", {}) or {})
    return None if meta is None else (meta, split[1], split[2], text)


def _load_file(root: Path, path: Path, slug: str, problems: Collector) -> Guide | None:
    rel = path.relative_to(root).as_posix()
    front = _read_front(root, path, rel, slug, problems)
    if front is None:
        return None
    meta, body, first, text = front
    lines = meta.pop("key_lines")
    return Guide(slug, rel, path.parent, meta, body, [(1, rel, first)], [(rel, text)], lines)


def _load_folder(root: Path, folder: Path, slug: str, problems: Collector) -> Guide | None:
    """A folder guide: index.md holds the front matter, other .md files are chapters."""
    index = folder / "index.md"
    rel_index = index.relative_to(root).as_posix()
    if not (index.exists() or index.is_symlink()):
        problems.add(folder.relative_to(root).as_posix(), None,
                     "a guide folder needs an index.md with the front matter")
        return None
    front = _read_front(root, index, rel_index, slug, problems)
    if front is None:
        return None
    meta, body, first, text = front
    lines = meta.pop("key_lines")
    parts, segments, sources = [body], [(1, rel_index, first)], [(rel_index, text)]
    line = body.count("\n") + 2
    total = len(text.encode("utf-8"))
    for chapter in sorted(p for p in folder.glob("*.md") if p.name != "index.md"):
        rel = chapter.relative_to(root).as_posix()
        text = read_source(chapter, rel, problems, root)
        if text is None:
            return None
        total += len(text.encode("utf-8"))
        if total > MAX_GUIDE_BYTES:
            problems.add(folder.relative_to(root).as_posix(), None,
                         f"this guide's files come to more than {MAX_GUIDE_BYTES // 1_000_000} "
                         "MB of text, the limit for one guide; split it into two guides")
            return None
        segments.append((line, rel, 1))
        sources.append((rel, text))
        parts.append(text)
        line += text.count("\n") + 1
    # A blank line between files keeps a chapter from running into the previous one.
    return Guide(slug, folder.relative_to(root).as_posix(), folder, meta,
                 "\n".join(parts), segments, sources, lines)
