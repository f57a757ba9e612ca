"""A PDF/UA-1 structure checker for the catalogue's PDFs: it reads the file as a screen
reader and a standards checker do (structure tree, marked content, annotations, metadata)
and names every failure. veraPDF, the reference validator, cannot be installed from the
registries these machines reach (it is a Java application from its own site), so this is
what the tests run.

`audit(path)` returns {rule: [findings]}; an empty dict is a pass. The rules, with the
Matterhorn Protocol 1.1 failure condition (or the ISO 14289-1 clause) each one checks:

- `untagged` (01-005): a painting operator (path fill or stroke, text, image, shading)
  outside any marked content, or inside marked content that is neither an Artifact nor
  tagged with an MCID.
- `nesting` (01-003, 01-004): tagged content inside an Artifact, or an Artifact inside tagged
  content.
- `unreached` (01-005, 7.1): tagged content whose structure element the tree does not reach
  from its root, or with no parent-tree entry: the page furniture WeasyPrint writes.
- `furniture` (7.8): an Artifact that shows text (running header, footer, page number) and
  is not of type Pagination with subtype Header or Footer.
- `figure-alt` (13-004): a Figure with neither Alt nor ActualText.
- `figure-bbox` (7.3, ISO 32000-1 14.8.5.4.3): a Figure's BBox that does not enclose what it
  draws (to 1.5 pt) or lies off its page.
- `notes` (19-003, 19-004): a Note without an ID, or two with the same; a footnote call
  (Reference) that does not link to its note, or is not followed by it in reading order.
- `leaders` (7.2): leader dots (four or more in a row) in the text a reader hears.
- `nested-link` (7.18.5): a Link element inside another Link (a contents entry must be one).
- `link-description` (28-012, 7.18.5): a link annotation without Contents, or whose Contents
  is an anchor id (the destination's name, `#...`, or our reserved `gp--` form) rather
  than words.
- `annotations` (28-011, 7.18.1): an annotation with no StructParent, or whose parent-tree
  entry is not a Link reached from the root holding an OBJR to it.
- `tabs` (7.18.3): a page with annotations without `/Tabs /S`.
- `metadata` (06-001, 06-002, 06-003): no XMP stream, no `pdfuaid:part` 1, no `dc:title`,
  or a title, language or creator that disagrees with the document's.
- `display-title` (07-001, 07-002): ViewerPreferences without DisplayDocTitle true.
- `marked` (7.1): MarkInfo without Marked true.
- `lang` (11-001..11-005, 7.2): no document language.
- `types` (02-004, 7.1): a structure type that is not one of ISO 32000-1's standard types
  (there is no role map here).
- `lists` (09-005): LI outside L, Lbl or LBody outside LI, or an L with other children.
- `tables` (09-004): TR outside Table, THead, TBody or TFoot; TH or TD outside TR.
- `headings` (14-003): heading levels that skip a level going down (H1 to H3).
- `fonts` (31-009, 7.21.4.1): a font that is not embedded.

Not checked, since they need a person (the Matterhorn "human" conditions: reading order
makes sense, alternate text is right, headings are real headings) or do not apply to these
documents (forms, optional content, encryption, XFA, embedded files, Ruby, Warichu, formulas).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import defaultdict

import pikepdf
import pypdfium2 as pdfium
import pypdfium2.raw as raw
from pikepdf import Array, Dictionary, Name

STANDARD = {
    "Document", "Part", "Art", "Sect", "Div", "BlockQuote", "Caption", "TOC", "TOCI",
    "Index", "NonStruct", "Private", "P", "H", "H1", "H2", "H3", "H4", "H5", "H6", "L",
    "LI", "Lbl", "LBody", "Table", "TR", "TH", "TD", "THead", "TBody", "TFoot", "Span",
    "Quote", "Note", "Reference", "BibEntry", "Code", "Link", "Annot", "Ruby", "RB", "RT",
    "RP", "Warichu", "WT", "WP", "Figure", "Formula", "Form"}
PAINTING = {"S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "Tj", "TJ", "'", '"', "Do", "sh",
            "INLINE IMAGE"}
TEXT = {"Tj", "TJ", "'", '"'}
XMP = {"rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
       "dc": "http://purl.org/dc/elements/1.1/",
       "pdfuaid": "http://www.aiim.org/pdfua/ns/id/"}


def _kids(element) -> list:
    kids = element.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, Array) else [kids]


def _is_element(obj) -> bool:
    return isinstance(obj, Dictionary) and "/S" in obj and \
        obj.get("/Type", Name.StructElem) == Name.StructElem


def _name(value) -> str:
    return str(value).lstrip("/")


class Audit:
    def __init__(self, path):
        self.pdf = pikepdf.open(path)
        self.rendered = pdfium.PdfDocument(str(path))
        self.found: dict[str, list[str]] = defaultdict(list)
        self.pages = {page.objgen: i for i, page in enumerate(self.pdf.pages)}

    def fail(self, rule: str, message: str) -> None:
        self.found[rule].append(message)

    # -- the structure tree --------------------------------------------------------------
    def tree(self):
        root = self.pdf.Root.get("/StructTreeRoot")
        if root is None:
            self.fail("unreached", "no structure tree")
            return [], {}, {}
        nums = root.ParentTree.get("/Nums", Array())
        parents = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
        order, parent_of = [], {}

        def walk(obj, parent):
            if isinstance(obj, Array):
                for kid in obj:
                    walk(kid, parent)
            elif _is_element(obj) and obj.objgen not in parent_of:
                parent_of[obj.objgen] = parent
                order.append(obj)
                for kid in _kids(obj):
                    walk(kid, obj)

        walk(root.K, None)
        return order, parent_of, parents

    def check_structure(self, order, parent_of):
        levels = []
        ids = defaultdict(int)
        for element in order:
            tag = _name(element.S)
            parent = parent_of.get(element.objgen)
            above = _name(parent.S) if parent is not None else None
            if tag not in STANDARD:
                self.fail("types", f"non-standard structure type /{tag}")
            if tag == "LI" and above != "L":
                self.fail("lists", f"LI inside /{above}")
            if tag in ("Lbl", "LBody") and above != "LI":
                self.fail("lists", f"{tag} inside /{above}")
            if tag == "L":
                for kid in _kids(element):
                    if _is_element(kid) and _name(kid.S) not in ("LI", "L", "Caption"):
                        self.fail("lists", f"/{_name(kid.S)} directly inside L")
            if tag == "TR" and above not in ("Table", "THead", "TBody", "TFoot"):
                self.fail("tables", f"TR inside /{above}")
            if tag in ("TH", "TD") and above != "TR":
                self.fail("tables", f"{tag} inside /{above}")
            if re.fullmatch(r"H[1-6]", tag):
                level = int(tag[1])
                if levels and level > levels[-1] + 1:
                    self.fail("headings", f"H{levels[-1]} followed by {tag}")
                levels.append(level)
            if tag == "Figure" and "/Alt" not in element and "/ActualText" not in element:
                self.fail("figure-alt", f"Figure on page {self.page_number(element)} "
                                        f"has no alternate text")
            if tag == "Link":
                up = parent
                while up is not None:
                    if _name(up.S) == "Link":
                        self.fail("nested-link", f"Link inside a Link on page "
                                                 f"{self.page_number(element)}")
                        break
                    up = parent_of.get(up.objgen)
            if tag == "Note":
                if "/ID" not in element:
                    self.fail("notes", "a Note without an ID")
                else:
                    ids[str(element.ID)] += 1
        for key, count in ids.items():
            if count > 1:
                self.fail("notes", f"Note ID {key!r} used {count} times")

    def page_number(self, element) -> int | str:
        page = element.get("/Pg")
        return self.pages.get(page.objgen, "?") + 1 if page is not None else "?"

    def mcids(self, element) -> list[tuple[int, int]]:
        found = []

        def walk(obj, page):
            for kid in _kids(obj):
                if isinstance(kid, int):
                    found.append((page, int(kid)))
                elif isinstance(kid, Dictionary) and kid.get("/Type") == Name.MCR:
                    found.append((self.pages.get(kid.Pg.objgen, page), int(kid.MCID)))
                elif _is_element(kid):
                    pg = kid.get("/Pg")
                    walk(kid, self.pages.get(pg.objgen, page) if pg is not None else page)

        pg = element.get("/Pg")
        walk(element, self.pages.get(pg.objgen) if pg is not None else None)
        return found

    # -- content ---------------------------------------------------------------------------
    def check_content(self, parents, parent_of):
        boxes = {}
        for number, page in enumerate(self.pdf.pages):
            key = page.obj.get("/StructParents")
            array = parents.get(int(key)) if key is not None else None
            stack = []  # (kind, properties) of each open sequence: "tag", "artifact", "other"
            for instruction in pikepdf.parse_content_stream(page):
                operator = str(instruction.operator)
                operands = list(instruction.operands)
                kinds = [kind for kind, _ in stack]
                if operator in ("BDC", "BMC"):
                    tag = _name(operands[0])
                    props = operands[1] if operator == "BDC" and len(operands) > 1 else None
                    if tag == "Artifact":
                        if "tag" in kinds:
                            self.fail("nesting", f"page {number + 1}: an Artifact inside "
                                                 f"tagged content")
                        stack.append(("artifact", props))
                    elif isinstance(props, Dictionary) and "/MCID" in props:
                        if "artifact" in kinds:
                            self.fail("nesting", f"page {number + 1}: tagged content "
                                                 f"inside an Artifact")
                        mcid = int(props.MCID)
                        element = array[mcid] if array is not None and mcid < len(array) \
                            else None
                        if not _is_element(element) or element.objgen not in parent_of:
                            self.fail("unreached", f"page {number + 1}: content MCID {mcid} "
                                                   f"is not in the structure tree")
                        stack.append(("tag", props))
                    else:
                        stack.append(("other", props))
                elif operator == "EMC":
                    if stack:
                        stack.pop()
                elif operator in PAINTING:
                    if "tag" not in kinds and "artifact" not in kinds:
                        self.fail("untagged", f"page {number + 1}: '{operator}' outside "
                                              f"tagged content and artifacts")
                    elif operator in TEXT and "artifact" in kinds and "tag" not in kinds:
                        props = next(p for kind, p in reversed(stack) if kind == "artifact")
                        if not (isinstance(props, Dictionary)
                                and props.get("/Type") == Name.Pagination
                                and props.get("/Subtype") in (Name.Header, Name.Footer)):
                            self.fail("furniture", f"page {number + 1}: text drawn as an "
                                                   f"Artifact that is not a Pagination "
                                                   f"header or footer")
            boxes[number] = self._boxes(number)
        return boxes

    def _boxes(self, number):
        found = {}
        for obj in self.rendered[number].get_objects(max_depth=1):
            mcid = raw.FPDFPageObj_GetMarkedContentID(obj.raw)
            if mcid >= 0:
                box = obj.get_bounds()
                old = found.get(mcid)
                found[mcid] = box if old is None else (
                    min(old[0], box[0]), min(old[1], box[1]),
                    max(old[2], box[2]), max(old[3], box[3]))
        return found

    def check_figures(self, order, boxes):
        for element in order:
            if _name(element.S) != "Figure":
                continue
            attributes = element.get("/A")
            bbox = attributes.get("/BBox") if isinstance(attributes, Dictionary) else None
            page = self.page_number(element)
            if bbox is None:
                self.fail("figure-bbox", f"Figure on page {page} has no BBox")
                continue
            x1, y1, x2, y2 = (float(v) for v in bbox)
            media = [float(v) for v in self.pdf.pages[page - 1].mediabox]
            if not (media[0] - 1 <= x1 < x2 <= media[2] + 1
                    and media[1] - 1 <= y1 < y2 <= media[3] + 1):
                self.fail("figure-bbox", f"Figure on page {page}: BBox {[x1, y1, x2, y2]} "
                                         f"is off the page")
                continue
            for pg, mcid in self.mcids(element):
                box = boxes.get(pg, {}).get(mcid)
                if box:  # what is drawn beyond the page's edge is never seen
                    box = (max(box[0], media[0]), max(box[1], media[1]),
                           min(box[2], media[2]), min(box[3], media[3]))
                if box and not (x1 - 1.5 <= box[0] and y1 - 1.5 <= box[1]
                                and box[2] <= x2 + 1.5 and box[3] <= y2 + 1.5):
                    self.fail("figure-bbox", f"Figure on page {page}: BBox "
                                             f"{[round(v, 1) for v in (x1, y1, x2, y2)]} does "
                                             f"not enclose its drawing "
                                             f"{[round(v, 1) for v in box]}")

    def check_notes(self, order, parent_of):
        notes = [e for e in order if _name(e.S) == "Note"]
        calls = [e for e in order if _name(e.S) == "Reference"]
        if len(calls) != len(notes):
            self.fail("notes", f"{len(calls)} footnote calls but {len(notes)} notes")
        for call, note in zip(calls, notes):
            parent = parent_of.get(call.objgen)
            kids = [k for k in _kids(parent) if _is_element(k)] if parent is not None else []
            at = next((i for i, k in enumerate(kids) if k.objgen == call.objgen), None)
            if at is None or at + 1 >= len(kids) or kids[at + 1].objgen != note.objgen:
                self.fail("notes", "a note does not follow its call in the reading order")
            links = [k for k in _kids(call) if _is_element(k) and _name(k.S) == "Link"]
            if not links:
                self.fail("notes", "a footnote call does not link to its note")

    # -- annotations -------------------------------------------------------------------------
    def check_annotations(self, parents, parent_of):
        for number, page in enumerate(self.pdf.pages):
            annots = page.obj.get("/Annots")
            if annots is None or len(annots) == 0:
                continue
            if page.obj.get("/Tabs") != Name.S:
                self.fail("tabs", f"page {number + 1} has annotations but no /Tabs /S")
            for annot in annots:
                if annot.get("/Subtype") != Name.Link:
                    continue
                contents = str(annot.get("/Contents", "")).strip()
                dest = annot.get("/Dest")
                dest_name = str(dest) if isinstance(dest, (pikepdf.String, Name)) else None
                if not contents:
                    self.fail("link-description", f"page {number + 1}: a link without a "
                                                  f"description")
                elif contents == dest_name or contents.startswith(("gp--", "#")):
                    self.fail("link-description", f"page {number + 1}: link described as "
                                                  f"{contents!r}, an anchor id")
                key = annot.get("/StructParent")
                element = parents.get(int(key)) if key is not None else None
                if not _is_element(element) or _name(element.S) != "Link" or \
                        element.objgen not in parent_of:
                    self.fail("annotations", f"page {number + 1}: a link annotation not "
                                             f"inside a Link of the structure tree")
                    continue
                if not any(isinstance(k, Dictionary) and k.get("/Type") == Name.OBJR
                           and k.Obj.objgen == annot.objgen for k in _kids(element)):
                    self.fail("annotations", f"page {number + 1}: a Link that does not "
                                             f"hold its annotation")

    # -- the document -----------------------------------------------------------------------
    def check_document(self):
        catalog = self.pdf.Root
        lang = str(catalog.get("/Lang", "")).strip()
        if not lang:
            self.fail("lang", "no document language (/Lang)")
        prefs = catalog.get("/ViewerPreferences")
        if not isinstance(prefs, Dictionary) or prefs.get("/DisplayDocTitle") is not True:
            self.fail("display-title", "ViewerPreferences has no DisplayDocTitle true")
        mark = catalog.get("/MarkInfo")
        if not isinstance(mark, Dictionary) or mark.get("/Marked") is not True:
            self.fail("marked", "MarkInfo has no Marked true")
        info = self.pdf.trailer.get("/Info", Dictionary())
        stream = catalog.get("/Metadata")
        if stream is None:
            self.fail("metadata", "no XMP metadata stream")
        else:
            try:
                root = ET.fromstring(stream.read_bytes())
            except ET.ParseError as exc:
                self.fail("metadata", f"the XMP does not parse: {exc}")
                root = None
            if root is not None:
                def values(path):
                    return [e.text or "" for e in root.iterfind(path, XMP)]
                part = values(".//pdfuaid:part") + [
                    e.get(f"{{{XMP['pdfuaid']}}}part") for e in root.iter()
                    if e.get(f"{{{XMP['pdfuaid']}}}part")]
                if "1" not in part:
                    self.fail("metadata", "the XMP has no PDF/UA identifier (pdfuaid:part 1)")
                titles = values(".//dc:title//rdf:li")
                if not titles:
                    self.fail("metadata", "the XMP has no dc:title")
                elif "/Title" in info and str(info.Title) not in titles:
                    self.fail("metadata", f"XMP title {titles[0]!r} is not the document's")
                languages = values(".//dc:language//rdf:li")
                if lang and lang not in languages:
                    self.fail("metadata", f"the XMP's language {languages} is not {lang!r}")
                creators = values(".//dc:creator//rdf:li")
                if "/Author" in info and str(info.Author) not in creators:
                    self.fail("metadata", "the XMP has no dc:creator, or another one")

    def check_fonts(self):
        seen = set()
        for page in self.pdf.pages:
            fonts = page.obj.get("/Resources", Dictionary()).get("/Font", Dictionary())
            for font in fonts.values():
                if font.objgen in seen:
                    continue
                seen.add(font.objgen)
                described = [font]
                for descendant in font.get("/DescendantFonts", []):
                    described.append(descendant)
                if font.get("/Subtype") == Name.Type3:
                    continue
                if not any("/FontDescriptor" in f and any(
                        k in f.FontDescriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
                        for f in described):
                    self.fail("fonts", f"font {font.get('/BaseFont')} is not embedded")

    def check_leaders(self):
        for number in range(len(self.rendered)):
            text = self.rendered[number].get_textpage().get_text_range()
            if re.search(r"(?:\.\s?){4,}", text):
                self.fail("leaders", f"page {number + 1}: leader dots in the text")

    def run(self) -> dict[str, list[str]]:
        order, parent_of, parents = self.tree()
        self.check_structure(order, parent_of)
        boxes = self.check_content(parents, parent_of)
        self.check_figures(order, boxes)
        self.check_notes(order, parent_of)
        self.check_annotations(parents, parent_of)
        self.check_document()
        self.check_fonts()
        self.check_leaders()
        self.rendered.close()
        return dict(self.found)


def audit(path) -> dict[str, list[str]]:
    """Every PDF/UA failure found in the PDF at `path`, by rule."""
    return Audit(path).run()


def counts(path) -> dict[str, int]:
    return {rule: len(found) for rule, found in audit(path).items()}
