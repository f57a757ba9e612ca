"""Jinja2 templates: sources and converted Markdown in, one HTML document per artifact out."""

from __future__ import annotations

import datetime as dt
import sys
import traceback
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError
from markupsafe import Markup

from . import __version__
from .errors import Problem

#: Words the templates print, in one place.
LABELS = {
    "contents": "Contents",
    "badge_guide": "Free guide",
    "badge_glossary": "Free reference",
    "glossary": "Glossary",
    "glossary_intro": "The terms this guide uses, in plain English, with the pages where "
                      "they appear.",
    "used_on_page": "Used on page",
    "used_on_pages": "Used on pages",
    "version": "Version",
    "updated": "Updated",
    "for": "For",
    "about": "About",
    "more": "More free guides",
    "more_free": "More free guides and the full glossary on our site",
    "qr": "QR code for",
    "do": "Do",
    "dont": "Don't",
    "letter_index": "Terms A to Z",
    "letter_intro": "Every term, by its first letter. Each entry has a one-line definition, a "
                    "fuller explanation and, where it helps, a common misconception and an "
                    "example.",
    "also_called": "Also called",
    "misconception": "Common misconception",
    "example": "Example",
    "related": "Related",
    "downloads": "free downloads",
    "cover_of": "Cover of",
    "pages": "pages",
    "page": "page",
}


class TemplateProblem(Exception):
    """A template failed; carries the problem located in the template file."""

    def __init__(self, problem: Problem):
        super().__init__(str(problem))
        self.problem = problem


def longdate(value: dt.date) -> str:
    """30 November 2026."""
    return f"{value.day} {value:%B %Y}"


def lower_first(value: str) -> str:
    """Complete beginners -> complete beginners (keeps acronyms such as AI)."""
    if len(value) > 1 and value[1].isupper():
        return value
    return value[:1].lower() + value[1:]


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
        self.env.filters["longdate"] = longdate
        self.env.filters["lower_first"] = lower_first

    def check(self) -> list[Problem]:
        """Compile every template; return the syntax errors, located."""
        problems = []
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
        context.setdefault("labels", LABELS)
        context.setdefault("tokens", self.tokens)
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
