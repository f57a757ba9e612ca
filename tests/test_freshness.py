"""Freshness: reviews older than review_every months and glance boxes whose date disagrees."""

from __future__ import annotations

import datetime as dt

import pytest

from guidepress.freshness import add_months, glance_month
from conftest import GLOSSARY, GUIDE, SHEET, SITE, make_project, run
from featured_fixture import DIAGRAM, featured_glossary


def line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.split("\n"), 1) if needle in line)


def check(capsys, root, *extra):
    code, _, err = run(capsys, "check", "--root", str(root), *extra)
    return code, [line for line in err.splitlines() if ": warning: " in line or ": " in line]


def test_a_review_older_than_review_every_months_is_a_warning_naming_the_item(
        tmp_path, capsys, monkeypatch):
    guide = GUIDE.replace("updated: 2026-11-01\n", "updated: 2026-11-01\nreviewed: 2026-11-01\n")
    root = make_project(tmp_path / "site", {"guides/alpha.md": guide})
    monkeypatch.setenv("GUIDEPRESS_TODAY", "2027-05-01")     # due that day: still fresh
    assert check(capsys, root) == (0, [])
    monkeypatch.setenv("GUIDEPRESS_TODAY", "2027-05-02")
    code, lines = check(capsys, root)
    assert code == 0
    assert lines == [f"guides/alpha.md:{line_of(guide, 'reviewed:')}: warning: the guide "
                     "'alpha' was last reviewed on 2026-11-01, more than 6 months ago (due "
                     "2027-05-01): read it again against today's products, then set "
                     "'reviewed: 2027-05-02'"]
    code, _, err = run(capsys, "build", "--root", str(root), "--strict", "-q")
    assert code == 1 and "more than 6 months ago" in err
    assert not (root / "dist" / "alpha.pdf").exists()


def test_review_every_sets_the_period(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("GUIDEPRESS_TODAY", "2027-08-01")
    root = make_project(tmp_path / "site", {"site.yaml": SITE + "review_every: 12\n"})
    assert check(capsys, root) == (0, [])
    root = make_project(tmp_path / "two", {"site.yaml": SITE + "review_every: 1\n"})
    monkeypatch.setenv("GUIDEPRESS_TODAY", "2026-12-02")
    code, lines = check(capsys, root)
    assert "more than 1 month ago (due 2026-12-01)" in lines[0]


@pytest.mark.parametrize("value", ["0", "half", "6.5", "200"])
def test_a_bad_review_every_is_a_problem(tmp_path, capsys, value):
    root = make_project(tmp_path / "site", {"site.yaml": SITE + f"review_every: {value}\n"})
    code, _, err = run(capsys, "check", "--root", str(root))
    assert code == 1
    assert f"site.yaml:{SITE.count(chr(10)) + 1}: site.yaml key 'review_every' must be a " \
           f"whole number of months from 1 to 120, not '{value}'" in err


def test_a_guide_without_a_review_date_is_measured_from_its_updated_date(tmp_path, capsys,
                                                                        monkeypatch):
    root = make_project(tmp_path / "site")
    assert check(capsys, root) == (0, [])
    monkeypatch.setenv("GUIDEPRESS_TODAY", "2027-06-01")
    code, lines = check(capsys, root)
    assert lines == [f"guides/alpha.md:{line_of(GUIDE, 'updated:')}: warning: the guide "
                     "'alpha' (no 'reviewed' date, so its 'updated' date) was last reviewed on "
                     "2026-11-01, more than 6 months ago (due 2027-05-01): read it again "
                     "against today's products, then set 'reviewed: 2027-06-01'"]


def test_a_stale_featured_term_and_card_are_listed_each(tmp_path, capsys, monkeypatch):
    sheet = SHEET.replace('updated: 2026-11-02\n', 'updated: 2026-11-02\nreviewed: 2026-01-15\n')
    glossary = featured_glossary(GLOSSARY)
    root = make_project(tmp_path / "site", {"glossary/terms.yaml": glossary,
                                            "glossary/figures/token.svg": DIAGRAM,
                                            "cheatsheets/test-sheet.yaml": sheet})
    monkeypatch.setenv("GUIDEPRESS_TODAY", "2026-12-01")
    code, lines = check(capsys, root)
    assert lines == [
        f"cheatsheets/test-sheet.yaml:{line_of(sheet, 'reviewed:')}: warning: the cheat sheet "
        "'test-sheet' was last reviewed on 2026-01-15, more than 6 months ago (due "
        "2026-07-15): read it again against today's products, then set "
        "'reviewed: 2026-12-01'"]
    monkeypatch.setenv("GUIDEPRESS_TODAY", "2027-06-01")
    code, lines = check(capsys, root)
    assert [line.split(": warning: ")[1].split(" was ")[0] for line in lines] == [
        "the guide 'alpha' (no 'reviewed' date, so its 'updated' date)",
        "the featured term 'token'", "the cheat sheet 'test-sheet'"]
    assert lines[1].startswith(f"glossary/terms.yaml:{line_of(glossary, 'featured:')}:")


@pytest.mark.parametrize("title, warning", [
    ("At a glance (as of November 2026)", None),
    ("At a glance (as of 2026-11)", None),
    ("At a glance (as of March 2026)", "the at-a-glance box says its facts are as of March "
     "2026, but the front matter's 'updated' date is 2026-11-01: check the box's facts, then "
     "make the two agree"),
    ("At a glance", "the at-a-glance box does not say when its facts were checked: give it "
     "a title with the month, like \"At a glance (as of November 2026)\""),
])
def test_a_glance_box_whose_date_disagrees_with_updated_is_a_warning(tmp_path, capsys, title,
                                                                     warning):
    guide = GUIDE.replace("## A section", f'!!! glance "{title}"\n    - **Cost:** free.\n\n'
                                          "## A section")
    root = make_project(tmp_path / "site", {"guides/alpha.md": guide})
    code, lines = check(capsys, root)
    expected = [] if warning is None else \
        [f"guides/alpha.md:{line_of(guide, '!!! glance')}: warning: {warning}"]
    assert (code, lines) == (0, expected)


def test_glance_dates_in_other_languages():
    assert glance_month("De un vistazo (datos de noviembre de 2026)", "es") == (2026, 11)
    assert glance_month("En bref (en mars 2026)", "fr") == (2026, 3)
    assert glance_month("Auf einen Blick (Stand: Mai 2026)", "de") == (2026, 5)
    assert glance_month("概要（2026年11月時点）", "ja") == (2026, 11)
    assert glance_month("概要（2026年1月）", "zh") == (2026, 1)
    assert glance_month("At a glance (as of Sep 2026)", "en") == (2026, 9)
    assert glance_month("At a glance", "en") is None


def test_months_are_calendar_months():
    assert add_months(dt.date(2026, 8, 31), 6) == dt.date(2027, 2, 28)
    assert add_months(dt.date(2027, 8, 31), 6) == dt.date(2028, 2, 29)
    assert add_months(dt.date(2026, 11, 30), 1) == dt.date(2026, 12, 30)
    assert add_months(dt.date(2026, 12, 15), 13) == dt.date(2028, 1, 15)


def test_a_bad_pinned_date_is_one_clear_error(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("GUIDEPRESS_TODAY", "tomorrow")
    root = make_project(tmp_path / "site")
    code, _, err = run(capsys, "check", "--root", str(root))
    assert code == 1
    assert "GUIDEPRESS_TODAY is 'tomorrow', not a date like 2026-12-01" in err
    assert "Traceback" not in err


def test_the_shipped_catalogue_is_reviewed_and_its_glance_boxes_agree(capsys):
    from guidepress.project import PROJECT_DIR
    code, _, err = run(capsys, "check", "--root", str(PROJECT_DIR))
    # the only warning is the brand's placeholder address, which the release guard flags
    assert code == 0 and [line for line in err.splitlines() if line] == \
        [line for line in err.splitlines() if line.startswith("site.yaml:4: warning: the "
                                                              "brand's address")]
