"""The ids guidepress itself puts in a document, kept apart from the ids of authors' headings.

Every generated id starts with `gp--`. A heading whose GitHub id would take that form (a
heading written "GP -- notes") gets `h-` in front of it (see github.py), so no heading, whatever
its text, can take an id the templates and the layout rely on; and `build-pdfs check` refuses
an id that an author sets in this form ({#gp--x}, or id=/name= in raw HTML). Templates write
the same ids literally: keep them in step with this module.
"""

from __future__ import annotations

#: The start of every id that guidepress generates.
RESERVED = "gp--"

CONTENTS = "gp--contents"            # the guide's contents page
GLOSSARY = "gp--glossary"            # the guide's glossary appendix
CHAPTER = "gp--chapter-"             # + chapter number, from 1
TERM = "gp--term-"                   # + term slug: a glossary entry
USE = "gp--use-"                     # + term slug + "-" + number: one glossary link


def is_reserved(value: str) -> bool:
    """True for an id (or anchor name) in the form guidepress keeps for itself."""
    return value.strip().lower().startswith(RESERVED)


def chapter_id(number: int) -> str:
    """The id of chapter `number` (from 1)."""
    return f"{CHAPTER}{number}"


def chapter_number(anchor: str) -> int | None:
    """The number of a chapter id, or None for any other id."""
    rest = anchor[len(CHAPTER):] if anchor.startswith(CHAPTER) else ""
    return int(rest) if rest.isdigit() else None


def term_id(slug: str) -> str:
    """The id of a glossary entry."""
    return f"{TERM}{slug}"


def use_id(slug: str, number: int) -> str:
    """The id of the `number`-th link (from 1) to a glossary term in a guide."""
    return f"{USE}{slug}-{number}"
