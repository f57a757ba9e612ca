"""Content statistics for editors: words, glossary terms, prompts, readability of a guide."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .convert import convert
from .guides import Guide
from .mdext.glossary_links import TERM_RE
from .project import Project

_NOT_PROSE = re.compile(r'<div class="prompt-body">.*?</div>\s*</div>'
                        r'|<div class="highlight">.*?</div>|<table>.*?</table>', re.S)
_WORD = re.compile(r"\b\w[\w'\u2019-]*\b")


@dataclass(frozen=True)
class GuideStats:
    """What an editor checks a guide against."""

    slug: str
    words: int
    terms: int
    prompts: int
    glance_boxes: int
    reading_ease: float | None  # Flesch reading ease of the prose; None without textstat


def prose(html: str) -> str:
    """Readable prose from converted HTML: no prompts, code or tables; blocks end sentences."""
    html = _NOT_PROSE.sub(" ", html)
    html = re.sub(r"</(p|li|h\d|dt|dd)>", ".\n", html)
    text = re.sub(r"<[^>]+>", " ", html)
    text = re.sub(r"&(rsquo|lsquo);", "'", text)
    text = re.sub(r"&[a-z]+;|&#\d+;", " ", text)
    return re.sub(r"([.:?!])\s*\.", r"\1", text)


def guide_stats(project: Project, guide: Guide) -> GuideStats:
    """Count and score one guide."""
    glossary = project.glossary.for_lang(guide.meta["lang"])  # a translation's own names
    converted = convert(guide.body, glossary, project.site)
    text = re.sub(r"<[^>]+>", " ", converted.html)
    terms = {glossary.resolve(m.group(1)) for m in TERM_RE.finditer(guide.body)}
    try:
        import textstat
        ease = float(textstat.flesch_reading_ease(prose(converted.html)))
    except ImportError:
        ease = None
    return GuideStats(guide.slug, len(_WORD.findall(text)), len(terms - {None}),
                      guide.body.count("!!! prompt"), guide.body.count("!!! glance"), ease)
