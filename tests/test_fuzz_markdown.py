"""Random Markdown-ish guides through `build-pdfs check`: whatever the text, no exception
escapes, the exit code is 0 or 1, every problem is one line `path:line[:col]: message`, and
each guide is checked in a few seconds."""

from __future__ import annotations

import contextlib
import io
import re
import tempfile
import time
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import GUIDE, make_project
from guidepress.cli import main

PROBLEM_RE = re.compile(r"^[^\s:][^:]*:\d+(?::\d+)?: \S.*$")
SUMMARY_RE = re.compile(r"^\d+ problems? found\.$")

words = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)),
                max_size=30)
plain = st.sampled_from(["word", "Two words", "", " ", "#", "!!!", "⚡", "🎉", "Contents",
                         "Glossary", "Chapter one", "a<b", "x > y", "&amp;", "&#0;", "\\", "*",
                         "_", "`", "~~~", "|", "--", "...", '"quoted"', "it's", "\t"])
text = st.one_of(plain, words)
addresses = st.sampled_from([
    "https://example.com/a?b=c&d=e", "http://x.example", "mailto:a@b.example", "#first-chapter",
    "#nowhere", "#gp--glossary", "alpha.md", "beta.md#x", "javascript:alert(1)",
    "JaVaScRiPt:1", "data:text/html,hi", "data:image/png;base64,AAAA", "file:///etc/passwd",
    "vbscript:x", "//evil.example/x", "../../secret.png", "images/none.png", "", " ", "a b",
    "(nested(parens))", "<angle>", "\"quoted\"", "x\ty"])
indent = st.sampled_from(["", " ", "  ", "   ", "    ", "\t", "\t\t", "        ", " \t "])


@st.composite
def heading(draw):
    return "#" * draw(st.integers(1, 7)) + draw(st.sampled_from(["", " "])) + draw(text)


@st.composite
def list_items(draw):
    lines = []
    for _ in range(draw(st.integers(1, 8))):
        depth = draw(st.one_of(st.integers(0, 3), st.integers(0, 3), st.integers(0, 25)))
        marker = draw(st.sampled_from(["-", "*", "+", "1.", "10.", ">", "- >", "> -"]))
        lines.append(draw(indent) * depth + marker + " " + draw(text))
    return "\n".join(lines)


@st.composite
def table(draw):
    columns = draw(st.integers(1, 4))
    rows = [("| " + " | ".join(draw(text) for _ in range(columns)) + " |")
            for _ in range(draw(st.integers(0, 6)))]
    separator = draw(st.sampled_from(["|" + "---|" * columns, "---", "|:-:|", "| - |", ""]))
    header = "| " + " | ".join(draw(text) for _ in range(columns)) + " |"
    return "\n".join([header, separator, *rows])


@st.composite
def callout(draw):
    kind = draw(st.sampled_from(["note", "tip", "warning", "prompt", "takeaways", "danger",
                                 "glance", ""]))
    title = draw(st.sampled_from(["", ' "Title"', ' ""', ' "unclosed']))
    body = "\n".join(draw(indent) + draw(text) for _ in range(draw(st.integers(0, 3))))
    return f"!!! {kind}{title}\n{body}"


@st.composite
def inline(draw):
    choice = draw(st.integers(0, 9))
    if choice == 0:
        return f"[[{draw(st.sampled_from(['token', 'tokens', 'prompt', 'tokn', '', '|', 'a<b']))}"\
               f"{draw(st.sampled_from(['', '|shown', '|']))}]]"
    if choice == 1:
        title = draw(st.sampled_from(["", ' "t"', " 't", ' "(")']))
        return f"[{draw(text)}]({draw(addresses)}{title})"
    if choice == 2:
        return f"![{draw(text)}]({draw(addresses)})"
    if choice == 3:
        tag = draw(st.sampled_from(["a", "img", "span", "iframe", "object", "base", "div",
                                    "link", "b", "svg"]))
        attribute = draw(st.sampled_from(["href", "src", "id", "name", "style", "data",
                                          "srcset"]))
        value = draw(st.one_of(addresses, st.just("gp--contents"),
                               st.just("background: url(http://x/y.png)")))
        close = draw(st.sampled_from([">", "/>", "", f"></{tag}>"]))
        return f'<{tag} {attribute}="{value}"{close}'
    if choice == 4:
        return "{" + draw(st.sampled_from(["#gp--x", "#ok", ": .c", ': href="javascript:1"',
                                           "#", ":", "{"])) + "}"
    if choice == 5:
        return draw(st.sampled_from(["`", "``", "```"])) + draw(text) + draw(
            st.sampled_from(["`", "``", ""]))
    if choice == 6:
        return f"[^{draw(st.sampled_from(['1', 'a', '', '^']))}]"
    if choice == 7:
        return draw(st.sampled_from(["<!--", "-->", "<![CDATA[", "<?", "</", "<a ", "**", "__",
                                     "*", "[", "]", "(", ")", "![", "](", "\\[", "&", "<"]))
    if choice == 8:
        return draw(st.sampled_from(["<https://x.example>", "<a@b.example>", "<ftp://f.x>",
                                     "<javascript:1>"]))
    return draw(text)


@st.composite
def paragraph(draw):
    return " ".join(draw(st.lists(inline(), min_size=1, max_size=8)))


@st.composite
def block(draw):
    kind = draw(st.integers(0, 7))
    if kind == 0:
        return draw(heading())
    if kind == 1:
        return draw(list_items())
    if kind == 2:
        return draw(table())
    if kind == 3:
        return draw(callout())
    if kind == 4:
        fence = draw(st.sampled_from(["```", "~~~", "````"]))
        close = draw(st.sampled_from([fence, fence, fence, "", "```"]))
        return f"{fence}{draw(st.sampled_from(['', 'python', ' {.x}']))}\n{draw(text)}\n{close}"
    if kind == 5:
        return f"[^{draw(st.sampled_from(['1', 'a']))}]: {draw(paragraph())}"
    if kind == 6:
        return f"[ref]: {draw(addresses)}"
    return draw(paragraph())


@st.composite
def guide_body(draw):
    blocks = draw(st.lists(block(), min_size=1, max_size=12))
    separators = [draw(st.sampled_from(["\n\n", "\n", "\n\n\n", "\n    \n"])) for _ in blocks]
    return "".join(b + s for b, s in zip(blocks, separators))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(guide_body())
def test_check_survives_any_markdown(body):
    with tempfile.TemporaryDirectory() as folder:
        root = make_project(Path(folder) / "site", {"guides/alpha.md": GUIDE + "\n" + body})
        (root / "guides" / "images").mkdir()
        err, out = io.StringIO(), io.StringIO()
        started = time.perf_counter()
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
            code = main(["check", "--root", str(root)])
        seconds = time.perf_counter() - started
    lines = err.getvalue().splitlines()
    assert "stopped unexpectedly" not in err.getvalue() and "Traceback" not in err.getvalue()
    assert code in (0, 1), err.getvalue()
    # Not a speed test (the benchmarks measure speed): a runaway on some input (quadratic
    # or worse) would take minutes; a loaded shared machine takes a few seconds.
    assert seconds < 30, f"check took {seconds:.1f} s"
    if code == 0:
        # Valid, perhaps with warnings (an at-a-glance title without its month, say).
        for line in lines:
            assert PROBLEM_RE.match(line) and ": warning: " in line, line
        assert out.getvalue() == ("All sources are valid.\n" if not lines else
                                  f"All sources are valid, with {len(lines)} warning"
                                  f"{'s' if len(lines) > 1 else ''} (above).\n")
        return
    assert lines and SUMMARY_RE.match(lines[-1]), err.getvalue()
    for line in lines[:-1]:
        assert PROBLEM_RE.match(line), line
        assert line.isprintable(), line
