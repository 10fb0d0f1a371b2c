"""The admin site itself: its titles, a login form that asks for the email merchants sign
in with (and locks out after failed sign-ins), and a "View site" link that goes somewhere real."""

from django import forms
from django.conf import settings
from django.contrib import admin

from core.admin_login import LimitedAdminAuthenticationForm


class EmailLoginForm(LimitedAdminAuthenticationForm):
    """Merchants' usernames are their emails (``stores.services.merchant_create``), so the
    login form says so; failed sign-ins lock out (``core.admin_login``)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "Email"
        self.fields["username"].widget = forms.EmailInput(
            attrs={"autofocus": True, "autocomplete": "email", "maxlength": 254}
        )


def configure(site: admin.AdminSite) -> None:
    site.site_header = "Pancake Checkout admin"
    site.site_title = "Pancake Checkout"
    site.index_title = "Stores, products and API keys"
    site.site_url = settings.ADMIN_SITE_URL
    site.login_form = EmailLoginForm
