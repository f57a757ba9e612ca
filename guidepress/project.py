"""Load stage: read and check every source of a content root before anything is rendered."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path

from .cheatsheets import CheatSheet, load_cheatsheets
from .config import Site, load_site
from .errors import Collector, GuidepressError
from .frameworks import FILE as FRAMEWORKS_FILE, Framework, load_frameworks
from .glossary import Glossary, load_glossary
from .guides import Guide, load_guides
from .layout import Templates
from .tokens import CALLOUT_TONES, brand_tokens

#: The project's own templates/ and styles/, used by content roots that have none.
PROJECT_DIR = Path(__file__).resolve().parent.parent


@dataclass
class Project:
    """Everything a build needs, loaded and checked."""

    root: Path
    site: Site
    glossary: Glossary
    guides: list[Guide]
    cheatsheets: list[CheatSheet]
    templates: Templates
    #: The brand's frameworks (frameworks.yaml), by slug, in the file's order.
    frameworks: dict[str, Framework] = field(default_factory=dict)

    @property
    def allowed_folders(self) -> list[Path]:
        """The only folders the renderer may read from (a root's own templates/ and styles/
        lie inside it; a link from them to elsewhere leads outside and is refused)."""
        return [self.root, PROJECT_DIR / "styles", PROJECT_DIR / "templates"]

    @property
    def tokens(self) -> dict[str, str]:
        """The brand tokens: the project's, overridden by the root's own tokens.css."""
        return self.templates.tokens

    def callout_colours(self) -> dict[str, str]:
        """Each callout kind's colour, from the tokens."""
        tokens = self.tokens
        return {kind: tokens.get(tone, "#000000") for kind, tone in CALLOUT_TONES.items()}

    def frameworks_source(self) -> list[tuple[str, str]]:
        """frameworks.yaml as (path, text) when the root has one: a source of every artifact
        that prints a framework (cards, the cheat sheet, back pages)."""
        if "_frameworks_text" not in self.__dict__:  # read once, however many artifacts
            path = self.root / FRAMEWORKS_FILE
            self.__dict__["_frameworks_text"] = path.read_text(encoding="utf-8") \
                if self.frameworks and path.is_file() else None
        text = self.__dict__["_frameworks_text"]
        return [] if text is None else [(FRAMEWORKS_FILE, text)]

    def stylesheet(self, name: str) -> Path:
        """The root's own styles/<name> when it has one, else the project's.

        A content root can so override one file, tokens.css for a rebrand, and keep the rest.
        """
        own = self.root / "styles" / name
        return own if own.is_file() else PROJECT_DIR / "styles" / name

    def source_date(self) -> dt.datetime:
        """SOURCE_DATE_EPOCH when set, else the newest `updated` date of the sources."""
        epoch = source_epoch()
        if epoch is not None:
            return dt.datetime.fromtimestamp(epoch, tz=dt.timezone.utc)
        dates = [guide.meta["updated"] for guide in self.guides]
        dates += [sheet.meta["updated"] for sheet in self.cheatsheets]
        if self.site.glossary:
            dates.append(self.site.glossary["updated"])
        dates = dates or [dt.date(2000, 1, 1)]
        return dt.datetime.combine(max(dates), dt.time(), tzinfo=dt.timezone.utc)

    def artifact_slugs(self) -> list[str]:
        """Every artifact's slug, in build order: guides, cheat sheets, the glossary book."""
        slugs = [g.slug for g in self.guides] + [c.slug for c in self.cheatsheets]
        return slugs + ([self.site.glossary["slug"]] if self.site.glossary else [])

    def artifact_date(self, updated: dt.date) -> dt.datetime:
        """The date written into one artifact's metadata."""
        if source_epoch() is not None:
            return self.source_date()
        return dt.datetime.combine(updated, dt.time(), tzinfo=dt.timezone.utc)


#: The latest moment SOURCE_DATE_EPOCH may name: the last second of the year 9999.
MAX_EPOCH = 253402300799


def source_epoch() -> int | None:
    """SOURCE_DATE_EPOCH as seconds since 1970, None when unset; a bad value is an error."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not value:
        return None
    if not value.isdigit() or len(value) > 12 or int(value) > MAX_EPOCH:
        shown = value if len(value) <= 40 else value[:40] + "..."
        raise GuidepressError(
            f"SOURCE_DATE_EPOCH is {shown!r}, not a number of seconds since 1970 (for "
            "example 1764460800); set it to a whole number or unset it")
    return int(value)


def folder_of(root: Path, name: str) -> Path:
    """The root's own `name` folder when it has one, else the project's."""
    own = root / name
    return own if own.is_dir() else PROJECT_DIR / name


def load_project(root: Path, problems: Collector) -> Project | None:
    """Read site.yaml, the glossary and the guides, recording every problem in `problems`.

    Returns None only when there is nothing to go on (no root, or no usable site.yaml);
    otherwise the project holds everything that could be read, so that later stages can
    report their problems too.
    """
    root = root.resolve()
    if not root.is_dir():
        problems.add(str(root), None, "content root does not exist")
        return None
    site = load_site(root, problems)
    tokens = brand_tokens(root, PROJECT_DIR / "styles")
    glossary = load_glossary(root, problems, site.lang if site else "en", tokens)
    guides = load_guides(root, problems)
    frameworks = load_frameworks(root, problems, site.lang if site else "en")
    cheatsheets = load_cheatsheets(root, glossary, problems, frameworks)
    templates_dir = folder_of(root, "templates")
    folders = [templates_dir] if templates_dir == PROJECT_DIR / "templates" else \
        [templates_dir, PROJECT_DIR / "templates"]
    templates = Templates(folders, root, tokens)
    templates.frameworks = list(frameworks.values())
    problems.extend(templates.check())
    if site is None:
        return None
    project = Project(root, site, glossary, guides, cheatsheets, templates, frameworks)
    _check_unique_slugs(project, problems)
    return project


def _check_unique_slugs(project: Project, problems: Collector) -> None:
    """Every artifact writes dist/<slug>.pdf, so slugs must not collide across kinds."""
    seen: dict[str, str] = {}
    named = [(g.slug, g.files[0]) for g in project.guides]
    named += [(c.slug, c.path) for c in project.cheatsheets]
    if project.site.glossary:
        named.append((project.site.glossary["slug"], "site.yaml"))
    for slug, path in named:
        if slug in seen:
            problems.add(path, None, f"duplicate slug '{slug}' (also {seen[slug]}): each "
                                     "artifact needs its own name in dist/")
        else:
            seen[slug] = path
