"""Typographic punctuation for the prose that comes from YAML, as the guides' Markdown gets it.

A guide's body goes through Python-Markdown's `smarty` extension; the glossary, the cheat
sheets, site.yaml, the label catalogues and a guide's front matter are plain text, printed as
written. `smarten` runs the very same smarty patterns over such a text (no other Markdown),
so that it prints curly quotes and apostrophes, en and em dashes and ellipses too, in the
marks its language uses.

Kept as written: text in backticks, web addresses, and everything no loader passes here
(a cheat sheet's prompts, which are copied out word for word; slugs, aliases, keywords,
addresses, codes). Japanese, Chinese and Korean text is left alone: those languages write
their own marks (「」, “”), and ASCII quotes among them are no one's typo to correct.
"""

from __future__ import annotations

import functools
import re
import threading
import xml.etree.ElementTree as etree
from typing import Any, Iterable

from markdown import Markdown, util
from markdown.extensions.smarty import SmartyExtension

#: smarty's marks for English (its own defaults, as characters rather than HTML entities).
ENGLISH = {
    "left-single-quote": "\u2018", "right-single-quote": "\u2019",   # ‘ ’ (and apostrophe)
    "left-double-quote": "\u201c", "right-double-quote": "\u201d",   # “ ”
    "left-angle-quote": "\u00ab", "right-angle-quote": "\u00bb",     # « »
    "ndash": "\u2013", "mdash": "\u2014", "ellipsis": "\u2026",       # – — …
}
#: Each language's double quotes where they are not English's; single quotes stay ‘ ’ in
#: every language, because smarty writes an apostrophe as a closing single quote (’).
#: Spanish takes « » (the RAE's first choice, and what the Spanish sources already type);
#: French « » with a no-break space inside; German „ “.
DOUBLE_QUOTES = {
    "es": ("\u00ab", "\u00bb"),
    "fr": ("\u00ab\u00a0", "\u00a0\u00bb"),
    "de": ("\u201e", "\u201c"),
}
#: Languages whose text is printed exactly as written.
AS_WRITTEN = frozenset({"ja", "zh", "ko"})

#: Spans that keep their straight quotes, dashes and dots: `code`, and web addresses (their
#: last character is not the punctuation that ends the sentence around them).
_VERBATIM_RE = re.compile(r"`[^`\n]+`|\b(?:https?://|mailto:|www\.)[^\s<>]*[^\s<>.,;:!?)\]'\"]")
#: What marks a verbatim span while the rest is converted: one private-use character each.
_MARK_BASE = 0xE000
_MARK_RE = re.compile("[\ue000-\uf8ff]")
#: Text with these cannot be converted safely (Markdown's own placeholders, or our marks).
_UNSAFE_RE = re.compile("[\x02\x03\ue000-\uf8ff]")


def substitutions(lang: str | None) -> dict[str, str] | None:
    """The smarty substitutions for language `lang` (a BCP 47 code; None is English), or
    None for a language whose text is printed as written."""
    primary = primary_code(lang)
    if primary in AS_WRITTEN:
        return None
    marks = dict(ENGLISH)
    if primary in DOUBLE_QUOTES:
        marks["left-double-quote"], marks["right-double-quote"] = DOUBLE_QUOTES[primary]
    return marks


_local = threading.local()


def _converter(lang: str) -> tuple[Markdown, Any]:
    """A Markdown instance with smarty in `lang`'s marks, and smarty's own inline pass
    (one per thread: the pass keeps its results in the instance while it runs)."""
    converters = _local.__dict__.setdefault("converters", {})
    if lang not in converters:
        md = Markdown(extensions=[SmartyExtension(substitutions=substitutions(lang))])
        converters[lang] = (md, md.treeprocessors["smarty"])
    return converters[lang]


@functools.lru_cache(maxsize=8192)
def smarten(text: str, lang: str | None = "en") -> str:
    """`text` with typographic quotes, apostrophes, dashes and ellipses in `lang`'s marks:
    Don't -> Don’t, "yes" -> “yes” (Spanish «yes»), -- -> –, ... -> …; code in backticks
    and web addresses as written. Plain text in, plain text out (no HTML entities)."""
    if substitutions(lang) is None or not any(c in text for c in "'\"-.") or \
            _UNSAFE_RE.search(text):
        return text
    kept: list[str] = []

    def keep(match: re.Match) -> str:
        kept.append(match.group(0))
        return chr(_MARK_BASE + len(kept) - 1)

    masked = _VERBATIM_RE.sub(keep, text) if len(text) < 100_000 else text
    md, smarty = _converter(primary_code(lang))
    md.htmlStash.reset()
    root = etree.Element("div")
    holder = etree.SubElement(root, "p")  # the pass converts the text of a root's children
    holder.text = masked
    smarty.run(root)
    converted = util.HTML_PLACEHOLDER_RE.sub(
        lambda m: md.htmlStash.rawHtmlBlocks[int(m.group(1))], holder.text or "")
    return _MARK_RE.sub(lambda m: kept[ord(m.group(0)) - _MARK_BASE], converted)


def primary_code(lang: str | None) -> str:
    """The part of a language code that chooses the marks: es for es-419."""
    return (lang or "en").strip().replace("_", "-").split("-")[0].lower() or "en"


def smarten_fields(values: dict[str, Any], keys: Iterable[str], lang: str | None) -> dict[str, Any]:
    """A copy of `values` with the text of each of `keys` (its prose) smartened."""
    result = dict(values)
    for key in keys:
        if isinstance(result.get(key), str):
            result[key] = smarten(result[key], lang)
    return result
