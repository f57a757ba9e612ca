"""Unit tests of the bounded readers: load_yaml, read_mapping and read_source at their edges."""

from __future__ import annotations

import datetime as dt
import json
import os
import pickle
import time
from pathlib import Path

import pytest

from guidepress.errors import MAX_SOURCE_BYTES, Collector, Problem, read_source
from guidepress.schema import Field, read_mapping
from guidepress.yamlio import (MAX_ALIAS_VALUES, MAX_DEPTH, LineDict, LineList, NotADate,
                               YamlFloat, YamlInt, load_yaml)


def load(text: str, offset: int = 0):
    return load_yaml(text, "x.yaml", line_offset=offset)


def messages(problems) -> list[str]:
    return [str(p) for p in problems]


# load_yaml: what keeps working.

def test_lines_of_keys_and_items_with_an_offset():
    data, problems = load("a: 1\nb:\n  - x\n  - y\n", offset=10)
    assert problems == []
    assert isinstance(data, LineDict) and data.line_of("a") == 11 and data.line_of("b") == 12
    assert isinstance(data["b"], LineList) and data["b"].item_lines == [13, 14]


def test_a_reused_alias_is_one_object_and_its_lines_move_once():
    data, problems = load("a: &x {k: 1}\nb: *x\nc: *x\n", offset=5)
    assert problems == []
    assert data["b"] is data["a"] is data["c"]
    assert data["a"].line == 6 and data["a"].line_of("k") == 6


def test_a_merge_key_shares_keys_and_the_mapping_overrides_them():
    text = ("base: &base\n  category: basics\n  short: Shared.\n"
            "term:\n  <<: *base\n  short: Own.\n  slug: own\n")
    data, problems = load(text)
    assert problems == []  # overriding a merged key is no duplicate
    assert dict(data["term"]) == {"category": "basics", "short": "Own.", "slug": "own"}
    assert data["term"].line_of("short") == 6 and data["term"].line_of("category") == 2


def test_merging_several_mappings_the_first_wins():
    data, problems = load("a: &a {k: 1, x: a}\nb: &b {k: 2, y: b}\nc:\n  <<: [*a, *b]\n")
    assert problems == []
    assert dict(data["c"]) == {"k": 1, "x": "a", "y": "b"}


def test_a_duplicate_key_of_the_mapping_itself_is_still_reported():
    data, problems = load("a: &a {k: 1}\nb:\n  <<: *a\n  k: 2\n  k: 3\n")
    assert messages(problems) == ["x.yaml:5:3: duplicate key 'k'"]
    assert data["b"]["k"] == 3


def test_keys_are_the_text_as_typed():
    data, problems = load("yes: 1\n1.10: 2\nnull: 3\n2026-01-01: 4\n'quoted': 5\n")
    assert problems == []
    assert list(data) == ["yes", "1.10", "null", "2026-01-01", "quoted"]


def test_numbers_remember_what_was_typed():
    data, _ = load("a: 1.10\nb: 0x1F\nc: 010\nd: 1_000\ne: 2\nf: 1.5\ng: 1.0e+3\n")
    assert [(type(v), v, v.source) for v in data.values()] == [
        (YamlFloat, 1.1, "1.10"), (YamlInt, 31, "0x1F"), (YamlInt, 8, "010"),
        (YamlInt, 1000, "1_000"), (YamlInt, 2, "2"), (YamlFloat, 1.5, "1.5"),
        (YamlFloat, 1000.0, "1.0e+3")]


def test_numbers_behave_as_numbers_in_json_and_survive_pickling():
    data, _ = load("a: 1.10\nb: 0x1F\n")
    assert json.dumps(dict(data)) == '{"a": 1.1, "b": 31}'
    copy = pickle.loads(pickle.dumps(dict(data)))
    assert copy == {"a": 1.1, "b": 31} and copy["a"].source == "1.10"
    assert YamlInt(5).source == "5"


def test_an_impossible_date_stays_the_text_typed():
    data, problems = load("a: 2026-02-30\nb: 2026-02-28\nc: 2028-02-29\n")
    assert problems == []
    assert isinstance(data["a"], NotADate) and data["a"] == "2026-02-30"
    assert data["b"] == dt.date(2026, 2, 28) and data["c"] == dt.date(2028, 2, 29)


def test_an_empty_document_is_none():
    assert load("") == (None, [])
    assert load("# only a comment\n") == (None, [])


# load_yaml: limits, each an error that names it, at the line.

def test_a_billion_laughs_is_refused_quickly():
    text = 'a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n'
    for index in range(1, 9):
        name, prev = chr(97 + index), chr(96 + index)
        text += f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]\n"
    started = time.perf_counter()
    data, problems = load(text, offset=1)
    assert time.perf_counter() - started < 2
    assert data is None
    assert messages(problems) == [
        "x.yaml:10:8: the aliases here (*h) would expand to more than 100,000 repeated values "
        "(the limit): write the values out, or use fewer aliases"]


def alias_uses(times: int) -> str:
    """One anchor of 1,000 values (a list of 999 words), used `times` times."""
    return "a: &a [" + ", ".join(["w"] * 999) + "]\n" + "".join(
        f"b{n}: *a\n" for n in range(times))


def test_aliases_may_repeat_up_to_the_limit_and_no_more():
    assert MAX_ALIAS_VALUES == 100_000
    data, problems = load(alias_uses(100))
    assert problems == [] and len(data) == 101
    data, problems = load(alias_uses(101))
    assert data is None and "more than 100,000 repeated values (the limit)" in str(problems[0])


def test_nesting_up_to_the_limit_and_no_more():
    assert MAX_DEPTH == 50
    data, problems = load("[" * 50 + "]" * 50)
    assert problems == []
    data, problems = load("[" * 51 + "]" * 51)
    assert data is None
    assert messages(problems) == ["x.yaml:1:51: lists and mappings are nested more than 50 "
                                  "levels deep here (the limit): use fewer levels"]


def test_nesting_thousands_deep_is_refused_not_a_recursion_error():
    for text in ("[" * 20_000 + "]" * 20_000, "{a: " * 5000 + "1" + "}" * 5000,
                 "".join(" " * n + "- \n" for n in range(0, 4000, 2))):
        data, problems = load(text)
        assert data is None and "nested more than 50 levels" in str(problems[0]), text[:20]


def test_nesting_that_aliases_make_too_deep():
    text = "a: &a " + "[" * 30 + "x" + "]" * 30 + "\nb: " + "[" * 30 + "*a" + "]" * 30 + "\n"
    data, problems = load(text)
    assert data is None and "nested more than 50 levels" in str(problems[0])


def test_an_alias_inside_its_own_anchor():
    data, problems = load("a: &me\n  - 1\n  - *me\n")
    assert data is None
    assert messages(problems) == ["x.yaml:3:5: the alias *me is used inside its own anchor "
                                  "&me, so it never ends: remove that alias"]


@pytest.mark.parametrize("char", ["\x07", "\x1b", "\x00", "\x7f", "\x9b", "\ufffe",
                                  "\u2028", "\u2029", "\x85"])
def test_a_control_character_is_located_and_named(char):
    data, problems = load("a: 1\nb: x" + char + "y\n", offset=3)
    assert data is None
    assert messages(problems) == [
        f"x.yaml:5:5: the invisible character U+{ord(char):04X} is not allowed here: delete "
        "it (it often comes in with copy and paste)"]


@pytest.mark.parametrize("text, col", [("? [a, b]\n: 1\n", 3), ("x: {[1]: 2}\n", 5),
                                       ("? {a: 1}\n: 2\n", 3), ("[1, 2]: 3\n", 1)])
def test_keys_that_are_lists_or_mappings(text, col):
    data, problems = load(text)
    assert messages(problems)[0].startswith(f"x.yaml:1:{col}: keys must be plain words")


def test_a_number_too_long_to_read():
    data, problems = load("a: " + "1" * 5001 + "\nb: 0x" + "f" * 4000 + "\nc: 1." + "5" * 400)
    assert [str(p)[:12] for p in problems] == ["x.yaml:1:4: ", "x.yaml:2:4: ", "x.yaml:3:4: "]
    assert "at most 300 digits and this one has 5,001" in str(problems[0])
    assert data["a"] == "1" * 5001  # kept as text, so that later checks do not fail on it


def test_a_long_sexagesimal_number_is_refused_before_it_is_computed():
    started = time.perf_counter()
    data, problems = load("a: 1" + ":00" * 50_000 + "\n")
    assert time.perf_counter() - started < 2 and "at most 300 digits" in str(problems[0])


@pytest.mark.parametrize("text", [
    "a: !!int abc\n", "a: !!float x\n", "a: !!int ''\n", "a: !!bool maybe\n",
    "a: !!binary '%%%'\n", "a: !!timestamp someday\n", "a: !!python/name:os.system\n",
    "a: !!set [1]\n", "a: !!omap {a: 1}\n", "a: !!null x\n", "a: !!str [1]\n",
    "a: !!map [1, 2]\n", "a: !!seq {a: 1}\n", "<<: 1\n", "a:\n  <<: [1]\n",
    "a: *nothing\n", "a: &x 1\nb: &x 2\n", "--- 1\n--- 2\n", "a: b: c\n", "a: 'x\n",
    "\t- a\n", "%YAML 9.9\n--- a\n", "!<tag:yaml.org,2002:value> a\n", "a: !!merge x\n",
])
def test_whatever_yaml_cannot_build_is_a_located_problem(text):
    data, problems = load(text)
    assert all(isinstance(p, Problem) and p.path == "x.yaml" for p in problems)
    for problem in problems:
        assert "\n" not in str(problem)


def test_a_tag_and_a_tab_are_put_plainly():
    assert messages(load("a: !foo 1\n")[1]) == [
        "x.yaml:1:4: invalid YAML: the tag '!foo' is not supported: remove it"]
    assert messages(load("a:\n\t- b\n")[1]) == [
        "x.yaml:2:1: invalid YAML: a tab cannot indent YAML: indent with spaces instead"]
    assert messages(load("a: &x 1\nb: &x 2\n")[1]) == [
        "x.yaml:2:4: invalid YAML: the anchor &x is defined twice: give each anchor its own name"]
    assert messages(load("a: 1\n---\nb: 2\n")[1]) == [
        "x.yaml:2:1: invalid YAML: a line '---' starts a second YAML document here: keep one "
        "document per file"]
    assert messages(load("a: !!map [1, 2]\n")[1]) == [
        "x.yaml:1:4: the tag in front of this value (!!...) does not fit it: remove the tag"]


# read_mapping: the kinds that read what YAML made.

FIELDS = {"version": Field("text"), "updated": Field("date", required=False),
          "keywords": Field("list", required=False), "size": Field("number", required=False)}


def check(text: str) -> list[str]:
    data, problems = load(text)
    assert problems == []
    collector = Collector()
    read_mapping(data, FIELDS, "x.yaml", "front-matter", collector)
    return messages(collector.problems)


@pytest.mark.parametrize("typed, shown", [("1.10", "1.1"), ("1.0e+3", "1000.0"), ("0x1F", "31"),
                                          ("010", "8"), ("1_000", "1000"), (".5", "0.5"),
                                          ("1:30", "90")])
def test_a_number_that_is_not_what_was_typed(typed, shown):
    assert check(f"version: {typed}\n") == [
        f"x.yaml:1: front-matter key 'version' is read as the number {shown}, not the text "
        f'{typed}: put it in quotes, like version: "{typed}"']


@pytest.mark.parametrize("typed", ["2", "1.5", "1.0", '"1.10"', "'0x1F'", "-3"])
def test_numbers_that_read_as_typed_are_text(typed):
    assert check(f"version: {typed}\n") == []


def test_list_items_that_are_not_what_was_typed():
    assert check("version: '1'\nkeywords: [AI, 2.10]\n") == [
        "x.yaml:2: front-matter key 'keywords' has 2.10, which is read as the number 2.1: put "
        'it in quotes, like "2.10"']
    assert check("version: '1'\nkeywords: [AI, no]\n") == [
        "x.yaml:2: front-matter key 'keywords' has an item read as yes/no (true or false), not "
        "as text: put it in quotes"]


@pytest.mark.parametrize("typed, why", [
    ("2026-02-30", "February 2026 has 28 days"), ("2026-13-01", "there is no month 13"),
    ("0000-01-01", "there is no year 0"), ("2026-00-10", "there is no month 0"),
    ("2026-01-00", "there is no day 0"), ("2026-04-31", "April 2026 has 30 days"),
    ("'2027-02-29'", "February 2027 has 28 days"),
    ("2026-11-01 25:00:00", "there is no such time of day")])
def test_a_date_that_does_not_exist(typed, why):
    shown = typed.strip("'")
    assert check(f"version: '1'\nupdated: {typed}\n") == [
        f"x.yaml:2: front-matter key 'updated' has '{shown}', which is not a real date ({why}): "
        "write a date that exists, like 2026-11-30"]


@pytest.mark.parametrize("typed", ["2028-02-29", "2026-11-01 10:00:00", "'2026-11-30'",
                                   "2026-11-01T10:00:00Z"])
def test_real_dates(typed):
    assert check(f"version: '1'\nupdated: {typed}\n") == []


def test_a_date_or_yes_where_text_is_wanted():
    assert check("version: 2026-01-01\n") == [
        "x.yaml:1: front-matter key 'version' is read as a date, not as text: put it in quotes, "
        'like version: "2026-01-01"']
    assert check("version: on\n") == [
        "x.yaml:1: front-matter key 'version' is read as yes/no (true or false), not as text: "
        "put it in quotes"]


def test_the_number_kind():
    assert check("version: '1'\nsize: 10.50\n") == []
    assert check("version: '1'\nsize: '7.5'\n") == []
    assert check("version: '1'\nsize: yes\n") == [
        "x.yaml:2: front-matter key 'size' must be a number, not 'True'"]


def test_a_long_unknown_key_is_shortened():
    [message] = check("version: '1'\n? " + "k" * 5000 + "\n: 1\n")  # long keys need '?'

    assert len(message) < 250 and "'" + "k" * 59 + "…'" in message


# read_source: only files inside the root, bounded, with line endings as editors count them.

def read(path: Path, root: Path) -> tuple[str | None, list[str]]:
    problems = Collector()
    text = read_source(path, path.name, problems, root)
    return text, messages(problems.problems)


def test_a_bom_is_dropped_and_crlf_and_cr_read_as_lf(tmp_path):
    path = tmp_path / "a.md"
    path.write_bytes("\ufeff---\r\nx: 1\r\n---\rbody\r\r".encode())
    assert read(path, tmp_path) == ("---\nx: 1\n---\nbody\n\n", [])


def test_text_that_is_not_utf8_keeps_its_message(tmp_path):
    path = tmp_path / "a.md"
    path.write_bytes(b"one\r\ntw\xe9\n")
    assert read(path, tmp_path) == (None, ["a.md:2:3: not UTF-8 text (byte 0xe9); save the "
                                           "file as UTF-8"])


def test_a_file_at_the_limit_is_read_and_one_byte_more_is_not(tmp_path):
    path = tmp_path / "a.md"
    path.write_bytes(b"x" * MAX_SOURCE_BYTES)
    text, problems = read(path, tmp_path)
    assert problems == [] and len(text) == MAX_SOURCE_BYTES
    path.write_bytes(b"x" * (MAX_SOURCE_BYTES + 1))
    assert read(path, tmp_path) == (None, [
        "a.md:1: is 2.1 MB, more than the 2 MB a source file may have; split it into smaller "
        "files (a guide can be a folder of chapter files)"])


def test_a_huge_file_is_refused_by_its_size_without_being_read(tmp_path):
    path = tmp_path / "huge.yaml"
    with open(path, "wb") as handle:
        handle.truncate(50 * 1024 ** 3)  # sparse: 50 GB that take no room
    started = time.perf_counter()
    text, problems = read(path, tmp_path)
    assert time.perf_counter() - started < 1
    assert text is None and problems == [
        "huge.yaml:1: is 53687.1 MB, more than the 2 MB a source file may have; split it into "
        "smaller files"]


def test_a_link_out_of_the_root_is_refused_and_a_link_inside_is_read(tmp_path):
    root = tmp_path / "root"
    (root / "guides").mkdir(parents=True)
    secret = tmp_path / "secret.md"
    secret.write_text("secret")
    (root / "guides" / "out.md").symlink_to(secret)
    (root / "inside.md").write_text("fine")
    (root / "guides" / "in.md").symlink_to(root / "inside.md")
    assert read(root / "guides" / "out.md", root) == (None, [
        "out.md:1: is a link to a file outside the content root; copy the file into the "
        "content root instead"])
    assert read(root / "guides" / "in.md", root) == ("fine", [])


def test_a_linked_folder_out_of_the_root_is_refused(tmp_path):
    root = tmp_path / "root"
    root.mkdir()
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "g.md").write_text("secret")
    (root / "guides").symlink_to(tmp_path / "elsewhere")
    assert "outside the content root" in read(root / "guides" / "g.md", root)[1][0]


def test_a_root_given_through_a_link_still_reads_its_own_files(tmp_path):
    (tmp_path / "real").mkdir()
    (tmp_path / "real" / "a.md").write_text("mine")
    (tmp_path / "alias").symlink_to(tmp_path / "real")
    assert read(tmp_path / "alias" / "a.md", tmp_path / "alias") == ("mine", [])


def test_pipes_folders_and_broken_or_looping_links(tmp_path):
    os.mkfifo(tmp_path / "pipe.md")
    (tmp_path / "dir.md").mkdir()
    (tmp_path / "broken.md").symlink_to(tmp_path / "none.md")
    (tmp_path / "loop.md").symlink_to(tmp_path / "loop.md")
    started = time.perf_counter()
    found = {name: read(tmp_path / name, tmp_path) for name in
             ("pipe.md", "dir.md", "broken.md", "loop.md")}
    assert time.perf_counter() - started < 1  # the pipe did not wait for a writer
    assert found == {
        "pipe.md": (None, ["pipe.md:1: is not an ordinary file (a pipe or a device); replace "
                           "it with a text file"]),
        "dir.md": (None, ["dir.md:1: is a folder, not a file; rename the folder or move it "
                          "away"]),
        "broken.md": (None, ["broken.md:1: is a link to a file that does not exist; put the "
                             "file there, or delete the link"]),
        "loop.md": (None, ["loop.md:1: is a link that leads back to itself; replace it with "
                           "the file"]),
    }


def test_a_file_without_permission(tmp_path, monkeypatch):
    path = tmp_path / "a.md"
    path.write_text("x")

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")
    monkeypatch.setattr(os, "open", refuse)
    assert read(path, tmp_path) == (None, ["a.md:1: cannot be read (permission denied); make "
                                           "the file readable"])


def test_a_300_page_guide_reads_and_loads(tmp_path):
    from guidepress.guides import load_guides

    (tmp_path / "guides").mkdir()
    front = ('---\ntitle: Big\nsubtitle: S\nsummary: S.\nversion: "1.0"\nupdated: 2026-11-01\n'
             "audience: All\nlang: en\n---\n")
    body = ("## A section\n\n" + "A sentence of plain words. " * 40 + "\n\n") * 1000
    (tmp_path / "guides" / "big.md").write_text(front + body)
    assert 1_000_000 < len(front + body) < MAX_SOURCE_BYTES
    problems = Collector()
    [guide] = load_guides(tmp_path, problems)
    assert problems.problems == [] and guide.meta["title"] == "Big"


# Problem: what reaches the terminal.

@pytest.mark.parametrize("raw, shown", [
    ("\x1b[31mred\x1b[0m", "\\x1b[31mred\\x1b[0m"), ("a\rb", "a\\rb"), ("a\nb", "a\\nb"),
    ("nul\x00", "nul\\x00"), ("gnp.\u202eexe", "gnp.\\u202eexe"), ("\u2066x\u2069", "\\u2066x\\u2069"),
    ("tab\there", "tab\\there"), ("csi\x9b", "csi\\x9b"), ("ls\u2028", "ls\\u2028"),
    ("bom\ufeff", "bom\\ufeff"), ("café, Mädchen, 日本語, emoji 🙂", "café, Mädchen, 日本語, emoji 🙂"),
    ("no\u00a0break", "no\u00a0break"),
])
def test_a_problem_never_prints_a_raw_control_character(raw, shown):
    assert str(Problem(f"guides/{raw}.md", 3, 4, f"unknown term '{raw}'")) == \
        f"guides/{shown}.md:3:4: unknown term '{shown}'"


def test_a_file_may_hold_50000_values_and_no_more():
    from guidepress.yamlio import MAX_VALUES
    data, problems = load_yaml("- a\n" * (MAX_VALUES - 1), "big.yaml")
    assert problems == [] and len(data) == MAX_VALUES - 1
    data, problems = load_yaml("- a\n" * MAX_VALUES, "big.yaml")
    assert data is None
    assert [str(p) for p in problems] == [
        "big.yaml:50000:3: this file holds more than 50,000 values (the limit for one YAML "
        "file): split it into smaller files"]
