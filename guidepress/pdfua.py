"""Finish the PDFs WeasyPrint writes into PDF/UA-1 documents (and, on request, PDF/A-3u).

WeasyPrint 70 tags a document, but leaves out what a screen reader and a PDF/UA checker
need; this module mends the file it wrote, with pikepdf (qpdf), in one pass:

- page furniture (the running header and footer, drawn in page-margin boxes) is marked
  content whose structure elements WeasyPrint never links into the tree (upstream
  Kozea/WeasyPrint#1836, "PDF/UA page header and footer"): it becomes an `Artifact` of type
  Pagination, Header or Footer by where it sits on the page;
- a graphic with no alternate text is decorative (HTML's own rule: `alt=""`, and an inline
  SVG with no `<title>`; the templates give every meaningful graphic one): its `Figure`
  element goes and its drawing becomes a Layout `Artifact`. WeasyPrint ignores `aria-hidden`;
- a figure's bounding box is in CSS pixels from the top of the page in WeasyPrint; it is set
  to the drawing's box in PDF points;
- links nested in links (an `a` and its `::after` and `leader()` boxes each become a Link;
  Kozea/WeasyPrint#2482 tracks tagging inside anchors) are merged into the outermost one,
  so a contents entry is one link;
- each link annotation's description (`/Contents`) is the text it covers, not the anchor id;
- footnotes: the call is a `Reference` holding a link to its note, each note a `Note` with a
  unique ID, placed right after its call in the reading order (the tag names come from
  `tagging()`, since only the box tree knows which box is a footnote);
- any painting operator still outside marked content is wrapped as an `Artifact`;
- pages with annotations get `/Tabs /S`; the XMP metadata stream carries the title,
  language, creator, dates and the PDF/UA identifier (and PDF/A's, for that variant).

The result is written deterministically (same input, same bytes).
"""

from __future__ import annotations

import io
import re
from contextlib import contextmanager
from xml.sax.saxutils import escape

import pikepdf
from pikepdf import Array, Dictionary, Name, Operator, String

#: Output variants: None is PDF/UA-1 alone.
VARIANTS = ("pdf/a-3u",)

#: Operators that put marks on the page (PDF 32000-1, tables 59, 60, 105, 107, 111).
PAINTING = {"S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "Tj", "TJ", "'", '"', "Do", "sh",
            "INLINE IMAGE"}

#: The tag WeasyPrint gives a box, mapped to the one it should have; only the box tree
#: knows which boxes are footnotes, so these are decided while WeasyPrint tags.
FOOTNOTE_TAG = "gp-footnote"
from .mdext.page_footnotes import NOTE_ID  # noqa: E402 - the ids footnote calls link to


@contextmanager
def tagging():
    """While WeasyPrint writes: footnote calls are `Reference`, footnotes `Note`.

    WeasyPrint 70 tags every pseudo-element it does not know as NonStruct; the footnote
    element itself is a `<gp-footnote>` (mdext/page_footnotes.py) so that it can be told
    apart. If WeasyPrint's private helper moves, nothing is changed here, and the
    structure tests say what is missing.
    """
    try:
        from weasyprint.pdf import tags
        original = tags._get_pdf_tag
    except (ImportError, AttributeError):  # pragma: no cover - another WeasyPrint
        yield
        return

    def pdf_tag(tag):
        if tag:
            element, _, pseudo = tag.partition("::")
            if pseudo == "footnote-call":
                return "Reference"
            if element == FOOTNOTE_TAG and not pseudo:
                return "Note"
            if element == FOOTNOTE_TAG and pseudo == "footnote-marker":
                return "Span"
        return original(tag)

    tags._get_pdf_tag = pdf_tag
    try:
        yield
    finally:
        tags._get_pdf_tag = original


# ---------------------------------------------------------------------------------------
# The structure tree


def _kids(element) -> list:
    kids = element.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, Array) else [kids]


def _is_element(obj) -> bool:
    return isinstance(obj, Dictionary) and obj.get("/S") is not None and \
        obj.get("/Type", Name.StructElem) == Name.StructElem


class Tree:
    """The structure tree and its parent tree, as WeasyPrint wrote them."""

    def __init__(self, pdf: pikepdf.Pdf):
        self.pdf = pdf
        self.root = pdf.Root.StructTreeRoot
        nums = self.root.ParentTree.Nums
        self.parents = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
        self._slots = {int(nums[i]): i + 1 for i in range(0, len(nums), 2)}  # where each is
        self.page_index = {page.objgen: i for i, page in enumerate(pdf.pages)}
        self.reached = set()
        self.order = []  # every element reached, in reading order

        def walk(obj):
            if _is_element(obj):
                if obj.objgen in self.reached:
                    return
                self.reached.add(obj.objgen)
                self.order.append(obj)
                for kid in _kids(obj):
                    walk(kid)
            elif isinstance(obj, Array):
                for kid in obj:
                    walk(kid)

        walk(self.root.K)

    def set_parent(self, key: int, element) -> None:
        """Point the parent tree's entry `key` (an annotation's StructParent) at `element`;
        nothing when there is no such entry."""
        slot = self._slots.get(key)
        if slot is not None:
            self.root.ParentTree.Nums[slot] = element
            self.parents[key] = element

    def page_of(self, element) -> int | None:
        page = element.get("/Pg")
        return None if page is None else self.page_index.get(page.objgen)

    def mcid_array(self, page: int):
        """The page's MCID-to-element array in the parent tree (None without one)."""
        key = self.pdf.pages[page].obj.get("/StructParents")
        return None if key is None else self.parents.get(int(key))

    def orphan_mcids(self) -> dict[int, set[int]]:
        """MCIDs, by page, whose element the tree never reaches (page-margin boxes)."""
        found: dict[int, set[int]] = {}
        for page in range(len(self.pdf.pages)):
            array = self.mcid_array(page)
            for mcid, element in enumerate(array or []):
                if isinstance(element, Dictionary) and element.objgen not in self.reached:
                    found.setdefault(page, set()).add(mcid)
        return found

    def mcids_of(self, element) -> list[tuple[int, int]]:
        """(page, mcid) of every piece of content under `element`, in order."""
        found = []

        def walk(obj, page):
            for kid in _kids(obj):
                if isinstance(kid, int):
                    found.append((page, int(kid)))
                elif isinstance(kid, Dictionary) and kid.get("/Type") == Name.MCR:
                    found.append((self.page_index.get(kid.Pg.objgen, page), int(kid.MCID)))
                elif _is_element(kid):
                    walk(kid, self.page_of(kid) if self.page_of(kid) is not None else page)

        walk(element, self.page_of(element))
        return found

    def point(self, page: int, mcid: int, element) -> None:
        array = self.mcid_array(page)
        if array is not None and mcid < len(array):
            array[mcid] = element

    def detach(self, element) -> None:
        parent = element.get("/P")
        if parent is None or "/K" not in parent:
            return
        kids = [kid for kid in _kids(parent)
                if not (isinstance(kid, Dictionary) and kid.objgen == element.objgen)]
        parent.K = Array(kids)


# ---------------------------------------------------------------------------------------
# Geometry and text from PDFium (the renderer the tests read with too)


class Page:
    """Where each MCID is drawn on a page, and the text inside a rectangle.

    PDFium's page is let go once its boxes are known, and opened again only to read text
    (links and footnotes): a long guide's pages are not all held at once."""

    def __init__(self, document, index: int):
        import pypdfium2.raw as raw
        self._document, self._index = document, index
        self._text = None
        self.boxes: dict[int, tuple[float, float, float, float]] = {}
        page = document[index]
        try:
            for obj in page.get_objects(max_depth=1):
                mcid = raw.FPDFPageObj_GetMarkedContentID(obj.raw)
                if mcid < 0:
                    continue
                left, bottom, right, top = obj.get_bounds()
                old = self.boxes.get(mcid)
                self.boxes[mcid] = (left, bottom, right, top) if old is None else (
                    min(old[0], left), min(old[1], bottom), max(old[2], right),
                    max(old[3], top))
        finally:
            page.close()

    def text_in(self, rect) -> str:
        if self._text is None:
            self._text = self._document[self._index].get_textpage()
        left, bottom, right, top = rect
        return " ".join(self._text.get_text_bounded(left, bottom, right, top).split())


def _union(boxes):
    boxes = [box for box in boxes if box is not None]
    if not boxes:
        return None
    return (min(b[0] for b in boxes), min(b[1] for b in boxes),
            max(b[2] for b in boxes), max(b[3] for b in boxes))


def _rect(array) -> tuple[float, float, float, float]:
    x1, y1, x2, y2 = (float(v) for v in array)
    return min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2)


def _number(value: float) -> float:
    return round(value, 3)


# ---------------------------------------------------------------------------------------
# The steps


def _merge_nested_links(tree: Tree) -> None:
    """A Link inside a Link gives its content and annotations to the outermost Link."""
    annots = {}
    for page in tree.pdf.pages:
        for annot in page.obj.get("/Annots", []):
            if "/StructParent" in annot:
                annots[int(annot.StructParent)] = annot
    for element in list(tree.order):
        if element.S != Name.Link:
            continue
        outer, parent = None, element.get("/P")
        while _is_element(parent):
            if parent.S == Name.Link:
                outer = parent
            parent = parent.get("/P")
        if outer is None:
            continue
        kids = _kids(outer)
        position = next((i for i, kid in enumerate(kids)
                         if isinstance(kid, Dictionary) and kid.objgen == element.objgen), None)
        moved = []
        for kid in _kids(element):
            if isinstance(kid, int):
                tree.point(tree.page_of(element), int(kid), outer)
                moved.append(kid)
            elif isinstance(kid, Dictionary) and kid.get("/Type") == Name.OBJR:
                annot = kid.Obj
                if "/StructParent" in annot:
                    tree.set_parent(int(annot.StructParent), outer)
                moved.append(kid)
            elif _is_element(kid):
                kid.P = outer
                moved.append(kid)
        if position is None:
            # Deeper than a direct child: leave the middle in place, move the content up.
            tree.detach(element)
            outer.K = Array(kids + moved)
        else:
            outer.K = Array(kids[:position] + moved + kids[position + 1:])


def _gather_link_annotations(tree: Tree) -> None:
    """A link annotation belongs to its Link element (28-011). WeasyPrint 70 gives each box
    inside a link (spans, a flex item, a pseudo-element) an annotation of its own, held by
    that box's element: each moves up to the Link around it, and one that a wider one of the
    same Link to the same place already covers is dropped."""
    for element in list(tree.order):
        if element.S == Name.Link:
            continue
        objrs = [kid for kid in _kids(element)
                 if isinstance(kid, Dictionary) and kid.get("/Type") == Name.OBJR]
        if not objrs:
            continue
        link = element.get("/P")
        while _is_element(link) and link.S != Name.Link:
            link = link.get("/P")
        if not _is_element(link):
            continue
        moved = {objr.Obj.objgen for objr in objrs}  # annotations are indirect objects
        element.K = Array([kid for kid in _kids(element) if not (
            isinstance(kid, Dictionary) and kid.get("/Type") == Name.OBJR
            and kid.Obj.objgen in moved)])
        link.K = Array([*_kids(link), *objrs])
        for objr in objrs:
            if "/StructParent" in objr.Obj:
                tree.set_parent(int(objr.Obj.StructParent), link)
    for link in tree.order:
        if link.S != Name.Link:
            continue
        objrs = [kid for kid in _kids(link)
                 if isinstance(kid, Dictionary) and kid.get("/Type") == Name.OBJR]
        kept: list = []
        dropped: list = []
        for objr in objrs:
            if any(_covers(other.Obj, objr.Obj) for other in kept):
                dropped.append(objr)
                continue
            narrower = [other for other in kept if _covers(objr.Obj, other.Obj)]
            dropped.extend(narrower)
            kept = [other for other in kept if other not in narrower] + [objr]
        if not dropped:
            continue
        gone = {objr.Obj.objgen for objr in dropped}
        for objr in dropped:
            page = objr.get("/Pg")
            if page is not None and "/Annots" in page:
                page.Annots = Array([a for a in page.Annots if a.objgen not in gone])
        link.K = Array([kid for kid in _kids(link) if not (
            isinstance(kid, Dictionary) and kid.get("/Type") == Name.OBJR
            and kid.Obj.objgen in gone)])


def _covers(wide, narrow) -> bool:
    """True when annotation `wide` covers `narrow` and leads to the same place."""
    if wide.get("/Dest") != narrow.get("/Dest") or \
            repr(wide.get("/A")) != repr(narrow.get("/A")):
        return False
    a, b = _rect(wide.Rect), _rect(narrow.Rect)
    return a[0] - 0.5 <= b[0] and a[1] - 0.5 <= b[1] and b[2] <= a[2] + 0.5 and \
        b[3] <= a[3] + 0.5


def _decorative_figures(tree: Tree, pages: list[Page], artifacts: dict) -> None:
    """Figures without alternate text become Layout artifacts; the others get true boxes."""
    for element in tree.order:
        if element.S != Name.Figure:
            continue
        spots = tree.mcids_of(element)
        if "/Alt" not in element and "/ActualText" not in element:
            for page, mcid in spots:
                artifacts.setdefault(page, {})[mcid] = "Layout"
                tree.point(page, mcid, None)
            tree.detach(element)
            continue
        box = _union(pages[page].boxes.get(mcid) for page, mcid in spots)
        if box is not None and spots:
            # pdfium reports some SVG pictures (those with arrow markers) wider than the page:
            # the box is what can be seen, so never beyond the page's edges.
            media = _rect(tree.pdf.pages[spots[0][0]].mediabox)
            box = (max(box[0], media[0]), max(box[1], media[1]),
                   min(box[2], media[2]), min(box[3], media[3]))
            attributes = element.get("/A")
            if not isinstance(attributes, Dictionary):
                attributes = Dictionary(O=Name.Layout)
                element.A = attributes
            attributes.BBox = Array([_number(v) for v in box])


def _footnotes(tree: Tree, pages: list[Page], new_annots: list) -> None:
    """Each note gets an ID and goes right after its call, which links to it."""
    notes = [e for e in tree.order if e.S == Name.Note]
    calls = [e for e in tree.order if e.S == Name.Reference]
    for number, note in enumerate(notes, start=1):
        note.ID = String(f"gp-note-{number}")
    for number, (call, note) in enumerate(zip(calls, notes), start=1):
        # The reading order: the note follows its call.
        tree.detach(note)
        parent = call.P
        kids = _kids(parent)
        at = next(i for i, kid in enumerate(kids)
                  if isinstance(kid, Dictionary) and kid.objgen == call.objgen)
        parent.K = Array(kids[:at + 1] + [note] + kids[at + 1:])
        note.P = parent
        # The call links to the note.
        call_spots, note_spots = tree.mcids_of(call), tree.mcids_of(note)
        if not call_spots or not note_spots:
            continue
        call_page = call_spots[0][0]
        call_box = _union(pages[call_page].boxes.get(m) for p, m in call_spots if p == call_page)
        note_page = note_spots[0][0]
        note_box = _union(pages[note_page].boxes.get(m) for p, m in note_spots if p == note_page)
        if call_box is None or note_box is None:
            continue
        text = " ".join(pages[note_page].text_in(note_box).split())
        new_annots.append((call, call_page, call_box, note_page, note_box, text,
                           f"{NOTE_ID}{number}"))


def _link_footnote_calls(tree: Tree, new_annots: list) -> None:
    pdf = tree.pdf
    nums = tree.root.ParentTree.Nums
    key = max(tree.parents) + 1 if tree.parents else 0
    names = _destination_names(pdf)
    for call, call_page, call_box, note_page, note_box, text, name in new_annots:
        page = pdf.pages[call_page]
        # The note's named destination (its id), as every other link in the file has; a
        # place on the page when a root's template dropped the id.
        dest = String(name) if name in names else Array(
            [pdf.pages[note_page].obj, Name.XYZ, _number(note_box[0]), _number(note_box[3]), 0])
        annot = pdf.make_indirect(Dictionary(
            Type=Name.Annot, Subtype=Name.Link, Rect=Array([_number(v) for v in call_box]),
            BS=Dictionary(W=0), F=4, Contents=String(text), Dest=dest, StructParent=key))
        page.obj.Annots = Array([*page.obj.get("/Annots", []), annot])
        link = pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name.Link, P=call,
                                            Pg=page.obj))
        kids = _kids(call)
        link.K = Array([*kids, Dictionary(Type=Name.OBJR, Obj=annot, Pg=page.obj)])
        for kid in kids:
            if isinstance(kid, int):
                tree.point(call_page, int(kid), link)
            elif _is_element(kid):
                kid.P = link
        call.K = Array([link])
        nums.append(key)
        nums.append(link)
        key += 1


def _destination_names(pdf: pikepdf.Pdf) -> set[str]:
    names = pdf.Root.get("/Names")
    if not isinstance(names, Dictionary) or "/Dests" not in names:
        return set()
    return {str(key) for key in pikepdf.NameTree(names.Dests).keys()}


def _describe_links(tree: Tree, pages: list[Page]) -> None:
    """A link's description is the text it covers (or where it leads, when it covers none)."""
    for number, page in enumerate(tree.pdf.pages):
        annots = page.obj.get("/Annots")
        if annots is None or len(annots) == 0:
            continue
        page.obj.Tabs = Name.S
        for annot in annots:
            if annot.get("/Subtype") != Name.Link:
                continue
            text = pages[number].text_in(_rect(annot.Rect))
            if not text:
                action = annot.get("/A")
                uri = action.get("/URI") if isinstance(action, Dictionary) else None
                text = str(uri) if uri is not None else str(annot.get("/Contents", ""))
            annot.Contents = String(text)


def _furniture(tree: Tree, pages: list[Page], artifacts: dict) -> None:
    """Content the tree never reaches is a page's header or footer."""
    for page, mcids in tree.orphan_mcids().items():
        middle = float(_rect(tree.pdf.pages[page].mediabox)[3]) / 2
        for mcid in mcids:
            box = pages[page].boxes.get(mcid)
            artifacts.setdefault(page, {})[mcid] = (
                "Header" if box is not None and box[1] > middle else "Footer")
            tree.point(page, mcid, None)


def _mend_lists(tree: Tree) -> None:
    """A list holds list items only (ISO 32000-1 table 336). WeasyPrint 70 puts an
    anonymous block (a list of flex or inline items) between a list and its items, and the
    spaces between inline items in the list itself: the block gives way to its items, and
    a stray piece joins the item before it (or an item of its own)."""
    for element in tree.order:
        if element.S != Name.L:
            continue
        mended, changed = [], False
        for kid in _kids(element):
            if not _is_element(kid) or kid.S in (Name.LI, Name.L, Name.Caption):
                mended.append(kid)
                continue
            changed = True
            inner = _kids(kid)
            if inner and all(_is_element(k) and k.S == Name.LI for k in inner):
                for item in inner:
                    item.P = element
                mended.extend(inner)
                continue
            previous = next((k for k in reversed(mended)
                             if _is_element(k) and k.S == Name.LI), None)
            body = None
            if previous is not None:
                body = next((k for k in reversed(_kids(previous))
                             if _is_element(k) and k.S == Name.LBody), None)
            if body is None:
                item = tree.pdf.make_indirect(Dictionary(
                    Type=Name.StructElem, S=Name.LI, P=element, Pg=kid.get("/Pg")))
                body = tree.pdf.make_indirect(Dictionary(
                    Type=Name.StructElem, S=Name.LBody, P=item, Pg=kid.get("/Pg"), K=Array()))
                item.K = Array([body])
                mended.append(item)
            body.K = Array([*_kids(body), kid])
            kid.P = body
        if changed:
            element.K = Array(mended)


def _table_scopes(tree: Tree) -> None:
    """Each header cell says what it heads (ISO 32000-1 table 349, /Scope): a cell in the
    table's head heads its column, one in a body row heads its row. WeasyPrint links data
    cells to header IDs, which some checkers cannot follow; the scope says it plainly."""
    for element in tree.order:
        if element.S != Name.TH:
            continue
        row = element.get("/P")
        group = row.get("/P") if _is_element(row) else None
        in_head = _is_element(group) and group.S == Name.THead
        scope = Name.Column if in_head or _first_row(row) else Name.Row
        attributes = element.get("/A")
        if not isinstance(attributes, Dictionary):
            attributes = Dictionary(O=Name.Table)
            element.A = attributes
        if "/Scope" not in attributes:
            attributes.Scope = scope


def _first_row(row) -> bool:
    """True for a row that opens its table (a header row without a head group)."""
    parent = row.get("/P") if _is_element(row) else None
    if not _is_element(parent):
        return False
    rows = [kid for kid in _kids(parent) if _is_element(kid) and kid.S == Name.TR]
    return bool(rows) and rows[0].objgen == row.objgen and \
        all(_is_element(k) and k.S == Name.TH for k in _kids(row))


def _prune(tree: Tree) -> None:
    """Elements left with no content (the footnote area once its notes moved) go."""
    for element in reversed(tree.order):
        if element.objgen in tree.reached and not _kids(element) and \
                element.S not in (Name.Document,):
            tree.detach(element)


def _artifact_properties(kind: str):
    if kind in ("Header", "Footer"):
        return Dictionary(Type=Name.Pagination, Subtype=Name("/" + kind))
    return Dictionary(Type=Name("/" + kind))


def _rewrite_content(pdf: pikepdf.Pdf, page_number: int, artifacts: dict[int, str]) -> None:
    """Re-mark a page's content: artifacts where the map says, and every painting operator
    outside marked content wrapped as one."""
    page = pdf.pages[page_number]
    ops = pikepdf.parse_content_stream(page)
    out = []
    depth = 0           # marked-content nesting
    open_artifact = False
    changed = False

    def close():
        nonlocal open_artifact
        if open_artifact:
            out.append(pikepdf.ContentStreamInstruction([], Operator("EMC")))
            open_artifact = False

    for instruction in ops:
        operator = str(instruction.operator)
        operands = list(instruction.operands)
        if operator in ("BDC", "BMC"):
            close()
            if operator == "BDC" and len(operands) == 2 and isinstance(operands[1], Dictionary) \
                    and "/MCID" in operands[1] and int(operands[1].MCID) in artifacts:
                kind = artifacts[int(operands[1].MCID)]
                instruction = pikepdf.ContentStreamInstruction(
                    [Name.Artifact, _artifact_properties(kind)], Operator("BDC"))
                changed = True
            depth += 1
        elif operator == "EMC":
            close()
            depth -= 1
        elif operator in ("BT", "ET"):
            close()  # an artifact never spans the start or end of a text object
        elif depth == 0 and operator in PAINTING and not open_artifact:
            out.append(pikepdf.ContentStreamInstruction([Name.Artifact], Operator("BMC")))
            open_artifact = True
            changed = True
        out.append(instruction)
    close()
    if changed:
        page.obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream(out))


# ---------------------------------------------------------------------------------------
# Metadata

NAMESPACES = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "pdf": "http://ns.adobe.com/pdf/1.3/",
    "pdfuaid": "http://www.aiim.org/pdfua/ns/id/",
    "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
    "pdfaExtension": "http://www.aiim.org/pdfa/ns/extension/",
    "pdfaSchema": "http://www.aiim.org/pdfa/ns/schema#",
    "pdfaProperty": "http://www.aiim.org/pdfa/ns/property#",
}


def _xmp_date(value: str | None) -> str | None:
    """A PDF date (D:20261130000000Z) as XMP writes it (2026-11-30T00:00:00Z)."""
    if not value:
        return None
    match = re.match(r"D:(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?(Z|[+-]\d{2}'?\d{2}'?)?",
                     value)
    if not match:
        return None
    year, month, day, hour, minute, second, zone = match.groups()
    text = f"{year}-{month or '01'}-{day or '01'}"
    if hour:
        text += f"T{hour}:{minute or '00'}:{second or '00'}"
        if zone == "Z" or zone is None:
            text += "Z"
        else:
            text += zone.replace("'", "")[:3] + ":" + zone.replace("'", "")[3:5]
    return text


def xmp(info: dict[str, str], lang: str | None, variant: str | None) -> bytes:
    """The XMP packet: Info's fields, the language and the conformance identifiers."""
    def text(value):
        return escape(value, {'"': "&quot;"})

    fields = []
    if info.get("/Title"):
        fields.append(f'<dc:title><rdf:Alt><rdf:li xml:lang="x-default">'
                      f'{text(info["/Title"])}</rdf:li></rdf:Alt></dc:title>')
    if info.get("/Author"):
        fields.append(f"<dc:creator><rdf:Seq><rdf:li>{text(info['/Author'])}</rdf:li>"
                      f"</rdf:Seq></dc:creator>")
    if info.get("/Subject"):
        fields.append(f'<dc:description><rdf:Alt><rdf:li xml:lang="x-default">'
                      f'{text(info["/Subject"])}</rdf:li></rdf:Alt></dc:description>')
    if lang:
        fields.append(f"<dc:language><rdf:Bag><rdf:li>{text(lang)}</rdf:li></rdf:Bag>"
                      f"</dc:language>")
    fields.append("<dc:format>application/pdf</dc:format>")
    for key, name in (("/Creator", "xmp:CreatorTool"),):
        if info.get(key):
            fields.append(f"<{name}>{text(info[key])}</{name}>")
    for key, name in (("/CreationDate", "xmp:CreateDate"), ("/ModDate", "xmp:ModifyDate")):
        if (date := _xmp_date(info.get(key))):
            fields.append(f"<{name}>{date}</{name}>")
    if (date := _xmp_date(info.get("/ModDate"))):
        fields.append(f"<xmp:MetadataDate>{date}</xmp:MetadataDate>")
    if info.get("/Producer"):
        fields.append(f"<pdf:Producer>{text(info['/Producer'])}</pdf:Producer>")
    if info.get("/Keywords"):
        fields.append(f"<pdf:Keywords>{text(info['/Keywords'])}</pdf:Keywords>")
    fields.append("<pdfuaid:part>1</pdfuaid:part>")
    if variant == "pdf/a-3u":
        fields.append("<pdfaid:part>3</pdfaid:part><pdfaid:conformance>U</pdfaid:conformance>")
        # PDF/A-3 predates PDF/UA: its identifier's schema must be described (ISO 19005-3,
        # 6.6.2.3), or a PDF/A validator refuses the property.
        fields.append(
            "<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType=\"Resource\">"
            "<pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>"
            f"<pdfaSchema:namespaceURI>{NAMESPACES['pdfuaid']}</pdfaSchema:namespaceURI>"
            "<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>"
            "<pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType=\"Resource\">"
            "<pdfaProperty:name>part</pdfaProperty:name>"
            "<pdfaProperty:valueType>Integer</pdfaProperty:valueType>"
            "<pdfaProperty:category>internal</pdfaProperty:category>"
            "<pdfaProperty:description>The part of ISO 14289 (PDF/UA) the file conforms "
            "to</pdfaProperty:description>"
            "</rdf:li></rdf:Seq></pdfaSchema:property></rdf:li></rdf:Bag>"
            "</pdfaExtension:schemas>")
    declarations = " ".join(f'xmlns:{prefix}="{uri}"' for prefix, uri in NAMESPACES.items())
    body = "".join(fields)
    return (f'<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
            f'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF {declarations}>'
            f'<rdf:Description rdf:about="">{body}</rdf:Description>'
            f'</rdf:RDF></x:xmpmeta>\n<?xpacket end="w"?>').encode("utf-8")


# ---------------------------------------------------------------------------------------


def finish(data: bytes, variant: str | None = None) -> bytes:
    """The PDF WeasyPrint wrote, made a PDF/UA-1 document (and PDF/A-3u for that variant)."""
    import pypdfium2 as pdfium

    rendered = pdfium.PdfDocument(data)
    try:
        pdf = pikepdf.open(io.BytesIO(data))
        pages = [Page(rendered, i) for i in range(len(rendered))]
        if "/StructTreeRoot" in pdf.Root:
            tree = Tree(pdf)
            artifacts: dict[int, dict[int, str]] = {}
            _merge_nested_links(tree)
            _gather_link_annotations(tree)
            _mend_lists(tree)
            _table_scopes(tree)
            _furniture(tree, pages, artifacts)
            _decorative_figures(tree, pages, artifacts)
            new_annots: list = []
            _footnotes(tree, pages, new_annots)
            _describe_links(tree, pages)
            _link_footnote_calls(tree, new_annots)
            _prune(tree)
            for number in range(len(pdf.pages)):
                _rewrite_content(pdf, number, artifacts.get(number, {}))
        info = {str(key): str(value) for key, value in pdf.trailer.get("/Info", {}).items()}
        lang = str(pdf.Root.Lang) if "/Lang" in pdf.Root else None
        pdf.Root.Metadata = pdf.make_stream(xmp(info, lang, variant),
                                            Type=Name.Metadata, Subtype=Name.XML)
        pdf.Root.ViewerPreferences = Dictionary(DisplayDocTitle=True)
        pdf.Root.MarkInfo = Dictionary(Marked=True)
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True, fix_metadata_version=False,
                 object_stream_mode=pikepdf.ObjectStreamMode.generate)
        return out.getvalue()
    finally:
        rendered.close()
