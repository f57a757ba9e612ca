"""site.yaml: the brand and the defaults, one typed field per key."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import Collector, read_source
from .schema import Field, read_mapping
from .typography import smarten_fields
from .yamlio import load_yaml

PAPERS = ("a4", "letter")

#: A web address a PDF may link to: http(s) only, no spaces, quotes or angle brackets.
_URL_RE = re.compile(r"^https?://[^\s/\"'<>\\]+(/[^\s\"'<>\\]*)?$", re.IGNORECASE)


def _url(value: str) -> str | None:
    return None if _URL_RE.match(value) else f"must be a web address starting with https://, not '{value}'"


def _months(value) -> str | None:
    text = str(value).strip()
    if not text.isdigit() or not 1 <= int(text) <= 120:
        return f"must be a whole number of months from 1 to 120, not '{text}'"
    return None


def _papers(values: list[str]) -> str | None:
    unknown = [p for p in values if p not in PAPERS]
    return f"has an unknown paper '{unknown[0]}' (known: {', '.join(PAPERS)})" if unknown else None


def _guide_url(value: str) -> str | None:
    if "{slug}" not in value:
        return "must contain {slug}, where the guide's slug goes"
    if not _URL_RE.match(value.replace("{slug}", "slug")):
        return f"must be a web address starting with https://, not '{value}'"
    return None


SITE_FIELDS: dict[str, Field] = {
    "name": Field("text", doc="Brand name, on every cover and footer."),
    "tagline": Field("text", doc="One line under the brand name on the back page."),
    "url": Field("text", check=_url, doc="The brand's site; printed on covers and back pages."),
    "publisher": Field("text", doc="Publisher, in the PDF metadata."),
    "author": Field("text", required=False, doc="PDF author; the publisher when absent."),
    "lang": Field("text", required=False, default="en", doc="Default language of the guides."),
    "paper": Field("choice", required=False, default="a4", choices=PAPERS,
                   doc="Default paper size: dist/<slug>.pdf."),
    "papers": Field("list", required=False, default=list, check=_papers,
                    doc="Every paper size a build makes; the others are dist/<slug>-<paper>.pdf. "
                        "Default: the default paper only."),
    "about": Field("text", doc="About the brand: the back page's main paragraph."),
    "more": Field("text", doc="Where to get more guides: the back page's second paragraph."),
    "guide_url": Field("text", required=False, default=None, check=_guide_url,
                       doc="Where a guide's PDF is published, with {slug}; links between "
                           "guides point here. Default: <url>/guides/{slug}.pdf"),
    "glossary": Field("mapping", required=False, default=None,
                      doc="The glossary book: slug, title, subtitle, summary, version, updated. "
                          "No book is built without it."),
    "review_every": Field("number", required=False, default="6", check=lambda v: _months(v),
                          doc="How many months a review date stays fresh: `check` warns of "
                              "each guide, featured term and card reviewed longer ago."),
    "pdf_variant": Field("choice", required=False, default="pdf/ua-1",
                         choices=("pdf/ua-1", "pdf/a-3u"),
                         doc="pdf/ua-1 (accessible, the default) or pdf/a-3u (archival, and "
                             "accessible too); `build --pdf-variant` overrides it."),
}

GLOSSARY_BOOK_FIELDS: dict[str, Field] = {
    "slug": Field("text", doc="Output name: dist/<slug>.pdf."),
    "title": Field("text", doc="Cover title."),
    "subtitle": Field("text", doc="Cover subtitle."),
    "summary": Field("text", doc="For the downloads page and the PDF subject."),
    "version": Field("text", doc="Edition."),
    "updated": Field("date", doc="Date the glossary was last reviewed."),
    "keywords": Field("list", required=False, default=list, doc="PDF keywords."),
}

#: The texts printed as prose, with typographic quotes and dashes in the site's language (see
#: typography.py); addresses, codes, slugs and keywords are kept as written.
SITE_PROSE = ("name", "tagline", "publisher", "author", "about", "more")
GLOSSARY_BOOK_PROSE = ("title", "subtitle", "summary")


@dataclass(frozen=True)
class Site:
    """The brand and build defaults from site.yaml."""

    name: str
    tagline: str
    url: str
    publisher: str
    author: str
    lang: str
    paper: str
    papers: list[str]
    about: str
    more: str
    guide_url: str
    glossary: dict[str, Any] | None
    pdf_variant: str = "pdf/ua-1"
    review_every: int = 6

    def url_of_guide(self, slug: str, fragment: str = "") -> str:
        """Return the published address of a guide, with an optional #fragment."""
        address = self.guide_url.replace("{slug}", slug)
        return f"{address}#{fragment}" if fragment else address

    @property
    def display_url(self) -> str:
        """The site address as printed: no scheme, no trailing slash."""
        return re.sub(r"^https?://", "", self.url).rstrip("/")


def load_site(root: Path, problems: Collector) -> Site | None:
    """Read and check `root/site.yaml`."""
    path = root / "site.yaml"
    if not (path.exists() or path.is_symlink()):  # read_source says what else is wrong
        problems.add("site.yaml", None, "missing: every content root needs a site.yaml")
        return None
    text = read_source(path, "site.yaml", problems, root)
    if text is None:
        return None
    data, yaml_problems = load_yaml(text, "site.yaml")
    problems.extend(yaml_problems)
    if yaml_problems:
        return None
    values = read_mapping(data, SITE_FIELDS, "site.yaml", "site.yaml", problems)
    if values is None:
        return None
    if values["glossary"] is not None:
        book = read_mapping(data["glossary"], GLOSSARY_BOOK_FIELDS, "site.yaml", "glossary",
                            problems, line=data.line_of("glossary"))
        if book is None:
            return None
        values["glossary"] = smarten_fields(book, GLOSSARY_BOOK_PROSE, values["lang"])
    values["papers"] = [values["paper"]] + [p for p in dict.fromkeys(values["papers"])
                                            if p != values["paper"]]
    values["author"] = values["author"] or values["publisher"]
    values["review_every"] = int(str(values["review_every"]).strip())
    values["url"] = values["url"].rstrip("/")
    values["guide_url"] = values["guide_url"] or values["url"] + "/guides/{slug}.pdf"
    return Site(**smarten_fields(values, SITE_PROSE, values["lang"]))
