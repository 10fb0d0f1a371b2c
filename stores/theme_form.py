"""The checkout theme as form fields: a colour picker per colour, the radius and logo per
mode, the default mode, and a live preview of the hosted page in light and dark.

What the merchant enters becomes the API's ``checkoutSettings`` value and is validated by
``settings_schema.merge_checkout_settings``, the function ``stores.services.store_update``
applies to the API's input: one rule for both. Only values that differ from the platform's
defaults are stored, so a store that keeps the defaults follows them when they change.
"""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils.html import format_html

from core.errors import BadRequest
from stores import settings_schema
from stores.theme_contrast import contrast_warnings

MODES = ("light", "dark")
# Form field suffix -> theme key, in the order the editor shows them.
THEME_KEYS = {
    "primary": "checkoutColorPrimary",
    "background": "checkoutColorBackground",
    "card": "checkoutColorCard",
    "text": "checkoutColorText",
    "radius": "checkoutBorderRadius",
    "logo": "checkoutLogo",
}
COLOR_SUFFIXES = ("primary", "background", "card", "text")
DARK_DEFAULT = "theme_default_dark"
_MESSAGE_FIELD = re.compile(r"checkoutSettings\.(light|dark)\.(\w+)")


def field_name(mode: str, suffix: str) -> str:
    return f"theme_{mode}_{suffix}"


THEME_FIELD_NAMES = (
    DARK_DEFAULT,
    *(field_name(mode, suffix) for mode in MODES for suffix in THEME_KEYS),
)


class ColorWidget(forms.TextInput):
    """The colour as text (any form the schema accepts: #rgb, #rrggbb, #rrggbbaa) with a
    picker beside it that the editor's script keeps in step."""

    class Media:
        css = {"all": ["admin_extra/admin.css"]}
        js = ["admin_extra/theme_editor.js"]

    def render(self, name, value, attrs=None, renderer=None):
        text = super().render(name, value, {**(attrs or {}), "size": 10}, renderer)
        return format_html(
            '<span class="color-field">{}<input type="color" data-color-for="{}" '
            'aria-label="Pick a colour"></span>',
            text,
            name,
        )


def theme_fields() -> dict[str, forms.Field]:
    fields: dict[str, forms.Field] = {
        DARK_DEFAULT: forms.BooleanField(
            required=False,
            label="Dark by default",
            help_text="Buyers see the dark theme unless the checkout asks for light.",
        )
    }
    for mode in MODES:
        for suffix in THEME_KEYS:
            label = f"{mode.capitalize()}: {suffix}"
            if suffix in COLOR_SUFFIXES:
                fields[field_name(mode, suffix)] = forms.CharField(
                    required=False, label=label, widget=ColorWidget
                )
            elif suffix == "radius":
                fields[field_name(mode, suffix)] = forms.CharField(
                    required=False, label=f"{label} (corner radius)", help_text="e.g. 8px, 0.5rem"
                )
            else:
                fields[field_name(mode, suffix)] = forms.CharField(
                    required=False,
                    label=f"{label} (checkout logo)",
                    help_text="An https URL or data:image URI; empty uses the store logo.",
                )
    return fields


# A form whose only job is to declare the theme fields, mixed into the store form so the
# admin sees them as declared (it checks fieldsets against declared fields).
ThemeFields = type("ThemeFields", (forms.Form,), theme_fields())


def theme_initial(stored: dict | None) -> dict:
    effective = settings_schema.effective_checkout_settings(stored)
    initial = {DARK_DEFAULT: effective["defaultDarkMode"]}
    for mode in MODES:
        for suffix, key in THEME_KEYS.items():
            initial[field_name(mode, suffix)] = effective[mode].get(key) or ""
    return initial


# The checkout settings the theme editor owns; the others (``language``) it leaves alone.
THEME_SETTINGS = frozenset({"defaultDarkMode", *MODES})


def theme_patch(cleaned: dict) -> dict:
    """The entered theme in the API's shape, defaults left out."""
    patch: dict = {"defaultDarkMode": bool(cleaned.get(DARK_DEFAULT))}
    for mode in MODES:
        defaults = settings_schema.DEFAULT_THEMES[mode]
        theme = {}
        for suffix, key in THEME_KEYS.items():
            value = (cleaned.get(field_name(mode, suffix)) or "").strip()
            if value and value != defaults[key]:
                theme[key] = value
        if theme:
            patch[mode] = theme
    return patch


def clean_theme(form: forms.Form, stored: dict | None) -> dict | None:
    """The checkout settings to store: unchanged when no theme field changed, else the
    merchant's entry validated by the schema (errors land on the field they name). The
    editor replaces the themes whole (a colour put back to its default is dropped); what
    it does not edit (the page language) is kept."""
    if not set(THEME_FIELD_NAMES) & set(form.changed_data):
        return stored
    kept = {key: value for key, value in (stored or {}).items() if key not in THEME_SETTINGS}
    try:
        themes = settings_schema.merge_checkout_settings(None, theme_patch(form.cleaned_data))
        return {**themes, **kept}
    except BadRequest as error:
        match = _MESSAGE_FIELD.search(error.message)
        suffix = next((s for s, k in THEME_KEYS.items() if match and k == match[2]), None)
        target = field_name(match[1], suffix) if suffix else None
        form.add_error(target if target in form.fields else None, ValidationError(error.message))
        return stored


def preview_html(*, stored: dict | None, store_name: str, store_logo: str = ""):
    """The hosted page in miniature, light and dark side by side; the editor's script
    repaints it as colours change. Rendered with the stored theme's warnings."""
    effective = settings_schema.effective_checkout_settings(stored)
    return render_to_string(
        "admin/stores/theme_preview.html",
        {
            "modes": [(mode, effective[mode]) for mode in MODES],
            "store_name": store_name,
            "logo": store_logo if settings_schema.is_valid_logo(store_logo or "") else "",
            "default_dark": effective["defaultDarkMode"],
            "warnings": contrast_warnings(stored),
        },
    )
