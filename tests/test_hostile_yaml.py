"""The hostile-input corpus, source side: YAML that explodes, nests without end, hides
control characters, uses lists as keys, writes numbers and dates that cannot be, and source
files that are links out of the root, folders, pipes, too big, or from Windows and old Macs.

Every case is run through `build-pdfs check` with tests/hostile.py: the exact first line,
exit code 1, no traceback, dist/ unchanged. Inputs that must now be *accepted* (a BOM, CRLF
and CR line endings, merge keys, a 1 MB guide) are plain tests at the end.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import GLOSSARY, GUIDE, SHEET, SITE, make_project, run
from hostile import (Case, good_dist, link,  # noqa: F401 - good_dist is a fixture
                     run_case)

SHEET_PATH = "cheatsheets/sheet.yaml"
LIMIT = "(the limit)"


def bomb(levels: int = 9) -> str:
    """A "billion laughs": nine anchors, each a list of nine aliases to the one before."""
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for index in range(1, levels):
        name, prev = chr(97 + index), chr(96 + index)
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def front(extra: str, first: str = "---\n") -> str:
    """The test guide with `extra` YAML at the top of its front matter (line 2 on)."""
    return first + extra + GUIDE[len("---\n"):]




def fifo(name: str):
    def setup(root: Path) -> None:
        os.mkfifo(root / name)
    return setup


def folder(name: str):
    def setup(root: Path) -> None:
        (root / name).mkdir(parents=True)
    return setup


BOMB_MESSAGE = ("the aliases here (*h) would expand to more than 100,000 repeated values "
                f"{LIMIT}: write the values out, or use fewer aliases")
DEEP_MESSAGE = f"lists and mappings are nested more than 50 levels deep here {LIMIT}: use fewer levels"
BAD_CHARACTER = ("the invisible character U+{:04X} is not allowed here: delete it (it often "
                 "comes in with copy and paste)")
PLAIN_KEYS = ("keys must be plain words, not lists or mappings: write each key as a word "
              "followed by a colon, like title:")
SITE_KEYS = ("(expected one of: about, author, glossary, guide_url, lang, more, name, paper, "
             "papers, pdf_variant, publisher, review_every, tagline, url)")
OUTSIDE = "is a link to a file outside the content root; copy the file into the content root instead"
BOOK = ("glossary:\n  slug: glossary\n  title: Glossary\n  subtitle: Terms\n  summary: All terms.\n"
        "  version: \"1.0\"\n  updated: 2026-11-01\n")
DEEP_ALIASES = ("a: &a " + "[" * 30 + "x" + "]" * 30 + "\n"
                "b: &b " + "[" * 30 + "*a" + "]" * 30 + "\n")

CASES = [
    # Alias bombs: each file kind, located at the alias that expands the most.
    Case("alias bomb in front matter", {"guides/alpha.md": front(bomb())},
         first=f"guides/alpha.md:10:8: {BOMB_MESSAGE}"),
    Case("alias bomb in site.yaml", {"site.yaml": bomb() + SITE},
         first=f"site.yaml:9:8: {BOMB_MESSAGE}"),
    Case("alias bomb in a glossary file", {"glossary/more.yaml": bomb()},
         first=f"glossary/more.yaml:9:8: {BOMB_MESSAGE}"),
    Case("alias bomb in a cheat sheet", {SHEET_PATH: bomb() + SHEET},
         first=f"{SHEET_PATH}:9:8: {BOMB_MESSAGE}"),
    Case("an alias inside its own anchor", {"site.yaml": "loop: &me [1, *me]\n" + SITE},
         first="site.yaml:1:15: the alias *me is used inside its own anchor &me, so it never "
               "ends: remove that alias"),
    # Nesting depth, in flow and block style and through aliases.
    Case("brackets nested 5,000 deep in front matter",
         {"guides/alpha.md": front("x: " + "[" * 5000 + "]" * 5000 + "\n")},
         first=f"guides/alpha.md:2:53: {DEEP_MESSAGE}"),
    Case("block lists nested 60 deep in a glossary file",
         {"glossary/more.yaml": "- " * 60 + "x\n"},
         first=f"glossary/more.yaml:1:101: {DEEP_MESSAGE}"),
    Case("nesting made too deep by an alias, in a cheat sheet", {SHEET_PATH: DEEP_ALIASES + SHEET},
         first=f"{SHEET_PATH}:1:26: {DEEP_MESSAGE}"),
    # Characters YAML refuses, at their line and column, shown by code.
    Case("a bell character in a front-matter title",
         {"guides/alpha.md": GUIDE.replace("Alpha Guide", "Alpha\x07Guide")},
         first="guides/alpha.md:2:13: " + BAD_CHARACTER.format(7)),
    Case("a terminal escape in site.yaml",
         {"site.yaml": SITE.replace("Guides for testing.", "\x1b[31mGuides\x1b[0m")},
         first="site.yaml:2:10: " + BAD_CHARACTER.format(0x1B)),
    Case("a NUL byte in a glossary file",
         {"glossary/terms.yaml": GLOSSARY.replace("Token\n", "Tok\x00en\n", 1)},
         first="glossary/terms.yaml:2:12: " + BAD_CHARACTER.format(0)),
    Case("a DEL character in a cheat sheet", {SHEET_PATH: SHEET.replace("Test Sheet", "Test\x7f")},
         first=f"{SHEET_PATH}:1:12: " + BAD_CHARACTER.format(0x7F)),
    Case("a line separator pasted into a glossary definition (YAML would break the line)",
         {"glossary/terms.yaml": GLOSSARY.replace("piece of text,", "piece of text,\u2028")},
         first="glossary/terms.yaml:4:42: " + BAD_CHARACTER.format(0x2028)),
    # Escapes that YAML allows in quotes reach messages escaped, never raw.
    Case("an ANSI colour escape in a site.yaml key",
         {"site.yaml": SITE + '"\\e[31mred\\e[0m": 1\n'},
         first=f"site.yaml:9: unknown site.yaml key '\\x1b[31mred\\x1b[0m' {SITE_KEYS}"),
    Case("a right-to-left override and a carriage return in a front-matter key",
         {"guides/alpha.md": front('"gnp.\\u202eexe\\r": 1\n')},
         first="guides/alpha.md:2: unknown front-matter key 'gnp.\\u202eexe\\r' (expected one "
               "of: audience, keywords, lang, reviewed, subtitle, summary, title, updated, "
               "version)"),
    # Keys that are not words.
    Case("a list as a front-matter key", {"guides/alpha.md": front("? [a, b]\n: 1\n")},
         first=f"guides/alpha.md:2:3: {PLAIN_KEYS}"),
    Case("a list as a key in a flow mapping, in site.yaml", {"site.yaml": SITE + "x: {[1]: 2}\n"},
         first=f"site.yaml:9:5: {PLAIN_KEYS}"),
    Case("a mapping as a key in a glossary entry",
         {"glossary/terms.yaml": GLOSSARY + "  ? {a: 1}\n  : x\n"},
         first=f"glossary/terms.yaml:15:5: {PLAIN_KEYS}"),
    # Numbers: too long to read, or not what the author typed.
    Case("a 5,001-digit number in front matter",
         {"guides/alpha.md": GUIDE.replace('"1.0"', "1" * 5001)},
         first="guides/alpha.md:5:10: a number may have at most 300 digits and this one has "
               "5,001: put it in quotes if it is text"),
    Case("a 5,001-digit number in a cheat sheet",
         {SHEET_PATH: SHEET + "columns: " + "9" * 5001 + "\n"},
         first=f"{SHEET_PATH}:22:10: a number may have at most 300 digits and this one has "
               "5,001: put it in quotes if it is text"),
    Case("version 1.10 read as 1.1", {"guides/alpha.md": GUIDE.replace('"1.0"', "1.10")},
         first="guides/alpha.md:5: front-matter key 'version' is read as the number 1.1, not "
               'the text 1.10: put it in quotes, like version: "1.10"'),
    Case("version 0x1F read as 31, in a cheat sheet",
         {SHEET_PATH: SHEET.replace('"2.1"', "0x1F")},
         first=f"{SHEET_PATH}:4: cheat sheet key 'version' is read as the number 31, not the "
               'text 0x1F: put it in quotes, like version: "0x1F"'),
    Case("version 010 read as octal 8, in site.yaml's glossary book",
         {"site.yaml": SITE + BOOK.replace('"1.0"', "010")},
         first="site.yaml:14: glossary key 'version' is read as the number 8, not the text 010: "
               'put it in quotes, like version: "010"'),
    Case("an audience of 1_000 read as 1000",
         {"guides/alpha.md": GUIDE.replace("Testers", "1_000")},
         first="guides/alpha.md:7: front-matter key 'audience' is read as the number 1000, not "
               'the text 1_000: put it in quotes, like audience: "1_000"'),
    Case("a tagline of 1.0e+3 read as 1000.0",
         {"site.yaml": SITE.replace("Guides for testing.", "1.0e+3")},
         first="site.yaml:2: site.yaml key 'tagline' is read as the number 1000.0, not the text "
               '1.0e+3: put it in quotes, like tagline: "1.0e+3"'),
    Case("a keyword 2.10 read as 2.1", {"guides/alpha.md": front("keywords: [AI, 2.10]\n")},
         first="guides/alpha.md:2: front-matter key 'keywords' has 2.10, which is read as the "
               'number 2.1: put it in quotes, like "2.10"'),
    Case("yes read as true", {"guides/alpha.md": GUIDE.replace("Testers", "yes")},
         first="guides/alpha.md:7: front-matter key 'audience' is read as yes/no (true or "
               "false), not as text: put it in quotes"),
    # Dates that do not exist.
    Case("February 30th in front matter",
         {"guides/alpha.md": GUIDE.replace("2026-11-01", "2026-02-30")},
         first="guides/alpha.md:6: front-matter key 'updated' has '2026-02-30', which is not a "
               "real date (February 2026 has 28 days): write a date that exists, like 2026-11-30"),
    Case("month 13 in a cheat sheet", {SHEET_PATH: SHEET.replace("2026-11-02", "2026-13-01")},
         first=f"{SHEET_PATH}:5: cheat sheet key 'updated' has '2026-13-01', which is not a real "
               "date (there is no month 13): write a date that exists, like 2026-11-30"),
    Case("year 0 in site.yaml's glossary book",
         {"site.yaml": SITE + BOOK.replace("2026-11-01", "0000-01-01")},
         first="site.yaml:15: glossary key 'updated' has '0000-01-01', which is not a real date "
               "(there is no year 0): write a date that exists, like 2026-11-30"),
    Case("a quoted impossible date", {"guides/alpha.md": GUIDE.replace("2026-11-01", '"2026-04-31"')},
         first="guides/alpha.md:6: front-matter key 'updated' has '2026-04-31', which is not a "
               "real date (April 2026 has 30 days): write a date that exists, like 2026-11-30"),
    # Other YAML a constructor would raise on.
    Case("a Python tag", {"site.yaml": SITE + "x: !!python/object/apply:os.system [ls]\n"},
         first="site.yaml:9:4: invalid YAML: the tag 'tag:yaml.org,2002:python/object/apply:"
               "os.system' is not supported: remove it"),
    Case("an !!int tag on a word", {SHEET_PATH: SHEET + "columns: !!int three\n"},
         first=f"{SHEET_PATH}:22:10: 'three' is not a number: correct it, or remove the tag in "
               "front of it"),
    Case("a tab that indents", {"glossary/terms.yaml": GLOSSARY.replace("  term: Token", "\tterm: Token")},
         first="glossary/terms.yaml:2:1: invalid YAML: a tab cannot indent YAML: indent with "
               "spaces instead"),
    # Files that must not be read, or cannot be.
    Case("a guide that is a link to a file outside the root", setup=link("guides/beta.md"),
         first=f"guides/beta.md:1: {OUTSIDE}"),
    Case("site.yaml as a link outside the root", setup=link("site.yaml"),
         first=f"site.yaml:1: {OUTSIDE}"),
    Case("a glossary file as a link outside the root", setup=link("glossary/more.yaml"),
         first=f"glossary/more.yaml:1: {OUTSIDE}"),
    Case("a cheat sheet as a link outside the root", setup=link(SHEET_PATH),
         first=f"{SHEET_PATH}:1: {OUTSIDE}"),
    Case("a chapter as a link outside the root",
         {"guides/alpha.md": None, "guides/alpha/index.md": GUIDE}, setup=link("guides/alpha/b.md"),
         first=f"guides/alpha/b.md:1: {OUTSIDE}"),
    Case("a guide that is a link to nothing", setup=link("guides/beta.md", lambda r: r / "none.md"),
         first="guides/beta.md:1: is a link to a file that does not exist; put the file there, "
               "or delete the link"),
    Case("a guide that is a link to itself", setup=link("guides/beta.md", lambda r: Path("beta.md")),
         first="guides/beta.md:1: is a link that leads back to itself; replace it with the file"),
    Case("a guide that is a named pipe", setup=fifo("guides/beta.md"),
         first="guides/beta.md:1: is not an ordinary file (a pipe or a device); replace it with "
               "a text file"),
    Case("a folder named like a glossary file", setup=folder("glossary/more.yaml"),
         first="glossary/more.yaml:1: is a folder, not a file; rename the folder or move it away"),
    Case("a 5 MB guide", {"guides/alpha.md": GUIDE + ("word " * 1_000_000)},
         first="guides/alpha.md:1: is 5.1 MB, more than the 2 MB a source file may have; split "
               "it into smaller files (a guide can be a folder of chapter files)"),
    Case("a 5 MB glossary file", {"glossary/more.yaml": b"# " + b"x" * 5_000_000 + b"\n"},
         first="glossary/more.yaml:1: is 5.1 MB, more than the 2 MB a source file may have; "
               "split it into smaller files"),
    Case("a guide folder of more than 4 MB",
         {"guides/alpha.md": None, "guides/alpha/index.md": GUIDE,
          **{f"guides/alpha/{n}.md": "# Part\n\n" + "word " * 390_000 for n in "abc"}},
         first="guides/alpha:1: this guide's files come to more than 4 MB of text, the limit "
               "for one guide; split it into two guides"),
    Case("a cheat sheet that is not UTF-8", {SHEET_PATH: SHEET.encode().replace(b"Terms", b"T\xe9rms")},
         first=f"{SHEET_PATH}:7:13: not UTF-8 text (byte 0xe9); save the file as UTF-8"),
    # Windows and old-Mac line endings are read, and lines are counted as editors do.
    Case("a duplicate key in a CRLF site.yaml with a BOM",
         {"site.yaml": ("\ufeff" + SITE + "url: https://again.example\n").replace("\n", "\r\n")},
         first="site.yaml:9:1: duplicate key 'url'"),
    Case("an impossible date in a CR-only guide",
         {"guides/alpha.md": GUIDE.replace("2026-11-01", "2026-02-29").replace("\n", "\r")},
         first="guides/alpha.md:6: front-matter key 'updated' has '2026-02-29', which is not a "
               "real date (February 2026 has 28 days): write a date that exists, like 2026-11-30"),
    Case("an unknown term in the body of a BOM and CRLF guide",
         {"guides/alpha.md": ("\ufeff" + GUIDE + "\nA [[tokn]] here.\n").replace("\n", "\r\n")},
         first="guides/alpha.md:24:3: unknown glossary term 'tokn' (did you mean 'token'?); a new term goes in a file in glossary/"),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_hostile_yaml(case, tmp_path, good_dist, capsys, monkeypatch):
    run_case(case, tmp_path, good_dist, capsys, monkeypatch)


# Inputs that used to fail and must now pass `check`.

ACCEPTED = {
    "a guide with a BOM and CRLF line endings": {
        "guides/alpha.md": ("\ufeff" + GUIDE).replace("\n", "\r\n")},
    "site.yaml with a BOM and CR line endings": {"site.yaml": ("\ufeff" + SITE).replace("\n", "\r")},
    "a glossary file with CRLF line endings": {"glossary/terms.yaml": GLOSSARY.replace("\n", "\r\n")},
    "a cheat sheet with a BOM and CRLF line endings": {
        SHEET_PATH: ("\ufeff" + SHEET).replace("\n", "\r\n")},
    "a folder guide whose chapters have CRLF line endings": {
        "guides/alpha.md": None, "guides/alpha/index.md": GUIDE.split("# Second")[0],
        "guides/alpha/b.md": ("# Second chapter\n\nMore [[prompts]].\n").replace("\n", "\r\n")},
    "glossary entries that share keys through a merge key": {
        "glossary/terms.yaml": GLOSSARY.replace("- slug: prompt", "- &base\n  slug: prompt")
        + "- <<: *base\n  slug: bias\n  term: Bias\n  aliases: [biased]\n  related: [token]\n"},
    "a short version and a version with one decimal": {
        "guides/alpha.md": GUIDE.replace('"1.0"', "2"), SHEET_PATH: SHEET.replace('"2.1"', "1.5")},
    "a guide that is a link to a file inside the root": {
        "guides/alpha.md": None, "drafts/alpha.md": GUIDE},
    "a guide of about 300 pages (1 MB)": {
        "guides/alpha.md": GUIDE + ("\n## A section\n\n" + "A sentence of plain words. " * 40
                                    + "\n") * 1000},
}


@pytest.mark.parametrize("name", ACCEPTED)
def test_accepted(name, tmp_path, capsys):
    root = make_project(tmp_path / "site", ACCEPTED[name])
    if "inside the root" in name:
        (root / "guides").mkdir()
        (root / "guides" / "alpha.md").symlink_to(root / "drafts" / "alpha.md")
    code, out, err = run(capsys, "check", "--root", str(root))
    assert (code, err) == (0, ""), err
    assert "All sources are valid." in out


def test_a_1mb_guide_is_about_300_pages_of_text():
    text = ACCEPTED["a guide of about 300 pages (1 MB)"]["guides/alpha.md"]
    assert 1_000_000 <= len(text.encode()) < 2_000_000


def test_no_message_writes_a_raw_control_character(tmp_path, capsys):
    """Every problem line is printable text: escapes are shown, never sent to the terminal."""
    keys = "".join(f'"k{c}": 1\n' for c in ("\\e]0;pwned\\a", "\\x9b", "\\u2028", "\\u2066", "\\0"))
    root = make_project(tmp_path / "site", {"site.yaml": SITE + keys})
    code, _, err = run(capsys, "check", "--root", str(root))
    assert code == 1
    lines = err.splitlines()
    assert len(lines) == 6, err  # five problems and the summary: no line was split
    assert all(line.isprintable() for line in lines), err
    assert "'k\\x1b]0;pwned\\x07'" in err and "'k\\u2028'" in err and "'k\\x00'" in err
