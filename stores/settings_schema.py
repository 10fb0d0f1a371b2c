"""Checkout theme and notification settings: defaults, validation and partial updates.

Theme values end up inside CSS on hosted pages, so each is checked against a narrow
pattern instead of being escaped later.
"""

import re
from copy import deepcopy
from typing import Any

from core.errors import BadRequest
from core.languages import catalog_language

THEME_FIELDS = (
    "checkoutLogo",
    "checkoutColorPrimary",
    "checkoutColorBackground",
    "checkoutColorCard",
    "checkoutColorText",
    "checkoutBorderRadius",
)
DEFAULT_THEMES = {
    "light": {
        "checkoutLogo": None,
        "checkoutColorPrimary": "#4f46e5",
        "checkoutColorBackground": "#f7f7f8",
        "checkoutColorCard": "#ffffff",
        "checkoutColorText": "#111827",
        "checkoutBorderRadius": "8px",
    },
    "dark": {
        "checkoutLogo": None,
        "checkoutColorPrimary": "#818cf8",
        "checkoutColorBackground": "#0f1115",
        "checkoutColorCard": "#1a1d24",
        "checkoutColorText": "#f3f4f6",
        "checkoutBorderRadius": "8px",
    },
}
_COLOR = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$")
_RADIUS = re.compile(r"^(?:0|\d{1,3}(?:\.\d{1,2})?(?:px|rem|em|%))$")
_HTTPS_URL = re.compile(r"^https://[^\s\"'<>()\\]{1,2000}$")
_DATA_IMAGE = re.compile(r"^data:image/(?:png|jpeg|gif|webp);base64,[A-Za-z0-9+/]+=*$")
MAX_LOGO_CHARS = 400_000

MERCHANT_WRITABLE_NOTIFICATIONS = (
    "notifyNewOrders",
    "notifyNewSubscriptions",
    "notifySubscriptionCanceled",
    "notifySubscriptionEnded",
    "notifySubscriptionPastDue",
    "notifySubscriptionRenewed",
    "notifySubscriptionUncanceled",
    "notifySubscriptionPlanChanged",
    "notifyChargeback",
    "notifyRefundSucceeded",
    "emailUpcomingCharge",
    "emailTrialEnding",
)
PLATFORM_NOTIFICATIONS = (
    "emailOrderConfirmation",
    "emailSubscriptionConfirmation",
    "emailSubscriptionCycled",
    "emailSubscriptionCanceled",
    "emailSubscriptionRevoked",
    "emailSubscriptionPastDue",
    "emailTrialStarted",
    "emailSubscriptionPlanChanged",
    "emailRefundSucceeded",
)
ALL_NOTIFICATIONS = PLATFORM_NOTIFICATIONS + MERCHANT_WRITABLE_NOTIFICATIONS


def is_valid_logo(value: str) -> bool:
    if len(value) > MAX_LOGO_CHARS:
        return False
    return bool(_HTTPS_URL.match(value) or _DATA_IMAGE.match(value))


def effective_checkout_settings(stored: dict | None) -> dict:
    result = {"defaultDarkMode": False, **deepcopy(DEFAULT_THEMES)}
    if stored:
        result["defaultDarkMode"] = bool(stored.get("defaultDarkMode", False))
        for mode in ("light", "dark"):
            result[mode].update(stored.get(mode) or {})
        if stored.get("language"):
            # The hosted pages' language when neither the session nor the browser names one
            # they are translated into (the session's ``language``, by the SDK's name).
            result["language"] = stored["language"]
    return result


def store_theme(store) -> dict:
    """What a checkout page shows of a store: its effective theme and its logo."""
    theme = effective_checkout_settings(store.checkout_settings)
    theme["storeLogo"] = store.logo or None
    # Unset, the page follows the buyer's system (light or dark), not the False default.
    theme["darkModeChosen"] = "defaultDarkMode" in (store.checkout_settings or {})
    return theme


def merge_checkout_settings(stored: dict | None, patch: Any) -> dict | None:
    """Apply an update: ``None`` clears everything, omitted keys keep their value,
    a ``null`` theme falls back to its defaults, a ``null`` field clears that field."""
    if patch is None:
        return None
    if not isinstance(patch, dict):
        raise BadRequest("Invalid checkoutSettings: expected an object", layer="store")
    unknown = set(patch) - {"defaultDarkMode", "light", "dark", "language"}
    if unknown:
        raise BadRequest(
            f"Invalid checkoutSettings: unknown field {sorted(unknown)[0]}", layer="store"
        )
    merged = deepcopy(stored) if stored else {}
    if "defaultDarkMode" in patch:
        if not isinstance(patch["defaultDarkMode"], bool):
            raise BadRequest(
                "Invalid checkoutSettings.defaultDarkMode: expected boolean", layer="store"
            )
        merged["defaultDarkMode"] = patch["defaultDarkMode"]
    if "language" in patch:
        _merge_language(merged, patch["language"])
    for mode in ("light", "dark"):
        if mode in patch:
            _merge_theme(merged, mode, patch[mode])
    return merged


def _merge_language(merged: dict, value: Any) -> None:
    """``null`` clears the store's page language; else a BCP 47 tag the pages speak."""
    if value is None:
        merged.pop("language", None)
        return
    if not isinstance(value, str) or catalog_language(value) is None:
        raise BadRequest(f"Invalid checkoutSettings.language: {value!r}", layer="store")
    merged["language"] = value


def _merge_theme(merged: dict, mode: str, theme_patch: Any) -> None:
    """One theme's update, in place: ``null`` drops the theme (its defaults apply again)."""
    if theme_patch is None:
        merged.pop(mode, None)
        return
    if not isinstance(theme_patch, dict):
        raise BadRequest(f"Invalid checkoutSettings.{mode}: expected an object", layer="store")
    theme = dict(merged.get(mode) or {})
    for field, value in theme_patch.items():
        _check_theme_field(mode, field, value)
        if value is None:
            theme.pop(field, None)
            if field == "checkoutLogo":
                theme[field] = None
        else:
            theme[field] = value
    merged[mode] = theme


def _check_theme_field(mode: str, field: str, value: Any) -> None:
    where = f"checkoutSettings.{mode}.{field}"
    if field not in THEME_FIELDS:
        raise BadRequest(f"Invalid checkoutSettings.{mode}: unknown field {field}", layer="store")
    if value is None:
        return
    if not isinstance(value, str):
        raise BadRequest(f"Invalid {where}: expected a string", layer="store")
    if field == "checkoutLogo":
        ok = is_valid_logo(value)
    elif field == "checkoutBorderRadius":
        ok = bool(_RADIUS.match(value))
    else:
        ok = bool(_COLOR.match(value))
    if not ok:
        raise BadRequest(f"Invalid {where}: {value!r}", layer="store")


def effective_notification_settings(stored: dict | None) -> dict:
    values = dict.fromkeys(ALL_NOTIFICATIONS, True)
    values.update(stored or {})
    return values


def merge_notification_settings(stored: dict | None, patch: Any) -> tuple[dict | None, list[str]]:
    """Returns the new stored value and the platform-managed keys that were dropped."""
    if patch is None:
        return None, []
    if not isinstance(patch, dict):
        raise BadRequest("Invalid notificationSettings: expected an object", layer="store")
    merged = dict(stored or {})
    dropped = []
    for key, value in patch.items():
        if key in PLATFORM_NOTIFICATIONS:
            dropped.append(key)
            continue
        if key not in MERCHANT_WRITABLE_NOTIFICATIONS:
            raise BadRequest(f"Invalid notificationSettings: unknown field {key}", layer="store")
        if not isinstance(value, bool):
            raise BadRequest(f"Invalid notificationSettings.{key}: expected boolean", layer="store")
        merged[key] = value
    return merged, dropped
