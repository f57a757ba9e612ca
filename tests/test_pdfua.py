"""PDF/UA-1 structure: every catalogue PDF passes the structure checker (tests/uacheck.py,
whose docstring lists the rules and the Matterhorn conditions they check); what WeasyPrint
writes without the finishing step fails it; and each rule catches its own defect when it is
put back into a good PDF."""

from __future__ import annotations

import json
import re
import shutil
from contextlib import nullcontext
from pathlib import Path

import pikepdf
import pytest
from pikepdf import Array, Dictionary, Name, String

import uacheck
from conftest import SHEET, make_project
from test_check import PNG
from guidepress import pdfua
from guidepress.project import PROJECT_DIR

GUIDE_WITH_EVERYTHING = """\
---
title: Alpha Guide
subtitle: A short guide for tests
summary: A guide used by the test suite.
version: "1.0"
updated: 2026-11-01
audience: Testers
lang: en
---
# First chapter

A [[prompt]] is made of [[token|tokens]], see [the second chapter](#second-chapter).

:::tip
A tip with its icon.
:::

## A section

Some text with a footnote.[^1] And another.[^2]

[^1]: The footnote text.
[^2]: The second note.

| Column | Other |
| --- | --- |
| a | b |

# Second chapter

- one
- two

![A red square](red.png)

More about [[prompts|prompts]] at <https://testbrand.org/more>.
"""


def build(root: Path, *extra: str) -> Path:
    from guidepress.cli import main
    assert main(["build", "--root", str(root), "-q", *extra]) == 0
    return root / "dist"


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """A guide with a callout, footnotes, a table, links and a cheat sheet with its QR code."""
    root = make_project(tmp_path_factory.mktemp("ua"), {
        "guides/alpha.md": GUIDE_WITH_EVERYTHING, "cheatsheets/sheet.yaml": SHEET,
        "guides/red.png": PNG.decode("utf-8", "surrogateescape")})
    return build(root)


@pytest.fixture(scope="module")
def raw(tmp_path_factory):
    """The same, as WeasyPrint writes it: no finishing step, no footnote tags."""
    root = make_project(tmp_path_factory.mktemp("raw"), {
        "guides/alpha.md": GUIDE_WITH_EVERYTHING, "cheatsheets/sheet.yaml": SHEET,
        "guides/red.png": PNG.decode("utf-8", "surrogateescape")})
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pdfua, "finish", lambda data, variant=None: data)
        patch.setattr(pdfua, "tagging", nullcontext)
        return build(root, "--jobs", "1")  # in this process, where the patch is


def footnotes_in(markdown: str) -> int:
    return len(re.findall(r"^\[\^[^\]]+\]:", markdown, flags=re.M))


# -- the catalogue and the small project pass ------------------------------------------------

def test_every_catalogue_pdf_passes(catalogue):
    manifest = json.loads((catalogue / "manifest.json").read_text())
    failures = {}
    for artifact in manifest["artifacts"]:
        found = uacheck.audit(catalogue / artifact["path"])
        if found:
            failures[artifact["path"]] = found
    assert failures == {}


def test_the_pdfua_package_finds_nothing_in_the_catalogue(catalogue):
    """The `pdfua` package (PyPI) checks a subset of PDF/UA-1 on its own: no finding of
    warning or error severity in any catalogue PDF. (Its rule UA-14-001 cannot read pikepdf
    10's objects and reports itself skipped; that is the checker's, not the PDFs'.)"""
    from pdfua.model import Severity
    from pdfua.validator import Validator
    manifest = json.loads((catalogue / "manifest.json").read_text())
    found = {}
    for artifact in manifest["artifacts"]:
        report = Validator().validate(str(catalogue / artifact["path"]))
        serious = [f"{f.rule_id}: {f.message}" for f in report.findings
                   if f.severity >= Severity.WARNING]
        if serious:
            found[artifact["path"]] = serious
    assert found == {}


def test_the_catalogue_has_its_footnotes_as_notes(catalogue):
    for source in sorted((PROJECT_DIR / "guides").glob("*.md")):
        expected = footnotes_in(source.read_text())
        path = catalogue / (source.stem + ".pdf")
        pdf = pikepdf.open(path)
        notes = sum(1 for e in walk(pdf) if e.S == Name.Note)
        assert notes == expected, source.name


def test_the_small_guide_and_sheet_pass(small):
    assert uacheck.audit(small / "alpha.pdf") == {}
    assert uacheck.audit(small / "sheet.pdf") == {}


def test_qpdf_finds_the_finished_files_sound(small):
    for name in ("alpha.pdf", "sheet.pdf"):
        with pikepdf.open(small / name) as pdf:
            assert pdf.check_pdf_syntax() == [], name  # what qpdf --check reports


def walk(pdf):
    def down(obj):
        if isinstance(obj, Array):
            for kid in obj:
                yield from down(kid)
        elif isinstance(obj, Dictionary) and "/S" in obj:
            yield obj
            yield from down(obj.get("/K"))
    yield from down(pdf.Root.StructTreeRoot.K)


def test_furniture_is_a_header_and_a_footer_on_every_inner_page(small):
    pdf = pikepdf.open(small / "alpha.pdf")
    for number, page in enumerate(pdf.pages[1:-1], start=2):  # not the cover or back page
        kinds = set()
        for instruction in pikepdf.parse_content_stream(page):
            operands = list(instruction.operands)
            if str(instruction.operator) == "BDC" and operands[0] == Name.Artifact and \
                    isinstance(operands[1], Dictionary) and \
                    operands[1].get("/Type") == Name.Pagination:
                kinds.add(str(operands[1].Subtype))
        assert kinds == {"/Header", "/Footer"}, number


def test_the_qr_code_and_a_picture_have_alternate_text_and_icons_are_decoration(small):
    sheet, guide = pikepdf.open(small / "sheet.pdf"), pikepdf.open(small / "alpha.pdf")
    assert [str(e.Alt) for e in walk(sheet) if e.S == Name.Figure] == \
        ["QR code for testbrand.org"]
    assert [str(e.Alt) for e in walk(guide) if e.S == Name.Figure] == ["A red square"]


def test_footnote_calls_link_to_their_notes(small):
    pdf = pikepdf.open(small / "alpha.pdf")
    elements = list(walk(pdf))
    notes = [e for e in elements if e.S == Name.Note]
    assert [str(n.ID) for n in notes] == ["gp-note-1", "gp-note-2"]
    calls = [e for e in elements if e.S == Name.Reference]
    described = [str(k.Obj.Contents) for c in calls for link in uacheck._kids(c)
                 for k in uacheck._kids(link) if isinstance(k, Dictionary) and "/Obj" in k]
    assert described == ["1. The footnote text.", "2. The second note."]


def test_link_descriptions_are_the_words_of_the_link(small):
    pdf = pikepdf.open(small / "alpha.pdf")
    contents = [str(a.Contents) for page in pdf.pages for a in page.obj.get("/Annots", [])]
    assert "prompt" in contents and "tokens" in contents and "the second chapter" in contents
    assert "https://testbrand.org/more" in contents
    assert not [c for c in contents if c.startswith("gp--") or c == "second-chapter"]


def test_the_xmp_says_title_language_creator_and_pdfua(small):
    pdf = pikepdf.open(small / "alpha.pdf")
    data = pdf.Root.Metadata.read_bytes().decode()
    for needle in ("<pdfuaid:part>1</pdfuaid:part>", ">Alpha Guide</rdf:li>",
                   "<dc:language><rdf:Bag><rdf:li>en</rdf:li>", "<dc:creator>",
                   "<xmp:CreateDate>2026-11-01T00:00:00Z</xmp:CreateDate>"):
        assert needle in data


def test_two_builds_are_byte_identical(small, tmp_path):
    build(small.parent, "--force", "--out", str(tmp_path / "again"))
    for name in ("alpha.pdf", "sheet.pdf"):
        assert (tmp_path / "again" / name).read_bytes() == (small / name).read_bytes(), name


# -- what WeasyPrint writes fails ------------------------------------------------------------

def test_weasyprint_alone_fails_the_rules_the_finishing_step_mends(raw):
    guide = uacheck.audit(raw / "alpha.pdf")
    for rule in ("unreached", "figure-alt", "figure-bbox", "nested-link", "link-description",
                 "metadata"):
        assert rule in guide, (rule, sorted(guide))
    sheet = uacheck.audit(raw / "sheet.pdf")
    for rule in ("figure-bbox", "lists", "metadata"):  # the QR code has its text already
        assert rule in sheet, (rule, sorted(sheet))
    pdf = pikepdf.open(raw / "alpha.pdf")
    assert not [e for e in walk(pdf) if e.S == Name.Note]  # the calls are NonStruct there


# -- each rule catches its defect -----------------------------------------------------------

def mutate(source: Path, target: Path, change) -> Path:
    shutil.copy(source, target)
    with pikepdf.open(target, allow_overwriting_input=True) as pdf:
        change(pdf)
        pdf.save(target)
    return target


def first(pdf, tag):
    return next(e for e in walk(pdf) if e.S == Name("/" + tag))


def rewrite_page(pdf, number, edit):
    page = pdf.pages[number]
    ops = list(pikepdf.parse_content_stream(page))
    page.obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream(edit(ops)))


def unwrap_first_artifact(ops):
    start = next(i for i, op in enumerate(ops) if str(op.operator) == "BMC"
                 and list(op.operands)[0] == Name.Artifact)
    depth, end = 0, None
    for i in range(start, len(ops)):
        if str(ops[i].operator) in ("BMC", "BDC"):
            depth += 1
        elif str(ops[i].operator) == "EMC":
            depth -= 1
            if depth == 0:
                end = i
                break
    return ops[:start] + ops[start + 1:end] + ops[end + 1:]


def plain_pagination(ops):
    out = []
    for op in ops:
        operands = list(op.operands)
        if str(op.operator) == "BDC" and operands[0] == Name.Artifact:
            op = pikepdf.ContentStreamInstruction([Name.Artifact], pikepdf.Operator("BMC"))
        out.append(op)
    return out


def artifact_in_tag(ops):
    at = next(i for i, op in enumerate(ops) if str(op.operator) == "BDC"
              and "/MCID" in list(op.operands)[1])
    return ops[:at + 1] + [
        pikepdf.ContentStreamInstruction([Name.Artifact], pikepdf.Operator("BMC")),
        pikepdf.ContentStreamInstruction([], pikepdf.Operator("EMC"))] + ops[at + 1:]


def nest_link(pdf):
    link = first(pdf, "Link")
    outer = pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name.Link, P=link.P,
                                         K=Array([link])))
    parent = link.P
    parent.K = Array([outer if isinstance(k, Dictionary) and k.objgen == link.objgen else k
                      for k in uacheck._kids(parent)])
    link.P = outer


def anchor_description(pdf):
    for page in pdf.pages:
        for annot in page.obj.get("/Annots", []):
            annot.Contents = String("gp--term-prompt")
            return


def drop_struct_parent(pdf):
    for page in pdf.pages:
        for annot in page.obj.get("/Annots", []):
            del annot["/StructParent"]
            return


def drop_tabs(pdf):
    for page in pdf.pages:
        if "/Tabs" in page.obj and len(page.obj.get("/Annots", [])):
            del page.obj["/Tabs"]
            return


def xmp_without(needle):
    def change(pdf):
        data = pdf.Root.Metadata.read_bytes().decode()
        pdf.Root.Metadata = pdf.make_stream(re.sub(needle, "", data).encode(),
                                            Type=Name.Metadata, Subtype=Name.XML)
    return change


def off_page_bbox(pdf):
    figure = first(pdf, "Figure")
    figure.A.BBox = Array([226.77, 0, 793.7, 966.9])  # CSS pixels, as WeasyPrint writes it


def misplaced_bbox(pdf):
    figure = first(pdf, "Figure")
    figure.A.BBox = Array([10, 10, 30, 30])


def unfont(pdf):
    for page in pdf.pages:
        for font in page.obj.Resources.Font.values():
            for descendant in font.get("/DescendantFonts", [font]):
                descriptor = descendant.get("/FontDescriptor")
                if descriptor is not None and "/FontFile2" in descriptor:
                    del descriptor["/FontFile2"]
                    return


def set_tag(tag, new):
    def change(pdf):
        first(pdf, tag).S = Name("/" + new)
    return change


def skip_heading(pdf):
    heads = [e for e in walk(pdf) if str(e.S) in ("/H1", "/H2")]
    second = next(e for e in heads if e.S == Name.H2)
    second.S = Name.H3


def p_in_list(pdf):
    item = first(pdf, "LI")
    item.S = Name.P


def td_in_table(pdf):
    row = first(pdf, "TR")
    cell = uacheck._kids(row)[0]
    row.K = Array(uacheck._kids(row)[1:])
    table = row.P
    table.K = Array([*uacheck._kids(table), cell])
    cell.P = table


def note_without_id(pdf):
    del first(pdf, "Note")["/ID"]


def note_ids_alike(pdf):
    for note in (e for e in walk(pdf) if e.S == Name.Note):
        note.ID = String("same")


def note_moved_away(pdf):
    note = first(pdf, "Note")
    parent = note.P
    parent.K = Array([k for k in uacheck._kids(parent)
                      if not (isinstance(k, Dictionary) and k.objgen == note.objgen)])
    document = pdf.Root.StructTreeRoot.K[0] if isinstance(pdf.Root.StructTreeRoot.K, Array) \
        else pdf.Root.StructTreeRoot.K
    document.K = Array([*uacheck._kids(document), note])
    note.P = document


def page_of(pdf, tag):
    element = first(pdf, tag)
    return next(i for i, p in enumerate(pdf.pages) if p.obj.objgen == element.Pg.objgen)


MUTATIONS = {
    "untagged": ("alpha.pdf", lambda pdf: rewrite_page(pdf, 2, unwrap_first_artifact)),
    "nesting": ("alpha.pdf", lambda pdf: rewrite_page(pdf, 2, artifact_in_tag)),
    "furniture": ("alpha.pdf", lambda pdf: rewrite_page(pdf, 2, plain_pagination)),
    "unreached": ("alpha.pdf", lambda pdf: setattr(pdf.Root.StructTreeRoot, "K",
                                                   Array([]))),
    "figure-alt": ("sheet.pdf", lambda pdf: first(pdf, "Figure").__delitem__("/Alt")),
    "figure-bbox": ("sheet.pdf", off_page_bbox),
    "notes": ("alpha.pdf", note_without_id),
    "nested-link": ("alpha.pdf", nest_link),
    "link-description": ("alpha.pdf", anchor_description),
    "annotations": ("alpha.pdf", drop_struct_parent),
    "tabs": ("alpha.pdf", drop_tabs),
    "metadata": ("alpha.pdf", lambda pdf: pdf.Root.__delitem__("/Metadata")),
    "display-title": ("alpha.pdf", lambda pdf: setattr(pdf.Root, "ViewerPreferences",
                                                       Dictionary(DisplayDocTitle=False))),
    "marked": ("alpha.pdf", lambda pdf: pdf.Root.__delitem__("/MarkInfo")),
    "lang": ("alpha.pdf", lambda pdf: pdf.Root.__delitem__("/Lang")),
    "types": ("alpha.pdf", set_tag("P", "Paragraph")),
    "lists": ("alpha.pdf", p_in_list),
    "tables": ("alpha.pdf", td_in_table),
    "headings": ("alpha.pdf", skip_heading),
    "fonts": ("alpha.pdf", unfont),
}
MORE = {
    "misplaced figure box": ("figure-bbox", "sheet.pdf", misplaced_bbox),
    "two notes with one ID": ("notes", "alpha.pdf", note_ids_alike),
    "a note away from its call": ("notes", "alpha.pdf", note_moved_away),
    "no PDF/UA identifier": ("metadata", "alpha.pdf", xmp_without(r"<pdfuaid:part>1</pdfuaid:part>")),
    "no XMP title": ("metadata", "alpha.pdf", xmp_without(r"<dc:title>.*?</dc:title>")),
    "no XMP language": ("metadata", "alpha.pdf", xmp_without(r"<dc:language>.*?</dc:language>")),
}


def test_every_rule_has_a_mutation():
    documented = set(re.findall(r"^- `([a-z-]+)`", uacheck.__doc__, flags=re.M))
    assert documented == set(MUTATIONS) | {"leaders"}


@pytest.mark.parametrize("rule", sorted(MUTATIONS))
def test_a_rule_catches_its_defect(small, tmp_path, rule):
    name, change = MUTATIONS[rule]
    found = uacheck.audit(mutate(small / name, tmp_path / name, change))
    assert rule in found, found


@pytest.mark.parametrize("case", sorted(MORE))
def test_more_defects_are_caught(small, tmp_path, case):
    rule, name, change = MORE[case]
    found = uacheck.audit(mutate(small / name, tmp_path / name, change))
    assert rule in found, found


def test_leader_dots_are_caught(tmp_path):
    import weasyprint
    html = ('<html lang="en"><title>t</title><style>a::after { content: leader(dotted) "3" }'
            '</style><p><a href="#x" id="x">Chapter</a></p></html>')
    path = tmp_path / "leaders.pdf"
    path.write_bytes(pdfua.finish(weasyprint.HTML(string=html).write_pdf(pdf_tags=True)))
    assert "leaders" in uacheck.audit(path)


# -- the archival variant -------------------------------------------------------------------

@pytest.fixture(scope="module")
def archival(tmp_path_factory):
    """The small project built as PDF/A-3u, by site.yaml."""
    from conftest import SITE
    root = make_project(tmp_path_factory.mktemp("pdfa"), {
        "site.yaml": SITE + "pdf_variant: pdf/a-3u\n",
        "guides/alpha.md": GUIDE_WITH_EVERYTHING, "cheatsheets/sheet.yaml": SHEET,
        "guides/red.png": PNG.decode("utf-8", "surrogateescape")})
    return build(root)


def test_pdf_a_3u_has_its_output_intent_identifier_and_xmp(archival):
    for name in ("alpha.pdf", "sheet.pdf"):
        pdf = pikepdf.open(archival / name)
        intent = pdf.Root.OutputIntents[0]
        assert intent.S == Name.GTS_PDFA1 and len(intent.DestOutputProfile.read_bytes()) > 1000
        assert len(pdf.trailer.ID) == 2
        data = pdf.Root.Metadata.read_bytes().decode()
        for needle in ("<pdfaid:part>3</pdfaid:part>", "<pdfaid:conformance>U</pdfaid:conformance>",
                       "<pdfuaid:part>1</pdfuaid:part>",
                       "<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>"):
            assert needle in data, needle
        assert "/Filter" not in pdf.Root.Metadata.stream_dict  # readable by any reader
        info = pdf.trailer.Info
        assert f"<pdf:Producer>{info.Producer}</pdf:Producer>" in data
        for page in pdf.pages:
            for annot in page.obj.get("/Annots", []):
                assert int(annot.F) & 4, "PDF/A annotations are printed"
        assert uacheck.audit(archival / name) == {}, name


def test_the_manifest_says_which_variant_each_file_is(small, archival):
    def variants(dist):
        return {a["path"]: a["variant"]
                for a in json.loads((dist / "manifest.json").read_text())["artifacts"]}
    assert variants(small) == {"alpha.pdf": "pdf/ua-1", "sheet.pdf": "pdf/ua-1"}
    assert variants(archival) == {"alpha.pdf": "pdf/a-3u", "sheet.pdf": "pdf/a-3u"}


def test_pdf_a_builds_are_byte_identical_and_the_flag_overrides_site_yaml(archival, tmp_path):
    root = archival.parent
    build(root, "--force", "--out", str(tmp_path / "again"))
    assert (tmp_path / "again" / "alpha.pdf").read_bytes() == \
        (archival / "alpha.pdf").read_bytes()
    build(root, "--pdf-variant", "pdf/ua-1", "--out", str(tmp_path / "plain"))
    assert "/OutputIntents" not in pikepdf.open(tmp_path / "plain" / "alpha.pdf").Root


def test_switching_the_variant_rebuilds(tmp_path, capsys):
    from conftest import run
    root = make_project(tmp_path / "site")
    assert run(capsys, "build", "--root", str(root), "-q")[0] == 0
    first = (root / "dist" / "alpha.pdf").read_bytes()
    assert run(capsys, "build", "--root", str(root), "-q", "--pdf-variant", "pdf/a-3u")[0] == 0
    assert (root / "dist" / "alpha.pdf").read_bytes() != first


def test_an_unknown_variant_in_site_yaml_is_a_problem(tmp_path, capsys):
    from conftest import SITE, run
    root = make_project(tmp_path / "site", {"site.yaml": SITE + "pdf_variant: pdf/x-4\n"})
    code, out, err = run(capsys, "check", "--root", str(root))
    assert code == 1 and "site.yaml" in err and "pdf/a-3u" in err, err
