"""Which system font draws an invoice PDF in a script Helvetica cannot write.

The fonts come from Debian packages that ``scripts/ensure-fonts`` installs (never committed):
Droid Sans Fallback (fonts-droid-fallback, one 4 MB TTF covering Japanese and Simplified
Chinese, where Noto CJK is ~100 MB of TTC) and Noto Sans Arabic (fonts-noto-core). Latin
text inside such a document (emails, IDs, amounts) falls back to Noto Sans. A missing file
is not an error: the caller keeps English labels and logs a warning, as before.
"""

from dataclasses import dataclass
from pathlib import Path

FONT_DIR = Path("/usr/share/fonts/truetype")


@dataclass(frozen=True)
class ScriptFont:
    regular: Path
    bold: Path
    rtl: bool = False

    def available(self) -> bool:
        return self.regular.is_file() and self.bold.is_file()


def _cjk() -> ScriptFont:
    path = FONT_DIR / "droid" / "DroidSansFallbackFull.ttf"
    return ScriptFont(regular=path, bold=path)


def _arabic() -> ScriptFont:
    noto = FONT_DIR / "noto"
    return ScriptFont(
        regular=noto / "NotoSansArabic-Regular.ttf",
        bold=noto / "NotoSansArabic-Bold.ttf",
        rtl=True,
    )


def latin_fallback() -> ScriptFont:
    noto = FONT_DIR / "noto"
    return ScriptFont(regular=noto / "NotoSans-Regular.ttf", bold=noto / "NotoSans-Bold.ttf")


def script_font(language: str) -> ScriptFont | None:
    """The font for a catalog language, or None where Helvetica writes it."""
    if language in ("ja", "zh-hans"):
        return _cjk()
    if language == "ar":
        return _arabic()
    return None
