"""Reading back what an invoice PDF draws, glyph by glyph, to check it against the document
model: the text of each drawn run (one ``BT … ET`` block: a line of a paragraph or a table
cell) through the font's ToUnicode map, and, for each glyph drawn, that its outline in the
embedded font is the outline the original system font has for that character.

Text extraction alone is not enough: a run drawn with the wrong font's glyph IDs extracts
as other characters (caught by comparing runs), but a subset whose ToUnicode map disagrees
with its glyphs (a wrong face of a ``.ttc``, a wrong glyph mapping) extracts right and looks
wrong, which only the outline comparison catches.

Runs are compared in visual order, the order a PDF draws them, for left-to-right and
right-to-left text alike: the expected string is laid out by python-bidi (Rust's
unicode-bidi, an implementation of UAX #9 independent of fpdf2's), an Arabic ligature's
letters are read in drawing order, and combining marks, which a shaper draws after their
base letter whatever the direction, are compared apart.
"""

import io
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache

import pypdf
from bidi import get_display
from fontTools.cffLib import CFFFontSet
from fontTools.pens.recordingPen import DecomposingRecordingPen
from fontTools.subset import Options, Subsetter
from fontTools.ttLib import TTFont
from fpdf.fonts import CORE_FONTS_CHARWIDTHS
from pypdf.generic import ContentStream

# Bidi_Mirroring_Glyph pairs a shaper swaps in right-to-left runs ("(" drawn as ")")
_MIRRORS = dict(zip("()[]{}<>«»", ")(][}{><»«", strict=True))
_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")


@dataclass
class Glyph:
    font: str  # the page's resource name, /F1
    cid: int
    text: str  # what the ToUnicode map says the glyph is
    x0: float = 0.0  # where it is drawn, in points
    x1: float = 0.0
    y: float = 0.0


@dataclass
class PdfFont:
    base: str
    unicode: dict[int, str] = field(default_factory=dict)
    program: TTFont | CFFFontSet | None = None
    cid_to_gid: bytes = b""  # TrueType: the glyph of each CID
    code_to_cid: dict[int, int] = field(default_factory=dict)  # CID-keyed CFF's Encoding
    simple: bool = False  # a core font (Helvetica): one byte per character, cp1252
    widths: dict[int, float] = field(default_factory=dict)  # per 1000 units of the size
    default_width: float = 1000


def _to_unicode(stream) -> dict[int, str]:
    data = stream.get_data().decode("latin1")
    mapping = {}
    for block in re.findall(r"beginbfchar(.*?)endbfchar", data, re.S):
        for src, dst in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            mapping[int(src, 16)] = bytes.fromhex(dst).decode("utf-16-be")
    for block in re.findall(r"beginbfrange(.*?)endbfrange", data, re.S):
        for lo, hi, dst in re.findall(r"<(\w+)>\s*<(\w+)>\s*<(\w+)>", block):
            start = int(dst, 16)
            for offset, cid in enumerate(range(int(lo, 16), int(hi, 16) + 1)):
                mapping[cid] = chr(start + offset)
    return mapping


def _encoding(stream) -> dict[int, int]:
    data = stream.get_data().decode("latin1")
    mapping = {}
    for block in re.findall(r"begincidchar(.*?)endcidchar", data, re.S):
        for code, cid in re.findall(r"<([0-9A-Fa-f]+)>\s*(\d+)", block):
            mapping[int(code, 16)] = int(cid)
    for block in re.findall(r"begincidrange(.*?)endcidrange", data, re.S):
        for lo, hi, cid in re.findall(r"<(\w+)>\s*<(\w+)>\s*(\d+)", block):
            for offset, code in enumerate(range(int(lo, 16), int(hi, 16) + 1)):
                mapping[code] = int(cid) + offset
    return mapping


def _widths(array: list) -> dict[int, float]:
    """A CIDFont's /W array: ``c [w1 w2 …]`` and ``c_first c_last w`` entries."""
    widths, i = {}, 0
    while i < len(array):
        first, item = int(array[i]), array[i + 1].get_object()
        if isinstance(item, pypdf.generic.ArrayObject):
            widths.update({first + k: float(w) for k, w in enumerate(item)})
            i += 2
        else:
            widths.update({c: float(array[i + 2]) for c in range(first, int(item) + 1)})
            i += 3
    return widths


def _font(obj) -> PdfFont:
    obj = obj.get_object()
    base = str(obj["/BaseFont"]).lstrip("/").split("+")[-1]
    if obj["/Subtype"] != "/Type0":
        key = "helvetica" + ("B" if "Bold" in base else "")
        metrics = CORE_FONTS_CHARWIDTHS[key]
        return PdfFont(base, simple=True, widths={ord(c): w for c, w in metrics.items()})
    font = PdfFont(base, _to_unicode(obj["/ToUnicode"].get_object()))
    if not isinstance(obj["/Encoding"].get_object(), pypdf.generic.NameObject):  # not Identity-H
        font.code_to_cid = _encoding(obj["/Encoding"].get_object())
    descendant = obj["/DescendantFonts"][0].get_object()
    font.default_width = float(descendant.get("/DW", 1000))
    font.widths = _widths(list(descendant.get("/W", [])))
    descriptor = descendant["/FontDescriptor"].get_object()
    if "/FontFile2" in descriptor:
        font.program = TTFont(io.BytesIO(descriptor["/FontFile2"].get_object().get_data()))
        gid_map = descendant.get("/CIDToGIDMap")
        if gid_map is not None and not isinstance(gid_map.get_object(), pypdf.generic.NameObject):
            font.cid_to_gid = gid_map.get_object().get_data()
    else:
        cff = CFFFontSet()
        cff.decompile(io.BytesIO(descriptor["/FontFile3"].get_object().get_data()), None)
        font.program = cff
    return font


def _decode(font: PdfFont, name: str, raw: bytes) -> list[Glyph]:
    if font.simple:
        return [Glyph(name, byte, bytes([byte]).decode("cp1252")) for byte in raw]
    cids = [int.from_bytes(raw[i : i + 2], "big") for i in range(0, len(raw), 2)]
    return [Glyph(name, cid, font.unicode.get(cid, "\ufffd")) for cid in cids]


def read_pdf(data: bytes) -> tuple[list[list[Glyph]], dict[str, PdfFont]]:
    """Every run the pages draw, in drawing order, and the fonts by resource name."""
    runs: list[list[Glyph]] = []
    fonts: dict[str, PdfFont] = {}
    reader = pypdf.PdfReader(io.BytesIO(data))
    for page in reader.pages:
        resources = page["/Resources"]["/Font"]
        page_fonts = {name: _font(ref) for name, ref in resources.items()}
        fonts.update(page_fonts)
        current, size, x, y = None, 0.0, 0.0, 0.0
        run: list[Glyph] = []
        for operands, operator in ContentStream(page.get_contents(), reader).operations:
            if operator == b"Tf":
                current, size = str(operands[0]), float(operands[1])
            elif operator == b"Td":
                x, y = float(operands[0]), float(operands[1])
            elif operator == b"Tm":
                x, y = float(operands[4]), float(operands[5])
            elif operator == b"Tj":
                raw = operands[0]
                raw = raw.original_bytes if hasattr(raw, "original_bytes") else raw
                font = page_fonts[current]
                for glyph in _decode(font, current, raw):
                    cid = font.code_to_cid.get(glyph.cid, glyph.cid)  # /W is keyed by CID
                    advance = font.widths.get(cid, font.default_width) * size / 1000
                    glyph.x0, glyph.x1, glyph.y = x, x + advance, y
                    x += advance
                    run.append(glyph)
            elif operator == b"ET":
                if run:
                    runs.append(run)
                run = []
    return runs, fonts


def _marks(text: str) -> str:
    return "".join(sorted(c for c in text if unicodedata.category(c) == "Mn"))


def _base(text: str) -> str:
    return "".join(c for c in text if unicodedata.category(c) not in ("Mn", "Cf"))


def run_text(run: list[Glyph]) -> tuple[str, str]:
    """A run's letters in drawing order (an Arabic ligature's letters reversed, as drawn),
    and its combining marks."""
    text = "".join(g.text[::-1] if _RTL.search(g.text) else g.text for g in run)
    return _base(text), _marks(text)


def drawn(value: str, *, rtl: bool = False) -> tuple[str, str]:
    """``value`` (logical order) as a run should draw it: bidi-reordered right to left, or
    else with its own base direction (first strong character)."""
    return _base(get_display(value, base_dir="R" if rtl else None)), _marks(value)


def run_box(run: list[Glyph]) -> tuple[float, float, float]:
    """A run's left and right edge and its baseline, in points."""
    return min(g.x0 for g in run), max(g.x1 for g in run), run[0].y


# --- glyph outlines ---------------------------------------------------------------------------


def _outline(glyph_set, name: str) -> list:
    pen = DecomposingRecordingPen(glyph_set)
    glyph_set[name].draw(pen)
    return pen.value


@cache
def original(path: str, index: int) -> TTFont:
    return TTFont(path, fontNumber=index, lazy=True)


@cache
def _allowed_names(path: str, index: int, text: str, shaped: bool) -> frozenset[str]:
    """The glyphs the original face may draw for ``text``: its cmap glyphs and, where the
    document is shaped, what GSUB reaches from them (joining forms, ligatures)."""
    font = original(path, index)
    cmap = font.getBestCmap()
    if shaped:
        text += "".join(_MIRRORS.get(c, "") for c in text)
    names = {cmap[ord(c)] for c in text if ord(c) in cmap}
    if shaped and "GSUB" in font:
        options = Options()
        options.layout_features = ["*"]
        subsetter = Subsetter(options)
        subsetter.populate(glyphs=names)
        subsetter._closure_glyphs(font)  # fontTools' own closure: no public API
        names |= set(subsetter.glyphs_gsubed)
    return frozenset(names)


def embedded_outline(font: PdfFont, cid: int) -> list:
    if isinstance(font.program, CFFFontSet):
        top = font.program[font.program.fontNames[0]]
        if hasattr(top, "ROS"):  # CID-keyed: glyphs named by CID, reached through Encoding
            name = f"cid{font.code_to_cid.get(cid, cid):05d}"
        else:
            name = top.charset[cid]
        return _outline(top.CharStrings, name)
    gid = int.from_bytes(font.cid_to_gid[2 * cid : 2 * cid + 2], "big") if font.cid_to_gid else cid
    glyph_set = font.program.getGlyphSet()
    return _outline(glyph_set, font.program.getGlyphOrder()[gid])


def wrong_glyphs(data: bytes, faces: dict[str, tuple[str, int]], *, shaped: bool) -> list:
    """Each glyph whose embedded outline is none of the outlines the original face has for
    the character its ToUnicode entry names (or, shaped, its mirror); ``faces`` maps a BaseFont name to its file
    and face index. Glyphs of core fonts (no embedded program) are not checked."""
    runs, fonts = read_pdf(data)
    wrong, seen = [], set()
    for glyph in (g for run in runs for g in run):
        font = fonts[glyph.font]
        text = "".join(c for c in glyph.text if unicodedata.category(c) != "Cf")
        if font.simple or (glyph.font, glyph.cid) in seen or not text.strip():
            continue
        seen.add((glyph.font, glyph.cid))
        path, index = faces[font.base]
        face = original(path, index)
        glyph_set = face.getGlyphSet()
        outline = embedded_outline(font, glyph.cid)
        names = _allowed_names(path, index, text, shaped)
        if not any(_outline(glyph_set, name) == outline for name in names):
            wrong.append((font.base, glyph.cid, glyph.text))
    return wrong
