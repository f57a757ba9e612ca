"""Random front matter through `build-pdfs check`: never a traceback, exit 0 or 1, and every
line before the summary reads `path:line[:col]: message` with nothing raw in it."""

from __future__ import annotations

import contextlib
import io
import re
import tempfile
import time
import unicodedata
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import GUIDE, make_project
from guidepress.cli import main

PROBLEM_LINE = re.compile(r"[^:\s][^:]*:\d+(?::\d+)?: \S.*")
RAW = {"Cc", "Cf", "Zl", "Zp", "Cs"}  # controls, format (bidi), line separators, surrogates
SUMMARY_LINE = re.compile(r"\d+ problems? found\.")
FRONT_LINES = GUIDE.split("---\n")[1].splitlines()  # title: ..., ..., lang: en
BODY = GUIDE.split("---\n", 2)[2]

# Values that YAML or the schema treat specially, mixed with any text.
TRICKY_VALUES = [
    "1.10", "0x1F", "010", "1_000", "1.0e+3", ".nan", "-.inf", "1:30", "1" * 5001,
    "2026-02-30", "2026-13-01", "0000-01-01", "2026-11-01 25:61:00", "yes", "off", "~", "null",
    "&a [1, *a]", "*a", "*nowhere", "&a x", "[[[[[[", "]]", "{a: [b, {c: d}]}", "{[1]: 2}",
    "!!int x", "!!float", "!!binary '%'", "!!python/object/apply:os.system [ls]", "!foo bar",
    "!!set [1]", "!!map [1]", "!!seq {a: 1}", "!!timestamp x", "'unterminated", '"\\e[31mred"',
    '"\\u202e\\r\\0"', "|\n  a block\n  of text", ">-\n  folded", "\n  - a\n  - b",
    "\n  <<: *a\n  k: v", "\x07", "\t", "\u202e", "\ufeff", "\x00", "\u2028", "---", "...",
    "# only a comment", "%TAG ! x", "@reserved", "`tick", "? key", ": colon", "- item",
]
TRICKY_KEYS = ["title", "subtitle", "summary", "version", "updated", "audience", "lang",
               "keywords", "<<", "? [a, b]\n", "&k title", "*k", '"ti\\x74le"', "yes", "1.10",
               "x" * 2000, "{a: 1}", "- ", ""]

values = st.one_of(st.sampled_from(TRICKY_VALUES), st.text(max_size=40))
keys = st.one_of(st.sampled_from(TRICKY_KEYS), st.text(max_size=20))
indents = st.sampled_from(["", "", "", " ", "  ", "    ", "\t"])

#: A valid front matter with some of its lines replaced or added.
mutated = st.lists(st.tuples(st.integers(0, len(FRONT_LINES)), keys, values, indents),
                   min_size=1, max_size=4).map(
    lambda edits: _mutate(FRONT_LINES, edits))
#: Lines of YAML-ish fragments.
yamlish = st.lists(st.tuples(indents, keys, st.sampled_from([": ", ":", " ", ": &a ", "- "]),
                             values), max_size=12).map(
    lambda lines: "\n".join(i + k + sep + v for i, k, sep, v in lines))
#: Any text at all (control characters, surrogates excluded by UTF-8 are written as bytes).
anytext = st.text(max_size=300)
#: Any bytes, not necessarily UTF-8.
anybytes = st.binary(max_size=300)


def _mutate(lines: list[str], edits) -> str:
    result = list(lines)
    for index, key, value, indent in edits:
        line = f"{indent}{key}: {value}"
        if index < len(result) and index % 2:
            result[index] = line
        else:
            result.insert(index, line)
    return "\n".join(result)


def run_check(guide: bytes) -> tuple[int, list[str], str]:
    """Check a minimal project whose guide is `guide`; return (code, stderr lines, stdout)."""
    with tempfile.TemporaryDirectory() as folder:
        root = make_project(Path(folder) / "site")
        (root / "guides" / "alpha.md").write_bytes(guide)
        err, out = io.StringIO(), io.StringIO()
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
            code = main(["check", "--root", str(root)])
    return code, err.getvalue().splitlines(), out.getvalue()


def assert_well_reported(guide: bytes) -> None:
    started = time.perf_counter()
    code, lines, out = run_check(guide)
    assert time.perf_counter() - started < 3, "one check took too long"
    assert "Traceback" not in "\n".join(lines) + out
    assert code in (0, 1), lines
    if code == 0:
        assert lines == [] and "All sources are valid." in out
        return
    assert lines and SUMMARY_LINE.fullmatch(lines[-1]), lines
    for line in lines[:-1]:
        assert PROBLEM_LINE.fullmatch(line), line
        assert not any(unicodedata.category(c) in RAW for c in line), line


FUZZ = settings(max_examples=60, deadline=5000, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@FUZZ
@given(st.one_of(mutated, yamlish, anytext))
def test_random_front_matter_is_reported_not_raised(front):
    assert_well_reported(("---\n" + front + "\n---\n" + BODY).encode("utf-8"))


@settings(FUZZ, max_examples=30)
@given(anybytes, st.sampled_from([b"\n", b"\r\n", b"\r"]), st.booleans())
def test_random_bytes_in_front_matter_are_reported_not_raised(data, newline, bom):
    guide = (b"\xef\xbb\xbf" if bom else b"") + b"---\n" + data + b"\n---\n" + BODY.encode()
    assert_well_reported(guide.replace(b"\n", newline))


def test_the_fuzzed_guide_itself_is_valid():
    assert_well_reported(GUIDE.encode())
    assert run_check(GUIDE.encode())[0] == 0
