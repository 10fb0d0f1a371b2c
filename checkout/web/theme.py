"""A hosted page's theme: the store's colours, radius and logo as CSS custom properties,
light, dark, or both when nobody chose (the browser's ``prefers-color-scheme`` decides).

The same narrow shapes ``stores.settings_schema`` accepts are checked again here, because
the values are written into a ``<style>`` block; anything else falls back to the defaults.
"""

import re

from stores.settings_schema import DEFAULT_THEMES

_COLOR = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$")
_RADIUS = re.compile(r"^(?:0|\d{1,3}(?:\.\d{1,2})?(?:px|rem|em|%))$")
_LOGO = re.compile(
    r"^(?:https://[^\s\"'<>()\\]{1,2000}|data:image/(?:png|jpeg|gif|webp);base64,[A-Za-z0-9+/]+=*)$"
)
THEME_VARIABLES = (
    ("primary", "checkoutColorPrimary", _COLOR),
    ("background", "checkoutColorBackground", _COLOR),
    ("card", "checkoutColorCard", _COLOR),
    ("text", "checkoutColorText", _COLOR),
    ("radius", "checkoutBorderRadius", _RADIUS),
)


def page_theme(theme: dict | None, *, dark_mode: bool | None = None) -> dict:
    """The theme a page shows: light or dark when the session (``dark_mode``) or the store
    chose one; else both, and the buyer's system setting picks (``prefers-color-scheme``,
    CSS alone). A store's choice counts when it set ``defaultDarkMode`` itself
    (``darkModeChosen`` in the theme; themes locked before it existed count as chosen)."""
    if dark_mode is None and (theme is None or theme.get("darkModeChosen", True) is False):
        light, dark = theme_for(theme, dark=False), theme_for(theme, dark=True)
        return {**light, "mode": "auto", "dark_vars": dark["vars"], "dark_logo": dark["logo"]}
    if dark_mode is None:
        dark_mode = bool(theme.get("defaultDarkMode", False))
    return theme_for(theme, dark=dark_mode)


def theme_for(theme: dict | None, *, dark: bool) -> dict:
    """CSS custom properties and the logo of the light or dark theme, defaults for anything
    missing or not of the expected shape."""
    mode = "dark" if dark else "light"
    chosen = (theme or {}).get(mode) or {}
    defaults = DEFAULT_THEMES[mode]
    variables = {}
    for name, field, pattern in THEME_VARIABLES:
        value = chosen.get(field)
        variables[name] = (
            value if isinstance(value, str) and pattern.match(value) else defaults[field]
        )
    logo = None
    for candidate in (chosen.get("checkoutLogo"), (theme or {}).get("storeLogo")):
        if isinstance(candidate, str) and _LOGO.match(candidate):
            logo = candidate
            break
    variables["on_primary"] = _readable_on(variables["primary"])
    return {"mode": mode, "dark": dark, "vars": variables, "logo": logo, "dark_vars": None}


def _readable_on(color: str) -> str:
    """White or near-black text, whichever contrasts more with ``color`` (WCAG luminance)."""
    digits = color[1:]
    if len(digits) in (3, 4):
        digits = "".join(ch * 2 for ch in digits[:3])
    channels = [int(digits[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    # Contrast with white is 1.05 / (L + 0.05); with #111827 (L ~ 0.0097) it is (L + 0.05) / 0.0597.
    return "#ffffff" if 1.05 / (luminance + 0.05) >= (luminance + 0.05) / 0.0597 else "#111827"
