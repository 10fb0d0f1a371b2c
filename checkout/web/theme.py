"""A hosted page's theme: the store's colours, radius and logo as CSS custom properties,
light, dark, or both when nobody chose (the browser's ``prefers-color-scheme`` decides).

The same narrow shapes ``stores.settings_schema`` accepts are checked again here, because
the values are written into a ``<style>`` block; anything else falls back to the defaults.
"""

import re

from stores.settings_schema import DEFAULT_THEMES
from stores.theme_contrast import readable_on

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
    variables["on_primary"] = readable_on(variables["primary"])
    return {"mode": mode, "dark": dark, "vars": variables, "logo": logo, "dark_vars": None}
