"""The customer portal's hosted pages (``/store/<slug>/portal``)."""
