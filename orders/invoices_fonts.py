"""Which system font draws an invoice PDF in a script Helvetica cannot write.

One font draws the whole document, labels and the buyer's Latin data alike (emails, IDs,
amounts, digits): fpdf2's fallback fonts switch fonts inside a saved graphics state and
then lose track of which font the page has selected, so a later line was drawn with the
other font's glyph IDs (ドイツ came out as ード and a full-width colon). Hence each face
here covers Latin too:

- ja and zh-Hans: Noto Sans CJK (fonts-noto-cjk), regular and bold. Its ``.ttc`` holds one
  face per region, whose Han glyphs differ (直, 骨 are drawn differently in Japan and China),
  so the face is looked up by its family name, never by a fixed index.
- ar: DejaVu Sans (fonts-dejavu-core), Arabic letters with their joining forms and ligatures
  for HarfBuzz to shape, and the Latin letters and digits babel's Arabic figures use.

The fonts come from Debian packages that ``scripts/ensure-fonts`` installs (never committed).
A missing file is not an error: the caller keeps English labels and logs a warning.
"""

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from fontTools.ttLib import TTCollection

FONT_DIR = Path("/usr/share/fonts")


@dataclass(frozen=True)
class FontFace:
    path: Path
    index: int = 0  # the face inside a .ttc collection


@dataclass(frozen=True)
class ScriptFont:
    regular: FontFace
    bold: FontFace
    rtl: bool = False


@cache
def _collection_index(path: Path, family: str) -> int | None:
    """The index of the face called ``family`` in the collection, or None."""
    collection = TTCollection(str(path), lazy=True)
    for index, face in enumerate(collection.fonts):
        if face["name"].getDebugName(1) == family:
            return index
    return None


def _cjk_face(weight: str, family: str) -> FontFace | None:
    path = FONT_DIR / "opentype" / "noto" / f"NotoSansCJK-{weight}.ttc"
    if not path.is_file():
        return None
    index = _collection_index(path, family)
    return None if index is None else FontFace(path, index)


def _cjk(family: str) -> ScriptFont | None:
    regular, bold = _cjk_face("Regular", family), _cjk_face("Bold", family)
    return ScriptFont(regular, bold) if regular and bold else None


def _arabic() -> ScriptFont | None:
    dejavu = FONT_DIR / "truetype" / "dejavu"
    regular, bold = dejavu / "DejaVuSans.ttf", dejavu / "DejaVuSans-Bold.ttf"
    if not (regular.is_file() and bold.is_file()):
        return None
    return ScriptFont(FontFace(regular), FontFace(bold), rtl=True)


SCRIPT_LANGUAGES = {
    "ja": lambda: _cjk("Noto Sans CJK JP"),
    "zh-hans": lambda: _cjk("Noto Sans CJK SC"),
    "ar": _arabic,
}


def expected_font(language: str) -> str:
    """Where the font for ``language`` comes from, for the warning when it is missing."""
    if language == "ar":
        return f"{FONT_DIR}/truetype/dejavu/DejaVuSans.ttf (fonts-dejavu-core)"
    return f"{FONT_DIR}/opentype/noto/NotoSansCJK-Regular.ttc (fonts-noto-cjk)"


def script_font(language: str) -> ScriptFont | None:
    """The font for a catalog language Helvetica cannot write, None when it is not
    installed or when Helvetica writes the language (see ``SCRIPT_LANGUAGES``)."""
    find = SCRIPT_LANGUAGES.get(language)
    return find() if find else None
