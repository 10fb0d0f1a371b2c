"""Settings that are data, not choices: the same in every deployment, kept out of
``config.settings`` so that what an operator sets stays easy to read there."""

# The OpenAPI description of the three dialects (config/openapi.py).
SPECTACULAR_SETTINGS = {
    "TITLE": "Pancake checkout API",
    "DESCRIPTION": "The actions API (/v1/actions/…, signed keys, store slugs and customer "
    "tokens), the cart checkout API (/checkout/…, seed 002) and the partner checkout API "
    "(/partner/…, seed 003).",
    "VERSION": "1",
    "OAS_VERSION": "3.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": False,
    "SCHEMA_PATH_PREFIX": r"/(v1|checkout|partner)",
    "SCHEMA_PATH_PREFIX_TRIM": False,
    "POSTPROCESSING_HOOKS": ["config.openapi.postprocess"],
    "DISABLE_ERRORS_AND_WARNINGS": False,
}

# Browsers grant the hosted pages no powerful features (camera, location, …); Stripe's card
# fields need none, and the Payment Request API only from our own origin.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "browsing-topics",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "usb",
        "xr-spatial-tracking",
    )
} | {"payment": ["self"]}

# The languages of the hosted pages (checkout.web.language activates them there only; the
# admin and the APIs stay English). Catalogs: locale/<lang>/LC_MESSAGES/django.po and .mo.
LANGUAGES = [
    ("en", "English"),
    ("de", "Deutsch"),
    ("fr", "Français"),
    ("es", "Español"),
    ("it", "Italiano"),
    ("nl", "Nederlands"),
    ("pt-br", "Português (Brasil)"),
    ("ja", "日本語"),
    ("zh-hans", "简体中文"),
    ("ar", "العربية"),
]
