"""Emoji print: a guide full of common emoji builds strictly, every emoji is drawn by the
emoji font with a real glyph at the text's size, and the PDF stays small."""

from __future__ import annotations

import io
import re

import pypdfium2
import pytest
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from conftest import GUIDE, make_project, run

#: Common emoji as writers type them: some with the emoji variation selector U+FE0F, a ZWJ
#: sequence (woman + ZWJ + laptop) and a skin-tone modifier.
EMOJI = ("😀 🚀 ✅ ⚠️ 💡 👍 🎉 🔥 ❤️ 📌 📝 🤖 🧠 ✨ ⭐ 📚 🔒 🌍 ⏰ 📈 👉 🙂 🤔 💬 🛠️ 📎 🔍 ❌ "
         "➡️ 🏁 🎯 🧩 📣 💻 📱 🗂️ ☀️ ✏️ 👩‍💻 👍🏽").split()

CHAPTER = """
# Emoji

A line of emoji in text: {first}.

More text with emoji {second} at the end.

## Heading with emoji 🚀 ✅

Code: `print('🎉')`, and a code box:

```
done ✅ 👩‍💻
```
"""


def _plain(text: str) -> str:
    """`text` as a PDF gives it back: without variation selectors, and without skin tones
    (a monochrome font draws 👍🏽 with the glyph of 👍, and a glyph copies out as one text)."""
    return re.sub("[\ufe0f\U0001F3FB-\U0001F3FF]", "", text)


def _guide(with_emoji: bool) -> str:
    shown = EMOJI if with_emoji else ["word"] * len(EMOJI)
    half = len(shown) // 2
    chapter = CHAPTER.format(first=" ".join(shown[:half]), second=" ".join(shown[half:]))
    if not with_emoji:
        chapter = re.sub(r"[^\x00-\x7f]", "x", chapter)
    return GUIDE + chapter


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, bytes]:
    """The guide built with its emoji, and with words in their place."""
    pdfs = {}
    for name, with_emoji in (("emoji", True), ("plain", False)):
        root = make_project(tmp_path_factory.mktemp(name), {"guides/alpha.md": _guide(with_emoji)})
        pdfs[name] = _build(root)
    return pdfs


class _Quiet:
    """The bits of pytest's capsys that run() uses, for a module-scoped fixture."""

    def readouterr(self):
        return type("Captured", (), {"out": "", "err": ""})()


def _build(root) -> bytes:
    code, _, _ = run(_Quiet(), "build", "--strict", "-q", "--root", str(root))
    assert code == 0
    return (root / "dist" / "alpha.pdf").read_bytes()


def _emoji_font(reader: PdfReader):
    """The embedded emoji font of the page that shows the emoji, and its CID -> text map."""
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            if str(font["/BaseFont"]).endswith("+Guide-Emoji"):
                descendant = font["/DescendantFonts"][0].get_object()
                assert descendant["/CIDToGIDMap"] == "/Identity"
                program = descendant["/FontDescriptor"]["/FontFile2"].get_object().get_data()
                cmap = font["/ToUnicode"].get_object().get_data().decode("ascii")
                texts = {int(cid, 16): bytes.fromhex(text).decode("utf-16-be")
                         for cid, text in re.findall(r"<([0-9a-f]{4})> <([0-9a-f]+)>", cmap)}
                return TTFont(io.BytesIO(program)), texts
    raise AssertionError("no emoji font in the PDF")


def test_every_emoji_is_drawn_by_a_real_glyph_of_the_emoji_font(built):
    font, texts = _emoji_font(PdfReader(io.BytesIO(built["emoji"])))
    order = font.getGlyphOrder()
    glyphs = font["glyf"]
    drawn = {}
    for cid, text in texts.items():
        if cid == 0:
            assert text == "\uffff"  # WeasyPrint's entry for .notdef, which nothing uses
            continue
        glyph = glyphs[order[cid]]
        assert glyph.numberOfContours != 0, f"{text!r} has an empty glyph"
        drawn[_plain(text)] = cid
    # Each emoji is one glyph: the ZWJ sequence is one cluster, drawn as one picture.
    assert {_plain(e) for e in EMOJI} <= set(drawn)
    assert "\u200d" in "".join(drawn)


def test_the_emoji_sit_on_the_line_at_the_text_size(built):
    reader = PdfReader(io.BytesIO(built["emoji"]))
    runs = []  # (page, baseline, font, size, text) of every piece of text drawn
    for number, page in enumerate(reader.pages):
        page.extract_text(visitor_text=lambda text, cm, tm, font, size: runs.append(
            (number, round(cm[5] + tm[5], 1), str(font["/BaseFont"]).split("+")[-1],
             round(size * tm[3] * cm[3], 2), text)) if text.strip() and font else None)
    emoji = [r for r in runs if r[2] == "Guide-Emoji"]
    # Every emoji is drawn by the emoji font, in text, the heading and code alike...
    drawn = _plain("".join(r[4] for r in emoji))
    assert all(_plain(e) in drawn for e in EMOJI)
    other = [r for r in runs if r[2] != "Guide-Emoji"
             and re.search("[\U0001F000-\U0001FFFF\u2600-\u27bf]", r[4])]
    assert other == []
    assert "\uffff" not in "".join(r[4] for r in runs)  # no .notdef anywhere
    # ... on the baseline of the text around it, at that text's size (11 pt in paragraphs,
    # the heading's, the code's).
    lines: dict[tuple, set[float]] = {}
    for page, baseline, font, size, _ in runs:
        if font != "Guide-Emoji":
            lines.setdefault((page, baseline), set()).add(size)
    beside_text = [r for r in emoji if (r[0], r[1]) in lines]
    assert len(beside_text) >= len(emoji) - 6  # a line may hold emoji only
    for page, baseline, _, size, text in beside_text:
        assert size in lines[(page, baseline)], text
    assert {r[3] for r in beside_text} >= {11.0, 15.0}


def test_pdfium_reads_every_emoji_back(built):
    document = pypdfium2.PdfDocument(built["emoji"])
    text = "".join(page.get_textpage().get_text_range() for page in document)
    document.close()
    for emoji in EMOJI:
        assert _plain(emoji) in _plain(text)


def test_the_pdf_stays_small(built):
    # Measured: 54,464 bytes with the 40 emoji, 37,817 with words in their place; the emoji
    # font is subset to the glyphs used, so they cost about 16.6 KB, under 0.5 KB each.
    extra = len(built["emoji"]) - len(built["plain"])
    assert 0 < extra < 40_000, extra
    assert len(built["emoji"]) < 100_000


def test_two_builds_with_emoji_are_identical(tmp_path, built):
    root = make_project(tmp_path / "again", {"guides/alpha.md": _guide(True)})
    assert _build(root) == built["emoji"]
