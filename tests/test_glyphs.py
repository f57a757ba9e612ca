"""`check` finds the characters no font can draw, each at its own file:line:col and once,
from the fonts' character maps: before anything renders, in plain words."""

from __future__ import annotations

import pytest

from conftest import GLOSSARY, GUIDE, SHEET, make_project, run
from guidepress import glyphs
from guidepress.errors import Problem

KA, HA = "\u0f40", "\u1200"  # Tibetan KA and Ethiopic HA: no bundled font has them


def message(char: str) -> str:
    return (f"no font here can draw '{char}' (U+{ord(char):04X}): use another character, "
            "or add a font that has it (see README 'Fonts')")


def test_check_names_each_character_at_its_line_and_column_once(tmp_path, capsys):
    guide = GUIDE.replace("subtitle: A short guide for tests",
                          f"subtitle: A short guide {KA} for tests")
    guide += f"\nThe letter {HA} and {KA} again, and {HA}{HA} twice more.\n"
    root = make_project(tmp_path / "site", {"guides/alpha.md": guide})
    code, out, err = run(capsys, "check", "--root", str(root))
    assert code == 1
    assert out == ""
    assert err.splitlines() == [
        f"guides/alpha.md:3:25: {message(KA)}",
        f"guides/alpha.md:24:12: {message(HA)}",
        "2 problems found.",
    ]
    assert "Error" not in err and "Exception" not in err


def test_build_stops_before_rendering_and_says_it_the_same_way(tmp_path, capsys):
    root = make_project(tmp_path / "site", {"guides/alpha.md": GUIDE + f"\n{KA}\n"})
    code, out, err = run(capsys, "build", "--root", str(root))
    assert code == 1
    assert err.splitlines()[0] == f"guides/alpha.md:24:1: {message(KA)}"
    assert err.count("U+0F40") == 1  # not again from the renderer
    assert not (root / "dist" / "alpha.pdf").exists()


def test_glossary_site_and_cheat_sheet_text_is_checked_too(tmp_path, capsys):
    root = make_project(tmp_path / "site", {
        "glossary/terms.yaml": GLOSSARY.replace("A small chunk", f"A small {HA} chunk"),
        "site.yaml": "name: Test Brand\n" + f"tagline: Guides {KA}.\n" + "".join(
            line + "\n" for line in SITE_REST),
        "cheatsheets/sheet.yaml": SHEET.replace("Say what you need.", f"Say {HA} what."),
    })
    code, _, err = run(capsys, "check", "--root", str(root))
    assert code == 1
    assert err.splitlines() == [
        f"cheatsheets/sheet.yaml:11:43: {message(HA)}",
        f"glossary/terms.yaml:3:18: {message(HA)}",
        f"site.yaml:2:17: {message(KA)}",
        "3 problems found.",
    ]


SITE_REST = ["url: https://testbrand.org", "publisher: Test Brand", "lang: en", "paper: a4",
             "about: We write guides for tests.", "more: Get more guides at our site."]


def test_characters_that_never_print_or_that_combine_are_not_problems(tmp_path, capsys):
    text = ("Joined e\u0301 (e and a combining accent), \u00e9, a soft\u00adhyphen, a word\u2060"
            "joiner, \u200e a mark, emoji \u2764\ufe0f \U0001F469\u200d\U0001F4BB \U0001F44D"
            "\U0001F3FD and a keycap 1\ufe0f\u20e3.")
    root = make_project(tmp_path / "site", {"guides/alpha.md": GUIDE + "\n" + text + "\n"})
    assert run(capsys, "check", "--root", str(root)) == (0, "All sources are valid.\n", "")


def test_a_combining_mark_no_font_has_on_a_letter_is_reported():
    covered = frozenset(map(ord, "ab"))
    assert glyphs.undrawable("a\u0489b", covered) == [("\u0489", 1, 2)]


def _font_with(char: str) -> bytes:
    """A tiny TrueType font whose one glyph (a square) draws `char`, with a space (Pango
    sets the space after a character in that character's font)."""
    import io

    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    pen = TTGlyphPen(None)
    pen.moveTo((100, 0)), pen.lineTo((100, 600)), pen.lineTo((500, 600)), pen.lineTo((500, 0))
    pen.closePath()
    builder = FontBuilder(1000, isTTF=True)
    builder.setupGlyphOrder([".notdef", "space", "ka"])
    builder.setupCharacterMap({32: "space", ord(char): "ka"})
    empty = TTGlyphPen(None).glyph()
    builder.setupGlyf({".notdef": empty, "space": empty, "ka": pen.glyph()})
    builder.setupHorizontalMetrics({".notdef": (600, 0), "space": (250, 0), "ka": (600, 100)})
    builder.setupHorizontalHeader(ascent=800, descent=-200)
    builder.setupNameTable({"familyName": "Extra", "styleName": "Regular"})
    builder.setupOS2(sTypoAscender=800, usWinAscent=800, usWinDescent=200)
    builder.setupPost()
    out = io.BytesIO()
    builder.save(out)
    return out.getvalue()


def test_a_font_a_content_root_adds_draws_what_it_has(tmp_path, capsys):
    root = make_project(tmp_path / "site", {
        "guides/alpha.md": GUIDE + f"\nA {KA} here, and {HA} there.\n",
        "styles/fonts.css": '@font-face { font-family: "Extra"; src: url(extra.ttf); }\n'})
    (root / "styles" / "extra.ttf").write_bytes(_font_with(KA))
    code, _, err = run(capsys, "check", "--root", str(root))
    assert code == 1
    assert err.splitlines() == [f"guides/alpha.md:24:15: {message(HA)}", "1 problem found."]
    # With the Ethiopic letter gone, the guide builds: the root's font draws the Tibetan one.
    (root / "guides" / "alpha.md").write_text(GUIDE + f"\nA {KA} here.\n")
    assert run(capsys, "build", "--strict", "-q", "--root", str(root))[0] == 0


def test_a_missing_emoji_font_names_the_command_that_installs_it(tmp_path, capsys, monkeypatch):
    root = tmp_path / "site"
    monkeypatch.setattr(glyphs, "EMOJI_FOLDER", root / "emoji")
    make_project(root, {"styles/fonts.css":
                        '@font-face { font-family: "Guide Emoji"; src: url(../emoji/E.woff2); }\n'})
    code, _, err = run(capsys, "check", "--root", str(root))
    assert code == 1
    assert err.splitlines() == [
        "styles/fonts.css:1: the emoji font '../emoji/E.woff2' is not installed: run "
        "'make pdfs' or 'bash scripts/setup.sh pdfs', which installs it", "1 problem found."]


def test_the_renderer_backstop_locates_and_words_it_like_the_check():
    sources = [("guides/a.md", "one\ntwo \u0f40 \u0f40\n")]
    assert glyphs_from_render(sources, ["\u0f40", "\u0f40"]) == [
        Problem("guides/a.md", 2, 5, message(KA))]
    # A character the check cannot see, written as an HTML entity, is found as written.
    sources = [("guides/a.md", "one\nRated &#X2605; and &#9733;\n")]
    assert glyphs_from_render(sources, ["\u2605"]) == [
        Problem("guides/a.md", 2, 7, message("\u2605"))]


def test_a_character_only_the_renderer_sees_is_reported_once(tmp_path, capsys):
    root = make_project(tmp_path / "site", {"guides/alpha.md": GUIDE + "\nRated &#x0F40;.\n"})
    assert run(capsys, "check", "--root", str(root))[0] == 0
    code, _, err = run(capsys, "build", "--root", str(root))
    assert code == 1
    assert [line for line in err.splitlines() if "U+" in line] == [
        f"guides/alpha.md:24:7: {message(KA)}"]


def glyphs_from_render(sources, chars):
    from guidepress.render import glyph_problems
    return glyph_problems(sources, chars)


@pytest.mark.parametrize("char", ["\ufe0f", "\u200d", "\u2028", "\u00ad", "\U000e0067"])
def test_never_printed(char):
    assert glyphs.never_printed(char)
