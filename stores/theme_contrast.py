"""Colour contrast of a checkout theme, by WCAG 2.x: relative luminance and contrast ratio.

The hosted page picks the pay button's text colour with ``readable_on``; the theme editor
warns when text would fall below AA (4.5:1 for normal text) with the same arithmetic. The
editor's script repeats it for the live preview (static/admin_extra/theme_editor.js).
"""

from stores.settings_schema import effective_checkout_settings

AA_NORMAL_TEXT = 4.5
LIGHT_ON = "#ffffff"
DARK_ON = "#111827"


def _channels(color: str) -> tuple[float, float, float]:
    digits = color.lstrip("#")
    if len(digits) in (3, 4):
        digits = "".join(ch * 2 for ch in digits[:3])
    return tuple(int(digits[i : i + 2], 16) / 255 for i in (0, 2, 4))


def luminance(color: str) -> float:
    """WCAG relative luminance of ``#rgb``, ``#rrggbb`` or ``#rrggbbaa`` (alpha ignored)."""
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in _channels(color)]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(first: str, second: str) -> float:
    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def readable_on(color: str) -> str:
    """White or near-black text, whichever contrasts more with ``color``."""
    if contrast_ratio(LIGHT_ON, color) >= contrast_ratio(DARK_ON, color):
        return LIGHT_ON
    return DARK_ON


def contrast_warnings(checkout_settings: dict | None) -> list[str]:
    """What falls below WCAG AA in the effective light and dark themes, as a merchant
    reads it; empty when every pair passes."""
    warnings = []
    effective = effective_checkout_settings(checkout_settings)
    for mode in ("light", "dark"):
        theme = effective[mode]
        text, primary = theme["checkoutColorText"], theme["checkoutColorPrimary"]
        pairs = (
            ("Text on the card", text, theme["checkoutColorCard"]),
            ("Text on the background", text, theme["checkoutColorBackground"]),
            ("The pay button's text", readable_on(primary), primary),
        )
        for what, foreground, background in pairs:
            ratio = contrast_ratio(foreground, background)
            if ratio < AA_NORMAL_TEXT:
                warnings.append(
                    f"{mode.capitalize()} theme: {what.lower()} has a contrast of "
                    f"{ratio:.2f}:1, below WCAG AA (4.5:1)."
                )
    return warnings
