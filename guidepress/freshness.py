"""Freshness: content about AI products ages fast, so `check` says what is due for a review.

- Every guide (and every translation) has a `reviewed` date in its front matter (one without
  is taken as reviewed on its `updated` date, when its facts were last checked), every featured
  glossary term one in its `featured:` part; a cheat sheet or card may have one. Each review
  older than site.yaml's `review_every` months (default 6) is a warning naming the item, its
  date and the date it fell due.
- A guide's at-a-glance box says when its facts were checked ("At a glance (as of November
  2026)"): when that month is not the month of the front matter's `updated` date, one of the
  two is out of date, and `check` warns at the box.

Warnings, not problems: a build still makes the PDFs, but `--strict` (and so a release)
fails until someone has looked.
"""

from __future__ import annotations

import calendar
import datetime as dt
import os
import re

from .errors import Collector, SetupError

#: A glance box's first line: `!!! glance "At a glance (as of November 2026)"`.
_GLANCE_RE = re.compile(r"^\s*!!!\s+glance\b(?:\s+\"(?P<title>[^\"]*)\")?")
_ISO_RE = re.compile(r"(?<!\d)(\d{4})-(\d{2})(?:-(\d{2}))?(?!\d)")
_YEAR_RE = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")


def today() -> dt.date:
    """The date reviews are measured against: GUIDEPRESS_TODAY (2026-12-01) when set, so a
    check of an old release, or the test suite, does not change with the calendar."""
    pinned = os.environ.get("GUIDEPRESS_TODAY", "").strip()
    if pinned:
        try:
            return dt.date.fromisoformat(pinned)
        except ValueError:
            raise SetupError(f"GUIDEPRESS_TODAY is '{pinned}', not a date like 2026-12-01: "
                             "correct it or unset it") from None
    return dt.date.today()


def add_months(date: dt.date, months: int) -> dt.date:
    """`date` plus `months` calendar months (31 January + 1 month is 28 or 29 February)."""
    month = date.month - 1 + months
    year, month = date.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(date.day, calendar.monthrange(year, month)[1]))


def check_freshness(project, problems: Collector, now: dt.date | None = None) -> None:
    """Warn of every review that is due and every glance box whose date disagrees."""
    now = now or today()
    every = project.site.review_every
    months = f"{every} month{'s' if every != 1 else ''}"

    def due(reviewed: dt.date, what: str, path: str, line: int | None) -> None:
        deadline = add_months(reviewed, every)
        if deadline < now:
            problems.warn(path, line, f"{what} was last reviewed on {reviewed.isoformat()}, "
                                      f"more than {months} ago (due {deadline.isoformat()}): "
                                      f"read it again against today's products, then set "
                                      f"'reviewed: {now.isoformat()}'")

    for guide in project.guides:
        path = guide.files[0]
        reviewed = guide.meta.get("reviewed")
        if reviewed is not None:
            due(reviewed, f"the guide '{guide.slug}'", path, guide.key_lines.get("reviewed"))
        else:  # its facts were checked on its `updated` date, and no review since
            due(guide.meta["updated"], f"the guide '{guide.slug}' (no 'reviewed' date, so "
                                       f"its 'updated' date)", path,
                guide.key_lines.get("updated"))
        _check_glance(guide, problems)
    for term in sorted(project.glossary.terms.values(), key=lambda t: (t.path, t.line)):
        if term.featured is not None:
            due(term.featured.reviewed, f"the featured term '{term.slug}'", term.path,
                term.featured.line)
    for sheet in project.cheatsheets:
        if sheet.meta.get("reviewed") is not None:
            due(sheet.meta["reviewed"], f"the cheat sheet '{sheet.slug}'", sheet.path,
                sheet.key_lines.get("reviewed"))


def _check_glance(guide, problems: Collector) -> None:
    updated: dt.date = guide.meta["updated"]
    for number, line in enumerate(guide.body.split("\n"), start=1):
        match = _GLANCE_RE.match(line)
        if not match:
            continue
        path, file_line = guide.locate(number)
        title = match.group("title") or ""
        said = glance_month(title, guide.meta["lang"])
        if said is None:
            problems.warn(path, file_line,
                          f"the at-a-glance box does not say when its facts were checked: give "
                          f"it a title with the month, like \"At a glance (as of "
                          f"{calendar.month_name[updated.month]} {updated.year})\"")
        elif said != (updated.year, updated.month):
            year, month = said
            problems.warn(path, file_line,
                          f"the at-a-glance box says its facts are as of "
                          f"{calendar.month_name[month]} {year}, but the front matter's "
                          f"'updated' date is {updated.isoformat()}: check the box's facts, "
                          "then make the two agree")


def glance_month(title: str, lang: str) -> tuple[int, int] | None:
    """The (year, month) a glance box's title gives, in its language or as an ISO date."""
    iso = _ISO_RE.search(title)
    if iso:
        return int(iso.group(1)), int(iso.group(2))
    year = _YEAR_RE.search(title)
    if not year:
        return None
    folded = title.casefold()
    for month, names in _month_names(lang).items():
        if any(re.search(_bounded(name), folded) for name in names):
            return int(year.group(0)), month
    return None


def _month_names(lang: str) -> dict[int, set[str]]:
    """Each month's names in `lang` and in English, lower case, wide and abbreviated."""
    from babel.dates import get_month_names

    names: dict[int, set[str]] = {m: set() for m in range(1, 13)}
    for locale in dict.fromkeys([lang.replace("-", "_"), "en"]):
        for width in ("wide", "abbreviated"):
            for context in ("format", "stand-alone"):
                try:
                    found = get_month_names(width, context, locale=locale)
                except Exception:  # noqa: BLE001 - an unknown language: English only
                    continue
                for month, name in found.items():
                    names[month].add(name.casefold().rstrip("."))
    return names


def _bounded(name: str) -> str:
    """A month's name as a whole word; "11月" (Japanese, Chinese) after anything but a digit."""
    if name[:1].isdigit():
        return rf"(?<!\d){re.escape(name)}"
    return rf"(?<!\w){re.escape(name)}(?!\w)"
